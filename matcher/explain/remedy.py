"""Remedies: the cheapest single change that places an unplaced student, verified.

For each unplaced student the possible single changes are tried from the one
that asks least of anyone to the one that asks most (:data:`REMEDY_KINDS`):

1. ``travel``: the student travels N more minutes (at most
   :data:`MAX_EXTRA_TRAVEL_MIN`), the fewest that reach a place;
2. ``period``: the student also accepts another period, the earliest that works;
3. ``duo``: a vacancy takes duo students;
4. ``guidance``: one more extra-guidance place at a vacancy (or a first one);
5. ``supervision``: one more student for a supervisor;
6. ``company``: one more student for a company;
7. ``place``: one more place at a vacancy;
8. ``recruit``: a company recognised for the student's crebo at the student's
   home, in the student's first-choice period, offering one place or else
   as many as surely place the student.

A change is kept only when it places the student in *every* optimum of the
changed instance, so the full re-solve (whatever its tie-breaking among equal
costs) places the student too; the tests re-solve every remedy to check.

How that is decided, without solving again. The sets of students that can be
placed together form a matroid (see :mod:`matcher.engine.network`); a student ``s``
is in every max-weight set exactly when ``s`` adds to the rank of ``T``, the
other students whose weight is at least ``s``'s (everyone for a regular
student, the priority tier for a priority student). Let ``F`` be a max flow
of ``T`` that leaves every unplaced student out (the optimum itself, or for
the priority tier a max flow from ``hub_priority`` with the unplaced
students' entries closed), and ``G`` its residual graph. A change that
raises arcs ``A`` places ``s`` in every optimum when

- ``s`` reaches the tail of an arc of ``A`` in ``G`` whose head reaches the
  sink (an augmenting path through ``s``: the rank of ``T + s`` rises), and
- no arc of ``A`` can be reached from the root without passing ``s`` (the
  rank of ``T`` cannot rise: every augmenting path of ``T`` would need one),
  read off the dominator tree of ``G``.

This covers every capacity in the network, not only those at the student's
own vacancies: raising a place further up a chain lets a placed student move
there and frees a place for this one. Travel and period changes only add
arcs at the student, so the first condition alone decides them exactly.

A recruited company offers places in the student's first-choice period.
One place is enough when the student's way into it beats, strictly and
lexicographically, every other student's (the cheapest residual cycle
through the new place, from :mod:`matcher.explain.residual`'s exchange graph).
Otherwise: without ``s`` the company would take ``c`` students (a max flow
from the root to the other students who could go there, in ``G``); with
``k = c + 1`` places ``s`` gains a place in every optimum, since augmenting a
max flow of ``T + s`` without the company to one with it adds at most one
student there per path, and with fewer some optimum leaves ``s`` out. A
recruited company always exists, so every unplaced student gets a remedy;
``none`` remains only for a student the recruited company could not take
(no arc at all), with the reason.

What is not offered: a capacity change that other students could use as
well (the rank of ``T`` rises too). It may still place the student, by the
costs that break ties, but not surely; finding out takes a re-solve per
change, which the adviser's ``stagematch advise`` does for the capacities
that matter most overall. (Measured on the demo: checking such changes
exactly for every optimum, two max flows each, found none that surely
places the student in the first three per student, at five times the time;
one exact re-solve each found 14 among 680 students, at seventeen times.)

Within a kind, the change closest to the student (first met in a breadth-first
search of ``G`` from the student) comes first. Cost: two residual graphs with
the part of their dominator trees asked about (who dominates what, among the
unplaced students: :func:`matcher.explain.residual.entry_owners`), then per
student a breadth-first search within what it dominates, and, for
recruitment, a shortest-path search per component (shared by all students)
and, when one place is not enough, a max flow from the root to the rivals
that searches only their neighbourhood (compiled augmenting paths,
:meth:`matcher.explain.residual.RootedResidual.max_flow_to`). The changed
arcs are generated for the unplaced students only. On the 10,000-student demo
the remedies take about a second; benchmarks/README.md has the national figures.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from ortools.graph.python import max_flow
from scipy.sparse.csgraph import dijkstra

from matcher.engine.candidates import Candidates, generate_candidates
from matcher.engine.csr import distinct, first_of_each, ranges
from matcher.engine.parallel import process_map
from matcher.engine.problem import UNLIMITED, Problem, priority_class
from matcher.engine.solve import Solved
from matcher.errors import ModelError
from matcher.explain.residual import (
    CAPACITY_KINDS,
    RootedResidual,
    capacity_arcs,
    decode_difference,
    exchange_graph,
    reduced_residual,
)

REMEDY_KINDS = ("travel", "period", "duo", "guidance", "supervision", "company", "place", "recruit")
# The capacity changes among them, in that order of preference: the capacity kinds
# (matcher.explain.residual) and ``duo``, a vacancy's place arcs doubled by a duo arc.
CAPACITY_REMEDIES = tuple(kind for kind in REMEDY_KINDS if kind == "duo" or kind in CAPACITY_KINDS)
MAX_EXTRA_TRAVEL_MIN = 30
REMEDY_COLUMNS = ("student_id", "remedy", "remedy_detail")
# The change itself, for programs and tests: what it applies to, and the new value
# (limit in minutes for travel, period id for period, places for recruit).
CHANGE_COLUMNS = ("change_target", "change_value")


@dataclass(frozen=True)
class Remedy:
    """A single change for one student: ``kind`` of :data:`REMEDY_KINDS`,
    ``target`` (vacancy, supervisor or company index; minutes for travel;
    period index for period)."""

    kind: str
    target: int


def priority_flows(solved: Solved, placed: np.ndarray) -> np.ndarray:
    """The max flow ``F`` of the priority tier behind the remedies (see the module docstring).

    A max flow from ``hub_priority`` (value ``r(P)``, the most priority
    students that can be placed together) that places no student the optimum
    leaves out: their entry arcs are closed, which keeps the value, since the
    optimum places ``r(P)`` priority students.

    Parameters
    ----------
    solved
        The solved match.
    placed
        Per student (index of ``solved.problem``): whether the optimum places it.

    Returns
    -------
    np.ndarray
        The flow on every arc of ``solved.network``.
    """
    network = solved.network
    closed = np.zeros(network.n_arcs, dtype=bool)
    entry = network.arc_ranges()["entry"]
    closed[entry] = ~placed[network.active_students]
    flows = np.zeros(network.n_arcs, dtype=np.int64)
    for part in solved.parts:
        capacities = part.capacities.copy()
        capacities[part.body][closed[part.arcs]] = 0
        solver = max_flow.SimpleMaxFlow()
        arcs = solver.add_arcs_with_capacity(part.tails, part.heads, capacities)
        if solver.solve(part.hub_priority, part.sink) != solver.OPTIMAL:
            raise ModelError("max-flow solver failed while finding remedies")
        flows[part.arcs] = solver.flows(arcs)[part.body]
    return flows


@dataclass(frozen=True, eq=False)
class _WayBack:
    """Of one component: its ``students`` (sorted) and the real cost of the cheapest residual path from its
    sink to each (:meth:`_Context.way_back`), with the component's cost scale to decode it."""

    students: np.ndarray
    cost: np.ndarray
    secondary_bound: int
    scale: int


class _Context:
    """What every remedy of one match shares."""

    def __init__(self, solved: Solved) -> None:
        self.solved = solved
        network, problem = solved.network, solved.problem
        self.node_part = np.full(network.n_nodes, -1, dtype=np.int64)
        for i, part in enumerate(solved.parts):
            self.node_part[network.tails[part.arcs]] = i
        self.node_part[network.n_inner:] = -1  # the shared nodes belong to no part
        self.placed = solved.placed
        self.node = network.node_of_student(problem.n_students)
        self.priority = priority_class(problem, solved.policy).astype(bool)
        self.residuals = {False: RootedResidual(network, solved.flows, network.source)}
        if self.priority.any():
            self.residuals[True] = RootedResidual(network, priority_flows(solved, self.placed), network.hub_priority)
        self._vp_lookup()
        self._change_table()
        self._ways_back: dict[int, _WayBack] = {}

    def residual_of(self, student: int) -> RootedResidual:
        """The residual graph that decides for ``student`` (its weight class)."""
        return self.residuals[bool(self.priority[student])]

    def _vp_lookup(self) -> None:
        """Node of each vacancy-period, guidance gadget, supervisor- and company-period."""
        network, problem = self.solved.network, self.solved.problem
        n_p = problem.n_periods
        self.vp_of_key = dict(zip((network.vp_vacancy * n_p + network.vp_period).tolist(),
                                  range(len(network.vp_vacancy))))
        self.vp_node = network.vp_nodes()
        self.gadget_node = network.guidance_nodes()
        sup_keys = problem.v_supervisor[network.vp_vacancy[network.sup_vp]] * n_p + network.vp_period[network.sup_vp]
        self.sup_node = dict(zip(sup_keys.tolist(), network.supervisor_nodes().tolist()))
        comp_keys = problem.v_company[network.vp_vacancy[network.comp_vp]] * n_p + network.vp_period[network.comp_vp]
        self.comp_node = dict(zip(comp_keys.tolist(), network.company_nodes().tolist()))

    def _change_table(self) -> None:
        """Every capacity change as the arcs it raises, grouped two ways: by the
        arcs' tail node (to find the changes a student reaches) and by change
        (to check that no one else reaches them).

        A duo place raises a parallel arc beside each place arc of the
        vacancy; it is offered only where it adds no extra-guidance limit
        (a new gadget would constrain students already placed there).
        """
        solved = self.solved
        network, problem = solved.network, solved.problem
        owners = capacity_arcs(solved)
        place_range = network.arc_ranges()["place"]
        vp_v = network.vp_vacancy
        guided = np.zeros(problem.n_vacancies, dtype=bool)
        cand = solved.candidates
        guided[cand.vacancy[problem.s_guidance[cand.student]]] = True
        v = vp_v
        can_duo = (~problem.v_duo[v]) & (problem.v_places[v] > 0) & (
            (problem.v_guidance_places[v] >= 2 * problem.v_places[v]) | ~guided[v])
        # One more place raises the extra-guidance places too when all are open to guidance.
        gadget = owners[owners["kind"] == "guidance"]
        gadget = gadget[problem.v_guidance_places[gadget["index"]] >= problem.v_places[gadget["index"]]]
        # Explicit integer dtypes: a network without capacity arcs (no places, no
        # students) gives empty object columns, which np.unique(axis=0) refuses.
        arcs = np.concatenate([owners["arc"].to_numpy(np.int64), place_range.start + np.flatnonzero(can_duo),
                               gadget["arc"].to_numpy(np.int64)])
        kinds = np.concatenate([owners["kind"].map(CAPACITY_REMEDIES.index).to_numpy(np.int64),
                                np.zeros(int(can_duo.sum()), dtype=np.int64),
                                np.full(len(gadget), CAPACITY_REMEDIES.index("place"), dtype=np.int64)])
        targets = np.concatenate([owners["index"].to_numpy(np.int64), vp_v[can_duo].astype(np.int64),
                                  gadget["index"].to_numpy(np.int64)])
        keys, key_of_row = np.unique(np.stack([kinds, targets], axis=1), axis=0, return_inverse=True)
        key_of_row = key_of_row.reshape(-1)
        self.key_kind, self.key_target = keys[:, 0], keys[:, 1]
        tails, heads = network.tails[arcs].astype(np.int64), network.heads[arcs].astype(np.int64)
        by_tail = np.argsort(tails, kind="stable")
        self.row_tail, self.row_head, self.row_key = tails[by_tail], heads[by_tail], key_of_row[by_tail]
        self.tail_first = first_of_each(self.row_tail, network.n_nodes)
        by_key = np.argsort(self.row_key, kind="stable")
        self.key_rows = by_key
        self.key_first = first_of_each(self.row_key[by_key], len(keys))

    def arc_reaches_sink(self, student: int, vacancy: int, period: int, residual: RootedResidual) -> bool:
        """Whether a new arc from ``student`` to (vacancy, period) ends where
        ``residual`` reaches the sink."""
        problem = self.solved.problem
        reaches = residual.reaches_sink
        vp = self.vp_of_key.get(vacancy * problem.n_periods + period)
        if vp is not None:
            gadget = self.gadget_node[vp]
            head = gadget if problem.s_guidance[student] and gadget >= 0 else self.vp_node[vp]
            return bool(reaches[head])
        # A vacancy-period with no arcs yet: its place is free; follow its chain.
        sup = int(problem.v_supervisor[vacancy])
        if sup >= 0 and problem.supervisor_capacity[sup] != UNLIMITED:
            node = self.sup_node.get(sup * problem.n_periods + period)
            if node is not None:
                return bool(reaches[node])
            if problem.supervisor_capacity[sup] == 0:
                return False
        comp = int(problem.v_company[vacancy])
        if problem.company_max_students[comp] != UNLIMITED:
            node = self.comp_node.get(comp * problem.n_periods + period)
            if node is not None:
                return bool(reaches[node])
            return bool(problem.company_max_students[comp] > 0)
        return True

    def new_arcs_place(self, student: int, vacancies: np.ndarray, periods: np.ndarray) -> np.ndarray:
        """Per new arc of ``student``: whether adding it (with the arcs before
        it) places the student in every optimum. Only the student's arcs
        change, so the rank of the others stays; it is exact."""
        residual = self.residual_of(student)
        hits = np.array([self.arc_reaches_sink(student, v, p, residual)
                         for v, p in zip(vacancies.tolist(), periods.tolist())], dtype=bool)
        return np.logical_or.accumulate(hits) if len(hits) else hits

    def capacity_remedy(self, student: int) -> Remedy | None:
        """The first capacity change, by kind and then by closeness to the
        student, that places the student in every optimum; None if none does."""
        node = int(self.node[student])
        if node < 0:
            return None
        residual = self.residual_of(student)
        met = residual.dominated_in_search_order(node)
        lo, hi = self.tail_first[met], self.tail_first[met + 1]
        counts = hi - lo
        rows = ranges(lo, counts)
        closeness = np.repeat(np.arange(len(met)), counts)
        useful = residual.reaches_sink[self.row_head[rows]]
        rows, closeness = rows[useful], closeness[useful]
        if not len(rows):
            return None
        keys = self.row_key[rows]
        keys = keys[np.lexsort((self.key_target[keys], closeness, self.key_kind[keys]))]
        _, first = np.unique(keys, return_index=True)
        keys = keys[np.sort(first)]  # each change once, in order
        # A change is out when anyone else reaches one of its arcs.
        lo, hi = self.key_first[keys], self.key_first[keys + 1]
        counts = hi - lo
        rows = self.key_rows[ranges(lo, counts)]
        escaping = residual.escapes(node, self.row_tail[rows])
        blocked = np.bincount(np.repeat(np.arange(len(keys)), counts), weights=escaping, minlength=len(keys)) > 0
        if blocked.all():
            return None
        key = int(keys[np.argmin(blocked)])
        return Remedy(CAPACITY_REMEDIES[int(self.key_kind[key])], int(self.key_target[key]))

    def way_back(self, part: int) -> _WayBack:
        """The cheapest residual path from ``part``'s sink to each of its students (a cycle through a new
        place closes with it), computed once per component."""
        cached = self._ways_back.get(part)
        if cached is None:
            graph = exchange_graph(self.solved, part)
            residual = reduced_residual(graph)
            reduced = dijkstra(residual.reversed.transpose().tocsr(), directed=True, indices=graph.sink)
            real = reduced - residual.potential[graph.sink] + residual.potential
            order = np.argsort(graph.students)
            cached = _WayBack(graph.students[order], real[graph.student_nodes[order]], graph.secondary_bound,
                              graph.scale)
            self._ways_back[part] = cached
        return cached

    def one_place_suffices(self, student: int, own_cost: int, rivals: np.ndarray, costs: np.ndarray) -> bool:
        """Whether a recruited vacancy with one place (one period) that
        ``rivals`` could take at ``costs`` places ``student`` in every
        lexicographic optimum.

        The new optimum is the old one plus the cheapest residual cycle
        through the new place (:mod:`matcher.explain.residual` explains the exchange
        graph): from the sink back to a student, who takes the place. For
        this student, unplaced, the way back is its own unplaced arc, worth
        (−weight, cost at the new place). The student is placed in every
        optimum when that beats, strictly and lexicographically, the cycle of
        every other student who could go there (a shortest path from the
        sink, decoded with its component's scale).
        """
        problem = self.solved.problem
        weight = problem.s_weight.astype(np.int64)
        best = (-int(weight[student]), int(own_cost))
        others = rivals != student
        rivals, costs = rivals[others], costs[others].astype(np.int64)
        nodes = self.node[rivals]
        alone = nodes < 0  # no place anywhere: its unplaced arc is its only way back
        lost, extra = -weight[rivals[alone]], costs[alone]
        if len(lost) and min(zip(lost.tolist(), extra.tolist())) <= best:
            return False
        for part in distinct(self.node_part[nodes[~alone]]).tolist():
            in_part = ~alone & (self.node_part[np.maximum(nodes, 0)] == part)
            way = self.way_back(part)
            back = way.cost[np.searchsorted(way.students, rivals[in_part])]
            reachable = np.isfinite(back)
            if not reachable.any():
                continue
            lost, extra = decode_difference(np.rint(back[reachable]).astype(np.int64), way.secondary_bound,
                                            way.scale)
            if min(zip(lost.tolist(), (extra + costs[in_part][reachable]).tolist())) <= best:
                return False
        return True

    def rivals_reaching(self, student: int, rivals: np.ndarray) -> np.ndarray:
        """Of ``rivals`` (other students who would gain an arc to the same new
        place), those who can take it without passing ``student``: the
        students who count for ``student``'s weight class, reached from the
        root without passing ``student``, or with no node at all."""
        residual = self.residual_of(student)
        rivals = distinct(rivals)
        rivals = rivals[rivals != student]
        if residual.root == self.solved.network.hub_priority:
            rivals = rivals[self.priority[rivals]]
        nodes = self.node[rivals]
        active = nodes >= 0
        escaping = np.ones(len(rivals), dtype=bool)
        escaping[active] = residual.escapes(int(self.node[student]), nodes[active])
        return rivals[escaping]

    def recruit_places(self, student: int, rivals: np.ndarray) -> int:
        """Places a company recruited at the student's home needs so that every
        optimum places the student: one more than the most other students it
        would take (see the module docstring)."""
        rivals = self.rivals_reaching(student, rivals)
        nodes = self.node[rivals]
        without_node = int((nodes < 0).sum())
        nodes = nodes[nodes >= 0]
        if not len(nodes):
            return 1 + without_node
        moved = self.residual_of(student).max_flow_to(nodes, avoid=int(self.node[student]))
        return 1 + without_node + moved


RECRUIT_ID_PREFIX = "zz-recruit-"  # sorts after every id the generator and SPEC examples use


def with_recruits(problem: Problem, students: np.ndarray) -> tuple[Problem, np.ndarray]:
    """``problem`` plus, for each of ``students``, a recruited company with one
    vacancy at the student's home: the student's crebo and pathway, every
    level, the student's first-choice period, one place open to extra
    guidance, accessible, no supervisor, no limit on the company.

    Returns the problem and each student's new vacancy index. The new
    vacancies and companies come after all others, as ids that sort last do.
    """
    k = len(students)
    n_v, n_c = problem.n_vacancies, len(problem.company_ids)
    ranks = problem.s_period_rank[students]
    first_choice = np.zeros(ranks.shape, dtype=bool)
    first_choice[np.arange(k), np.where(ranks >= 0, ranks, ranks.shape[1]).argmin(axis=1)] = True
    new_v = n_v + np.arange(k)
    names = np.array([f"{RECRUIT_ID_PREFIX}{i}" for i in range(k)], dtype=object)

    def add(name, values):
        return np.concatenate([getattr(problem, name), np.asarray(values, dtype=getattr(problem, name).dtype)])

    return replace(
        problem,
        vacancy_ids=add("vacancy_ids", names),
        company_ids=add("company_ids", names),
        company_max_students=add("company_max_students", np.full(k, UNLIMITED)),
        v_company=add("v_company", n_c + np.arange(k)),
        v_supervisor=add("v_supervisor", np.full(k, UNLIMITED)),
        v_lat=add("v_lat", problem.s_lat[students]),
        v_lon=add("v_lon", problem.s_lon[students]),
        v_pc4=add("v_pc4", problem.s_pc4[students]),
        v_places=add("v_places", np.ones(k)),
        v_period_offered=np.concatenate([problem.v_period_offered, first_choice]),
        v_min_level=add("v_min_level", np.ones(k)),
        v_max_level=add("v_max_level", np.full(k, 4)),
        v_guidance_places=add("v_guidance_places", np.ones(k)),
        v_duo=add("v_duo", np.zeros(k, dtype=bool)),
        v_accessible=add("v_accessible", np.ones(k, dtype=bool)),
        v_pathway_bits=add("v_pathway_bits", problem.s_pathway_bit[students]),
        vc_vacancy=add("vc_vacancy", new_v),
        vc_crebo=add("vc_crebo", problem.s_crebo[students]),
    ), new_v


def find_remedies(solved: Solved, *, jobs: int | None = 1, progress=None) -> pd.DataFrame:
    """The verified cheapest single change for every unplaced student.

    Parameters
    ----------
    solved
        A match with its arrays (:func:`matcher.engine.solve.solve_in_detail`).
    jobs
        Processes sharing the students (the result does not depend on it).
    progress
        Called with (students done, students in all).

    Returns
    -------
    pandas.DataFrame
        :data:`REMEDY_COLUMNS` and :data:`CHANGE_COLUMNS`, one row per unplaced
        student still seeking (a withdrawn one has none), sorted by id.
    """
    context = _Context(solved)
    problem = solved.problem
    seeking = ~problem.decided.withdrawn if problem.decided is not None else True  # rounds: not the withdrawn
    unplaced = np.flatnonzero(~context.placed & seeking)
    widened = _widened_candidates(problem, solved.policy, unplaced)
    # The ways back of the unplaced students' components, before the workers fork: they share them instead
    # of each computing (and holding) its own; the giant components' searches are the dearest.
    nodes = context.node[unplaced]
    for part in distinct(context.node_part[nodes[nodes >= 0]]).tolist():
        context.way_back(part)
    chunks = [unplaced[i:i + 100] for i in range(0, len(unplaced), 100)]
    done = 0

    def finished(index: int, _rows: list[tuple]) -> None:
        nonlocal done
        done += len(chunks[index])
        if progress is not None:
            progress(done, len(unplaced))

    # Forked workers inherit the context and the widened candidates instead of unpickling them.
    found = process_map(_remedy_chunk, chunks, (context, widened), jobs=jobs, on_done=finished)
    rows = [row for chunk in found for row in chunk]
    return pd.DataFrame(rows, columns=list(REMEDY_COLUMNS + CHANGE_COLUMNS))


def _remedy_chunk(shared: tuple, students: np.ndarray) -> list[tuple]:
    context, widened = shared
    ids = context.solved.problem.student_ids
    return [(ids[s], *_remedy_for(context, int(s), widened)) for s in students.tolist()]


@dataclass(frozen=True, eq=False)
class _Widened:
    """Candidate arcs the unplaced students would have after a change:
    ``travel`` (limit + :data:`MAX_EXTRA_TRAVEL_MIN`), ``period`` (every
    unlisted period after their own), ``guidance`` (vacancies with no
    extra-guidance place get one), ``recruit`` (their recruited vacancy,
    with ``recruit_problem`` and ``recruit_vacancy`` per student)."""

    travel: Candidates
    period: Candidates
    guidance: Candidates
    guidance_problem: Problem
    recruit: Candidates
    recruit_problem: Problem
    recruit_vacancy: np.ndarray

    first_arc: dict[str, np.ndarray]  # kind -> per student, the first of its arcs (candidates sort by student)
    by_vacancy: dict[str, tuple[np.ndarray, np.ndarray]]  # kind -> (arc order, per vacancy its first in that order)

    def arcs_of(self, kind: str, student: int) -> np.ndarray:
        """Indices, ascending, of the ``kind`` arcs of ``student``."""
        first = self.first_arc[kind]
        return np.arange(first[student], first[student + 1])

    def arcs_to(self, kind: str, vacancy: int) -> np.ndarray:
        """Indices, ascending, of the ``kind`` arcs (``guidance`` or ``recruit``) into ``vacancy``."""
        order, first = self.by_vacancy[kind]
        return np.sort(order[first[vacancy]:first[vacancy + 1]])


def _widened_candidates(problem: Problem, policy, students: np.ndarray) -> _Widened:
    """The candidate arcs of :class:`_Widened`, one generation per kind of change: of the unplaced
    ``students`` only, or into the vacancies the change opens, never everyone's national arcs again."""
    limits = problem.s_limit.copy()
    limits[students] += MAX_EXTRA_TRAVEL_MIN
    travel = generate_candidates(replace(problem, s_limit=limits), policy, students=students)
    ranks = problem.s_period_rank.copy()
    listed = ranks.max(axis=1)
    explicit = np.zeros(problem.n_students, dtype=bool)
    explicit[students] = (ranks[students] < 0).any(axis=1)
    fill = explicit[:, None] & (ranks < 0)
    ranks[fill] = np.broadcast_to((listed + 1)[:, None], ranks.shape)[fill]
    period = generate_candidates(replace(problem, s_period_rank=ranks), policy, students=students)
    first_place = (problem.v_places > 0) & (problem.v_guidance_places == 0)
    opened = np.where(first_place, 1, problem.v_guidance_places)
    guidance_problem = replace(problem, v_guidance_places=opened.astype(problem.v_guidance_places.dtype))
    guidance = generate_candidates(guidance_problem, policy, vacancies=np.flatnonzero(first_place))
    recruit_problem, new_vacancy = with_recruits(problem, students)
    recruit_vacancy = np.full(problem.n_students, -1, dtype=np.int64)
    recruit_vacancy[students] = new_vacancy
    recruit = generate_candidates(recruit_problem, policy, vacancies=new_vacancy)
    kinds = {"travel": travel, "period": period, "guidance": guidance, "recruit": recruit}
    first_arc = {kind: first_of_each(candidates.student, problem.n_students) for kind, candidates in kinds.items()}
    by_vacancy = {}
    for kind, n_vacancies in (("guidance", problem.n_vacancies), ("recruit", recruit_problem.n_vacancies)):
        order = np.argsort(kinds[kind].vacancy, kind="stable")
        by_vacancy[kind] = (order, first_of_each(kinds[kind].vacancy[order], n_vacancies))
    return _Widened(travel, period, guidance, guidance_problem, recruit, recruit_problem, recruit_vacancy,
                    first_arc, by_vacancy)


def _remedy_for(context: _Context, s: int, widened: _Widened) -> tuple[str, str, str, str]:
    solved = context.solved
    problem = solved.problem

    # 1. travel: the fewest extra minutes that reach a place.
    arcs = widened.arcs_of("travel", s)
    limit = int(problem.s_limit[s])
    beyond = arcs[widened.travel.travel_min[arcs] > limit]
    beyond = beyond[np.argsort(widened.travel.travel_min[beyond], kind="stable")]
    placing = context.new_arcs_place(s, widened.travel.vacancy[beyond], widened.travel.period[beyond])
    if placing.any():
        minutes = int(widened.travel.travel_min[beyond][np.argmax(placing)])
        return ("travel", f"{minutes - limit} more minutes of travel (limit {minutes} instead of {limit})",
                "", str(minutes))

    # 2. period: one more period, the earliest in the calendar that places the student.
    arcs = widened.arcs_of("period", s)
    own = problem.s_period_rank[s] >= 0
    for p in [p for p in distinct(widened.period.period[arcs]).tolist() if not own[p]]:
        in_p = arcs[widened.period.period[arcs] == p]
        if context.new_arcs_place(s, widened.period.vacancy[in_p], widened.period.period[in_p]).any():
            return "period", f"also period {problem.period_ids[p]}", problem.period_ids[p], ""

    # 3-7. a capacity anywhere the student reaches; a first extra-guidance place
    # (a vacancy with none gives the student no arc at all) ranks with guidance.
    found = context.capacity_remedy(s)
    if problem.s_guidance[s] and (found is None or CAPACITY_REMEDIES.index(found.kind) > 1):
        opened = _first_guidance_place(context, s, widened)
        found = opened if opened is not None else found
    if found is not None:
        return found.kind, *_describe(problem, found)

    # 8. recruit: a company at the student's home in the student's first-choice period,
    # with one place if that surely does, else the places that surely do.
    arcs = widened.arcs_of("recruit", s)
    crebo = problem.crebos[problem.s_crebo[s]]
    if not len(arcs):
        return "none", _why_none(crebo), "", ""
    new_v = widened.recruit_vacancy[s]
    to_new = widened.arcs_to("recruit", new_v)
    own = to_new[widened.recruit.student[to_new] == s][0]
    rivals = widened.recruit.student[to_new]
    if context.one_place_suffices(s, int(widened.recruit.cost[own]), rivals, widened.recruit.cost[to_new]):
        places = 1
    else:
        places = context.recruit_places(s, rivals)
    period = problem.period_ids[int(widened.recruit.period[own])]
    return ("recruit", _recruit_detail(problem, s, crebo, period, places, bool(context.priority[s])),
            period, str(places))


def _recruit_detail(problem: Problem, s: int, crebo: str, period: str, places: int, priority: bool) -> str:
    """What an adviser reads of a recruit remedy: where, how many places, and why that many.

    With ``k`` places the rank of the student's class (everyone, or the
    priority tier) rises by exactly ``k``: the ``k - 1`` other students the
    company could take without this one, and this one (module docstring). So
    the match places ``k`` more students of that class, this one surely.
    """
    near = f"PC4 {problem.s_pc4[s]:04d}" if problem.s_pc4[s] >= 0 else "the student's home"
    where = f"recruit a company for crebo {crebo} near {near}"
    if places == 1:
        return f"{where} with one place in period {period}: this student surely gets it"
    others = "other priority-tier students (Entree, level 2 or extra guidance)" if priority else "other students"
    return (f"{where} with {places} places in period {period}: {places - 1} {others} nearby could use "
            f"such a place too (of this crebo, or freed up when a placed student moves there), so one "
            f"company with {places} places places all {places}, this one surely; with fewer places the "
            "others may take them first")


def _first_guidance_place(context: _Context, s: int, widened: _Widened) -> Remedy | None:
    """A first extra-guidance place at a vacancy that has none, if one places
    the student in every optimum: the student reaches the sink through it,
    and no other student needing extra guidance who would gain an arc there
    can reach it without passing this one."""
    problem = context.solved.problem
    guidance = widened.guidance
    arcs = widened.arcs_of("guidance", s)
    arcs = arcs[problem.v_guidance_places[guidance.vacancy[arcs]] == 0]
    arcs = arcs[np.argsort(guidance.cost[arcs], kind="stable")]
    residual = context.residual_of(s)
    for v in pd.unique(guidance.vacancy[arcs]).tolist():
        at_v = arcs[guidance.vacancy[arcs] == v]
        if not any(context.arc_reaches_sink(s, v, p, residual) for p in guidance.period[at_v].tolist()):
            continue
        if not len(context.rivals_reaching(s, guidance.student[widened.arcs_to("guidance", v)])):
            return Remedy("guidance", int(v))
    return None


def _why_none(crebo: str) -> str:
    """Why no single change places the student, in words an adviser can act on."""
    return (f"not even a company recruited for crebo {crebo} at the student's home could take this "
            "student (no period, level or pathway it could offer fits)")


def _describe(problem: Problem, remedy: Remedy) -> tuple[str, str, str]:
    """(detail, change_target, change_value) of a capacity remedy."""
    if remedy.kind == "supervision":
        name = problem.supervisor_ids[remedy.target]
        return f"one more supervision slot at supervisor {name}", name, ""
    if remedy.kind == "company":
        name = problem.company_ids[remedy.target]
        return f"room for one more student at company {name}", name, ""
    name = problem.vacancy_ids[remedy.target]
    text = {"duo": "a duo place at vacancy", "guidance": "one more extra-guidance place at vacancy",
            "place": "one more place at vacancy"}[remedy.kind]
    return f"{text} {name}", name, ""
