"""The certificates prove optimal flows and refute suboptimal ones."""

import numpy as np
from ortools.graph.python import min_cost_flow

from matcher.engine.candidates import generate_candidates
from matcher.engine.certificate import max_flow_certificate, min_cost_certificate
from matcher.engine.decompose import split
from matcher.engine.flow import solve_part
from matcher.engine.network import build_network
from matcher.engine.problem import build_problem
from models import Policy
from tests.support.random_instances import random_instance

# Two units from node 0 to node 3: path 0-1-3 costs 1 per unit (capacity 1),
# path 0-2-3 costs 5 per unit (capacity 2).
TAILS = np.array([0, 1, 0, 2])
HEADS = np.array([1, 3, 2, 3])
CAPS = np.array([1, 1, 2, 2])
COSTS = np.array([1, 0, 5, 0])
SUPPLIES = np.array([2, 0, 0, -2])


def test_cheapest_flow_is_proven():
    cert = min_cost_certificate(TAILS, HEADS, CAPS, COSTS, SUPPLIES, np.array([1, 1, 1, 1]))
    assert cert.proven and cert.bound == cert.primal == 6


def test_flow_on_the_expensive_path_is_refuted():
    cert = min_cost_certificate(TAILS, HEADS, CAPS, COSTS, SUPPLIES, np.array([0, 0, 2, 2]))
    assert not cert.proven and cert.primal == 10


def test_cut_of_equal_capacity_proves_a_max_flow():
    # Max flow 0 -> 3 is 3 (1 + 2); the cut {0} has capacity 3.
    assert max_flow_certificate(TAILS, HEADS, CAPS, np.array([0]), 3, 0, 3).proven


def test_smaller_flow_or_bad_cut_is_not_proven():
    assert not max_flow_certificate(TAILS, HEADS, CAPS, np.array([0]), 2, 0, 3).proven
    assert not max_flow_certificate(TAILS, HEADS, CAPS, np.array([0, 3]), 3, 0, 3).proven


def test_certificate_agrees_with_the_solver_on_real_parts():
    """For each part: the solver's flow is proven; with every used arc made dearer,
    the same flow is proven iff it is still optimal (checked by re-solving)."""
    refuted = 0
    for seed in range(10):
        policy = Policy()
        problem = build_problem(random_instance(seed, n_students=30, n_vacancies=15), policy)
        network = build_network(problem, generate_candidates(problem, policy), 30, problem.s_priority)
        for part in split(network):
            solution = solve_part(part, unweighted=True, certify=True)
            assert solution.proven
            supplies = np.zeros(part.n_nodes, dtype=np.int64)
            supplies[part.hub_priority], supplies[part.hub_regular] = solution.flows[-2], solution.flows[-1]
            supplies[part.sink] = -int(solution.flows[-2:].sum())
            flows = solution.flows.copy()
            flows[-2:] = 0  # the hubs supply directly in this flow problem
            dearer = part.costs + np.where((flows > 0) & (part.costs > 0), 1000, 0)
            cert = min_cost_certificate(part.tails, part.heads, part.capacities, dearer, supplies, flows)

            solver = min_cost_flow.SimpleMinCostFlow()
            solver.add_arcs_with_capacity_and_unit_cost(part.tails, part.heads, part.capacities, dearer)
            solver.set_nodes_supplies(np.arange(part.n_nodes, dtype=np.int32), supplies)
            assert solver.solve() == solver.OPTIMAL
            assert cert.proven == (solver.optimal_cost() == cert.primal)
            refuted += not cert.proven
    assert refuted > 0
