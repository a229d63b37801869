"""summary.json objective parts that differ from the recomputed sums are reported."""

from __future__ import annotations

import pytest

from tests.support.checker_fixtures import Result, check


@pytest.mark.parametrize("part, delta", [
    ("weighted_placed", -1),
    ("weighted_placed", 2),
    ("secondary_cost", 1),
    ("secondary_cost", -30),  # e.g. the duo cost left out of the sum
])
def test_summary_objective_off(tmp_path, part, delta):
    result = Result()
    result.summary["objective"][part] += delta
    report = check(tmp_path, result)
    assert report.kinds() == {"objective_mismatch"}
    assert [v.subject for v in report.violations] == [part]


def test_unweighted_count_is_not_the_weighted_objective(tmp_path):
    # 10 placed students, but weighted_placed is 22 (two priority students x 3).
    result = Result()
    result.summary["objective"]["weighted_placed"] = 10 * 2
    report = check(tmp_path, result)
    assert report.kinds() == {"objective_mismatch"}
