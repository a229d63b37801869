"""A cost column that differs from the recomputed per-student cost is reported."""

from __future__ import annotations

import pytest

from tests.support.checker_fixtures import Result, check


@pytest.mark.parametrize("changes", [
    {"st12": "20"},                  # duo partner cost forgotten
    {"st05": "50", "st12": "20"},    # duo cost on the wrong student (sum unchanged)
    {"st02": "40"},                  # period step forgotten (25 + 10 + 15 = 50)
    {"st02": "35"},                  # wish step forgotten
    {"st03": "20"},                  # travel of the less specific override
    {"st07": ""},                    # empty
])
def test_cost_column_differs(tmp_path, changes):
    result = Result()
    for sid, cost in changes.items():
        result.placement(sid)["cost"] = cost
    report = check(tmp_path, result)
    assert report.kinds() == {"cost_mismatch"}
    assert sorted(v.subject for v in report.violations) == sorted(changes)


def test_no_wish_met_costs_sixty(tmp_path):
    # st02 wishes (VE, C1); on X_access (company CX) neither is met: 60, not 0.
    result = Result()
    row = result.placement("st02")
    row.update(vacancy_id="X_access", company_id="CX", supervisor_id="", travel_min="25",
               wish_rank="", cost=str(25 + 15))
    result.add_to_objective(0, 40 - 50)
    report = check(tmp_path, result)
    assert report.kinds() == {"cost_mismatch", "objective_mismatch"}
    assert [v.subject for v in report.violations if v.kind == "cost_mismatch"] == ["st02"]
