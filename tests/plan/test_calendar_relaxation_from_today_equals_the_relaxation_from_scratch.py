"""The relaxation's value per component is searched on from today's max flows (`_relaxation_values`).
It must be what OR-Tools' max flows of the relaxed network give from scratch, component by component."""

import numpy as np
import pytest

from matcher.generator.synth import generate_instance
from matcher.plan.calendar import CalendarSpace, _Calendar, _relaxation_values, default_offsets
from models import Policy
from tests.support.calendar_fixtures import crowded_calendar_instance
from tests.support.random_instances import random_instance


def instances():
    yield "crowded", crowded_calendar_instance(6, n_cohorts=8)
    yield "random", random_instance(104, n_students=14, n_vacancies=7)
    yield "generated", generate_instance(region="AM13", students=400, seed=3)


@pytest.mark.parametrize("name, inst", list(instances()))
def test_relaxation_from_todays_flows_equals_the_relaxation_solved_from_scratch(name, inst):
    space = CalendarSpace(inst, Policy(), default_offsets(inst))
    today = _Calendar(space, np.zeros(len(space.cohorts), dtype=np.int64))
    label, n_components, value = _relaxation_values(space, today)

    net = space.network
    (_, flows_e, _, _), (_, flows_p, _, _) = space.max_flows_by_component(
        net.capacities[:-2], *space.arcs_by_component(label))
    entry_label = label[net.heads[space.entry]]
    expected = space.weighted(
        np.bincount(entry_label, weights=flows_e[space.entry], minlength=n_components).astype(np.int64),
        np.bincount(entry_label, weights=flows_p[space.entry], minlength=n_components).astype(np.int64))
    assert np.array_equal(value, expected), name


def test_the_crowded_relaxation_places_more_than_today():
    # So that the search above has augmenting paths to find, not only today's flows to keep.
    inst = crowded_calendar_instance(6, n_cohorts=8)
    space = CalendarSpace(inst, Policy(), default_offsets(inst))
    today = _Calendar(space, np.zeros(len(space.cohorts), dtype=np.int64))
    assert _relaxation_values(space, today)[2].sum() > today.value
