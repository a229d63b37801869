"""The checker accepts the hand-made valid result and recomputes its objective."""

from __future__ import annotations

from matcher.verify.checker import format_report
from tests.support.checker_fixtures import (
    POLICY,
    VALID_SECONDARY_COST,
    VALID_WEIGHTED_PLACED,
    Result,
    check,
    valid_instance,
)
from tests.support.reference import reference_optimum


def test_valid_result_is_accepted(tmp_path):
    report = check(tmp_path, Result())
    assert report.ok, format_report(report)
    assert (report.n_placed, report.n_unplaced) == (10, 1)
    assert report.weighted_placed == VALID_WEIGHTED_PLACED
    assert report.secondary_cost == VALID_SECONDARY_COST
    assert format_report(report).startswith("OK: 10 placed, 1 unplaced")


def test_valid_result_is_accepted_whatever_the_row_order(tmp_path):
    # Capacities and duo labels are judged per vacancy-period by student_id,
    # not by the order of the rows in the file.
    result = Result()
    result.placements.reverse()
    assert check(tmp_path, result).ok


def test_valid_result_does_not_beat_the_lp_bound():
    # Any valid result is a feasible solution, so the reference optimum is at
    # least as good lexicographically.
    best_weight, best_cost = reference_optimum(valid_instance(), POLICY)
    assert best_weight >= VALID_WEIGHTED_PLACED
    if best_weight == VALID_WEIGHTED_PLACED:
        assert best_cost <= VALID_SECONDARY_COST
