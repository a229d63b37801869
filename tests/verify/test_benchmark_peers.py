"""The benchmark's peers solve the same model as stagematch (benchmarks/peers.py).

On small instances: the HiGHS LP fed through the adapter and networkx's
network simplex reach stagematch's optimum; OR-Tools on the undecomposed graph
too; the greedy first-come-first-served pass respects every capacity and never
places more students, or a higher weight, than the optimum.
"""

from __future__ import annotations

import numpy as np
import pytest

from benchmarks import peers
from matcher.engine.candidates import generate_candidates
from matcher.engine.flow import solve_part
from matcher.engine.problem import UNLIMITED, build_problem
from matcher.engine.solve import solve
from matcher.generator.synth import generate_instance
from models import Policy
from tests.support.random_instances import random_instance

POLICY = Policy()
RANDOM_SEEDS = range(12)


def _prepared(instance, policy=POLICY):
    problem = build_problem(instance, policy)
    return problem, generate_candidates(problem, policy)


@pytest.fixture(scope="module")
def region_instance():
    return generate_instance(region="AM13", students=300, seed=3)


@pytest.mark.parametrize("seed", RANDOM_SEEDS)
def test_lp_adapter_reaches_the_engine_optimum_on_random_instances(seed):
    instance = random_instance(seed, n_students=18, n_vacancies=9)
    problem, candidates = _prepared(instance)
    result = solve(instance, POLICY)
    lp = peers.highs_lp(problem, candidates, POLICY)
    assert lp["status"] == "optimal"
    assert (lp["weighted_placed"], lp["secondary_cost"]) == (result.weighted_placed, result.secondary_cost)


def test_lp_adapter_reaches_the_engine_optimum_on_a_generated_region(region_instance):
    problem, candidates = _prepared(region_instance)
    result = solve(region_instance, POLICY)
    lp = peers.highs_lp(problem, candidates, POLICY)
    assert (lp["weighted_placed"], lp["secondary_cost"]) == (result.weighted_placed, result.secondary_cost)


def test_lp_adapter_groups_only_finite_capacities():
    instance = random_instance(5, n_students=18, n_vacancies=9)
    problem, candidates = _prepared(instance)
    arrays = peers.lp_arrays(problem, candidates, POLICY)
    n_periods = problem.n_periods
    vp_keys = np.unique(candidates.vacancy.astype(np.int64) * n_periods + candidates.period)
    supervisor = problem.v_supervisor[vp_keys // n_periods]
    finite = (supervisor >= 0) & (problem.supervisor_capacity[np.maximum(supervisor, 0)] != UNLIMITED)
    assert np.array_equal(arrays["vp_supervisor_group"] >= 0, finite)
    # Vacancy-periods of one supervisor and period share a group, with its capacity.
    for group, capacity in enumerate(arrays["supervisor_group_capacity"]):
        members = np.flatnonzero(arrays["vp_supervisor_group"] == group)
        assert len(set(zip(supervisor[members], vp_keys[members] % n_periods))) == 1
        assert capacity == problem.supervisor_capacity[supervisor[members[0]]]


@pytest.mark.parametrize("seed", RANDOM_SEEDS)
def test_network_simplex_gives_the_min_cost_of_the_engine_part(seed):
    instance = random_instance(seed, n_students=18, n_vacancies=9)
    problem, candidates = _prepared(instance)
    part = peers.whole_network_part(problem, candidates, POLICY)
    engine = solve_part(part, unweighted=False, certify=True)
    assert engine.proven
    simplex = peers.network_simplex_min_cost(
        part, engine.max_priority_placed, engine.max_placed - engine.max_priority_placed
    )
    assert simplex["cost"] == engine.secondary_cost


def test_networkx_and_single_graph_ortools_reach_stagematch_on_a_generated_region(region_instance):
    problem, candidates = _prepared(region_instance)
    result = solve(region_instance, POLICY)
    expected = (result.weighted_placed, result.secondary_cost)
    simplex = peers.networkx_simplex(problem, candidates, POLICY)
    single = peers.ortools_single_graph(problem, candidates, POLICY)
    assert (simplex["weighted_placed"], simplex["secondary_cost"]) == expected
    assert (single["weighted_placed"], single["secondary_cost"]) == expected
    assert single["placed"] == result.n_placed


def _assert_within_capacities(problem, candidates, chosen):
    s = candidates.student[chosen]
    v = candidates.vacancy[chosen].astype(np.int64)
    p = candidates.period[chosen].astype(np.int64)
    assert len(np.unique(s)) == len(s), "a student placed twice"
    n_p = problem.n_periods
    vp, per_vp = np.unique(v * n_p + p, return_counts=True)
    room = np.where(problem.v_duo[vp // n_p], 2, 1) * problem.v_places[vp // n_p]
    assert (per_vp <= room).all()
    guided = problem.s_guidance[s]
    gvp, per_gvp = np.unique((v * n_p + p)[guided], return_counts=True)
    assert (per_gvp <= problem.v_guidance_places[gvp // n_p]).all()
    sup = problem.v_supervisor[v].astype(np.int64)
    limited = sup >= 0
    limited[limited] = problem.supervisor_capacity[sup[limited]] != UNLIMITED
    keys, per_sup = np.unique(sup[limited] * n_p + p[limited], return_counts=True)
    assert (per_sup <= problem.supervisor_capacity[keys // n_p]).all()
    comp = problem.v_company[v].astype(np.int64)
    limited = problem.company_max_students[comp] != UNLIMITED
    keys, per_comp = np.unique(comp[limited] * n_p + p[limited], return_counts=True)
    assert (per_comp <= problem.company_max_students[keys // n_p]).all()


@pytest.mark.parametrize("seed", RANDOM_SEEDS)
def test_greedy_respects_capacities_and_never_beats_the_optimum(seed):
    instance = random_instance(seed, n_students=30, n_vacancies=8)
    problem, candidates = _prepared(instance)
    chosen = peers.greedy_assignment(problem, candidates)
    _assert_within_capacities(problem, candidates, chosen)
    result = solve(instance, POLICY)
    greedy = peers.greedy_first_come(problem, candidates, POLICY)
    assert greedy["placed"] == len(chosen) <= result.n_placed
    assert greedy["weighted_placed"] <= result.weighted_placed


def test_greedy_on_a_generated_region_places_fewer_and_takes_the_nearest_free_place(region_instance):
    problem, candidates = _prepared(region_instance)
    chosen = peers.greedy_assignment(problem, candidates)
    _assert_within_capacities(problem, candidates, chosen)
    result = solve(region_instance, POLICY)
    assert 0 < len(chosen) <= result.n_placed
    # The first student in line has every place free: it gets its nearest candidate.
    first = int(peers.first_come_order(problem)[0])
    own = np.flatnonzero(candidates.student == first)
    if len(own):
        taken = chosen[candidates.student[chosen] == first]
        assert candidates.travel_min[taken[0]] == candidates.travel_min[own].min()
