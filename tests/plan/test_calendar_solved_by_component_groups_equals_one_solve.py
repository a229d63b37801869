"""A calendar's max flows are solved a group of whole components at a time (to bound the solver's memory).
Split as finely as possible, one component per group, they must give what one solve of the whole network
gives: the same value, the same flow into every component, the same cut sides, and so the same plan."""

import dataclasses

import numpy as np
import pytest

from matcher.generator.synth import generate_instance
from matcher.plan import calendar
from matcher.plan.calendar import CalendarSpace, _Calendar, default_offsets, optimise_calendar
from models import Policy
from tests.support.calendar_fixtures import crowded_calendar_instance
from tests.support.random_instances import random_instance


def instances():
    yield "crowded", crowded_calendar_instance(3, n_cohorts=5)
    yield "random", random_instance(104, n_students=14, n_vacancies=7)
    yield "generated", generate_instance(region="AM13", students=400, seed=3)


@pytest.mark.parametrize("name, inst", list(instances()))
def test_groups_of_one_component_give_the_whole_networks_max_flows_and_cuts(name, inst, monkeypatch):
    space = CalendarSpace(inst, Policy(), default_offsets(inst))
    rng = np.random.default_rng(0)
    offset = rng.integers(-1, 2, len(space.cohorts)) * space.allowed[:, space.n_periods].astype(np.int64)
    monkeypatch.setattr(calendar, "GROUP_ARCS", 1)
    grouped = _Calendar(space, offset)
    labels = np.unique(grouped.label)
    assert len(labels) > 1, name  # else there is nothing to group
    whole = space.max_flows(np.arange(space.network.n_arcs - 2), grouped.capacities[:-2])
    for (total, _, reach, to_sink), reach_grouped, to_sink_grouped in zip(
            whole, (grouped.reach_e, grouped.reach_p), (grouped.to_sink_e, grouped.to_sink_p)):
        assert np.array_equal(reach, reach_grouped) and np.array_equal(to_sink, to_sink_grouped), name
    placed, priority = whole[0][0], whole[1][0]
    assert grouped.value == int(space.weighted(placed, priority)), name


@pytest.mark.parametrize("name, inst", list(instances()))
def test_the_plan_does_not_depend_on_the_groups(name, inst, monkeypatch):
    plans = []
    for group_arcs in (10**9, 1):
        monkeypatch.setattr(calendar, "GROUP_ARCS", group_arcs)
        plan = optimise_calendar(inst, max_moves=3)
        plans.append({f.name: getattr(plan, f.name) for f in dataclasses.fields(plan) if f.name != "seconds"})
    assert plans[0] == plans[1], name
