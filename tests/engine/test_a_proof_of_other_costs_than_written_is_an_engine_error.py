"""The certificate proves the flow's own costs optimal; the engine checks that they are the written placements'.

With a deliberately wrong network cost (the duo partner's cost left out of the arcs, one of the mutations of
issue 17) the flow's optimum is certified but no written placement costs that: the run must fail as an engine
error, never report ``proven_optimal``. With the right costs the certified values are those recomputed from the
written rows, on random instances with and without previous rounds.
"""

from __future__ import annotations

import pytest

import matcher.engine.solve as solve_module
from matcher import solve
from matcher.engine.solve import written_objective
from matcher.errors import ModelError
from tests.support.builders import instance, student, vacancy
from tests.support.random_instances import random_decisions, random_instance, random_previous

TWO_ON_ONE_DUO_PLACE = instance([student("s1"), student("s2")], [vacancy("duo", places=1, duo=True)])


def test_a_network_without_the_duo_cost_is_refused(monkeypatch):
    right = solve(TWO_ON_ONE_DUO_PLACE)
    assert right.summary["objective"]["parts"]["duo"] > 0  # a partner is in the optimum: the bug would show
    build = solve_module.build_network

    def without_duo_cost(problem, candidates, duo_cost, *args, **kwargs):
        return build(problem, candidates, 0, *args, **kwargs)

    monkeypatch.setattr(solve_module, "build_network", without_duo_cost)
    with pytest.raises(ModelError, match=r"secondary_cost \d+ certified, \d+ written"):
        solve(TWO_ON_ONE_DUO_PLACE)


def test_a_network_with_a_wrong_travel_cost_is_refused(monkeypatch):
    inst = instance([student("s1")], [vacancy("v1")])
    generate = solve_module.generate_candidates

    def travel_counted_twice(problem, policy):
        candidates = generate(problem, policy)
        candidates.cost[:] += candidates.travel_min * policy.costs.travel_minute
        return candidates

    monkeypatch.setattr(solve_module, "generate_candidates", travel_counted_twice)
    with pytest.raises(ModelError, match="does not certify the placements written"):
        solve(inst)


@pytest.mark.parametrize("seed", range(12))
def test_the_certified_values_are_those_of_the_written_rows(seed):
    inst = random_instance(seed)
    if seed % 3 == 1:
        inst = random_decisions(inst, seed)
    elif seed % 3 == 2:
        inst = random_previous(inst, seed)
    result = solve(inst)
    proof, written = result.summary["proof"], written_objective(_problem(inst), result.placements, _policy())
    assert proof["proven_optimal"]
    assert (proof["weighted_placed"], proof["secondary_cost"]) == (written["weighted_placed"],
                                                                   written["secondary_cost"])
    assert written["secondary_cost"] == result.summary["objective"]["secondary_cost"]


def _policy():
    from models import Policy

    return Policy()


def _problem(inst):
    from matcher.engine.problem import build_problem

    return build_problem(inst, _policy())
