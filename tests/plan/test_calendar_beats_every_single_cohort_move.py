"""The calendar optimiser finds a calendar at least as good as every
single-cohort move (checked by a full solve of each move), and the value it
reports is what a full solve of its calendar gives."""

import pytest

from matcher.plan.calendar import optimise_calendar
from matcher.plan.cohorts import Cohort
from tests.support.calendar_fixtures import (
    crowded_calendar_instance,
    crowded_period_instance,
    single_moves,
    swap_instance,
    weighted_placed,
)
from tests.support.random_instances import random_instance


def check_against_single_moves(inst, max_moves):
    plan = optimise_calendar(inst, max_moves=max_moves)
    today = weighted_placed(inst, {})
    assert plan.weighted_today == today
    assert plan.weighted_proposed == weighted_placed(inst, plan.shifts)
    assert len(plan.shifts) <= max_moves
    best_single = max([today] + [weighted_placed(inst, {c: o}) for c, o in single_moves(inst)])
    assert plan.weighted_proposed >= best_single
    assert plan.weighted_bound >= plan.weighted_proposed
    return plan, best_single


def test_crowded_cohort_moves_to_the_empty_period():
    inst = crowded_period_instance()
    plan, best_single = check_against_single_moves(inst, max_moves=1)
    # Today 3 of the 7 crowded students are placed (3 places in P1) and both of
    # cohort C (P2: 3 + 1 places). Moving the 4 of school A to P2 or P3 places all 9.
    assert plan.weighted_today == 2 * 5
    assert best_single == plan.weighted_proposed == 2 * 9
    assert set(plan.shifts) == {Cohort("school-A", "25655", 2)}
    assert plan.proven


@pytest.mark.parametrize("seed", range(8))
def test_random_instances(seed):
    inst = random_instance(seed, n_students=30, n_vacancies=10)
    for max_moves in (1, 3):
        check_against_single_moves(inst, max_moves)


@pytest.mark.parametrize("seed", range(8))
def test_crowded_instances(seed):
    inst = crowded_calendar_instance(seed, n_cohorts=8)
    for max_moves in (1, 2, 8):
        check_against_single_moves(inst, max_moves)


def test_two_moves_that_only_gain_together():
    inst = swap_instance()
    assert all(weighted_placed(inst, {c: o}) == weighted_placed(inst, {}) for c, o in single_moves(inst))
    plan = optimise_calendar(inst, max_moves=2)
    assert plan.weighted_today == 2 * 2 and plan.weighted_proposed == weighted_placed(inst, plan.shifts) == 2 * 4
    assert plan.shifts == {Cohort("school-A", "25655", 2): 1, Cohort("school-B", "25498", 2): -1}
    assert plan.proven
    alone = optimise_calendar(inst, max_moves=1)
    assert alone.shifts == {} and alone.weighted_bound >= alone.weighted_proposed
