"""A supervisor with more students in a period than its capacity is reported."""

from __future__ import annotations

from models.instance import Supervisor
from tests.support.checker_fixtures import Result, check, valid_instance


def test_supervisor_over_capacity_across_two_vacancies(tmp_path):
    # S1 (capacity 3) guides VA (st01) and VB (st02, st03) in P1. VB has a third
    # place, but st09 there makes 4 students for S1 (company C1 allows 4).
    result = Result()
    result.place_st09("VB", "C1", "S1", travel=30)
    report = check(tmp_path, result)
    assert report.kinds() == {"supervisor_capacity"}
    assert [v.subject for v in report.violations] == ["S1@P1"]


def test_supervisor_without_a_row_limits_nothing(tmp_path):
    # Without supervisors.csv the same placement is valid.
    result = Result()
    result.place_st09("VB", "C1", "S1", travel=30)
    instance = valid_instance().model_copy(update={"supervisors": ()})
    assert check(tmp_path, result, instance).ok


def test_capacity_counts_per_period(tmp_path):
    # Capacity 2 is exceeded in P1 (3 students) - the P2 placements do not count.
    instance = valid_instance().model_copy(update={
        "supervisors": (Supervisor(supervisor_id="S1", company_id="C1", capacity=2),)})
    report = check(tmp_path, Result(), instance)
    assert [(v.kind, v.subject) for v in report.violations] == [("supervisor_capacity", "S1@P1")]
