"""The price of priority: who is placed and at what secondary cost, never how many.

Student sets that can be placed together form a matroid (a gammoid of the
capacitated network), so a maximum-weight set with positive weights has
maximum cardinality: the unweighted run places exactly as many students.
The number is always reported; the unweighted optimum only when asked for.
"""

import pytest

from matcher import solve
from models import Policy, Weights
from tests.support.builders import instance, student, vacancy
from tests.support.random_instances import random_instance

COMPARE = Policy(compare_unweighted=True)


@pytest.mark.parametrize("seed", range(30))
def test_priority_never_costs_placements_but_may_cost_travel(seed):
    inst = random_instance(seed, n_students=18)
    weighted = solve(inst, COMPARE)
    price = weighted.summary["price_of_priority"]
    # Independently of the reported count (which the run derives from its own flow): a run with equal
    # weights places exactly as many students as the weighted one.
    assert solve(inst, Policy(weights=Weights(priority=2, regular=2))).n_placed == weighted.n_placed
    assert price["extra_students_without_priority"] == 0
    assert price["priority_tier_placed_with_priority"] >= price["priority_tier_placed_without_priority"]
    assert price["secondary_cost_with_priority"] >= price["secondary_cost_without_priority"]


def test_price_is_reported_when_priority_displaces_a_nearer_student():
    inst = instance(
        [student("regular", pc4="3584"), student("entree", level=1, pc4="3451", max_travel_min=90)],
        [vacancy("v1", pc4="3584")],
    )
    price = solve(inst, COMPARE).summary["price_of_priority"]
    assert price["priority_tier_placed_with_priority"] == 1
    assert price["priority_tier_placed_without_priority"] == 0
    assert price["secondary_cost_with_priority"] > price["secondary_cost_without_priority"]


@pytest.mark.parametrize("seed", range(10))
def test_reported_count_is_what_an_unweighted_run_places(seed):
    """The default run takes the count from the max flow r(E); a run with equal
    weights (literally unweighted) must place exactly that many students, at the
    cost the comparison reports."""
    inst = random_instance(seed, n_students=25)
    plain = solve(inst).summary["price_of_priority"]
    full = solve(inst, COMPARE).summary["price_of_priority"]
    unweighted = solve(inst, Policy(weights=Weights(priority=2, regular=2)))
    assert plain["compared_unweighted_optimum"] is False
    assert plain["priority_tier_placed_without_priority"] is None
    assert plain["secondary_cost_without_priority"] is None
    assert plain["placed_without_priority"] == unweighted.n_placed == full["placed_without_priority"]
    assert full["secondary_cost_without_priority"] == unweighted.secondary_cost
    assert plain["placed_with_priority"] == full["placed_with_priority"]
