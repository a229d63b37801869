"""Moves evaluated in worker processes (``jobs=2``) give the same calendar, gains and counts as in one
process: the batches are fixed and their results come back in order."""

import dataclasses

import pytest

from matcher.engine.parallel import usable_cores
from matcher.plan import calendar
from tests.support.calendar_fixtures import crowded_calendar_instance


@pytest.mark.skipif(usable_cores() < 2, reason="needs two cores to start worker processes")
@pytest.mark.parametrize("seed", [3, 6, 7])  # seeds whose search evaluates batches of moves
def test_calendar_with_moves_in_processes_equals_one_process(seed, monkeypatch):
    inst = crowded_calendar_instance(seed, n_cohorts=8)
    alone = calendar.optimise_calendar(inst, max_moves=3, jobs=1)
    forks = []
    real_map = calendar.ProcessPool.map

    def counted_map(pool, fn, tasks, on_done=None):
        forks.append(len(tasks))
        return real_map(pool, fn, tasks, on_done)

    monkeypatch.setattr(calendar, "PROCESS_ARCS", 0)  # every batch to the workers
    monkeypatch.setattr(calendar.ProcessPool, "map", counted_map)
    shared = calendar.optimise_calendar(inst, max_moves=3, jobs=2)
    assert forks and max(forks) > 1  # the workers did evaluate moves
    for field in dataclasses.fields(alone):
        if field.name != "seconds":
            assert getattr(shared, field.name) == getattr(alone, field.name), field.name
