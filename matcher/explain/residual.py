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
max flow seen from the node where its students enter, with the part of its
dominator tree that remedies ask about (:func:`entry_owners`): what the root
can reach without passing a given unplaced student. :mod:`matcher.explain.remedy` explains what that decides.

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

import numpy as np
import pandas as pd
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import breadth_first_order

from matcher.engine.augmenting import UnitFlows
from matcher.engine.certificate import residual_potentials
from matcher.engine.csr import distinct, first_of_each, rows, sort_order
from matcher.engine.network import FlowNetwork
from matcher.engine.solve import Solved
from matcher.engine.successive_paths import NEGATIVE_REDUCED_COST, NO_WAY_BACK, successive_shortest_paths
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


# entry_owners' labels for nodes without a single student behind them.
NO_ENTRY, SEVERAL_ENTRIES = -1, -2


def entry_owners(tails: np.ndarray, heads: np.ndarray, n_inner: int, n: int) -> np.ndarray:
    """Per node of a rooted residual graph (arcs ``tails``, ``heads``, all reachable from the root): the one
    student through whom the root reaches it, or :data:`SEVERAL_ENTRIES`, or :data:`NO_ENTRY` (a shared
    node, or one the root does not reach).

    The root reaches the students' nodes only through the shared nodes (source and hubs), by their entry
    arcs, and an entered student has no other arc in: it is unplaced, so no flow leaves it to turn an arc
    around. So a path from the root to an inner node enters it from the last shared node it passes, and
    the student entered there is the only way in exactly when no other entered student reaches the node
    over inner arcs: ``entry_owners(...)[t] == s`` is "``s`` dominates ``t``" for every entered student ``s``,
    the whole of the dominator tree that remedies ask about. Found by propagating the labels along the
    inner arcs; a label changes at most twice (none, one student, several), so each arc is looked at at
    most twice, a few seconds nationally where a general dominator tree (networkx) took minutes and GBs.
    """
    inner = (tails < n_inner) & (heads < n_inner)
    owner = np.full(n, NO_ENTRY, dtype=np.int64)
    entered = distinct(heads[(tails >= n_inner) & (heads < n_inner)])
    owner[entered] = entered
    order = np.argsort(tails[inner], kind="stable")
    arc_tails, arc_heads = tails[inner][order], heads[inner][order]
    first = first_of_each(arc_tails, n)
    frontier = entered
    while len(frontier):
        arcs = rows(first, frontier)
        came, into = owner[arc_tails[arcs]], arc_heads[arcs]
        by_head = np.argsort(into, kind="stable")
        came, into = came[by_head], into[by_head]
        nodes, start = np.unique(into, return_index=True)
        if not len(nodes):
            break
        low, high = np.minimum.reduceat(came, start), np.maximum.reduceat(came, start)
        old = owner[nodes]
        one = (low == high) & (low >= 0) & ((old == NO_ENTRY) | (old == low))
        new = np.where(one, low, SEVERAL_ENTRIES)
        changed = new != old
        owner[nodes[changed]] = new[changed]
        frontier = nodes[changed]
    return owner


class RootedResidual:
    """The residual graph of one max flow behind the optimum, seen from the
    node where its students enter (``root``): what reaches the sink, what the
    root reaches, whom each node's way in passes (:func:`entry_owners`), and its arcs that the root reaches (with
    their residual capacities, for max flows)."""

    def __init__(self, network: FlowNetwork, flows: np.ndarray, root: int) -> None:
        n = network.n_nodes
        arcs = residual_arcs(network.tails, network.heads, network.capacities, flows)
        tails, heads, room = arcs.tails, arcs.heads, arcs.room
        ones = np.ones(len(tails), dtype=np.int8)
        self.graph = csr_matrix((ones, (tails, heads)), shape=(n, n))
        self.root = root
        self.from_root = reached(self.graph, root)
        self.reaches_sink = reached(csr_matrix((ones, (heads, tails)), shape=(n, n)), network.sink)
        keep = self.from_root[tails]
        self.tails, self.heads, self.room = tails[keep], heads[keep], room[keep]
        self.n_inner = network.n_inner
        self.owner = entry_owners(self.tails, self.heads, self.n_inner, n)
        # Now, so that forked workers share its sorted arcs (each writes its own pages of the work arrays).
        self._flows = UnitFlows(self.tails, self.heads, self.room, n, root, self.n_inner)

    def escapes(self, node: int, nodes: np.ndarray) -> np.ndarray:
        """Per node of ``nodes``: whether the root reaches it without passing ``node``, an unplaced student's
        node (-1: a student with no node, who blocks nothing)."""
        reached = self.from_root[nodes]
        if node < 0:
            return reached
        self._check_entered(node)
        return reached & (self.owner[nodes] != node)

    def _check_entered(self, node: int) -> None:
        if self.owner[node] != node:
            raise ModelError(f"node {node} is not a student the root enters: it dominates nothing asked about")

    def dominated_in_search_order(self, node: int) -> np.ndarray:
        """The nodes ``node`` (an unplaced student's) dominates, itself first, in the order of a breadth-first
        search from it.

        They are the nodes the search meets that the root reaches only through ``node``, in the order the
        search over the whole graph meets them: a simple path from ``node`` to a node it dominates passes only
        nodes it dominates, and no other node has an arc into one, so the search needs to look no further.
        On a national network that is a few nodes instead of millions per student.
        """
        self._check_entered(node)
        indptr, indices = self.graph.indptr, self.graph.indices
        seen = np.zeros(len(self.owner), dtype=bool)
        seen[node] = True
        met = [np.array([node], dtype=np.int64)]
        frontier = met[0]
        while len(frontier):
            heads = indices[rows(indptr, frontier)]
            heads = heads[(self.owner[heads] == node) & ~seen[heads]]
            _, first = np.unique(heads, return_index=True)
            frontier = heads[np.sort(first)].astype(np.int64)
            seen[frontier] = True
            met.append(frontier)
        return np.concatenate(met)

    def max_flow_to(self, targets: np.ndarray, avoid: int) -> int:
        """The max flow from the root to ``targets`` (one unit into each) in this residual graph without node
        ``avoid``: how many of them can move at once, each by a chain of moves that places one more student.

        Augmenting paths found backwards from the targets (:class:`matcher.engine.augmenting.UnitFlows`),
        so a student costs the neighbourhood of its rivals, not a max flow over a national component of
        millions of arcs. Into the shared nodes the searches take only arcs from shared nodes: an arc from a
        student back into its hub closes a cycle through a hub that the root reaches directly (the source
        arcs are unbounded; a hub that is the root is never entered).
        """
        free = distinct(np.asarray(targets, dtype=np.int64))
        free = free[(free != avoid) & (free != self.root)]
        if not len(free):
            return 0
        return self._flows.max_flow(free, avoid)


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
        return decode_difference(difference, self.secondary_bound, self.scale)


def decode_difference(difference: np.ndarray, secondary_bound: int, scale: int) -> tuple[np.ndarray, np.ndarray]:
    """Split cost differences ``scale·p + q`` (``|q| <= secondary_bound``) into (``p``, ``q``)."""
    lost = (difference + secondary_bound) // scale
    return lost, difference - lost * scale


def exchange_graph(solved: Solved, part_index: int, capacities: np.ndarray | None = None) -> ExchangeGraph:
    """The exchange graph of component ``part_index`` of ``solved``, with the optimum as flow.

    Parameters
    ----------
    solved
        A solved match (:func:`matcher.engine.solve.solve_in_detail`).
    part_index
        Index into ``solved.parts``.
    capacities
        Capacities of the part's arcs (``part.arcs`` order) to use instead of its own, none smaller: the
        optimum is then a feasible flow, for :func:`reoptimised`.

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
    costs, flows = part.costs[:n_body], solution.flows[:n_body]
    if capacities is None:
        capacities = part.capacities[:n_body]
    elif (capacities < part.capacities[:n_body]).any():
        raise ModelError("an exchange graph's capacities may only grow")
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
    potential = optimal_potentials(graph)
    arcs = residual_arcs(graph.tails, graph.heads, graph.capacities, graph.flows)
    tails, heads, arc, is_forward = arcs.tails, arcs.heads, arcs.arc, arcs.forward
    reduced = np.where(is_forward, graph.costs[arc], -graph.costs[arc]) + potential[tails] - potential[heads]
    if len(reduced) and reduced.min() < 0:
        raise ModelError("shortest-path potentials left a negative reduced cost")

    key = tails * graph.n_nodes + heads
    chosen = _cheapest_per_key(key, reduced, arc)
    if int(reduced[chosen].sum()) >= EXACT_FLOAT_LIMIT:
        raise ModelError("reduced costs too large for exact float shortest paths")
    # Explicit zeros stay in the matrix: scipy's csgraph reads them as arcs of length 0.
    turned = csr_matrix(
        (reduced[chosen].astype(np.float64), (heads[chosen], tails[chosen])),
        shape=(graph.n_nodes, graph.n_nodes),
    )
    return ReducedResidual(key[chosen], arc[chosen], is_forward[chosen], potential, turned)


def _cheapest_per_key(key: np.ndarray, reduced: np.ndarray, arc: np.ndarray) -> np.ndarray:
    """Per distinct ``key``, in key order: the row with the least ``reduced``, then the least ``arc``.

    ``np.lexsort((arc, reduced, key))`` gives the same rows; sorting by ``key`` alone and then only the
    few keys that repeat (parallel arcs) is four times faster on a national component.
    """
    order, sorted_key = sort_order(key)
    first = np.ones(len(key), dtype=bool)
    first[1:] = sorted_key[1:] != sorted_key[:-1]
    chosen = order[first]
    if not first.all():
        group = np.cumsum(first) - 1
        repeated = np.zeros(len(chosen), dtype=bool)
        repeated[group[~first]] = True
        rows = np.flatnonzero(repeated[group])
        members, member_group = order[rows], group[rows]
        best = np.lexsort((arc[members], reduced[members], member_group))
        member_group, members = member_group[best], members[best]
        leads = np.ones(len(members), dtype=bool)
        leads[1:] = member_group[1:] != member_group[:-1]
        chosen[member_group[leads]] = members[leads]
    return chosen


def optimal_potentials(graph: ExchangeGraph) -> np.ndarray:
    """Shortest-path potentials of the residual graph of ``graph``'s flow: every residual arc's reduced
    cost ``cost + potential[tail] − potential[head]`` is at least 0, which proves the flow optimal."""
    potential, _ = residual_potentials(
        graph.tails, graph.heads, graph.capacities, graph.costs, graph.flows, graph.n_nodes
    )
    if potential is None:
        raise ModelError("the match is not optimal: its residual graph has a negative cycle")
    return potential


def reoptimised(graph: ExchangeGraph, potential: np.ndarray) -> np.ndarray:
    """The optimal flow of ``graph`` from a flow that was optimal before some capacities grew.

    ``potential`` proves the old optimum (:func:`optimal_potentials` of the graph before). Only an arc whose
    capacity grew can have room at a negative reduced cost; it is filled, which leaves every residual arc at
    a reduced cost of at least 0 and some nodes with too much or too little flow. Successive shortest paths
    (:func:`matcher.engine.successive_paths.successive_shortest_paths`: Dijkstra from the nodes with too
    much to the nearest with too little, then the potentials raised by the distances, capped at that
    path's) route it back: the classical primal-dual method, exact, with as many searches as paths, a few
    per capacity change. The final potentials are checked to prove the new flow optimal.

    Returns
    -------
    numpy.ndarray
        The new flow per arc of ``graph``.
    """
    tails, heads, capacities, costs = graph.tails, graph.heads, graph.capacities, graph.costs
    n = graph.n_nodes
    flows = graph.flows.astype(np.int64).copy()
    potential = potential.astype(np.int64).copy()
    reduced = costs + potential[tails] - potential[heads]
    fill = (flows < capacities) & (reduced < 0)
    excess = np.zeros(n, dtype=np.int64)
    np.add.at(excess, heads[fill], capacities[fill] - flows[fill])
    np.add.at(excess, tails[fill], flows[fill] - capacities[fill])
    flows[fill] = capacities[fill]
    paths = successive_shortest_paths(tails, heads, capacities, costs, flows, potential, excess)
    if paths == NEGATIVE_REDUCED_COST:
        raise ModelError("a residual arc lost its non-negative reduced cost while re-optimising")
    if paths == NO_WAY_BACK:
        raise ModelError("no way back for the flow while re-optimising")
    if excess.any():
        raise ModelError("the flow did not settle while re-optimising")
    # The proof: with the final potentials no residual arc has a negative reduced cost.
    reduced = costs + potential[tails] - potential[heads]
    if ((flows < capacities) & (reduced < 0)).any() or ((flows > 0) & (reduced > 0)).any():
        raise ModelError("re-optimising did not reach an optimum")
    return flows


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


