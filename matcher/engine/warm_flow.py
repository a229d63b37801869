"""A max flow kept up to date as a few arcs' capacities change: warm-started from the last one, compiled.

The calendar planner asks, for thousands of cohort moves, how much a max flow changes when a cohort's
candidate arcs switch on or off (:mod:`matcher.plan.calendar`). Solving the touched component again from
scratch costs its whole size each time (nationally a component of 8.7 million arcs, about a second per max
flow with OR-Tools); a move changes a few hundred arcs, so starting from the last max flow is far cheaper:

1. every unit on an arc whose capacity drops below its flow is cancelled along a path of the flow (the
   network is acyclic, so following arcs with flow back to the root and on to the sink finds one);
2. Dinic's algorithm then augments from that flow: a breadth-first search labels the residual graph's
   levels from the root, and a depth-first search with a current arc per node pushes along them until the
   sink's level is blocked; again until the sink is out of reach.

Only nodes marked ``active`` (the touched components and the shared nodes) are searched: a residual path
through another component would leave it through a hub the root already reaches, and that component's flow
is maximal, so no augmenting path needs it. The value of a max flow is unique, and so are its residual cut
sides (:func:`residual_sides`), so neither depends on the flow the search starts from or on the order of the
arcs: they equal a solve from scratch.
"""

from __future__ import annotations

import numpy as np

from matcher.engine.compiled import compiled
from matcher.engine.csr import first_of_each, sort_order


class WarmMaxFlow:
    """Max flows on one network's arcs, updated in place as capacities change.

    Parameters
    ----------
    tails, heads
        Every arc of the network (capacities and flows are given per call, indexed alike).
    n_nodes
        Its nodes.

    The arcs are indexed by tail and by head once (two int32 arrays the size of the arcs); the search's
    work arrays are per node and allocated on first use in each process.
    """

    def __init__(self, tails: np.ndarray, heads: np.ndarray, n_nodes: int) -> None:
        self.tails, self.heads, self.n_nodes = tails, heads, int(n_nodes)
        by_tail, sorted_tails = sort_order(tails)
        self.first_out = first_of_each(sorted_tails, self.n_nodes).astype(np.int64)
        self.by_tail = by_tail.astype(np.int32)
        del by_tail, sorted_tails
        by_head, sorted_heads = sort_order(heads)
        self.first_in = first_of_each(sorted_heads, self.n_nodes).astype(np.int64)
        self.by_head = by_head.astype(np.int32)
        self._work: tuple | None = None

    def _work_arrays(self) -> tuple:
        if self._work is None:
            n = self.n_nodes
            # level, queue (a breadth-first search's and, after it, the marks'), current arc, path, path
            # direction, on a shortest path.
            self._work = (np.full(n, -1, dtype=np.int64), np.zeros(2 * n, dtype=np.int64),
                          np.zeros(n, dtype=np.int64), np.zeros(n + 1, dtype=np.int64), np.zeros(n + 1, dtype=np.bool_),
                          np.zeros(n, dtype=np.bool_))
        return self._work

    def update(self, capacities: np.ndarray, flow: np.ndarray, root: int, sink: int, active: np.ndarray,
               arcs: np.ndarray, new_capacities: np.ndarray, undo: bool = False, from_sink: bool = False) -> int:
        """Set ``capacities[arcs] = new_capacities`` and make ``flow`` a max flow again from ``root`` to ``sink``.

        Parameters
        ----------
        capacities, flow
            Per arc; ``flow`` must be a max flow at ``capacities`` on the ``active`` nodes. Both are changed
            in place (and restored when ``undo``).
        root, sink
            Where the flow starts and ends.
        active
            Per node, whether the search may enter it (the components the change touches, and the shared
            nodes).
        arcs, new_capacities
            The arcs whose capacity changes (distinct), all between active nodes, and their new capacities.
        undo
            Leave ``capacities`` and ``flow`` as they were (only the change in value is wanted).
        from_sink
            Search the reversed network, from the sink back to the root: the same max flow, found faster when
            fewer nodes reach the sink than the root reaches (each phase's search, and the last above all,
            covers one side of the residual cut).

        Returns
        -------
        int
            The change in the max flow's value.
        """
        arcs = np.asarray(arcs, dtype=np.int64)
        new_capacities = np.asarray(new_capacities, dtype=np.int64)
        if len(arcs) != len(new_capacities):
            raise ValueError("one new capacity per changed arc")
        if (new_capacities < 0).any():
            raise ValueError("capacities must be non-negative")
        out, into = self._roles(from_sink)
        root, sink = (int(sink), int(root)) if from_sink else (int(root), int(sink))
        return int(_update(out[0], out[1], into[0], into[1], out[2], out[3], capacities, flow, active, root, sink,
                           arcs, new_capacities, bool(undo), *self._work_arrays()))

    def _roles(self, reversed_network: bool) -> tuple[tuple, tuple]:
        """The arrays of the arcs out of and into each node, as (first, arcs, own end, other end), of the
        network or of the reversed network (the same arrays in other roles: a path from the sink back to the
        root along reversed arcs with room is an augmenting path of the network)."""
        out = (self.first_out, self.by_tail, self.tails, self.heads)
        into = (self.first_in, self.by_head, self.heads, self.tails)
        return (into, out) if reversed_network else (out, into)

    def residual_sides(self, capacities: np.ndarray, flow: np.ndarray, root: int, sink: int,
                       active: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Which active nodes the root reaches in the residual graph of ``flow``, and which reach the sink.

        Returns
        -------
        reach, reaches_sink : numpy.ndarray
            Boolean per node (False outside ``active``).
        """
        queue = self._work_arrays()[1]
        sides = []
        # Those that reach the sink are those the sink reaches in the reversed network.
        for (out, into), start in ((self._roles(False), root), (self._roles(True), sink)):
            side = np.zeros(self.n_nodes, dtype=np.bool_)
            _reached(out[0], out[1], into[0], into[1], out[2], out[3], capacities, flow, active, int(start), side,
                     queue)
            sides.append(side)
        return sides[0], sides[1]


@compiled
def _log(log_arc, log_amount, n_log, arc, amount):  # pragma: no cover (compiled)
    if n_log == len(log_arc):
        grown_arc = np.empty(2 * len(log_arc), dtype=np.int64)
        grown_amount = np.empty(2 * len(log_arc), dtype=np.int64)
        grown_arc[:n_log] = log_arc[:n_log]
        grown_amount[:n_log] = log_amount[:n_log]
        log_arc, log_amount = grown_arc, grown_amount
    log_arc[n_log] = arc
    log_amount[n_log] = amount
    return log_arc, log_amount, n_log + 1


@compiled
def _cancel_path(node, end, first, arcs, far_end, flow, log_arc, log_amount, n_log):  # pragma: no cover (compiled)
    """Take one unit off a path of the flow from ``node`` to ``end``, following at each node its first
    arc (of ``arcs``, indexed by ``first``) with flow to that arc's ``far_end``."""
    while node != end:
        b = -1
        for k in range(first[node], first[node + 1]):
            if flow[arcs[k]] > 0:
                b = arcs[k]
                break
        if b < 0:
            raise ValueError("the flow is not conserved: a node of the flow has no arc with flow on")
        flow[b] -= 1
        log_arc, log_amount, n_log = _log(log_arc, log_amount, n_log, b, -1)
        node = far_end[b]
    return log_arc, log_amount, n_log


@compiled
def _update(first_out, by_tail, first_in, by_head, tails, heads, caps, flow, active, root, sink, changed,
            new_caps, undo, level, queue, current, path_arc, path_along, useful):  # pragma: no cover (compiled)
    log_arc = np.empty(1024, dtype=np.int64)
    log_amount = np.empty(1024, dtype=np.int64)
    n_log = 0
    old_caps = np.empty(len(changed), dtype=np.int64)
    delta = 0
    # 1. Cancel the units over the new capacities, each along a path of the flow (the network is acyclic).
    for i in range(len(changed)):
        a = changed[i]
        old_caps[i] = caps[a]
        caps[a] = new_caps[i]
        while flow[a] > caps[a]:
            flow[a] -= 1
            log_arc, log_amount, n_log = _log(log_arc, log_amount, n_log, a, -1)
            # Back to the root along arcs into each node, on to the sink along arcs out of it.
            log_arc, log_amount, n_log = _cancel_path(tails[a], root, first_in, by_head, tails, flow, log_arc,
                                                      log_amount, n_log)
            log_arc, log_amount, n_log = _cancel_path(heads[a], sink, first_out, by_tail, heads, flow, log_arc,
                                                      log_amount, n_log)
            delta -= 1
    # 2. Dinic's phases from that flow.
    size = 0
    while True:
        for i in range(size):  # the last search's levels
            level[queue[i]] = -1
        level[root] = 0
        queue[0] = root
        size, head = 1, 0
        while head < size and level[sink] < 0:
            u = queue[head]
            head += 1
            if u == sink:
                continue
            for k in range(first_out[u], first_out[u + 1]):
                b = by_tail[k]
                v = heads[b]
                if level[v] < 0 and active[v] and caps[b] - flow[b] > 0:
                    level[v] = level[u] + 1
                    queue[size] = v
                    size += 1
            for k in range(first_in[u], first_in[u + 1]):
                b = by_head[k]
                v = tails[b]
                if level[v] < 0 and active[v] and flow[b] > 0:
                    level[v] = level[u] + 1
                    queue[size] = v
                    size += 1
        if level[sink] < 0:
            for i in range(size):
                level[queue[i]] = -1
            break
        for i in range(size):
            current[queue[i]] = 0
        # Mark the nodes on a shortest path (back from the sink along the levels): the depth-first search
        # then enters no node that cannot reach the sink, and so never scans the arcs of a large dead end.
        useful[sink] = True
        queue[size] = sink
        marked, head = 1, size
        while head < size + marked:
            v = queue[head]
            head += 1
            if v == root:
                continue
            for k in range(first_in[v], first_in[v + 1]):
                b = by_head[k]
                u = tails[b]
                if not useful[u] and level[u] == level[v] - 1 and level[u] >= 0 and caps[b] - flow[b] > 0:
                    useful[u] = True
                    queue[size + marked] = u
                    marked += 1
            for k in range(first_out[v], first_out[v + 1]):
                b = by_tail[k]
                u = heads[b]
                if not useful[u] and level[u] == level[v] - 1 and level[u] >= 0 and flow[b] > 0:
                    useful[u] = True
                    queue[size + marked] = u
                    marked += 1
        depth, u = 0, root
        while True:
            if u == sink:
                amount = caps[path_arc[0]] - flow[path_arc[0]] if path_along[0] else flow[path_arc[0]]
                for d in range(1, depth):
                    b = path_arc[d]
                    room = caps[b] - flow[b] if path_along[d] else flow[b]
                    if room < amount:
                        amount = room
                for d in range(depth):
                    b = path_arc[d]
                    step = amount if path_along[d] else -amount
                    flow[b] += step
                    log_arc, log_amount, n_log = _log(log_arc, log_amount, n_log, b, step)
                delta += amount
                depth, u = 0, root
                continue
            n_out = first_out[u + 1] - first_out[u]
            n_all = n_out + first_in[u + 1] - first_in[u]
            advanced = False
            while current[u] < n_all:
                j = current[u]
                if j < n_out:
                    b = by_tail[first_out[u] + j]
                    v = heads[b]
                    room = caps[b] - flow[b]
                    along = True
                else:
                    b = by_head[first_in[u] + j - n_out]
                    v = tails[b]
                    room = flow[b]
                    along = False
                if room > 0 and useful[v] and level[v] == level[u] + 1:
                    path_arc[depth] = b
                    path_along[depth] = along
                    depth += 1
                    u = v
                    advanced = True
                    break
                current[u] += 1
            if advanced:
                continue
            if u == root:
                for i in range(size, size + marked):
                    useful[queue[i]] = False
                break
            useful[u] = False  # a dead end in this phase
            depth -= 1
            b = path_arc[depth]
            u = tails[b] if path_along[depth] else heads[b]
            current[u] += 1
    if undo:
        for i in range(n_log - 1, -1, -1):
            flow[log_arc[i]] -= log_amount[i]
        for i in range(len(changed) - 1, -1, -1):
            caps[changed[i]] = old_caps[i]
    return delta


@compiled
def _reached(first_out, by_tail, first_in, by_head, tails, heads, caps, flow, active, root, reach,
             queue):  # pragma: no cover (compiled)
    """Mark in ``reach`` the active nodes ``root`` reaches in the residual graph (breadth first)."""
    reach[root] = True
    queue[0] = root
    size, head = 1, 0
    while head < size:
        u = queue[head]
        head += 1
        for k in range(first_out[u], first_out[u + 1]):
            b = by_tail[k]
            v = heads[b]
            if not reach[v] and active[v] and caps[b] - flow[b] > 0:
                reach[v] = True
                queue[size] = v
                size += 1
        for k in range(first_in[u], first_in[u + 1]):
            b = by_head[k]
            v = tails[b]
            if not reach[v] and active[v] and flow[b] > 0:
                reach[v] = True
                queue[size] = v
                size += 1
