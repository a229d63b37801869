"""A placement beyond the student's travel limit is reported."""

from __future__ import annotations

from models.instance import Student
from tests.support.checker_fixtures import ST07_MINUTES, Result, check, valid_instance


def test_placement_beyond_the_default_limit(tmp_path):
    result = Result()
    # travel_times gives st01 -> X_far 75 min; the default limit is 60.
    result.move("st01", "X_far", "CX", travel=75)
    result.add_to_objective(0, 75 - 20)
    report = check(tmp_path, result)
    assert report.kinds() == {"travel_limit"}
    assert [v.subject for v in report.violations] == ["st01"]


def test_placement_beyond_the_students_own_limit(tmp_path):
    # st07 cycles ST07_MINUTES (about 35) to VE; a personal limit just below fails.
    instance = valid_instance()
    students = tuple(
        Student(**{**s.model_dump(), "max_travel_min": ST07_MINUTES - 1})
        if s.student_id == "st07" else s
        for s in instance.students
    )
    report = check(tmp_path, Result(), instance.model_copy(update={"students": students}))
    assert report.kinds() == {"travel_limit"}
    assert [v.subject for v in report.violations] == ["st07"]
