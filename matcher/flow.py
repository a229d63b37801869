"""Solving a :class:`~matcher.network.FlowNetwork` with OR-Tools."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from ortools.graph.python import min_cost_flow

from matcher.errors import ModelError
from matcher.network import FlowNetwork

_STATUS_NAMES = {
    min_cost_flow.SimpleMinCostFlow.NOT_SOLVED: "not_solved",
    min_cost_flow.SimpleMinCostFlow.OPTIMAL: "optimal",
    min_cost_flow.SimpleMinCostFlow.FEASIBLE: "feasible",
    min_cost_flow.SimpleMinCostFlow.INFEASIBLE: "infeasible",
    min_cost_flow.SimpleMinCostFlow.UNBALANCED: "unbalanced",
    min_cost_flow.SimpleMinCostFlow.BAD_RESULT: "bad_result",
    min_cost_flow.SimpleMinCostFlow.BAD_COST_RANGE: "bad_cost_range",
    min_cost_flow.SimpleMinCostFlow.BAD_CAPACITY_RANGE: "bad_capacity_range",
}


@dataclass(frozen=True, eq=False)
class FlowSolution:
    """Optimal arc flows and the total cost recomputed exactly from them."""

    flows: np.ndarray
    total_cost: int
    status: str


def solve_flow(network: FlowNetwork) -> FlowSolution:
    """Solve the min-cost flow problem of ``network`` to optimality.

    Parameters
    ----------
    network
        The network; every student node has an unplaced arc, so a feasible
        flow always exists.

    Returns
    -------
    FlowSolution
        Flows per arc (in the network's arc order) and the exact total cost.

    Raises
    ------
    ModelError
        When OR-Tools does not report ``OPTIMAL``.
    """
    if network.n_arcs == 0:
        return FlowSolution(np.zeros(0, dtype=np.int64), 0, "optimal")
    solver = min_cost_flow.SimpleMinCostFlow()
    arcs = solver.add_arcs_with_capacity_and_unit_cost(
        network.tails, network.heads, network.capacities, network.costs
    )
    solver.set_nodes_supplies(np.arange(network.n_nodes, dtype=np.int32), network.supplies)
    status = solver.solve()
    if status != solver.OPTIMAL:
        raise ModelError(f"min-cost flow solver ended with status {_STATUS_NAMES.get(status, status)}")
    flows = solver.flows(arcs).astype(np.int64)
    # optimal_cost() saturates on overflow; the sum of flows × costs does not
    # (the network build bounds it well inside int64).
    total = int(np.dot(flows, network.costs))
    return FlowSolution(flows=flows, total_cost=total, status="optimal")
