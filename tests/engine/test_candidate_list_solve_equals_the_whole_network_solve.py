"""Solving on a candidate list (the cheapest few arcs per student, grown by max-flow cuts and by
pricing with the potentials) gives the optimum of the whole network: the same objective parts
and the same certified bounds as solving on every arc, on generated instances of every size
class and on random small ones. Lists of one or two arcs per student, priced in every part
(also where few students can be placed), force many rounds of pricing and the fall-back to every arc."""

import numpy as np
import pytest

from matcher.engine import flow
from matcher.engine.candidates import generate_candidates
from matcher.engine.decompose import split
from matcher.engine.flow import CANDIDATE_LIST, candidate_list, solve_part
from matcher.engine.network import build_network
from matcher.engine.problem import build_problem, priority_class
from matcher.generator.synth import generate_instance
from matcher.io import read_instance
from models import Policy
from tests.support.paths import DEMO
from tests.support.random_instances import random_instance

FIGURES = ("max_placed", "max_priority_placed", "secondary_cost", "placed_bound", "priority_bound",
           "cost_bound", "unweighted_priority_placed", "unweighted_secondary_cost")


def _parts(instance, policy):
    problem = build_problem(instance, policy)
    candidates = generate_candidates(problem, policy)
    network = build_network(problem, candidates, policy.costs.duo_partner, priority_class(problem, policy))
    return split(network)


def _assert_same_optimum(instance, policy, per_student_values):
    for part in _parts(instance, policy):
        whole = solve_part(part, unweighted=policy.compare_unweighted, certify=True, per_student=None)
        assert whole.proven
        for per_student in per_student_values:
            listed = solve_part(part, unweighted=policy.compare_unweighted, certify=True, per_student=per_student)
            assert listed.proven
            assert [getattr(listed, f) for f in FIGURES if f != "unweighted_priority_placed"] == [
                getattr(whole, f) for f in FIGURES if f != "unweighted_priority_placed"]
            # The flow is feasible on every arc and costs what it says.
            flows = listed.flows
            assert ((flows >= 0) & (flows <= part.capacities)).all()
            assert int(flows @ part.costs) == listed.secondary_cost


@pytest.mark.parametrize("seed", range(12))
def test_random_instances_same_optimum_on_a_candidate_list(seed, monkeypatch):
    monkeypatch.setattr(flow, "PRICED_PLACED_SHARE", 0.0)
    instance = random_instance(seed, n_students=40, n_vacancies=20)
    _assert_same_optimum(instance, Policy(compare_unweighted=True), (1, 2, CANDIDATE_LIST))


@pytest.mark.parametrize("region, students, seed", [("AM13", 5_000, 1), ("AM02", 2_000, 2)])
def test_generated_region_same_optimum_on_a_candidate_list(region, students, seed, monkeypatch):
    monkeypatch.setattr(flow, "PRICED_PLACED_SHARE", 0.0)
    instance = generate_instance(region=region, students=students, seed=seed)
    _assert_same_optimum(instance, Policy(compare_unweighted=True), (1, 4, CANDIDATE_LIST))


def test_national_preset_same_optimum_on_a_candidate_list():
    instance = generate_instance(preset="national", students=8_000, seed=1)
    _assert_same_optimum(instance, Policy(), (2, CANDIDATE_LIST))


def test_demo_same_optimum_on_a_candidate_list():
    _assert_same_optimum(read_instance(DEMO), Policy(compare_unweighted=True), (CANDIDATE_LIST,))


def test_candidate_list_keeps_the_cheapest_arcs_of_each_student_and_every_other_arc():
    part = max(_parts(generate_instance(region="AM13", students=1_500, seed=3), Policy()), key=lambda p: p.n_arcs)
    listed = candidate_list(part, 3)
    n = part.n_candidate_arcs
    assert listed[n:].all()
    tails, costs = part.tails[:n], part.costs[:n]
    for student in np.unique(tails):
        arcs = np.flatnonzero(tails == student)
        kept = arcs[listed[arcs]]
        assert len(kept) == min(3, len(arcs))
        left_out = np.setdiff1d(arcs, kept)
        if len(left_out):
            assert costs[kept].max() <= costs[left_out].min()
