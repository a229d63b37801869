"""Unit augmenting paths on a residual graph, compiled: a max flow from one node to a few targets.

The explanations ask the same question tens of thousands of times on one national residual graph: how many
of these few nodes can take one more unit from the root at once (a recruited company's rivals, for the
remedies). Each answer touches only the neighbourhood of the targets, so a max flow over the whole graph per
question would be wasted, and a search written with numpy pays its per-call overhead at every level of
every search (measured nationally: 10 ms a question, of which OR-Tools' own work was a tenth). Here the
searches are loops compiled by numba over the graph's arcs sorted by head.

Dinic's algorithm, run from the targets' side: a breadth-first search *backwards* from the targets still
free labels each node with its distance to them and stops at the root's level; augmenting paths then go
from the root down those levels (a depth-first search with a current arc per node) until none is left, and
the next search finds longer ones. Most rivals hang two or four arcs below the root, so few searches place
them all. The flow is kept on the arcs it changed only, and undone after the call, so a call costs the
nodes its searches meet; the last search, which fails, meets only the nodes the flow cuts off from the
root. The value of a max flow is unique, so the answer does not depend on the order of the arcs.
"""

from __future__ import annotations

import numpy as np

from matcher.engine.compiled import compiled
from matcher.engine.csr import distinct, first_of_each, sort_order


class UnitFlows:
    """Max flows of units from ``root`` into a few targets of one residual graph, many times over.

    Parameters
    ----------
    tails, heads, room
        The graph's arcs and their residual capacities (never changed).
    n_nodes
        Its nodes.
    root
        Where every unit starts.
    n_inner
        Nodes from ``n_inner`` on are shared (hubs, sink, source): a search takes an arc into a shared node
        only from a shared node, so that no path closes a cycle through a hub the root reaches directly.

    The work arrays are allocated once, zeroed: the operating system maps zeroed pages lazily, so a process
    pays memory only for the part of the graph its questions touch. Every call leaves them as it found them
    (the visit stamps only grow).
    """

    def __init__(self, tails: np.ndarray, heads: np.ndarray, room: np.ndarray, n_nodes: int, root: int,
                 n_inner: int) -> None:
        self.tails, self.heads, self.room = tails, heads, room
        self.root, self.n_inner = int(root), int(n_inner)
        self.by_head, sorted_heads = sort_order(heads)
        self.first_in = first_of_each(sorted_heads, n_nodes)
        from_root = np.flatnonzero(tails == root)
        self.root_arcs = from_root[np.argsort(heads[from_root], kind="stable")]
        self.root_first = first_of_each(heads[self.root_arcs], n_nodes)
        n_arcs = len(tails)
        # Per arc: its flow, and the arcs the flow uses out of each node as linked lists.
        self.flow = np.zeros(n_arcs, dtype=np.int32)
        self.listed = np.zeros(n_arcs, dtype=np.bool_)
        self.next_listed = np.zeros(n_arcs, dtype=np.int64)
        self.touched = np.zeros(n_arcs, dtype=np.int64)
        # Per node: the head of its list, the search's stamp and level, the level graph's arcs out of it.
        self.list_head = np.full(n_nodes, -1, dtype=np.int64)
        self.stamp = np.zeros(n_nodes, dtype=np.int64)
        self.clock = np.zeros(1, dtype=np.int64)
        self.level = np.zeros(n_nodes, dtype=np.int64)
        self.free = np.zeros(n_nodes, dtype=np.bool_)
        self.queue = np.zeros(n_nodes, dtype=np.int64)
        self.level_head = np.zeros(n_nodes, dtype=np.int64)
        self.current = np.zeros(n_nodes, dtype=np.int64)
        self.path_nodes = np.zeros(n_nodes + 1, dtype=np.int64)
        self.path_edges = np.zeros(n_nodes + 1, dtype=np.int64)
        # Per arc of the level graph (a residual arc: an arc along or against its direction).
        self.edge_arc = np.zeros(2 * n_arcs, dtype=np.int64)
        self.edge_along = np.zeros(2 * n_arcs, dtype=np.bool_)
        self.edge_next = np.zeros(2 * n_arcs, dtype=np.int64)

    def max_flow(self, targets: np.ndarray, avoid: int) -> int:
        """The max flow from the root to ``targets`` (one unit into each), without node ``avoid``.

        Parameters
        ----------
        targets
            Distinct nodes, none of them the root or ``avoid``.
        avoid
            A node no unit may pass (-1: none).

        Returns
        -------
        int
            How many targets take a unit at once.
        """
        targets = np.asarray(targets, dtype=np.int64)
        if ((targets == self.root) | (targets == avoid)).any() or len(distinct(targets)) < len(targets):
            raise ValueError("targets must be distinct and neither the root nor the avoided node")
        return int(_max_unit_flow(
            self.first_in, self.by_head, self.root_first, self.root_arcs, self.tails, self.heads, self.room,
            self.root, targets, int(avoid), self.n_inner, self.flow, self.listed, self.next_listed, self.touched,
            self.list_head, self.stamp, self.clock, self.level, self.free, self.queue, self.level_head,
            self.current, self.path_nodes, self.path_edges, self.edge_arc, self.edge_along, self.edge_next))


@compiled
def _max_unit_flow(first_in, by_head, root_first, root_arcs, tails, heads, room, root, targets, avoid, n_inner,
                   flow, listed, next_listed, touched, list_head, stamp, clock, level, free, queue,
                   level_head, current, path_nodes, path_edges, edge_arc, edge_along,
                   edge_next):  # pragma: no cover (compiled; its tests call it through max_unit_flow)
    n_touched = 0
    for t in targets:
        free[t] = True
    value = 0
    while True:
        # The levels: distances to the free targets, backwards, up to the root's.
        clock[0] += 1
        now = clock[0]
        size = 0
        for t in targets:
            if free[t]:
                stamp[t] = now
                level[t] = 0
                level_head[t] = -1
                queue[size] = t
                size += 1
        if avoid >= 0:
            stamp[avoid] = now
            level[avoid] = -1
        n_edges = 0
        root_level = -1
        level_start, level_end = 0, size
        while level_start < level_end and root_level < 0:
            up = level[queue[level_start]] + 1
            # Is the root one arc above this level? Then only its arcs matter: every other node a level up
            # is as far from the targets as the root, and no shortest path from the root passes it.
            for i in range(level_start, level_end):
                x = queue[i]
                for k in range(root_first[x], root_first[x + 1]):
                    a = root_arcs[k]
                    if room[a] - flow[a] > 0:
                        if root_level < 0:
                            root_level = up
                            stamp[root] = now
                            level[root] = up
                            level_head[root] = -1
                        edge_arc[n_edges] = a
                        edge_along[n_edges] = True
                        edge_next[n_edges] = level_head[root]
                        level_head[root] = n_edges
                        n_edges += 1
            if root_level >= 0:
                break
            for i in range(level_start, level_end):
                x = queue[i]
                # Residual arcs into x: arcs with room the flow leaves, then the arcs the flow uses out of
                # x, against their direction. (The root's arcs are looked at above.)
                k = first_in[x]
                carried = list_head[x]
                while True:
                    if k < first_in[x + 1]:
                        a = by_head[k]
                        k += 1
                        t = tails[a]
                        along = True
                        if t == root or (x >= n_inner and t < n_inner) or room[a] - flow[a] <= 0:
                            continue
                    elif carried >= 0:
                        a = carried
                        carried = next_listed[a]
                        t = heads[a]
                        along = False
                        if t == root or flow[a] <= 0 or not (x < n_inner or t >= n_inner):
                            continue
                    else:
                        break
                    if stamp[t] != now:
                        stamp[t] = now
                        level[t] = up
                        level_head[t] = -1
                        queue[size] = t
                        size += 1
                    if level[t] == up:
                        edge_arc[n_edges] = a
                        edge_along[n_edges] = along
                        edge_next[n_edges] = level_head[t]
                        level_head[t] = n_edges
                        n_edges += 1
            level_start, level_end = level_end, size
        if root_level < 0:
            break
        for i in range(size):
            current[queue[i]] = level_head[queue[i]]
        current[root] = level_head[root]
        # Augmenting paths from the root down the levels, each into a free target.
        depth = 0
        path_nodes[0] = root
        while True:
            u = path_nodes[depth]
            if level[u] == 0:
                if free[u]:
                    for i in range(depth):
                        a = edge_arc[path_edges[i]]
                        if edge_along[path_edges[i]]:
                            flow[a] += 1
                            if not listed[a]:
                                listed[a] = True
                                next_listed[a] = list_head[tails[a]]
                                list_head[tails[a]] = a
                                touched[n_touched] = a
                                n_touched += 1
                        else:
                            flow[a] -= 1
                    free[u] = False
                    value += 1
                    depth = 0
                    continue
                e = -1  # a target already taken: a dead end
            else:
                e = current[u]
                while e >= 0:
                    a = edge_arc[e]
                    if (room[a] - flow[a] > 0) if edge_along[e] else (flow[a] > 0):
                        break
                    e = edge_next[e]
                current[u] = e
            if e >= 0:
                a = edge_arc[e]
                path_edges[depth] = e
                depth += 1
                path_nodes[depth] = heads[a] if edge_along[e] else tails[a]
                continue
            if depth == 0:
                break  # the root has no way down left: the flow blocks every shortest path
            depth -= 1
            parent = path_nodes[depth]
            current[parent] = edge_next[current[parent]]
    for i in range(n_touched):
        a = touched[i]
        flow[a] = 0
        listed[a] = False
        list_head[tails[a]] = -1
    for t in targets:
        free[t] = False
    return value
