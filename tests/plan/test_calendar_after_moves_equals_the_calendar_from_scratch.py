"""After a move the search computes the next calendar again only on the components the move touches
(`_Calendar.after`). It must be the calendar computed from scratch: the same arcs switched on, the same
components (numbered alike), values, cut sides and arc order."""

import numpy as np
import pytest

from matcher.generator.synth import generate_instance
from matcher.plan.calendar import CalendarSpace, _Calendar, default_offsets
from models import Policy
from tests.support.calendar_fixtures import crowded_calendar_instance
from tests.support.random_instances import random_instance

FIELDS = ("capacities", "on", "label", "arc_order", "label_bounds", "first_node", "label_value",
          "reach_e", "to_sink_e", "reach_p", "to_sink_p")


def instances():
    yield "crowded", crowded_calendar_instance(6, n_cohorts=8)
    yield "random", random_instance(104, n_students=14, n_vacancies=7)
    yield "generated", generate_instance(region="AM13", students=400, seed=3)


def assert_same(found: _Calendar, expected: _Calendar, what: str) -> None:
    for field in FIELDS:
        assert np.array_equal(getattr(found, field), getattr(expected, field)), (what, field)
    assert found.value == expected.value, what


@pytest.mark.parametrize("name, inst", list(instances()))
def test_calendar_after_random_moves_equals_the_calendar_from_scratch(name, inst):
    space = CalendarSpace(inst, Policy(), default_offsets(inst))
    rng = np.random.default_rng(0)
    offsets = np.flatnonzero(space.allowed.any(axis=0)) - (space.n_periods - 1)
    current = _Calendar(space, np.zeros(len(space.cohorts), dtype=np.int64))
    changed_components = 0
    for step in range(8):
        # One to three cohorts to an offset each may take (0 included: back to today).
        offset = current.offset.copy()
        for cohort in rng.choice(len(space.cohorts), size=min(3, len(space.cohorts)), replace=False):
            allowed = offsets[space.allowed[cohort, offsets + space.n_periods - 1]]
            offset[cohort] = rng.choice(allowed)
        after = current.after(offset)
        expected = _Calendar(space, offset)
        assert_same(after, expected, f"{name} step {step}")
        changed_components += len(np.unique(after.label)) != len(np.unique(current.label))
        current = after
    assert changed_components > 0, name  # some move split or joined components
