"""Successive shortest paths, compiled: a min-cost flow restored from a flow that was optimal before.

:func:`matcher.explain.residual.reoptimised` fills the arcs whose capacity grew at a negative reduced cost
and then routes the surplus back, each unit by a shortest residual path (Dijkstra on reduced costs) from a
node with too much flow to the nearest with too little, and raises the potentials by the distances,
capped at that path's: the classical primal-dual method. A search stops at the first node with too little
flow it settles, so it costs the nodes nearer than that one, not the whole component, and the potentials
of the nodes it did not settle rise by the same amount, which is kept as one shift instead of a pass over
every node (measured nationally with scipy's Dijkstra over the whole component per path: 61 of advise's
117 s). Distances are int64: exact.
"""

from __future__ import annotations

import numpy as np

from matcher.engine.compiled import compiled
from matcher.engine.csr import first_of_each, sort_order

# What the kernel returns instead of a count of paths when the flow cannot be restored.
NEGATIVE_REDUCED_COST, NO_WAY_BACK = -1, -2


def successive_shortest_paths(tails: np.ndarray, heads: np.ndarray, capacities: np.ndarray, costs: np.ndarray,
                              flows: np.ndarray, potential: np.ndarray, excess: np.ndarray) -> int:
    """Route every node's ``excess`` (positive: too much flow in) back along shortest residual paths.

    Parameters
    ----------
    tails, heads, capacities, costs
        The arcs of a graph of ``len(excess)`` nodes.
    flows
        A flow whose residual arcs all have reduced costs of at least 0 under ``potential``, except for
        the imbalance ``excess``; changed in place into a flow without imbalance.
    potential
        Changed in place into potentials that prove the new flow optimal.
    excess
        Per node, flow in minus flow out (and supply); changed in place to 0 everywhere.

    Returns
    -------
    int
        The number of paths; :data:`NEGATIVE_REDUCED_COST` when a residual arc has a negative reduced cost,
        :data:`NO_WAY_BACK` when some surplus cannot reach a deficit.
    """
    n, m = len(excess), len(tails)
    # Every residual arc as an entry by tail: forward ones, then backward ones.
    entry_tail = np.r_[tails, heads].astype(np.int64)
    order, sorted_tails = sort_order(entry_tail)
    entry_head = np.r_[heads, tails].astype(np.int64)[order]
    entry_arc = np.r_[np.arange(m), np.arange(m)][order]
    entry_forward = order < m
    indptr = first_of_each(sorted_tails, n)
    return int(_paths(indptr, sorted_tails, entry_head, entry_arc, entry_forward, capacities.astype(np.int64),
                      costs.astype(np.int64), flows, potential, excess))


@compiled
def _push(keys, nodes, size, key, node):  # pragma: no cover (compiled)
    if size == len(keys):
        grown_keys, grown_nodes = np.empty(2 * size, dtype=np.int64), np.empty(2 * size, dtype=np.int64)
        grown_keys[:size] = keys
        grown_nodes[:size] = nodes
        keys, nodes = grown_keys, grown_nodes
    i = size
    while i > 0:
        parent = (i - 1) // 2
        if keys[parent] < key or (keys[parent] == key and nodes[parent] <= node):
            break
        keys[i], nodes[i] = keys[parent], nodes[parent]
        i = parent
    keys[i], nodes[i] = key, node
    return keys, nodes, size + 1


@compiled
def _pop(keys, nodes, size):  # pragma: no cover (compiled)
    top_key, top_node = keys[0], nodes[0]
    size -= 1
    key, node = keys[size], nodes[size]
    i = 0
    while True:
        child = 2 * i + 1
        if child >= size:
            break
        if child + 1 < size and (keys[child + 1] < keys[child] or
                                 (keys[child + 1] == keys[child] and nodes[child + 1] < nodes[child])):
            child += 1
        if key < keys[child] or (key == keys[child] and node <= nodes[child]):
            break
        keys[i], nodes[i] = keys[child], nodes[child]
        i = child
    if size > 0:
        keys[i], nodes[i] = key, node
    return top_key, top_node, size


@compiled
def _paths(indptr, entry_tail, entry_head, entry_arc, entry_forward, capacities, costs, flows, potential,
           excess):  # pragma: no cover (compiled; tested through successive_shortest_paths)
    n = len(excess)
    distance = np.zeros(n, dtype=np.int64)
    labelled = np.zeros(n, dtype=np.int64)  # the search that last labelled the node
    settled = np.zeros(n, dtype=np.int64)
    before = np.full(n, -1, dtype=np.int64)  # the entry into the node on its shortest path
    order = np.empty(n, dtype=np.int64)  # the nodes a search settled, in order
    keys = np.empty(1024, dtype=np.int64)
    nodes = np.empty(1024, dtype=np.int64)
    shift = 0
    paths = 0
    remaining = 0
    for v in range(n):
        if excess[v] > 0:
            remaining += excess[v]
    search = 0
    while remaining > 0:
        search += 1
        size = 0
        for v in range(n):
            if excess[v] > 0:
                labelled[v] = search
                distance[v] = 0
                before[v] = -1
                keys, nodes, size = _push(keys, nodes, size, 0, v)
        target = -1
        n_settled = 0
        while size > 0:
            d, u, size = _pop(keys, nodes, size)
            if settled[u] == search or d > distance[u]:
                continue
            settled[u] = search
            order[n_settled] = u
            n_settled += 1
            if excess[u] < 0:
                target = u
                break
            for k in range(indptr[u], indptr[u + 1]):
                a, v = entry_arc[k], entry_head[k]
                if entry_forward[k]:
                    room = capacities[a] - flows[a]
                    weight = costs[a] + potential[u] - potential[v]
                else:
                    room = flows[a]
                    weight = potential[u] - potential[v] - costs[a]
                if room <= 0 or settled[v] == search:
                    continue
                if weight < 0:
                    return NEGATIVE_REDUCED_COST
                if labelled[v] != search or d + weight < distance[v]:
                    labelled[v] = search
                    distance[v] = d + weight
                    before[v] = k
                    keys, nodes, size = _push(keys, nodes, size, d + weight, v)
        if target < 0:
            return NO_WAY_BACK
        reach = distance[target]
        # The path's units: the least room on it, the source's surplus and the target's deficit.
        units = -excess[target]
        node = target
        while before[node] >= 0:
            k = before[node]
            a = entry_arc[k]
            units = min(units, capacities[a] - flows[a] if entry_forward[k] else flows[a])
            node = entry_tail[k]
        units = min(units, excess[node])
        source = node
        node = target
        while before[node] >= 0:
            k = before[node]
            a = entry_arc[k]
            flows[a] += units if entry_forward[k] else -units
            node = entry_tail[k]
        excess[source] -= units
        excess[target] += units
        remaining -= units
        paths += 1
        # Potentials up by min(distance, reach): every node by reach (the shift), the settled ones back
        # by what they were nearer.
        shift += reach
        for i in range(n_settled):
            potential[order[i]] += distance[order[i]] - reach
    for v in range(n):
        potential[v] += shift
    return paths
