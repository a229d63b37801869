"""No calendar within the limits places more (priority weighted) than the
reported bound: every calendar of small crowded instances is solved in full."""

import pytest

from matcher.plan.calendar import optimise_calendar
from tests.support.calendar_fixtures import crowded_calendar_instance, every_calendar, weighted_placed
from tests.support.random_instances import random_instance


def check_bound(inst):
    values = [(len(shifts), weighted_placed(inst, shifts)) for shifts in every_calendar(inst)]
    for max_moves in (None, 0, 1, 2):
        best = max(value for moves, value in values if max_moves is None or moves <= max_moves)
        plan = optimise_calendar(inst, max_moves=max_moves)
        assert plan.weighted_proposed <= best <= plan.weighted_bound <= plan.weighted_relaxed
        if plan.proven:
            assert plan.weighted_proposed == best
        if max_moves == 0:
            assert plan.shifts == {} and plan.proven


@pytest.mark.parametrize("seed", range(6))
def test_crowded_instances(seed):
    check_bound(crowded_calendar_instance(seed, n_cohorts=4))


@pytest.mark.parametrize("seed", range(4))
def test_random_instances(seed):
    check_bound(random_instance(100 + seed, n_students=12, n_vacancies=6))
