"""The dual-bound certificate proves optimal flows and refutes suboptimal ones."""

import numpy as np
import pytest

from matcher.candidates import generate_candidates
from matcher.certificate import certify
from matcher.flow import solve_flow
from matcher.network import build_network
from matcher.problem import build_problem
from models import Policy
from random_instances import random_instance


def _solved(seed):
    policy = Policy()
    problem = build_problem(random_instance(seed, n_students=30, n_vacancies=15), policy)
    candidates = generate_candidates(problem, policy)
    network = build_network(problem, candidates, policy.costs.duo_partner, problem.s_weight)
    return network, solve_flow(network).flows


@pytest.mark.parametrize("seed", range(10))
def test_optimal_flow_is_proven(seed):
    network, flows = _solved(seed)
    cert = certify(network, flows)
    assert cert.proven_optimal and cert.dual_bound == cert.primal


@pytest.mark.parametrize("seed", range(10))
def test_unplacing_a_placed_student_is_refuted(seed):
    network, flows = _solved(seed)
    placed_arcs = np.flatnonzero(flows[: network.n_candidate_arcs] > 0)
    if len(placed_arcs) == 0:
        pytest.skip("nobody placed in this instance")
    # Send the first placed student to the unplaced arc instead: still a
    # feasible flow, but a worse one (upstream arcs carry one unit less).
    arc = placed_arcs[0]
    student_node = network.tails[arc]
    worse = flows.copy()
    worse[arc] = 0
    worse[network.unplaced_arcs.start + student_node] = 1
    node = network.heads[arc]
    while node != network.n_nodes - 1:  # walk the used path to the sink
        out = np.flatnonzero((network.tails == node) & (worse > 0))
        worse[out[0]] -= 1
        node = network.heads[out[0]]
    cert = certify(network, worse)
    assert not cert.proven_optimal
