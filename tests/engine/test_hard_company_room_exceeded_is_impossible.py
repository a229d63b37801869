"""Hard constraint 7: students per company and period <= max_students."""

from matcher import solve
from tests.support.builders import Company, instance, student, vacancy


def test_company_room_caps_all_its_vacancies():
    inst = instance(
        [student(f"s{i}") for i in range(4)],
        [vacancy("v1", company_id="c", places=2), vacancy("v2", company_id="c", places=2)],
        companies=(Company(company_id="c", max_students=3),),
    )
    result = solve(inst)
    assert result.n_placed == 3
    assert result.unplaced["reason"].tolist() == ["supervision_full"]
    assert "company c is full" in result.unplaced["detail"].iloc[0]
