"""A student listed more than once across the two CSVs is reported."""

from __future__ import annotations

from tests.support.checker_fixtures import Result, check


def test_placed_student_also_listed_unplaced(tmp_path):
    result = Result()
    result.unplaced.append({"student_id": "st08", "school_id": "SA",
                            "reason": "capacity_taken", "detail": ""})
    report = check(tmp_path, result)
    assert report.kinds() == {"student_twice"}
    assert [v.subject for v in report.violations] == ["st08"]


def test_unplaced_student_listed_twice(tmp_path):
    result = Result()
    result.unplaced.append(dict(result.unplaced[0]))
    report = check(tmp_path, result)
    assert report.kinds() == {"student_twice"}
    assert [v.subject for v in report.violations] == ["st09"]
