"""The explanation toolkit: residual graphs of the optimum, cut sides, exchange graphs.

Every answer of :mod:`matcher.explain` (and the calendar's cut screen in
:mod:`matcher.plan.calendar`) is read off a residual graph of a flow behind
the optimum; this module builds them, once, for all of them.

**Residual arcs** (:func:`residual_arcs`). For a flow ``f`` on arcs of
capacity ``u``: every arc with ``f < u`` forward (room ``u − f``) and every arc
with ``f > 0`` backward (room ``f``), forward ones first.

**Cut sides** (:func:`cut_sides`). In the residual graph of a max flow, the
nodes the source reaches and the nodes that reach the sink are the source
side of the smallest and the sink side of the largest minimum cut; one more
unit of capacity on an arc raises the max flow exactly when its tail is on the
first and its head on the second.

**Rooted residual graphs** (:class:`RootedResidual`): the residual graph of a
max flow seen from the node where its students enter, with its dominator tree
(:func:`dominator_intervals`): what the root can reach without passing a given
node. :mod:`matcher.explain.remedy` explains what that decides.

**Exchange graphs** (:class:`ExchangeGraph`). The hub network of
:mod:`matcher.engine.network` fixes the first objective by the hub supplies.
For one objective, think of the equivalent *exchange graph* of each
component: every student supplies one unit, which either takes a candidate arc
or an *unplaced* arc to the sink at cost ``M·w(s)`` (its weight), and the other
arcs cost their secondary cost. With ``M = 2B + 1``, where ``B`` bounds the
secondary cost of any solution of the component (the sum over its students of
their largest candidate cost plus the duo cost), a solution's cost
``M·(weight left unplaced) + secondary`` orders solutions lexicographically,
and a cost difference ``Δ = M·p + q`` with ``|q| ≤ B`` decodes uniquely into
``p`` (weighted placements lost) and ``q`` (extra secondary cost). The engine's
optimal flow, with the unplaced arcs added, is optimal there. Its residual
graph with reduced costs from shortest-path potentials
(:func:`reduced_residual`, all non-negative since the optimum leaves no
negative cycle) prices every exchange: the cheapest residual cycle through a
change is what the change costs the optimum (:mod:`matcher.explain.suggest`
ranks shortlists by it, :mod:`matcher.explain.remedy` sizes recruited
companies by it).

**Capacity kinds** (:data:`CAPACITY_KINDS`, :func:`capacity_arcs`): the
capacities of the network of which one more unit can be asked, and the arcs
each owns.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import numpy as np
import pandas as pd
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import breadth_first_order

from matcher.engine.certificate import residual_potentials
from matcher.engine.network import FlowNetwork
from matcher.engine.solve import Solved
from matcher.errors import ModelError

# The capacities one more unit of which is asked for, in this order wherever
# their kind breaks a tie (advice); remedies prefer them in the order of
# matcher.explain.remedy.REMEDY_KINDS.
CAPACITY_KINDS = ("place", "supervision", "company", "guidance")
# scipy's Dijkstra adds float64 distances; integers up to 2**53 add exactly.
EXACT_FLOAT_LIMIT = 2**53
INT64_MAX = np.iinfo(np.int64).max

@dataclass(frozen=True, eq=False)
class ResidualArcs:
    """The residual arcs of a flow: ``tails``, ``heads``, ``room`` (residual
    capacity), ``arc`` (the arc behind each) and ``forward`` (its direction);
    forward arcs first, each group in arc order."""

    tails: np.ndarray
    heads: np.ndarray
    room: np.ndarray
    arc: np.ndarray
    forward: np.ndarray


def residual_arcs(tails: np.ndarray, heads: np.ndarray, capacities: np.ndarray, flows: np.ndarray) -> ResidualArcs:
    """The residual arcs of ``flows`` on the arcs (``tails``, ``heads``, ``capacities``)."""
    forward, backward = flows < capacities, flows > 0
    arc = np.r_[np.flatnonzero(forward), np.flatnonzero(backward)]
    n_forward = int(forward.sum())
    return ResidualArcs(
        tails=np.r_[tails[forward], heads[backward]].astype(np.int64),
        heads=np.r_[heads[forward], tails[backward]].astype(np.int64),
        room=np.r_[capacities[forward] - flows[forward], flows[backward]],
        arc=arc,
        forward=np.arange(len(arc)) < n_forward,
    )


def cut_sides(solver, n_nodes: int) -> tuple[np.ndarray, np.ndarray]:
    """Per node: whether it is on the source side and whether on the sink side
    of the solved OR-Tools max flow ``solver`` (the two sides of its extreme
    min cuts: reached from the source, reaching the sink, in its residual graph)."""
    source_side = np.zeros(n_nodes, dtype=bool)
    source_side[np.asarray(solver.get_source_side_min_cut(), dtype=np.int64)] = True
    sink_side = np.zeros(n_nodes, dtype=bool)
    sink_side[np.asarray(solver.get_sink_side_min_cut(), dtype=np.int64)] = True
    return source_side, sink_side


def reached(graph: csr_matrix, start: int) -> np.ndarray:
    """Per node of ``graph``: whether ``start`` reaches it."""
    seen = np.zeros(graph.shape[0], dtype=bool)
    seen[breadth_first_order(graph, start, return_predecessors=False)] = True
    return seen


def dominator_intervals(tails: np.ndarray, heads: np.ndarray, root: int, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Pre- and post-order numbers of the dominator tree of the graph
    (``tails``, ``heads``) rooted at ``root``: ``d`` dominates ``t`` exactly
    when ``pre[d] <= pre[t] < post[d]``; -1 for nodes ``root`` does not reach."""
    digraph = nx.DiGraph()
    digraph.add_node(root)
    digraph.add_edges_from(zip(tails.tolist(), heads.tolist()))
    idom = nx.immediate_dominators(digraph, root)
    nodes = np.fromiter(idom.keys(), dtype=np.int64, count=len(idom))
    parents = np.fromiter(idom.values(), dtype=np.int64, count=len(idom))
    below = nodes != root
    order = np.argsort(parents[below], kind="stable")
    children, child_parent = nodes[below][order], parents[below][order]
    first = np.searchsorted(child_parent, np.arange(n + 1))
    pre = np.full(n, -1, dtype=np.int64)
    post = np.full(n, -1, dtype=np.int64)
    counter = 0
    stack = [(root, False)]
    while stack:
        node, leaving = stack.pop()
        if leaving:
            post[node] = counter
            continue
        pre[node] = counter
        counter += 1
        stack.append((node, True))
        stack.extend((int(c), False) for c in children[first[node]:first[node + 1]])
    return pre, post


class RootedResidual:
    """The residual graph of one max flow behind the optimum, seen from the
    node where its students enter (``root``): what reaches the sink, what the
    root reaches, its dominator tree, and its arcs that the root reaches (with
    residual capacities and components, for max flows)."""

    def __init__(self, network: FlowNetwork, flows: np.ndarray, root: int, arc_part: np.ndarray) -> None:
        n = network.n_nodes
        arcs = residual_arcs(network.tails, network.heads, network.capacities, flows)
        tails, heads, room, part = arcs.tails, arcs.heads, arcs.room, arc_part[arcs.arc]
        ones = np.ones(len(tails), dtype=np.int8)
        self.graph = csr_matrix((ones, (tails, heads)), shape=(n, n))
        self.root = root
        self.from_root = reached(self.graph, root)
        self.reaches_sink = reached(csr_matrix((ones, (heads, tails)), shape=(n, n)), network.sink)
        keep = self.from_root[tails]
        order = np.argsort(part[keep], kind="stable")
        self.tails, self.heads, self.room = tails[keep][order], heads[keep][order], room[keep][order]
        self.part = part[keep][order]
        self.pre, self.post = dominator_intervals(self.tails, self.heads, root, n)

    def escapes(self, node: int, nodes: np.ndarray) -> np.ndarray:
        """Per node of ``nodes``: whether the root reaches it without passing ``node``
        (-1: a student with no node, who blocks nothing)."""
        reached = self.from_root[nodes]
        if node < 0 or self.pre[node] < 0:
            return reached
        inside = (self.pre[nodes] >= self.pre[node]) & (self.pre[nodes] < self.post[node])
        return reached & ~inside

    def arcs_of_parts(self, parts: np.ndarray) -> np.ndarray:
        """Indices of the root-reachable residual arcs in ``parts`` or in none (source arcs)."""
        parts = np.unique(np.concatenate([parts, [-1]]))
        lo = np.searchsorted(self.part, parts, side="left")
        hi = np.searchsorted(self.part, parts, side="right")
        return np.concatenate([np.arange(a, b) for a, b in zip(lo.tolist(), hi.tolist())])


@dataclass(frozen=True, eq=False)
class ExchangeGraph:
    """One component as a single-objective min-cost flow (see the module docstring).

    Nodes are the component's inner nodes (local numbers of its
    :class:`matcher.engine.decompose.Part`) and the sink, numbered last; the hubs and
    the source are gone. Arcs are the component's arcs without the hub arcs,
    then one *unplaced* arc per student to the sink at cost ``scale·weight``.
    ``flows`` is the engine's optimum with each unplaced student on its
    unplaced arc. ``network_arc`` is the arc's index in the full network (-1
    for unplaced arcs), ``candidate`` whether it is a candidate arc; ``duo_vp``
    the vacancy-period of a duo arc (-1 for others). ``students`` are problem
    indices, ``student_nodes`` their nodes. ``scale`` is
    ``M = 2·secondary_bound + 1``.
    """

    n_nodes: int
    tails: np.ndarray
    heads: np.ndarray
    capacities: np.ndarray
    costs: np.ndarray
    flows: np.ndarray
    network_arc: np.ndarray
    candidate: np.ndarray
    duo_vp: np.ndarray
    student_nodes: np.ndarray
    students: np.ndarray
    secondary_bound: int
    scale: int

    @property
    def sink(self) -> int:
        """The sink node (the last)."""
        return self.n_nodes - 1

    def supplies(self) -> np.ndarray:
        """One unit at every student, all of them taken by the sink."""
        supplies = np.zeros(self.n_nodes, dtype=np.int64)
        supplies[self.student_nodes] = 1
        supplies[self.sink] = -len(self.student_nodes)
        return supplies

    def decode(self, difference: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Split cost differences ``M·p + q`` (``|q| <= secondary_bound``) into
        (weighted placements lost ``p``, extra secondary cost ``q``)."""
        lost = (difference + self.secondary_bound) // self.scale
        return lost, difference - lost * self.scale


def exchange_graph(solved: Solved, part_index: int) -> ExchangeGraph:
    """The exchange graph of component ``part_index`` of ``solved``, with the optimum as flow.

    Parameters
    ----------
    solved
        A solved match (:func:`matcher.engine.solve.solve_in_detail`).
    part_index
        Index into ``solved.parts``.

    Returns
    -------
    ExchangeGraph
    """
    network, problem = solved.network, solved.problem
    part, solution = solved.parts[part_index], solved.solutions[part_index]
    ranges = network.arc_ranges()
    arcs = part.arcs  # the part's own two source arcs are last in its arrays, not here
    n_body = len(arcs)
    tails, heads = part.tails[:n_body].astype(np.int64), part.heads[:n_body].astype(np.int64)
    capacities, costs, flows = part.capacities[:n_body], part.costs[:n_body], solution.flows[:n_body]
    sink = part.sink  # the first shared node: the hubs and the source after it go

    is_entry = (arcs >= ranges["entry"].start) & (arcs < ranges["entry"].stop)
    keep = ~is_entry
    student_nodes = heads[is_entry]
    students = network.active_students[network.heads[arcs[is_entry]]]
    placed = flows[is_entry]

    is_candidate = arcs < network.n_candidate_arcs
    largest_cost = np.zeros(part.n_nodes, dtype=np.int64)
    np.maximum.at(largest_cost, tails[is_candidate], costs[is_candidate])
    # Every placed student pays at most its dearest candidate plus one duo partner's cost.
    duo_cost = int(solved.policy.costs.duo_partner)
    secondary_bound = int(largest_cost[student_nodes].sum()) + len(students) * duo_cost
    scale = 2 * secondary_bound + 1
    weight = problem.s_weight[students].astype(np.int64)
    if scale * int(weight.max(initial=0)) > INT64_MAX // (4 * (part.n_nodes + 1)):
        raise ModelError("the component is too large for an exact single-objective cost scale")

    duo = (arcs >= ranges["duo"].start) & (arcs < ranges["duo"].stop)
    duo_vp = np.full(n_body, -1, dtype=np.int64)
    duo_vp[duo] = network.duo_vp[arcs[duo] - ranges["duo"].start]
    n_students = len(students)
    return ExchangeGraph(
        n_nodes=sink + 1,
        tails=np.r_[tails[keep], student_nodes],
        heads=np.r_[heads[keep], np.full(n_students, sink)],
        capacities=np.r_[capacities[keep], np.ones(n_students, dtype=np.int64)],
        costs=np.r_[costs[keep], scale * weight],
        flows=np.r_[flows[keep], 1 - placed],
        network_arc=np.r_[arcs[keep], np.full(n_students, -1)],
        candidate=np.r_[is_candidate[keep], np.zeros(n_students, dtype=bool)],
        duo_vp=np.r_[duo_vp[keep], np.full(n_students, -1)],
        student_nodes=student_nodes,
        students=students,
        secondary_bound=secondary_bound,
        scale=scale,
    )


@dataclass(frozen=True, eq=False)
class ReducedResidual:
    """The residual graph of an exchange graph's optimum, one arc per node pair.

    Parallel residual arcs (a vacancy's place and duo arcs) keep the cheapest.
    Arcs are sorted by ``tail·n + head`` (``key``); ``arc`` is the exchange-graph
    arc behind each, ``forward`` its direction. ``reversed`` is the graph with
    every arc turned around, weighted by reduced cost, for searches towards a node.
    """

    key: np.ndarray
    arc: np.ndarray
    forward: np.ndarray
    potential: np.ndarray
    reversed: csr_matrix


def reduced_residual(graph: ExchangeGraph) -> ReducedResidual:
    """Residual arcs of the optimum with reduced costs from shortest-path potentials
    (non-negative: the optimum leaves no negative cycle)."""
    potential, _ = residual_potentials(
        graph.tails, graph.heads, graph.capacities, graph.costs, graph.flows, graph.n_nodes
    )
    if potential is None:
        raise ModelError("the match is not optimal: its residual graph has a negative cycle")
    arcs = residual_arcs(graph.tails, graph.heads, graph.capacities, graph.flows)
    tails, heads, arc, is_forward = arcs.tails, arcs.heads, arcs.arc, arcs.forward
    reduced = np.where(is_forward, graph.costs[arc], -graph.costs[arc]) + potential[tails] - potential[heads]
    if len(reduced) and reduced.min() < 0:
        raise ModelError("shortest-path potentials left a negative reduced cost")

    key = tails * graph.n_nodes + heads
    order = np.lexsort((arc, reduced, key))
    first = np.r_[True, key[order][1:] != key[order][:-1]]
    chosen = order[first]
    if int(reduced[chosen].sum()) >= EXACT_FLOAT_LIMIT:
        raise ModelError("reduced costs too large for exact float shortest paths")
    # Explicit zeros stay in the matrix: scipy's csgraph reads them as arcs of length 0.
    turned = csr_matrix(
        (reduced[chosen].astype(np.float64), (heads[chosen], tails[chosen])),
        shape=(graph.n_nodes, graph.n_nodes),
    )
    return ReducedResidual(key[chosen], arc[chosen], is_forward[chosen], potential, turned)


def capacity_arcs(solved: Solved) -> pd.DataFrame:
    """The capacity arcs with the change each belongs to: arc, kind (of
    :data:`CAPACITY_KINDS`), index (the vacancy, supervisor or company), period.

    A vacancy's ``place`` owns its place arcs and its duo arcs (one more place
    raises both); ``guidance`` owns its guidance gates' arcs."""
    network, problem = solved.network, solved.problem
    ranges = network.arc_ranges()
    vp_vacancy, vp_period = network.vp_vacancy, network.vp_period
    pieces = [
        ("place", ranges["place"], np.arange(len(vp_vacancy)), vp_vacancy),
        ("place", ranges["duo"], network.duo_vp, vp_vacancy[network.duo_vp]),
        ("guidance", ranges["guidance"], network.gadget_vp, vp_vacancy[network.gadget_vp]),
        ("supervision", ranges["supervisor"], network.sup_vp,
         problem.v_supervisor[vp_vacancy[network.sup_vp]]),
        ("company", ranges["company"], network.comp_vp, problem.v_company[vp_vacancy[network.comp_vp]]),
    ]
    return pd.DataFrame({
        "arc": np.concatenate([np.arange(r.start, r.stop) for _, r, _, _ in pieces]),
        "kind": np.concatenate([np.full(r.stop - r.start, k, dtype=object) for k, r, _, _ in pieces]),
        "index": np.concatenate([owner for _, _, _, owner in pieces]).astype(np.int64),
        "period": np.concatenate([vp_period[vp] for _, _, vp, _ in pieces]).astype(np.int64),
    })


