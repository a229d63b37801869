"""Hard constraint 1: a student who needs an accessible workplace gets one."""

from matcher import solve
from tests.support.builders import instance, student, vacancy


def test_inaccessible_vacancy_is_refused_and_accessible_one_taken():
    inst = instance(
        [student("s1", needs_accessible=True)],
        [vacancy("near", accessible=False), vacancy("far", accessible=True, pc4="3581")],
    )
    result = solve(inst)
    assert result.placements["vacancy_id"].tolist() == ["far"]


def test_only_inaccessible_vacancies_leave_the_student_unplaced():
    result = solve(instance([student("s1", needs_accessible=True)], [vacancy("v1")]))
    assert result.unplaced["reason"].tolist() == ["level_or_guidance"]
