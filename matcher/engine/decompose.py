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

from matcher.engine.network import SHARED_NODES, FlowNetwork, SharedNodes, shared_nodes


@dataclass(frozen=True, eq=False)
class Part(SharedNodes):
    """One component as a standalone network (local node numbers).

    Its inner nodes keep the order they have in the full network, and the
    shared nodes (:data:`matcher.engine.network.SHARED_NODES`: ``sink``,
    ``hub_priority``, ``hub_regular``, ``source``, by name) come last, as there.
    ``arcs`` are the component's arc indices in the full network (source arcs
    excluded; every part gets its own two, appended last), ascending: its first
    ``n_candidate_arcs`` arcs are candidate arcs, sorted by student as there.
    """

    arcs: np.ndarray
    tails: np.ndarray
    heads: np.ndarray
    capacities: np.ndarray
    costs: np.ndarray
    n_nodes: int
    n_candidate_arcs: int

    @property
    def n_arcs(self) -> int:
        """Arcs of the part, its two source arcs included."""
        return len(self.tails)

    @property
    def body(self) -> slice:
        """The part's arcs that are arcs of the full network (``arcs``): all but its two source arcs."""
        return slice(0, len(self.arcs))


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
    n_inner = network.n_inner
    source_arcs = network.arc_ranges()["source"]
    # Node arrays stay int32 (as the network's) and the big temporaries are dropped as soon as they are
    # used: at national scale each int64 copy of an arc array is over 100 MB.
    t, h = network.tails[: source_arcs.start], network.heads[: source_arcs.start]

    if whole:
        label = np.zeros(n_inner, dtype=np.int64)
    else:
        inner = (t < n_inner) & (h < n_inner)
        graph = coo_matrix(
            (np.ones(int(inner.sum()), dtype=np.int8), (t[inner], h[inner])), shape=(n_inner, n_inner)
        )
        del inner
        _, label = connected_components(graph, directed=False)
        del graph
        label = label.astype(np.int64)

    # Small unsigned labels let the stable sort below run as a radix sort.
    label = label.astype(np.uint16 if label.max(initial=0) < 1 << 16 else np.int64)
    # Entry arcs start at a hub: they belong to their student's component.
    arc_label = label[np.minimum(np.where(t < n_inner, t, h), n_inner - 1)]
    order = np.argsort(arc_label, kind="stable")
    n_labels = int(label.max(initial=0)) + 1 if n_inner else 0
    arc_label = arc_label[order]
    bounds = np.searchsorted(arc_label, np.arange(n_labels + 1))
    # Local node number: rank within the component, in global order.
    node_order = np.argsort(label, kind="stable")
    node_bounds = np.searchsorted(label[node_order], np.arange(n_labels + 1))
    local = np.empty(n_inner, dtype=np.int32)
    local[node_order] = np.arange(n_inner) - np.repeat(node_bounds[:-1], np.diff(node_bounds))

    # Renumber every arc once: inner nodes by their rank in the component, the
    # shared nodes after them in their order (k + 0..3 for a component of k inner nodes).
    size = np.diff(node_bounds)
    k = size.astype(np.int32)[arc_label]
    del arc_label
    t, h = t[order], h[order]
    t = np.where(t < n_inner, local[np.minimum(t, n_inner - 1)], t - n_inner + k)
    h = np.where(h < n_inner, local[np.minimum(h, n_inner - 1)], h - n_inner + k)
    del k
    source_caps = network.capacities[source_arcs]

    parts = []
    for c in range(len(bounds) - 1):
        lo, hi = int(bounds[c]), int(bounds[c + 1])
        if lo == hi:
            continue
        n = int(size[c])
        shared = shared_nodes(n)
        arcs = order[lo:hi]
        parts.append(Part(
            arcs=arcs,
            tails=np.r_[t[lo:hi], shared["source"], shared["source"]].astype(np.int32),
            heads=np.r_[h[lo:hi], shared["hub_priority"], shared["hub_regular"]].astype(np.int32),
            capacities=np.r_[network.capacities[arcs], source_caps],
            costs=np.r_[network.costs[arcs], 0, 0],
            n_nodes=n + len(SHARED_NODES),
            n_candidate_arcs=int(np.searchsorted(arcs, network.n_candidate_arcs)),
        ))
    parts.sort(key=lambda p: (-p.n_arcs, int(p.arcs[0])))
    return parts
