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


def test_the_largest_policy_costs_are_solved_exactly():
    from matcher import solve
    from models.policy import Costs

    policy = Policy(costs=Costs(travel_minute=1_000, wish_step=10_000, no_wish_met=100_000,
                                period_step=10_000, duo_partner=100_000))
    # Two students share one duo place; the second names another wish first (wish_step once), the third
    # student names only a vacancy that is full (no_wish_met).
    inst = instance([student("s1", preferences=("v1",)), student("s2", preferences=("elsewhere", "v1")),
                     student("s3", preferences=("elsewhere",))],
                    [vacancy("v1", places=1, duo=True), vacancy("elsewhere", places=1, pc4="3581")])
    result = solve(inst, policy)
    placed = result.placements.set_index("student_id")
    travel = 1_000 * int(placed["travel_min"].sum())
    wishes = {s.student_id: s.preferences for s in inst.students}
    wish = sum(10_000 * wishes[s].index(v) if v in wishes[s] else 100_000 for s, v in placed["vacancy_id"].items())
    duo = 100_000 * ((placed["duo"] == "true").sum() // 2)
    expected = travel + wish + duo
    assert duo > 0 and wish > 0  # every large cost is in the optimum
    assert result.n_placed == 3
    proof = result.summary["proof"]
    assert result.summary["objective"]["secondary_cost"] == proof["secondary_cost"] == expected
    assert proof["secondary_cost_bound"] == expected and proof["proven_optimal"]
