"""A placement in a period the instance does not have is reported."""

from __future__ import annotations

from tests.support.checker_fixtures import Result, check


def test_placement_in_unknown_period(tmp_path):
    result = Result()
    result.placement("st08")["period_id"] = "P3"
    report = check(tmp_path, result)
    assert "unknown_period" in report.kinds()
    # The row cannot be costed, so the summary's cost no longer adds up.
    assert report.kinds() <= {"unknown_period", "objective_mismatch"}
    assert [v.subject for v in report.violations if v.kind == "unknown_period"] == ["st08"]
