"""Calendar optimisation: the shift of each cohort's periods that places the most students.

A *calendar* gives every cohort an offset (0 = today's periods; see
:mod:`matcher.plan.cohorts`). Its value is the first objective of the
match, the priority-weighted number of placed students, which by the matroid
argument of :mod:`matcher.engine.flow` is ``w_regular·r(E) + (w_priority −
w_regular)·r(P)``: two max flows, no min-cost flow.

**One network for every calendar.** The *relaxation* lets every movable
cohort's students accept the union of their period lists over the cohort's
allowed offsets. Its candidate arcs are generated once; a calendar switches
each candidate arc on or off by its period (arc ``(s, v, p)`` is on when
``p − offset`` is in the student's own list), so a calendar's network is the
relaxed network with some candidate arcs at capacity 0. Eligibility, travel
and capacities do not depend on the period list, so this is exactly the
network a solve of the shifted instance builds (guidance gadgets that no
guided student reaches change no flow).

**Exact evaluation of a move** (one cohort to another offset) on the
components it touches: the network of the current calendar splits into
connected components whose values add up; moving cohort ``c`` changes only
arcs of ``c``'s students, so the value changes only on the components that
hold ``c``'s students or the heads of ``c``'s new arcs. Two max flows on them
give the exact gain. They are not solved again from scratch: the calendar keeps
both max flows on every arc, and :class:`matcher.engine.warm_flow.WarmMaxFlow`
searches on from them on the touched components only (and, after a move is
applied, keeps them), a tenth of a solve nationally.

**Screening by cuts, exactly.** In a max flow of the current calendar let
``R`` be the nodes the source reaches in the residual graph and ``T`` those
that reach the sink (the cut sides of :func:`matcher.explain.residual.cut_sides`).
Moving ``c`` gives a subnetwork of (current ∪ ``c``'s new
arcs), and in that network ``r`` grows by at most the number of ``c``'s
students in ``R`` with a new arc leaving ``R`` (move each such student across
the cut ``(R, V∖R)``: it adds its unit entry arc and removes its new arcs), and
by at most the number of ``c``'s students outside ``T`` with a new arc into
``T``. The same holds for ``r(P)`` with priority students only. This bound is
0 for most moves (they cannot gain), and moves are evaluated in decreasing
bound order until the bound can no longer beat the best exact gain found: the
best single move is found exactly.

**Search.** Best improvement: apply the best move, re-screen, re-evaluate
only moves whose components the applied move changed (the others' gains are
cached), until no move gains. Once ``max_moves`` cohorts are moved only
those may move again (or back). The first step is the best single-cohort
move, so the calendar is at least as good as every single-cohort move. When
no single move gains, pairs of moves that touch a common component are
tried (:func:`_best_pair`; at the limit this swaps a moved cohort for
another). The result is a local optimum, not necessarily a global one; the
bound then shows the gap.

**Bound.** Every calendar is a subnetwork of the relaxation, so on each
connected component ``K`` of the relaxed network it places at most the
relaxation's value, ``today_K + room_K``. With at most ``N`` cohorts moved,
the cut argument above, applied to today's max flows and the set of moved
cohorts, bounds the gain further (:func:`calendar_bound`); a cohort's
students may lie in several components, so components are not counted as
moves. The bound is the smaller of the two. A calendar that reaches it is
optimal.

Ties are broken by gain, then bound, then cohort order, then offset, and
moves are evaluated in fixed batches (in worker processes with ``jobs`` > 1), so
the same input gives the same calendar and the same counts whatever ``jobs``.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from ortools.graph.python import max_flow
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from matcher.engine.candidates import generate_candidates
from matcher.engine.compiled import compiled
from matcher.engine.csr import distinct
from matcher.engine.network import UNBOUNDED, FlowNetwork, build_network
from matcher.engine.parallel import ProcessPool, worker_count
from matcher.engine.problem import build_problem, priority_class, weighted_value
from matcher.engine.warm_flow import WarmMaxFlow
from matcher.errors import ModelError
from matcher.explain.residual import cut_sides
from matcher.plan.cohorts import Cohort, cohort_members, shift_range
from models import Instance, Policy

# Moves evaluated together (in processes when jobs > 1). Fixed, not tied to jobs, so that
# which moves are evaluated, and so every reported count, does not depend on jobs.
EVALUATION_BATCH = 8
# A batch goes to worker processes (forked once per step, holding the calendar) when the components its
# moves touch hold at least this many arcs: OR-Tools' max flow holds the GIL, so threads did not help, and
# forking costs more than evaluating moves on small components (national: 2 s a move on the largest).
PROCESS_ARCS = 1_000_000
# A whole calendar's max flows are solved a group of whole components at a time, each group about this
# many arcs (plus its last component): OR-Tools' solver of the whole relaxed network took more memory than
# everything else together (national: 33 M arcs), and the components' flows add up.
GROUP_ARCS = 2_000_000


@dataclass(frozen=True)
class Move:
    """One cohort's shift as the search applied it, and what it gained then."""

    cohort: Cohort
    offset: int
    gain: int


@dataclass(frozen=True, eq=False)
class CalendarPlan:
    """The proposed calendar, its value, and the bound that judges it.

    Values are priority-weighted placed students (the match's first
    objective). ``shifts`` holds the moved cohorts only; ``moves`` the steps of
    the search in order (a cohort may appear twice when it moved again).
    ``allowed`` is each cohort's allowed offsets (0 included).
    """

    shifts: dict[Cohort, int]
    moves: list[Move]
    allowed: dict[Cohort, tuple[int, ...]]
    students: dict[Cohort, int]
    max_moves: int | None
    weighted_today: int
    weighted_proposed: int
    weighted_relaxed: int
    weighted_bound: int
    components: int
    components_at_bound: int
    evaluations: int
    cached: int
    screened_out: int
    steps: int
    seconds: dict[str, float]

    @property
    def gain(self) -> int:
        """Weighted placements the calendar adds to today's."""
        return self.weighted_proposed - self.weighted_today

    @property
    def gap(self) -> int:
        """How far the calendar may be from the best one: bound − proposed."""
        return self.weighted_bound - self.weighted_proposed

    @property
    def proven(self) -> bool:
        """Whether the calendar reaches the bound, so no calendar within the limits is better."""
        return self.gap == 0


class CalendarSpace:
    """The relaxed network and how a calendar switches its candidate arcs.

    Parameters
    ----------
    instance, policy
        The instance and its policy.
    allowed
        Allowed offsets per cohort, 0 included; cohorts not named stay as today.
    """

    def __init__(self, instance: Instance, policy: Policy, allowed: dict[Cohort, tuple[int, ...]]) -> None:
        members = cohort_members(instance)
        self.cohorts: list[Cohort] = list(members)
        cohort_index = {c: i for i, c in enumerate(self.cohorts)}
        problem = build_problem(instance, policy)
        n_s, n_p = problem.n_students, problem.n_periods
        self.n_periods = n_p
        self.weights = policy.weights

        # Cohorts shift along the instance's period order (cohorts.shift_cohorts does);
        # problem columns are in canonical order: work in instance positions.
        position = {p: i for i, p in enumerate(instance.period_ids)}
        column_position = np.array([position[p] for p in problem.period_ids], dtype=np.int64)
        self.own_periods = np.zeros((n_s, n_p), dtype=bool)
        self.own_periods[:, column_position] = problem.s_period_rank >= 0

        row_of = {sid: i for i, sid in enumerate(problem.student_ids)}
        self.student_cohort = np.empty(n_s, dtype=np.int64)
        for c, positions in members.items():
            rows = [row_of[instance.students[i].student_id] for i in positions.tolist()]
            self.student_cohort[rows] = cohort_index[c]
        self.cohort_sizes = np.bincount(self.student_cohort, minlength=len(self.cohorts))

        # Allowed offsets as a matrix: column o + P − 1 for offset o in −(P−1)..P−1.
        self.allowed = np.zeros((len(self.cohorts), 2 * n_p - 1), dtype=bool)
        self.allowed[:, n_p - 1] = True
        for c, offsets in allowed.items():
            for o in offsets:
                self.allowed[cohort_index[c], o + n_p - 1] = True

        relaxed_periods = self._open_periods(self.allowed[self.student_cohort])
        relaxed_rank = np.where(relaxed_periods[:, column_position], 0, -1).astype(np.int16)
        # Period ranks only price arcs (secondary cost): irrelevant to the max flows.
        relaxed = dataclasses.replace(problem, s_period_rank=relaxed_rank)
        self.problem = relaxed
        candidates = generate_candidates(relaxed, policy)
        net = build_network(relaxed, candidates, policy.costs.duo_partner, priority_class(relaxed, policy))
        # Max flows need neither costs nor the duo arcs' vacancy-periods: not kept (national: 500 MiB).
        self.network: FlowNetwork = dataclasses.replace(net, costs=np.zeros(0, dtype=np.int64),
                                                        candidate_vp=np.zeros(0, dtype=np.int64))
        net = self.network
        self.n_candidates = net.n_candidate_arcs
        # Per candidate arc, in the narrowest integers that hold them (national: 32 M arcs).
        self.arc_student = candidates.student.astype(np.int32)
        self.arc_position = column_position[candidates.period].astype(np.int8)
        self.arc_cohort = self.student_cohort[self.arc_student].astype(np.int32)
        self.arc_priority = np.asarray(priority_class(relaxed, policy))[self.arc_student]
        order = np.argsort(self.arc_cohort, kind="stable").astype(np.int32)
        bounds = np.searchsorted(self.arc_cohort[order], np.arange(len(self.cohorts) + 1))
        self.cohort_arcs = [order[bounds[c]:bounds[c + 1]] for c in range(len(self.cohorts))]
        node_cohort = self.student_cohort[net.active_students]
        node_order = np.argsort(node_cohort, kind="stable")
        node_bounds = np.searchsorted(node_cohort[node_order], np.arange(len(self.cohorts) + 1))
        self.cohort_nodes = [node_order[node_bounds[c]:node_bounds[c + 1]] for c in range(len(self.cohorts))]
        self.n_inner = net.n_inner
        self.entry = net.entry_arcs
        # The arcs indexed for warm-started max flows, before any worker forks (they share it).
        self.warm = WarmMaxFlow(net.tails, net.heads, net.n_nodes)
        fixed = candidates.student[net.fixed_arcs]
        self.fixed_weight = int(problem.s_weight[fixed].sum())  # the confirmed students' (rounds)

    # -- calendars as arc switches ------------------------------------------------

    def _open_periods(self, allowed_rows: np.ndarray) -> np.ndarray:
        """Per student: the periods of its own list shifted by any offset its row allows."""
        n_p = self.n_periods
        out = np.zeros_like(self.own_periods)
        for k in range(2 * n_p - 1):
            o = k - (n_p - 1)
            rows = allowed_rows[:, k]
            if not rows.any():
                continue
            lo, hi = max(0, o), min(n_p, n_p + o)  # target positions q with q − o in range
            out[rows, lo:hi] |= self.own_periods[rows, lo - o:hi - o]
        return out

    def arcs_on(self, arcs: np.ndarray | None, offsets: np.ndarray) -> np.ndarray:
        """Whether candidate ``arcs`` (every one when ``None``) exist when their students' cohorts shift by
        ``offsets``. In int8 and int32 (nationally 32 million arcs: no int64 copy of them)."""
        pick = slice(None) if arcs is None else arcs
        source = self.arc_position[pick] - np.asarray(offsets).astype(np.int8)
        inside = (source >= 0) & (source < self.n_periods)
        flat = self.arc_student[pick] * np.int32(self.n_periods) + np.where(inside, source, 0)
        return self.own_periods.ravel()[flat] & inside

    def capacities(self, cohort_offset: np.ndarray) -> np.ndarray:
        """Arc capacities of the calendar ``cohort_offset`` (one offset per cohort)."""
        capacities = self.network.capacities.copy()
        capacities[: self.n_candidates] = self.arcs_on(None, cohort_offset.astype(np.int8)[self.arc_cohort])
        capacities[self.network.fixed_arcs] = 0  # a confirmed placement takes no flow, whatever the calendar
        return capacities

    def weighted(self, placed: np.ndarray | int, priority_placed: np.ndarray | int):
        """Priority-weighted placements from r(E) and r(P) (see :mod:`matcher.engine.flow`)."""
        return weighted_value(self.weights, placed, priority_placed)

    # -- max flows ----------------------------------------------------------------

    def max_flows(self, arcs: np.ndarray, capacities: np.ndarray):
        """r(E) and r(P) of the subnetwork of ``arcs`` (inner arcs) at ``capacities``, each with its flow
        on ``arcs`` and its residual reach sets (R, T) as boolean node arrays.

        Node numbers stay global (OR-Tools sizes its arrays by the largest
        node, a few tens of thousands).
        """
        net = self.network
        keep = capacities > 0
        tails = np.r_[net.tails[arcs][keep], net.source, net.source].astype(np.int32)
        heads = np.r_[net.heads[arcs][keep], net.hub_priority, net.hub_regular].astype(np.int32)
        caps = np.r_[capacities[keep], UNBOUNDED, UNBOUNDED].astype(np.int64)
        out = []
        for source in (net.source, net.hub_priority):
            solver = max_flow.SimpleMaxFlow()
            handles = solver.add_arcs_with_capacity(tails, heads, caps)
            status = solver.solve(source, net.sink)
            if status != solver.OPTIMAL:
                raise ModelError(f"max-flow solver ended with status {status}")
            flows = np.zeros(len(arcs), dtype=np.int32)  # at most a place's capacity
            flows[keep] = solver.flows(handles)[:-2]
            out.append((int(solver.optimal_flow()), flows, *cut_sides(solver, net.n_nodes)))
        return out

    def max_flows_by_component(self, capacities: np.ndarray, arc_order: np.ndarray, label_bounds: np.ndarray):
        """:meth:`max_flows` of every inner arc (the flows per arc of the network, 0 on the two source
        arcs), solved by groups of whole components.

        ``arc_order`` sorts the inner arcs by component and ``label_bounds`` says where each component's
        run starts (:meth:`arcs_by_component`). Components share only the source, the hubs and the sink, whose
        arcs are unbounded or lead out of them, so the max flows add up, and a residual path between two
        components would pass a hub, which the source reaches anyway: the cut sides are the union of the
        groups'. The same values and cut sides as one solve of everything, in a fraction of the memory.
        """
        n_nodes = self.network.n_nodes
        totals = [0, 0]
        # Per arc of the network, the two source arcs (last) left at 0: see arc_flows.
        flows = [np.zeros(self.network.n_arcs, dtype=np.int32), np.zeros(self.network.n_arcs, dtype=np.int32)]
        reach = [np.zeros(n_nodes, dtype=bool), np.zeros(n_nodes, dtype=bool)]
        to_sink = [np.zeros(n_nodes, dtype=bool), np.zeros(n_nodes, dtype=bool)]
        group = label_bounds[:-1] // GROUP_ARCS  # each component in the group where its arcs start
        starts = np.r_[label_bounds[np.flatnonzero(np.r_[True, group[1:] != group[:-1]])], label_bounds[-1]]
        for lo, hi in zip(starts[:-1].tolist(), starts[1:].tolist()):
            if hi <= lo:
                continue
            arcs = arc_order[lo:hi]
            for i, (total, arc_flows, reached, reaching) in enumerate(self.max_flows(arcs, capacities[arcs])):
                totals[i] += total
                flows[i][arcs] = arc_flows
                reach[i] |= reached
                to_sink[i] |= reaching
        return [(totals[i], flows[i], reach[i], to_sink[i]) for i in range(2)]

    def labels(self, capacities: np.ndarray, arcs: np.ndarray | None = None) -> np.ndarray:
        """Connected component of each inner node in the network of ``capacities`` (of the inner ``arcs``
        only, when given: then every node that none of them touches is a component of its own).

        Structural arcs count whatever their capacity (coarser components are
        still independent); candidate arcs only when switched on. Components are numbered in the order of
        their smallest node (as scipy numbers them).
        """
        net = self.network
        # int32 node numbers throughout (nationally 32 million arcs: every int64 copy is 256 MB).
        if arcs is None:
            t, h = net.tails[: net.n_arcs - 2], net.heads[: net.n_arcs - 2]
            inner = (t < self.n_inner) & (h < self.n_inner)
            inner[: self.n_candidates] &= capacities[: self.n_candidates] > 0
        else:
            t, h = net.tails[arcs], net.heads[arcs]
            inner = (t < self.n_inner) & (h < self.n_inner)
            candidate = arcs < self.n_candidates
            inner[candidate] &= capacities[arcs[candidate]] > 0
        graph = coo_matrix((np.ones(int(inner.sum()), dtype=np.int8), (t[inner], h[inner])),
                           shape=(self.n_inner, self.n_inner))
        return connected_components(graph, directed=False)[1].astype(np.int64)

    def arcs_by_component(self, label: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The inner arcs sorted by component (stable), and where each component's run starts."""
        arc_label = self.arc_labels(label)
        order = np.argsort(arc_label, kind="stable").astype(np.int32)  # nationally 32 million arcs
        counts = np.bincount(arc_label, minlength=int(label.max(initial=-1)) + 1)
        return order, np.r_[0, np.cumsum(counts)]

    def arc_labels(self, label: np.ndarray, arcs: np.ndarray | None = None) -> np.ndarray:
        """The component of each inner arc, or of the inner ``arcs`` (entry arcs by their student)."""
        net = self.network
        arcs = slice(0, net.n_arcs - 2) if arcs is None else arcs
        t, h = net.tails[arcs], net.heads[arcs]
        last, label = self.n_inner - 1, label.astype(np.int32, copy=False)  # int32: one per arc
        return np.where(t < self.n_inner, label[np.minimum(t, last)], label[np.minimum(h, last)])

    # -- max flows kept up to date ------------------------------------------------

    def arc_flows(self, flows: np.ndarray, root: int) -> np.ndarray:
        """A max flow's ``flows`` per arc (int32, from :meth:`max_flows_by_component`) with, for the flow
        from the source, what leaves each hub on the two source arcs (in place)."""
        net = self.network
        if root == net.source:
            tails, entry_flows = net.tails[self.entry], flows[self.entry]
            flows[-2:] = [int(entry_flows[tails == hub].sum()) for hub in net.heads[-2:]]
        return flows

    def active(self, region: np.ndarray) -> np.ndarray:
        """Per node: the inner nodes of ``region`` and every shared node (where a warm search may go)."""
        return np.r_[region, np.ones(self.network.n_nodes - self.n_inner, dtype=bool)]


class _Calendar:
    """One calendar with what the search needs of it: its arcs, components,
    their values and the residual reach sets of its max flows."""

    def __init__(self, space: CalendarSpace, cohort_offset: np.ndarray) -> None:
        self.space = space
        self.offset = cohort_offset
        self.capacities = space.capacities(cohort_offset)
        self._index(space.labels(self.capacities))
        (placed, flows_e, self.reach_e, self.to_sink_e), (priority, flows_p, self.reach_p, self.to_sink_p) = \
            space.max_flows_by_component(self.capacities[:-2], self.arc_order, self.label_bounds)
        net = space.network
        # Both max flows on every arc: a move's max flows are searched from them (space.warm).
        self.flows_e = space.arc_flows(flows_e, net.source)
        self.flows_p = space.arc_flows(flows_p, net.hub_priority)
        del flows_e, flows_p
        self.label_value = self._values_by_label(self.flows_e[space.entry], self.flows_p[space.entry], space.entry)
        self.value = int(space.weighted(placed, priority))
        self.pair_evaluations = 0

    def _index(self, label: np.ndarray, arcs_by_component: tuple[np.ndarray, np.ndarray] | None = None) -> None:
        """Set the components (``label``) and what is looked up by them (``arcs_by_component``, when
        known, is :meth:`CalendarSpace.arcs_by_component` of ``label``)."""
        space = self.space
        self.on = self.capacities[: space.n_candidates] > 0
        self.label = label
        n_labels = int(label.max(initial=-1)) + 1
        self.arc_order, self.label_bounds = arcs_by_component or space.arcs_by_component(label)
        by_label = np.argsort(label, kind="stable")
        self.first_node = by_label[np.searchsorted(label[by_label], np.arange(n_labels))]

    def _values_by_label(self, flows_e: np.ndarray, flows_p: np.ndarray, entry) -> np.ndarray:
        """Weighted placements per component from the max flows' ``flows_*`` on the ``entry`` arcs."""
        space, n_labels = self.space, len(self.first_node)
        entry_label = self.label[space.network.heads[entry]]
        placed_by_label = np.bincount(entry_label, weights=flows_e, minlength=n_labels)
        priority_by_label = np.bincount(entry_label, weights=flows_p, minlength=n_labels)
        return space.weighted(placed_by_label.astype(np.int64), priority_by_label.astype(np.int64))

    def after(self, cohort_offset: np.ndarray) -> _Calendar:
        """The calendar ``cohort_offset``, which moves some cohorts of this one, computed again only on
        the components the moves touch: the max flows are searched on from this calendar's, and every other
        component keeps its arcs and cut sides (they share no arc with the moved cohorts). The same calendar
        as ``_Calendar(space, cohort_offset)``.

        This calendar's capacities and max flows are handed on, not copied (nationally three arrays of
        32 million arcs, 0.7 s a step): it cannot be evaluated again afterwards."""
        space, net = self.space, self.space.network
        moves = tuple((int(c), int(cohort_offset[c])) for c in np.flatnonzero(cohort_offset != self.offset))
        touched = self.touched(moves) if moves else np.zeros(0, dtype=np.int64)
        new = object.__new__(_Calendar)
        new.space, new.offset, new.pair_evaluations = space, cohort_offset, 0
        region = np.isin(self.label, touched)
        active = space.active(region)
        changed, capacities = self.changes(moves)
        for root, flows, reach, to_sink in self.max_flows():
            space.warm.update(self.capacities, flows, root, net.sink, active, changed, capacities,
                              from_sink=_sink_side_smaller(region, reach, to_sink))
        new.capacities, new.flows_e, new.flows_p = self.capacities, self.flows_e, self.flows_p
        self.capacities = self.flows_e = self.flows_p = None  # handed on: any later use fails at once
        # The touched components' arcs (each arc lies in the component of its tail, or of its head).
        arcs = np.sort(np.concatenate([self.arc_order[self.label_bounds[k]:self.label_bounds[k + 1]]
                                       for k in touched.tolist()] + [np.zeros(0, dtype=np.int64)]))
        # The region splits into its own components; the others keep theirs. Numbered again by smallest
        # node, as from scratch.
        raw = np.where(region, space.labels(new.capacities, arcs) + self.label.max(initial=-1) + 1, self.label)
        _, first, inverse = np.unique(raw, return_index=True, return_inverse=True)
        rank = np.empty(len(first), dtype=np.int64)
        rank[np.argsort(first, kind="stable")] = np.arange(len(first))
        label = rank[inverse.ravel()]
        new._index(label, self._arcs_by_component_after(label, touched, arcs))
        # The shared nodes (source, hubs, sink) are on the same sides in every calendar: the roots reach
        # their hubs, the sink reaches itself, and at a max flow neither reaches the other.
        inner_region = np.r_[region, np.zeros(len(active) - len(region), dtype=bool)]
        sides = []
        for (root, _, reach, to_sink), flows in zip(self.max_flows(), (new.flows_e, new.flows_p)):
            found = space.warm.residual_sides(new.capacities, flows, root, net.sink, active)
            sides.append([np.where(inner_region, side, kept) for side, kept in zip(found, (reach, to_sink))])
        (new.reach_e, new.to_sink_e), (new.reach_p, new.to_sink_p) = sides
        new.label_value = new._values_by_label(new.flows_e[space.entry], new.flows_p[space.entry], space.entry)
        new.value = int(new.label_value.sum())
        return new

    def _arcs_by_component_after(self, label: np.ndarray, touched: np.ndarray,
                                 arcs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`CalendarSpace.arcs_by_component` of the components ``label`` after moves that touched
        this calendar's components ``touched``, whose arcs are ``arcs`` (ascending): every other component's
        run of arcs is copied whole, only the touched arcs are sorted again."""
        n_labels = int(label.max(initial=-1)) + 1
        resorted_label = self.space.arc_labels(label, arcs)
        resorted = arcs[np.argsort(resorted_label, kind="stable")]
        lengths = np.bincount(resorted_label, minlength=n_labels)
        # Where each new component's run starts in [this calendar's arc order, the resorted arcs].
        starts = len(self.arc_order) + np.r_[0, np.cumsum(lengths)[:-1]]
        kept = np.ones(len(self.first_node), dtype=bool)
        kept[touched] = False
        kept_label = label[self.first_node[kept]]
        starts[kept_label] = self.label_bounds[:-1][kept]
        lengths[kept_label] = np.diff(self.label_bounds)[kept]
        bounds = np.r_[0, np.cumsum(lengths)]
        # Each run's shift from the pool to its place, spread over its arcs by a cumulative sum of the
        # changes from run to run (np.repeat over a quarter of a million runs is ten times slower).
        # In int32 and in place: nationally each array of the arcs is 128 MB.
        run = lengths > 0
        shift = np.zeros(int(bounds[-1]) + 1, dtype=np.int32)
        shift[bounds[:-1][run]] = np.diff((starts - bounds[:-1])[run], prepend=0)
        position = np.cumsum(shift[:-1], dtype=np.int32)
        del shift
        position += np.arange(bounds[-1], dtype=np.int32)
        pool = np.concatenate([self.arc_order, resorted.astype(np.int32)])
        return pool[position], bounds

    def max_flows(self) -> tuple[tuple[int, np.ndarray, np.ndarray, np.ndarray], ...]:
        """Each max flow the calendar keeps, r(E)'s then r(P)'s: its root, its flow per arc and its residual
        sides (the nodes the root reaches, those that reach the sink)."""
        net = self.space.network
        return ((net.source, self.flows_e, self.reach_e, self.to_sink_e),
                (net.hub_priority, self.flows_p, self.reach_p, self.to_sink_p))

    def changes(self, moves: tuple[tuple[int, int], ...]) -> tuple[np.ndarray, np.ndarray]:
        """The candidate arcs ``moves`` (of distinct cohorts) switch, and their new capacities (0 or 1).
        A confirmed placement's arc stays off (it takes no flow in any calendar)."""
        arcs, capacities = [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.int64)]
        for cohort, offset in moves:
            ours, on, _ = self.move_arcs(cohort, offset)
            on &= ~np.isin(ours, self.space.network.fixed_arcs)
            switch = on != self.on[ours]
            arcs.append(ours[switch].astype(np.int64))
            capacities.append(on[switch].astype(np.int64))
        return np.concatenate(arcs), np.concatenate(capacities)

    def move_arcs(self, cohort: int, offset: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The cohort's candidate arcs, whether each is on after the move, and which are new."""
        arcs = self.space.cohort_arcs[cohort]
        on = self.space.arcs_on(arcs, np.full(len(arcs), offset))
        return arcs, on, on & ~self.on[arcs]

    def touched(self, moves: tuple[tuple[int, int], ...]) -> np.ndarray:
        """Components moves (cohort, offset) change: those of the cohorts'
        students and of their new arcs' heads."""
        found = []
        for cohort, offset in moves:
            arcs, _, new = self.move_arcs(cohort, offset)
            heads = self.space.network.heads[arcs[new]].astype(np.int64)
            found += [self.label[self.space.cohort_nodes[cohort]], self.label[heads]]
        return distinct(np.concatenate(found))

    def arcs_touched(self, moves: tuple[tuple[int, int], ...]) -> int:
        """How many arcs the components ``moves`` touch hold (what evaluating them costs)."""
        labels = self.touched(moves)
        return int((self.label_bounds[labels + 1] - self.label_bounds[labels]).sum())

    def gain(self, moves: tuple[tuple[int, int], ...]) -> tuple[int, np.ndarray]:
        """Exact change in weighted placements when each cohort moves to its
        offset (distinct cohorts), and one node of each component the moves
        touch (to tell when the gain goes stale).

        Both max flows are searched on from this calendar's on the touched components and then put back
        (in a worker process, on its own copy of the pages it writes)."""
        space, net = self.space, self.space.network
        labels = self.touched(moves)
        if len(labels) == 0:  # no student of the cohorts has an eligible place in any period
            return 0, labels
        changed, capacities = self.changes(moves)
        region = np.isin(self.label, labels)
        active = space.active(region)
        placed, priority = (space.warm.update(self.capacities, flows, root, net.sink, active, changed, capacities,
                                              undo=True, from_sink=_sink_side_smaller(region, reach, to_sink))
                            for root, flows, reach, to_sink in self.max_flows())
        return int(space.weighted(placed, priority)), self.first_node[labels]

    def crossings(self, movable: np.ndarray, student_group: np.ndarray, n_groups: int) -> np.ndarray:
        """Students whose new arcs cross this calendar's residual cuts, counted per group.

        For each offset ``o`` (column ``o + P − 1``) and the cohorts ``movable``
        there, the arcs a move to ``o`` adds; counted are the distinct students,
        per ``student_group``, with a new arc (0) from R to outside R and (1)
        from outside T into T of the max flow r(E), and (2, 3) the same for
        priority students and r(P) (see the module docstring).

        Returns
        -------
        numpy.ndarray
            Counts, shape (4, n_groups, 2P − 1).
        """
        space, net = self.space, self.space.network
        n_p = space.n_periods
        crossing = np.zeros((len(space.student_cohort), 4, 2 * n_p - 1), dtype=np.bool_)
        _crossing_students(space.arc_cohort, space.arc_student, space.arc_position, space.arc_priority, self.on,
                           space.own_periods, movable, net.tails, net.heads, self.reach_e, self.to_sink_e,
                           self.reach_p, self.to_sink_p, crossing)
        out = np.zeros((4, n_groups, 2 * n_p - 1), dtype=np.int64)
        for j, k in np.ndindex(4, 2 * n_p - 1):
            out[j, :, k] = np.bincount(student_group[crossing[:, j, k]], minlength=n_groups)
        return out

    def gain_bounds(self, movable: np.ndarray) -> np.ndarray:
        """Upper bound on each move's gain (see the module docstring), as a
        (cohorts, 2P − 1) matrix over offsets; 0 where a move cannot gain or
        is not allowed by ``movable``."""
        space = self.space
        counts = self.crossings(movable, space.student_cohort, len(space.cohorts))
        bound = space.weighted(np.minimum(counts[0], counts[1]), np.minimum(counts[2], counts[3]))
        return np.where(movable, bound, 0)


@compiled
def _crossing_students(arc_cohort, arc_student, arc_position, arc_priority, on, own_periods, movable, tails,
                       heads, reach_e, to_sink_e, reach_p, to_sink_p, crossing):  # pragma: no cover (compiled)
    """Set ``crossing[s, j, k]`` when student ``s`` has a candidate arc that the move of its cohort to
    column ``k`` switches on and that crosses cut ``j`` (:meth:`_Calendar.crossings`): one pass over the
    arcs for every offset (nationally 32 million arcs, seven offsets)."""
    n_p = own_periods.shape[1]
    for a in range(len(on)):
        if on[a]:
            continue
        t, h = tails[a], heads[a]
        cuts = (reach_e[t] and not reach_e[h], not to_sink_e[t] and to_sink_e[h],
                arc_priority[a] and reach_p[t] and not reach_p[h],
                arc_priority[a] and not to_sink_p[t] and to_sink_p[h])
        if not (cuts[0] or cuts[1] or cuts[2] or cuts[3]):
            continue
        c, s = arc_cohort[a], arc_student[a]
        for k in range(2 * n_p - 1):
            source = arc_position[a] - (k - (n_p - 1))  # the period the arc is in before the move
            if movable[c, k] and 0 <= source < n_p and own_periods[s, source]:
                for j in range(4):
                    if cuts[j]:
                        crossing[s, j, k] = True


def calendar_bound(today: _Calendar, relaxed_label: np.ndarray, room: np.ndarray, max_moves: int | None) -> int:
    """Upper bound on the gain over today of any calendar moving at most ``max_moves`` cohorts.

    ``room[K]`` is the relaxation's value minus today's on relaxed component
    ``K``: no calendar gains more there. Moving a set S of cohorts adds arcs
    to today's network, so on each component the cut argument bounds the gain
    by ``w_r·(ΣA) + (w_p − w_r)·(ΣC)`` over S, with A either crossing count
    of r(E) and C either of r(P) (each cohort at its best offset). Hence the
    gain is at most ``Σ_K min(room_K, Σ_{c∈S} u_cK) ≤ Σ_{c∈S} v_c`` with
    ``v_c = Σ_K min(room_K, u_cK)``: the ``max_moves`` largest ``v_c`` bound it,
    for each of the four choices of A and C, and so does ``Σ room_K``.
    """
    space = today.space
    total = int(room.sum())
    if max_moves is None or total == 0:
        return total
    n_p = space.n_periods
    node_of = space.network.node_of_student(space.problem.n_students)
    component = np.where(node_of >= 0, relaxed_label[np.maximum(node_of, 0)], 0)
    pairs, group = np.unique(space.student_cohort * len(room) + component, return_inverse=True)
    movable = space.allowed.copy()
    movable[:, n_p - 1] = False
    counts = today.crossings(movable, group.ravel(), len(pairs)).max(axis=2)  # each cohort at its best offset
    pair_cohort, pair_room = pairs // len(room), room[pairs % len(room)]
    best = total
    for placed in counts[:2]:
        for priority in counts[2:]:
            capped = np.minimum(pair_room, space.weighted(placed, priority))
            per_cohort = np.bincount(pair_cohort, weights=capped, minlength=len(space.cohorts))
            best = min(best, int(np.sort(per_cohort)[::-1][:max_moves].sum()))
    return best


# Moves of moved cohorts, and of the others, that pairs are formed from (by cut crossings).
PAIR_CANDIDATES = 16


def _best_pair(calendar: _Calendar, n_moved: int, limit: int) -> list[tuple[int, int, int]]:
    """When no single move gains: the best pair of moves that gains together.

    Pairs are formed from the ``PAIR_CANDIDATES`` moves of moved cohorts (a
    pair may then swap one moved cohort for another at the limit) and of other
    cohorts whose new arcs cross the cuts most (so a stalled step evaluates at
    most a few hundred pairs). Only pairs touching a
    common component can gain together (else their gains add up, and neither
    gains); the cut bound of a pair adds its moves' crossing counts. Pairs are
    evaluated in decreasing bound order until the bound cannot beat the best.

    Returns
    -------
    list of (cohort, offset, gain)
        The pair's two moves, the first with its own gain and the second
        with the rest of the pair's gain; empty when no pair gains.
    """
    space = calendar.space
    n_p = space.n_periods
    n_c = len(space.cohorts)
    movable = space.allowed.copy()
    movable[np.arange(n_c), calendar.offset + n_p - 1] = False
    counts = calendar.crossings(movable, space.student_cohort, n_c)
    moved = calendar.offset != 0
    score = counts.sum(axis=0)
    c_idx, k_idx = np.nonzero(movable & ((score > 0) | moved[:, None]))
    order = np.lexsort((k_idx, c_idx, ~moved[c_idx], -score[c_idx, k_idx]))
    from_moved = order[moved[c_idx[order]]][:PAIR_CANDIDATES]
    others = order[~moved[c_idx[order]]][:PAIR_CANDIDATES]
    chosen = np.sort(np.r_[from_moved, others])  # cohort order, then offset
    candidates = [(int(c_idx[i]), int(k_idx[i]) - (n_p - 1)) for i in chosen]
    touched = [set(calendar.touched((m,)).tolist()) for m in candidates]
    change = [(1 if not moved[c] and o != 0 else 0) - (1 if moved[c] and o == 0 else 0) for c, o in candidates]
    pairs = []
    for i, (ci, oi) in enumerate(candidates):
        for j in range(i + 1, len(candidates)):
            cj, oj = candidates[j]
            if ci == cj or n_moved + change[i] + change[j] > limit or not touched[i] & touched[j]:
                continue
            ki, kj = oi + n_p - 1, oj + n_p - 1
            total = counts[:, ci, ki] + counts[:, cj, kj]
            bound = int(space.weighted(min(total[0], total[1]), min(total[2], total[3])))
            if bound > 0:
                pairs.append((-bound, i, j))
    pairs.sort()
    best, best_gain = None, 0
    calendar.pair_evaluations = 0
    for negative_bound, i, j in pairs:
        if -negative_bound <= best_gain:
            break
        gain, _ = calendar.gain((candidates[i], candidates[j]))
        calendar.pair_evaluations += 1
        if gain > best_gain:
            best, best_gain = (i, j), gain
    if best is None:
        return []
    (ci, oi), (cj, oj) = candidates[best[0]], candidates[best[1]]
    first, _ = calendar.gain(((ci, oi),))
    calendar.pair_evaluations += 1
    return [(ci, oi, first), (cj, oj, best_gain - first)]


def default_offsets(instance: Instance) -> dict[Cohort, tuple[int, ...]]:
    """Every cohort may shift anywhere within the school year."""
    return {c: tuple(shift_range(instance, positions)) for c, positions in cohort_members(instance).items()}


def optimise_calendar(
    instance: Instance,
    policy: Policy | None = None,
    *,
    allowed: dict[Cohort, tuple[int, ...]] | None = None,
    max_moves: int | None = None,
    jobs: int = 1,
    progress: Callable[[str], None] | None = None,
) -> CalendarPlan:
    """Choose each cohort's offset to place the most students, priority weighted.

    Parameters
    ----------
    instance
        A validated instance.
    policy
        The policy (its weights define the objective); ``Policy()`` when omitted.
    allowed
        Allowed offsets per cohort (0 is always allowed: today's periods);
        cohorts not named stay as today. Default: every cohort anywhere within
        the school year (:func:`default_offsets`).
    max_moves
        At most this many cohorts moved; ``None`` for no limit.
    jobs
        Threads that evaluate moves; the calendar does not depend on it.
    progress
        Called with the name of each stage as it starts (``relax``, ``bound``,
        ``search``) and with ``step N`` at each search step.

    Returns
    -------
    CalendarPlan

    Raises
    ------
    ValueError
        When an allowed offset moves a cohort's periods out of the school year.
    """
    policy = policy or Policy()
    seconds: dict[str, float] = {}
    say = progress or (lambda _stage: None)
    ranges = default_offsets(instance)
    allowed = ranges if allowed is None else allowed
    for cohort, offsets in allowed.items():
        if cohort not in ranges:
            raise ValueError(f"no students in cohort {cohort}")
        outside = sorted(set(offsets) - set(ranges[cohort]))
        if outside:
            raise ValueError(f"cohort {cohort} cannot shift by {outside[0]} periods: allowed "
                             f"{ranges[cohort][0]} to {ranges[cohort][-1]}")

    say("relax")
    start = time.perf_counter()
    space = CalendarSpace(instance, policy, allowed)
    n_p, n_c = space.n_periods, len(space.cohorts)
    seconds["relax"] = time.perf_counter() - start

    say("bound")
    start = time.perf_counter()
    current = _Calendar(space, np.zeros(n_c, dtype=np.int64))
    relaxed_label, n_components, relaxed_value = _relaxation_values(space, current)
    today_value = _component_values(current, relaxed_label, n_components)
    weighted_today = current.value
    bound = current.value + calendar_bound(current, relaxed_label, relaxed_value - today_value, max_moves)
    seconds["bound"] = time.perf_counter() - start

    say("search")
    start = time.perf_counter()
    search = _MoveSearch(space, jobs)
    moves, step = [], 0
    limit = n_c if max_moves is None else max_moves
    while True:
        say(f"step {step + 1}")
        best, best_gain = search.best_move(current, step, limit)
        if best is not None:
            applied = [(best[0], best[1], best_gain)]
        else:
            applied = _best_pair(current, int((current.offset != 0).sum()), limit)
            search.evaluations += current.pair_evaluations
            if not applied:
                break
        search.changed(current, applied, step)
        current = _applied(current, applied, moves)
        step += 1
    seconds["search"] = time.perf_counter() - start

    found_value = _component_values(current, relaxed_label, n_components)
    shifts = {space.cohorts[c]: int(current.offset[c]) for c in np.flatnonzero(current.offset)}
    return CalendarPlan(
        shifts=shifts,
        moves=moves,
        allowed={c: tuple(o for o in range(-(n_p - 1), n_p) if space.allowed[i, o + n_p - 1])
                 for i, c in enumerate(space.cohorts)},
        students={c: int(n) for c, n in zip(space.cohorts, space.cohort_sizes)},
        max_moves=max_moves,
        # Confirmed placements (rounds) are in every calendar alike, outside the flows.
        weighted_today=weighted_today + space.fixed_weight,
        weighted_proposed=current.value + space.fixed_weight,
        weighted_relaxed=int(relaxed_value.sum()) + space.fixed_weight,
        weighted_bound=bound + space.fixed_weight,
        components=n_components,
        components_at_bound=int((found_value == relaxed_value).sum()),
        evaluations=search.evaluations,
        cached=search.cached,
        screened_out=search.screened_out,
        steps=step,
        seconds={k: round(v, 4) for k, v in seconds.items()},
    )


def _relaxation_values(space: CalendarSpace, today: _Calendar) -> tuple[np.ndarray, int, np.ndarray]:
    """The relaxed network's components (a label per inner node), their number, and the
    relaxation's value on each: no calendar places more there.

    Today's network is the relaxation with some candidate arcs off, so today's max flows are flows of the
    relaxation: switching those arcs on and searching on from them (:class:`WarmMaxFlow`) gives its max
    flows without a solve from scratch (nationally 11 s against 14 s, and no solver holding 32 million arcs).
    """
    net = space.network
    relaxed_label = space.labels(net.capacities)
    n_components = int(relaxed_label.max(initial=-1)) + 1
    switched_on = np.flatnonzero(today.capacities != net.capacities)
    every_node, every_inner = np.ones(net.n_nodes, dtype=bool), np.ones(space.n_inner, dtype=bool)
    entry_flows = []
    for root, flows, reach, to_sink in today.max_flows():
        flows = flows.copy()
        space.warm.update(today.capacities.copy(), flows, root, net.sink, every_node, switched_on,
                          net.capacities[switched_on], from_sink=_sink_side_smaller(every_inner, reach, to_sink))
        entry_flows.append(flows[space.entry])
        del flows
    entry_label = relaxed_label[net.heads[space.entry]]
    relaxed_value = space.weighted(
        np.bincount(entry_label, weights=entry_flows[0], minlength=n_components).astype(np.int64),
        np.bincount(entry_label, weights=entry_flows[1], minlength=n_components).astype(np.int64))
    return relaxed_label, n_components, relaxed_value


class _MoveSearch:
    """Best-improvement search over single cohort moves.

    A move's exact gain is kept until a later step changes a component it
    touches (``changed_at``), and a move is evaluated only while its cut bound
    can still beat the best gain found in the step. Moves are evaluated in
    fixed batches of :data:`EVALUATION_BATCH`, in worker processes when ``jobs`` > 1 and the batch is
    large (:data:`PROCESS_ARCS`), so which moves are evaluated, and so every count, does not depend on
    ``jobs``.
    """

    def __init__(self, space: CalendarSpace, jobs: int) -> None:
        self.space = space
        self.jobs = worker_count(jobs, EVALUATION_BATCH)
        self.changed_at = np.full(space.n_inner, -1, dtype=np.int64)
        self.cache: dict[tuple[int, int], tuple[int, int, np.ndarray]] = {}
        self.evaluations = self.cached = self.screened_out = 0

    def _queue(self, current: _Calendar, limit: int) -> list[tuple[int, int, int]]:
        """(cohort, offset, gain bound) of every move whose bound is positive, best bound first."""
        n_p, n_c = self.space.n_periods, len(self.space.cohorts)
        moved = current.offset != 0
        movable = self.space.allowed.copy()
        movable[np.arange(n_c), current.offset + n_p - 1] = False
        if moved.sum() >= limit:
            movable[~moved] = False
        bounds = current.gain_bounds(movable)
        c_idx, k_idx = np.nonzero(bounds > 0)
        self.screened_out += int(movable.sum()) - len(c_idx)
        # Highest bound first; then cohort order, then offset: a total, input-only order.
        order = np.lexsort((k_idx, c_idx, -bounds[c_idx, k_idx]))
        return [(int(c_idx[i]), int(k_idx[i]) - (n_p - 1), int(bounds[c_idx[i], k_idx[i]])) for i in order]

    def _stale(self, move: tuple[int, int]) -> bool:
        hit = self.cache.get(move)
        return hit is None or self.changed_at[hit[2]].max(initial=-1) >= hit[1]

    def best_move(self, current: _Calendar, step: int, limit: int) -> tuple[tuple[int, int] | None, int]:
        """The single move of largest exact gain (the first in queue order among equals), and its gain."""
        queue = self._queue(current, limit)
        best, best_gain, position = None, 0, 0
        with ProcessPool(current, self.jobs) as pool:
            while position < len(queue) and queue[position][2] > best_gain:
                # The next moves that could still beat the best, up to one batch of work.
                batch, fresh = [], []
                while position + len(batch) < len(queue) and len(fresh) < EVALUATION_BATCH:
                    c, o, b = queue[position + len(batch)]
                    if b <= best_gain:
                        break
                    batch.append((c, o, b))
                    if self._stale((c, o)):
                        fresh.append((c, o))
                if fresh:
                    large = self.jobs > 1 and sum(current.arcs_touched((m,)) for m in fresh) >= PROCESS_ARCS
                    found = pool.map(_gain_of_move, fresh) if large else [current.gain((m,)) for m in fresh]
                    for (c, o), (gain, nodes) in zip(fresh, found):
                        self.cache[(c, o)] = (gain, step, nodes)
                    self.evaluations += len(fresh)
                self.cached += len(batch) - len(fresh)
                for c, o, b in batch:  # in queue order: the first of equal gains wins
                    if b <= best_gain:
                        break
                    gain = self.cache[(c, o)][0]
                    if gain > best_gain:
                        best, best_gain = (c, o), gain
                    position += 1
        return best, best_gain

    def changed(self, current: _Calendar, applied: list[tuple[int, int, int]], step: int) -> None:
        """Mark the components the ``applied`` moves touch as changed at ``step``."""
        touched = current.touched(tuple((c, o) for c, o, _ in applied))
        self.changed_at[np.isin(current.label, touched)] = step


def _sink_side_smaller(region: np.ndarray, reach: np.ndarray, to_sink: np.ndarray) -> bool:
    """Whether fewer of the ``region``'s inner nodes reach the sink than the root reaches, in a max flow's
    residual sides ``reach`` and ``to_sink``: then its warm update searches from the sink (each search covers
    about one side of the cut; nationally 16 thousand nodes against 164 thousand for the flow of every
    student, the other way round for the priority students')."""
    n = len(region)
    return int(np.count_nonzero(to_sink[:n] & region)) < int(np.count_nonzero(reach[:n] & region))


def _gain_of_move(calendar: _Calendar, move: tuple[int, int]) -> tuple[int, np.ndarray]:
    """A worker's task: :meth:`_Calendar.gain` of one move."""
    return calendar.gain((move,))


def _applied(previous: _Calendar, applied: list[tuple[int, int, int]], moves: list[Move]) -> _Calendar:
    """The calendar ``previous`` with the ``applied`` (cohort, offset, gain) moves made (appended to
    ``moves``), checked to gain exactly what their evaluation said."""
    offsets = previous.offset.copy()
    for c, o, gain in applied:
        offsets[c] = o
        moves.append(Move(previous.space.cohorts[c], o, gain))
    after = previous.after(offsets)
    total = sum(gain for _, _, gain in applied)
    if after.value != previous.value + total:
        raise ModelError(f"the calendar's value {after.value} is not the evaluated "
                         f"{previous.value} + {total}; please report this")
    return after


def _component_values(calendar: _Calendar, relaxed_label: np.ndarray, n_components: int) -> np.ndarray:
    """A calendar's value on each connected component of the relaxed network
    (each component of the calendar's network lies inside one)."""
    return np.bincount(relaxed_label[calendar.first_node], weights=calendar.label_value,
                       minlength=n_components).astype(np.int64)

