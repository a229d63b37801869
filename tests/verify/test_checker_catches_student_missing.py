"""A student of the input in neither CSV is reported as missing."""

from __future__ import annotations

from matcher.verify.checker import CheckReport, Violation, format_report
from tests.support.checker_fixtures import Result, check


def test_student_left_out_of_unplaced_is_missing(tmp_path):
    result = Result()
    result.unplaced = []
    report = check(tmp_path, result)
    assert report.kinds() == {"student_missing"}
    assert [v.subject for v in report.violations] == ["st09"]


def test_student_left_out_of_placements_is_missing(tmp_path):
    result = Result()
    result.placements = [r for r in result.placements if r["student_id"] != "st08"]
    result.add_to_objective(-2, -20)
    report = check(tmp_path, result)
    assert report.kinds() == {"student_missing"}
    assert [v.subject for v in report.violations] == ["st08"]


def test_long_listing_is_cut_after_fifty_lines():
    violations = tuple(Violation("student_missing", f"s{i:03d}", "in neither file")
                       for i in range(60))
    text = format_report(CheckReport(violations, 0, 0, 0, 0))
    assert text.startswith("INVALID: 60 violations (student_missing 60)")
    assert "s049" in text and "s050" not in text
    assert text.rstrip().endswith("... and 10 more")
