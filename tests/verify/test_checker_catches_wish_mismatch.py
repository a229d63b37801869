"""A wish_rank column that is not the 1-based rank of the first matching wish."""

from __future__ import annotations

import pytest

from tests.support.checker_fixtures import Result, check


@pytest.mark.parametrize("student_id, written", [
    ("st02", "1"),   # st02 wishes (VE, C1): VB is at C1, the 2nd wish
    ("st02", ""),
    ("st01", "1"),   # st01 made no wishes
])
def test_wish_rank_differs(tmp_path, student_id, written):
    result = Result()
    result.placement(student_id)["wish_rank"] = written
    report = check(tmp_path, result)
    assert report.kinds() == {"wish_mismatch"}
    assert [v.subject for v in report.violations] == [student_id]
