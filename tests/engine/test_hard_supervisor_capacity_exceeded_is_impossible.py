"""Hard constraint 6: students per supervisor and period <= capacity (duo partners count)."""

from matcher import solve
from tests.support.builders import Supervisor, instance, student, vacancy


def test_supervisor_of_two_vacancies_guides_only_its_capacity():
    inst = instance(
        [student("s1"), student("s2"), student("s3")],
        [vacancy("v1", company_id="c", supervisor_id="sup", places=2),
         vacancy("v2", company_id="c", supervisor_id="sup", places=2)],
        supervisors=(Supervisor(supervisor_id="sup", company_id="c", capacity=2),),
    )
    result = solve(inst)
    assert result.n_placed == 2
    assert result.unplaced["reason"].tolist() == ["supervision_full"]
    assert "supervisor sup is full" in result.unplaced["detail"].iloc[0]


def test_duo_partners_count_towards_supervision():
    inst = instance(
        [student("s1"), student("s2")],
        [vacancy("v1", company_id="c", supervisor_id="sup", places=1, duo=True)],
        supervisors=(Supervisor(supervisor_id="sup", company_id="c", capacity=1),),
    )
    assert solve(inst).n_placed == 1


def test_supervisor_without_a_row_limits_nothing():
    inst = instance(
        [student("s1"), student("s2")],
        [vacancy("v1", company_id="c", supervisor_id="sup", places=2)],
    )
    assert solve(inst).n_placed == 2
