"""Exact decomposition of a placement network into independent parts.

Students, vacancies, supervisors and companies that share no arc and no
capacity cannot affect each other: the connected components of the network
(without the shared sink, hubs and source) are separate problems, and the
optimum of the whole is the sum of the components' optima — the max flows
``r(P)`` and ``r(E)`` add up, and so do the min costs. Each component gets
its own small network with the shared nodes copied into it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from matcher.network import FlowNetwork

SHARED_NODES = 4  # sink, hub_priority, hub_regular, source: the last nodes of every network


@dataclass(frozen=True, eq=False)
class Part:
    """One component as a standalone network (local node numbers).

    ``arcs`` are the component's arc indices in the full network (source arcs
    excluded; every part gets its own two, appended last).
    """

    arcs: np.ndarray
    tails: np.ndarray
    heads: np.ndarray
    capacities: np.ndarray
    costs: np.ndarray
    n_nodes: int

    @property
    def n_arcs(self) -> int:
        """Arcs of the part, its two source arcs included."""
        return len(self.tails)


def split(network: FlowNetwork, whole: bool = False) -> list[Part]:
    """Split ``network`` into its connected components, largest first.

    Parameters
    ----------
    network
        The full network.
    whole
        Return the whole network as one part (for comparison and tests).

    Returns
    -------
    list[Part]
        Components ordered by number of arcs, descending (ties by first arc).
    """
    n_inner = network.n_nodes - SHARED_NODES
    tails, heads = network.tails.astype(np.int64), network.heads.astype(np.int64)
    n_source_arcs = 2
    body = slice(0, network.n_arcs - n_source_arcs)
    t, h = tails[body], heads[body]

    if whole:
        label = np.zeros(n_inner, dtype=np.int64)
    else:
        inner = (t < n_inner) & (h < n_inner)
        graph = coo_matrix(
            (np.ones(int(inner.sum()), dtype=np.int8), (t[inner], h[inner])), shape=(n_inner, n_inner)
        )
        _, label = connected_components(graph, directed=False)
        label = label.astype(np.int64)

    # Entry arcs start at a hub: they belong to their student's component.
    arc_label = np.where(t < n_inner, label[np.minimum(t, n_inner - 1)], label[np.minimum(h, n_inner - 1)])
    order = np.argsort(arc_label, kind="stable")
    bounds = np.searchsorted(arc_label[order], np.arange(label.max(initial=-1) + 2))
    # Local node number: rank within the component, in global order.
    node_order = np.argsort(label, kind="stable")
    node_bounds = np.searchsorted(label[node_order], np.arange(label.max(initial=-1) + 2))
    local = np.empty(n_inner, dtype=np.int64)
    local[node_order] = np.arange(n_inner) - np.repeat(node_bounds[:-1], np.diff(node_bounds))

    parts = []
    for c in range(len(bounds) - 1):
        arcs = order[bounds[c]: bounds[c + 1]]
        if len(arcs) == 0:
            continue
        k = int(node_bounds[c + 1] - node_bounds[c])

        def renumber(nodes: np.ndarray) -> np.ndarray:
            return np.where(nodes < n_inner, local[np.minimum(nodes, n_inner - 1)], nodes - n_inner + k)

        parts.append(Part(
            arcs=arcs,
            tails=np.r_[renumber(t[arcs]), k + 3, k + 3].astype(np.int32),
            heads=np.r_[renumber(h[arcs]), k + 1, k + 2].astype(np.int32),
            capacities=np.r_[network.capacities[arcs], network.capacities[-2:]],
            costs=np.r_[network.costs[arcs], 0, 0],
            n_nodes=k + SHARED_NODES,
        ))
    parts.sort(key=lambda p: (-p.n_arcs, int(p.arcs[0])))
    return parts
