"""A row whose school_id is not the student's school is reported."""

from __future__ import annotations

from tests.support.checker_fixtures import Result, check


def test_placement_with_another_school(tmp_path):
    result = Result()
    result.placement("st03")["school_id"] = "SA"  # st03 is at school SB
    report = check(tmp_path, result)
    assert report.kinds() == {"wrong_school"}
    assert [v.subject for v in report.violations] == ["st03"]


def test_unplaced_with_another_school(tmp_path):
    result = Result()
    result.unplaced[0]["school_id"] = "SB"  # st09 is at school SA
    report = check(tmp_path, result)
    assert report.kinds() == {"wrong_school"}
