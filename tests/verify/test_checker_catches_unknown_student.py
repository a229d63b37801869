"""A row naming a student that is not in the input is reported."""

from __future__ import annotations

from tests.support.checker_fixtures import Result, check


def test_unknown_student_in_unplaced(tmp_path):
    result = Result()
    result.unplaced.append({"student_id": "st99", "school_id": "SA",
                            "reason": "out_of_reach", "detail": ""})
    report = check(tmp_path, result)
    assert report.kinds() == {"unknown_student"}
    assert [v.subject for v in report.violations] == ["st99"]


def test_unknown_student_in_placements(tmp_path):
    result = Result()
    result.placement("st10")["student_id"] = "st11"
    result.add_to_objective(-2, -20)  # the unknown row counts for nothing
    report = check(tmp_path, result)
    # st10 has vanished and st11 does not exist.
    assert report.kinds() == {"unknown_student", "student_missing"}
    assert {(v.kind, v.subject) for v in report.violations} == {
        ("unknown_student", "st11"), ("student_missing", "st10")}
