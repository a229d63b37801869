"""An optimality certificate for a min-cost flow, independent of the solver.

Node potentials ``d`` are shortest-path distances in the residual graph of the
flow (from a virtual source joined to every node at cost 0). They exist iff
the residual graph has no negative cycle, i.e. iff the flow is optimal. They
give an LP dual solution whose value

    bound = −Σ_i b_i d_i + Σ_arcs u_ij · min(0, c_ij + d_i − d_j)

is a lower bound on the cost of every feasible flow (weak duality). When the
bound equals the flow's cost, the flow is proven optimal.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from matcher.network import FlowNetwork


@dataclass(frozen=True)
class Certificate:
    """The outcome of :func:`certify`: dual bound, primal cost, and whether they meet."""

    primal: int
    dual_bound: int | None
    iterations: int
    proven_optimal: bool
    reason: str = ""


def _gather(indptr: np.ndarray, nodes: np.ndarray) -> np.ndarray:
    """Indices of all arcs leaving ``nodes`` in a tail-sorted arc list."""
    starts, ends = indptr[nodes], indptr[nodes + 1]
    lengths = ends - starts
    total = int(lengths.sum())
    if total == 0:
        return np.empty(0, dtype=np.int64)
    offsets = np.repeat(starts - np.cumsum(lengths) + lengths, lengths)
    return offsets + np.arange(total)


def certify(network: FlowNetwork, flows: np.ndarray, max_passes: int | None = None) -> Certificate:
    """Prove (or refute) optimality of ``flows`` by a dual bound.

    Parameters
    ----------
    network
        The network that was solved.
    flows
        Flow per arc.
    max_passes
        Stop after this many label-correcting passes (default: number of nodes,
        enough for any graph without negative cycles).

    Returns
    -------
    Certificate
        ``proven_optimal`` is true when the dual bound equals the primal cost.
    """
    primal = int(np.dot(flows, network.costs))
    n = network.n_nodes
    forward = flows < network.capacities
    backward = flows > 0
    tails = np.concatenate([network.tails[forward], network.heads[backward]]).astype(np.int64)
    heads = np.concatenate([network.heads[forward], network.tails[backward]]).astype(np.int64)
    costs = np.concatenate([network.costs[forward], -network.costs[backward]])
    order = np.argsort(tails, kind="stable")
    tails, heads, costs = tails[order], heads[order], costs[order]
    indptr = np.searchsorted(tails, np.arange(n + 1))

    distance = np.zeros(n, dtype=np.int64)
    frontier = np.arange(n)
    limit = n + 1 if max_passes is None else max_passes
    passes = 0
    while len(frontier) and passes < limit:
        passes += 1
        arcs = _gather(indptr, frontier)
        reach = distance[tails[arcs]] + costs[arcs]
        better = reach < distance[heads[arcs]]
        if not better.any():
            frontier = np.empty(0, dtype=np.int64)
            break
        arcs, reach = arcs[better], reach[better]
        np.minimum.at(distance, heads[arcs], reach)
        frontier = np.unique(heads[arcs])
    if len(frontier):
        reason = "negative cycle in the residual graph" if max_passes is None else "pass limit reached"
        return Certificate(primal, None, passes, False, reason)

    reduced = network.costs + distance[network.tails] - distance[network.heads]
    bound = int(-np.dot(network.supplies, distance)) + int(
        np.dot(network.capacities, np.minimum(reduced, 0))
    )
    return Certificate(primal, bound, passes, bound == primal)
