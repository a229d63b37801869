"""Integer costs that could overflow OR-Tools' int64 cost scaling are refused, not solved wrongly."""

import dataclasses

import pytest

from matcher.engine.candidates import generate_candidates
from matcher.engine.network import build_network
from matcher.engine.problem import build_problem
from matcher.errors import ModelError
from models import Policy
from tests.support.builders import instance, student, vacancy


def test_absurd_costs_raise_model_error():
    policy = Policy()
    problem = build_problem(instance([student("s1")], [vacancy("v1")]), policy)
    candidates = generate_candidates(problem, policy)
    absurd = dataclasses.replace(candidates, cost=candidates.cost * 10**17)
    with pytest.raises(ModelError, match="cost range"):
        build_network(problem, absurd, policy.costs.duo_partner, problem.s_priority)


def test_the_largest_policy_costs_pass():
    from models.policy import Costs

    policy = Policy(costs=Costs(travel_minute=1_000, wish_step=10_000, no_wish_met=100_000,
                                period_step=10_000, duo_partner=100_000))
    problem = build_problem(instance([student("s1", preferences=("v1",))], [vacancy("v1")]), policy)
    network = build_network(problem, generate_candidates(problem, policy), 100_000, problem.s_priority)
    assert network.n_arcs > 0
