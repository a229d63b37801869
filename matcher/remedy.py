"""Remedies: the cheapest single change that places an unplaced student, verified.

For each unplaced student the possible single changes are tried from the one
that asks least of anyone to the one that asks most (:data:`REMEDY_KINDS`):

1. ``travel``: the student travels N more minutes (at most
   :data:`MAX_EXTRA_TRAVEL_MIN`), the fewest that reach a place;
2. ``period``: the student also accepts another period;
3. ``duo``: a vacancy the student is eligible for takes duo students;
4. ``guidance``: one more extra-guidance place at such a vacancy;
5. ``supervision``: one more student for its supervisor;
6. ``company``: one more student for its company;
7. ``place``: one more place at such a vacancy.

Within a kind, the student's cheapest arcs (travel, wish, period) come first.
A change is kept only when it is *verified* to place the student:

- travel and period changes only add arcs at the student, so they are kept
  only when they place the student in *every* optimum (a residual-graph test
  per new arc: an augmenting path from the student raises the most weighted
  placements, and then no optimum can leave the student out);
- capacity changes and recruitment may help others too: the components the
  change touches are rebuilt with it; four max flows tell whether every
  optimum places the student (the most weighted placements drop without the
  student), and otherwise the exact lexicographic optimum of those
  components decides. The rebuilt components are arc for arc those of a full
  re-solve of the changed instance (the network is built in canonical id
  order), so a full re-solve places the student too; the tests check that.

Capacities that cannot place the student are never tried: a capacity helps
only if the student reaches its arc in the residual graph of the optimal flow
and the sink is reachable from the arc's head. Last comes ``recruit``: a
company recognised for the student's crebo at the student's home (the
student's periods, every level, no supervisor limit), verified with one or two
places. Students whose every tried change fails get ``none`` and the
reason.

Cost: travel and period are decided by residual reachability, without a
solve; so is a capacity change or recruitment that only this student can use
(every path from the source to the raised arcs passes the student: immediate
dominators of the residual graph). Other checks rebuild the touched components
and run four max flows, plus one min-cost flow for the first
:data:`MAX_RESOLVES` checks per student. On the 10,000-student demo (1,605
unplaced, components up to 120,000 arcs) that takes about 1.5 minutes on 2
cores; an incremental verification from the optimal flow would be faster.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import breadth_first_order
from ortools.graph.python import max_flow

import networkx as nx

from matcher.advice import CapacityChange, apply_change, capacity_arcs
from matcher.candidates import Candidates, generate_candidates
from matcher.decompose import split
from matcher.errors import ModelError
from matcher.flow import solve_part
from matcher.network import build_network
from matcher.problem import UNLIMITED, Problem
from matcher.solve import Solved, priority_class

REMEDY_KINDS = ("travel", "period", "duo", "guidance", "supervision", "company", "place")
MAX_EXTRA_TRAVEL_MIN = 30
REMEDY_COLUMNS = ("student_id", "remedy", "remedy_detail")
# The change itself, for programs and tests: what it applies to, and the new value
# (limit in minutes for travel, period id for period, places for recruit).
CHANGE_COLUMNS = ("change_target", "change_value")
_CANDIDATE_FIELDS = ("student", "vacancy", "period", "travel_min", "wish_rank", "period_rank", "cost")


@dataclass(frozen=True)
class Remedy:
    """A single change for one student: ``kind`` of :data:`REMEDY_KINDS`,
    ``target`` (vacancy, supervisor or company index; minutes for travel;
    period index for period)."""

    kind: str
    target: int


def _concat(candidates: Candidates, extra: Candidates | None, keep: np.ndarray, extra_keep: np.ndarray | None):
    """``candidates[keep]`` plus ``extra[extra_keep]``, sorted by (student, vacancy, period)."""
    fields = {name: getattr(candidates, name)[keep] for name in _CANDIDATE_FIELDS}
    if extra is not None:
        for name in _CANDIDATE_FIELDS:
            fields[name] = np.concatenate([fields[name], getattr(extra, name)[extra_keep]])
        order = np.lexsort((fields["period"], fields["vacancy"], fields["student"]))
        fields = {name: values[order] for name, values in fields.items()}
    return replace(candidates, **fields)


class _Context:
    """What every verification of one match shares."""

    def __init__(self, solved: Solved) -> None:
        self.solved = solved
        network = solved.network
        self.node_part = np.full(network.n_nodes, -1, dtype=np.int64)
        self.arc_part = np.full(network.n_arcs, -1, dtype=np.int64)
        for i, part in enumerate(solved.parts):
            self.arc_part[part.arcs] = i
            self.node_part[network.tails[part.arcs]] = i
            self.node_part[network.heads[part.arcs]] = i
        n_inner = network.n_nodes - 4
        self.node_part[n_inner:] = -1
        cand = solved.candidates
        self.student_arcs = np.searchsorted(cand.student, np.arange(solved.problem.n_students + 1))
        self.placed = np.zeros(solved.problem.n_students, dtype=bool)
        chosen = np.flatnonzero(solved.flows[: network.n_candidate_arcs] > 0)
        self.placed[cand.student[chosen]] = True
        self._residual_reach()
        self._vp_lookup()

    def _residual_reach(self) -> None:
        """Residual reachability of the two max flows behind the optimum.

        The optimal flow is a maximum flow from the source (value ``r(E)``);
        a separate max flow from ``hub_priority`` (value ``r(P)``) gives the
        priority side. For each: the nodes that reach the sink in the residual
        graph, and for the priority flow the nodes reachable from the hub.
        """
        solved = self.solved
        network = solved.network
        n = network.n_nodes
        self.residual, self.reaches_sink, self.from_source = _residual(
            network, solved.flows, n, network.sink, network.source)
        self.dominator_all = _immediate_dominators(self.residual, network.source)
        priority_flows = np.zeros(network.n_arcs, dtype=np.int64)
        for part in solved.parts:
            solver = max_flow.SimpleMaxFlow()
            arcs = solver.add_arcs_with_capacity(part.tails, part.heads, part.capacities)
            if solver.solve(part.n_nodes - 3, part.n_nodes - 4) != solver.OPTIMAL:
                raise ModelError("max-flow solver failed while finding remedies")
            priority_flows[part.arcs] = solver.flows(arcs)[:-2]
        self.residual_priority, self.reaches_sink_priority, self.from_hub_priority = _residual(
            network, priority_flows, n, network.sink, network.hub_priority)
        self.dominator_priority = _immediate_dominators(self.residual_priority, network.hub_priority)
        owners = capacity_arcs(solved)
        self.change_arcs = {key: group["arc"].to_numpy()
                            for key, group in owners.groupby(["kind", "index"], sort=False)}

    def _vp_lookup(self) -> None:
        """Node of each vacancy-period, guidance gadget, supervisor- and company-period."""
        network, problem = self.solved.network, self.solved.problem
        n_p = problem.n_periods
        n_active, n_vp, n_gadget = len(network.active_students), len(network.vp_vacancy), len(network.gadget_vp)
        self.vp_of_key = dict(zip((network.vp_vacancy * n_p + network.vp_period).tolist(), range(n_vp)))
        self.vp_base = n_active
        self.gadget_node = np.full(n_vp, -1, dtype=np.int64)
        self.gadget_node[network.gadget_vp] = n_active + n_vp + np.arange(n_gadget)
        sup_base = n_active + n_vp + n_gadget
        sup_keys = problem.v_supervisor[network.vp_vacancy[network.sup_vp]] * n_p + network.vp_period[network.sup_vp]
        self.sup_node = dict(zip(sup_keys.tolist(), (sup_base + np.arange(len(sup_keys))).tolist()))
        comp_base = sup_base + len(sup_keys)
        comp_keys = problem.v_company[network.vp_vacancy[network.comp_vp]] * n_p + network.vp_period[network.comp_vp]
        self.comp_node = dict(zip(comp_keys.tolist(), (comp_base + np.arange(len(comp_keys))).tolist()))

    def arc_reaches_sink(self, student: int, vacancy: int, period: int, priority: bool) -> bool:
        """Whether a new arc from ``student`` to (vacancy, period) ends where the
        residual graph reaches the sink (of the priority flow if ``priority``)."""
        problem = self.solved.problem
        reaches = self.reaches_sink_priority if priority else self.reaches_sink
        key = vacancy * problem.n_periods + period
        vp = self.vp_of_key.get(key)
        if vp is not None:
            gadget = self.gadget_node[vp]
            head = gadget if problem.s_guidance[student] and gadget >= 0 else self.vp_base + vp
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
        """Per new arc of ``student``: whether adding it (with the arcs before it)
        places the student in *every* optimum.

        Only the student's arcs change, so a solution without the student
        keeps its weight; the optimum gains weight exactly when the student can
        be added to the placeable set (an augmenting path for ``r(E)``, or for
        ``r(P)`` when the student is in the priority tier), and then every
        optimum contains the student.
        """
        network = self.solved.network
        position = np.searchsorted(network.active_students, student)
        active = position < len(network.active_students) and network.active_students[position] == student
        priority = bool(network.student_class[position]) if active else bool(
            priority_class(self.solved.problem, self.solved.policy)[student])
        in_priority_reach = priority and (not active or bool(self.from_hub_priority[position]))
        hits = np.zeros(len(vacancies), dtype=bool)
        for i, (v, p) in enumerate(zip(vacancies.tolist(), periods.tolist())):
            hits[i] = self.arc_reaches_sink(student, v, p, False) or (
                in_priority_reach and self.arc_reaches_sink(student, v, p, True))
        return np.logical_or.accumulate(hits) if len(hits) else hits

    def surely_places(self, student: int, change: Remedy) -> bool:
        """Whether raising the capacity ``change`` names places ``student`` in
        every optimum, decided on the residual graphs without a solve.

        Sufficient, not necessary: the student reaches a raised arc whose head
        reaches the sink (the most weighted placements rise with the student),
        and no other student can reach any raised arc without passing through
        this one (so without the student they cannot rise): every path from
        the source to such an arc's tail is dominated by the student's node.
        """
        network, problem = self.solved.network, self.solved.problem
        if change.kind == "duo" and problem.s_guidance[student] and (
                problem.v_guidance_places[change.target] < 2 * problem.v_places[change.target]):
            return False  # duo places add a guidance limit at the vacancy: leave it to the max flows
        kind = "place" if change.kind == "duo" else change.kind
        arcs = self.change_arcs.get((kind, change.target))
        if arcs is None:
            return False
        if kind == "place" and problem.v_guidance_places[change.target] >= problem.v_places[change.target]:
            arcs = np.concatenate([arcs, self.change_arcs.get(("guidance", change.target), arcs[:0])])
        tails, heads = network.tails[arcs], network.heads[arcs]
        node = int(np.searchsorted(network.active_students, student))
        for reach_from, reaches_sink, dominator, reachable, residual in (
            (self.from_source, self.reaches_sink, self.dominator_all, None, self.residual),
            (self.from_hub_priority, self.reaches_sink_priority, self.dominator_priority, True,
             self.residual_priority),
        ):
            if reachable and not (network.student_class[node] and self.from_hub_priority[node]):
                continue
            mine = _reached(residual, node)
            if not (mine[tails] & reaches_sink[heads]).any():
                continue
            others = [int(t) for t in tails[reach_from[tails]].tolist() if not _dominates(dominator, int(t), node)]
            if not others:
                return True
        return False

    def alone_at_new_vacancy(self, student: int, rivals: np.ndarray) -> bool:
        """Whether a new vacancy with a free place and nothing limiting it
        behind (a recruited company) places ``student`` in every optimum: it
        does when no other student who could go there can be placed without
        passing through this student in the residual graph (of either flow)."""
        network = self.solved.network
        rivals = np.unique(rivals)
        rivals = rivals[rivals != student]
        position = np.searchsorted(network.active_students, rivals)
        position = np.minimum(position, len(network.active_students) - 1)
        active = network.active_students[position] == rivals if len(network.active_students) else rivals < 0
        if not active.all():
            return False  # a rival with no place at all is free to take it
        mine = int(np.searchsorted(network.active_students, student))
        is_mine = mine < len(network.active_students) and network.active_students[mine] == student
        for reach_from, dominator in ((self.from_source, self.dominator_all),):
            for node in position.tolist():
                if reach_from[node] and not (is_mine and _dominates(dominator, node, mine)):
                    return False
        return True

    def weight_of(self, parts: set[int]) -> int:
        """Most weighted placements in ``parts`` (the optimum's)."""
        w = self.solved.policy.weights
        return sum(w.regular * self.solved.solutions[i].max_placed
                   + (w.priority - w.regular) * self.solved.solutions[i].max_priority_placed for i in parts)

    def parts_of_students(self, students: np.ndarray) -> set[int]:
        """Parts holding these students (those with arcs)."""
        students = np.unique(students)
        lo, hi = self.student_arcs[students], self.student_arcs[students + 1]
        return {int(p) for p in self.arc_part[lo[hi > lo]]}

    def reachable_from(self, student: int) -> np.ndarray:
        """Nodes the student's node reaches in the residual graph."""
        return _reached(self.residual, int(np.searchsorted(self.solved.network.active_students, student)))

    def parts_of_pairs(self, vacancies: np.ndarray, periods: np.ndarray) -> set[int]:
        """Parts holding the vacancy-period nodes (or their supervisor and company nodes)."""
        network, problem = self.solved.network, self.solved.problem
        n_p, n_active = problem.n_periods, len(network.active_students)
        found = set()
        for v, p in zip(vacancies.tolist(), periods.tolist()):
            vp = self.vp_of_key.get(v * n_p + p)
            if vp is not None:
                found.add(int(self.node_part[n_active + vp]))
        # A vacancy without arcs so far may still share a limited supervisor or company.
        ranges = network.arc_ranges()
        for kind, owners in (("supervisor", problem.v_supervisor), ("company", problem.v_company)):
            vps = network.sup_vp if kind == "supervisor" else network.comp_vp
            keys = owners[network.vp_vacancy[vps]] * n_p + network.vp_period[vps]
            wanted = np.isin(keys, owners[vacancies] * n_p + periods)
            arcs = np.arange(ranges[kind].start, ranges[kind].stop)[wanted]
            found.update(int(x) for x in self.arc_part[arcs])
        found.discard(-1)
        return found


def _in_every_optimum(problem: Problem, candidates: Candidates, policy, student: int,
                      base_weight: int, resolve: bool = True) -> bool:
    """Whether the optimum of these candidate arcs places ``student``.

    First whether *every* optimum does: exactly when the most weighted
    placements drop without the student (four max flows: all and
    priority-tier students, with and without the student's entry arc). Costs
    then cannot matter. Otherwise, with ``resolve``, the lexicographic optimum
    decides, solved as a full re-solve would solve these components. A change
    that leaves the most weighted placements at ``base_weight`` (that of these
    components before the change) places nobody more and is refused at once.
    """
    network = build_network(problem, candidates, policy.costs.duo_partner, priority_class(problem, policy))
    position = np.searchsorted(network.active_students, student)
    if position >= len(network.active_students) or network.active_students[position] != student:
        return False
    w = policy.weights
    capacities = network.capacities.copy()

    def weight(caps: np.ndarray) -> int:
        total = 0
        for source, factor in ((network.source, w.regular), (network.hub_priority, w.priority - w.regular)):
            if factor == 0:
                continue
            solver = max_flow.SimpleMaxFlow()
            solver.add_arcs_with_capacity(network.tails, network.heads, caps)
            if solver.solve(source, network.sink) != solver.OPTIMAL:
                raise ModelError("max-flow solver failed while verifying a remedy")
            total += factor * int(solver.optimal_flow())
        return total

    with_student = weight(capacities)
    if with_student <= base_weight:
        return False
    capacities[network.entry_arcs.start + position] = 0
    if with_student > weight(capacities):
        return True
    if not resolve:
        return False
    # Others could take the change as well: the exact optimum decides. It is
    # solved on exactly the arrays a full re-solve builds for these components.
    flows = solve_part(split(network, whole=True)[0], unweighted=False, certify=False).flows
    return bool(flows[: network.n_candidate_arcs][candidates.student == student].sum() > 0)


def _immediate_dominators(graph: csr_matrix, root: int) -> dict[int, int]:
    """Immediate dominators of the nodes ``root`` reaches in ``graph``."""
    coo = graph.tocoo()
    digraph = nx.DiGraph()
    digraph.add_edges_from(zip(coo.row.tolist(), coo.col.tolist()))
    digraph.add_node(root)
    return nx.immediate_dominators(digraph, root)


def _dominates(dominator: dict[int, int], node: int, by: int) -> bool:
    """Whether every path from the root to ``node`` passes ``by``."""
    while True:
        if node == by:
            return True
        parent = dominator.get(node, node)
        if parent == node:
            return False
        node = parent


def _reached(graph: csr_matrix, start: int) -> np.ndarray:
    """Per node of ``graph``: whether ``start`` reaches it."""
    seen = np.zeros(graph.shape[0], dtype=bool)
    seen[breadth_first_order(graph, start, return_predecessors=False)] = True
    return seen


def _residual(network, flows: np.ndarray, n: int, sink: int, source: int | None):
    """Residual graph of ``flows`` (CSR), nodes that reach ``sink`` in it and,
    when ``source`` is given, nodes reachable from it."""
    forward = flows < network.capacities
    backward = flows > 0
    tails = np.concatenate([network.tails[forward], network.heads[backward]]).astype(np.int64)
    heads = np.concatenate([network.heads[forward], network.tails[backward]]).astype(np.int64)
    graph = csr_matrix((np.ones(len(tails), dtype=np.int8), (tails, heads)), shape=(n, n))
    reverse = csr_matrix((np.ones(len(tails), dtype=np.int8), (heads, tails)), shape=(n, n))
    return graph, _reached(reverse, sink), None if source is None else _reached(graph, source)


def _places(context: _Context, student: int, problem: Problem, parts: set[int],
            extra: Candidates | None = None, extra_keep: np.ndarray | None = None,
            replaced: tuple[str, int] | None = None, resolve: bool = True) -> bool:
    """Whether the optimum of ``parts`` rebuilt on ``problem`` places ``student``
    (see :func:`_in_every_optimum`).

    ``extra[extra_keep]`` are arcs to add; they stand in for the parts' arcs
    whose ``replaced = (field, value)`` matches, e.g. ``("student", s)`` for
    the student's own arcs or ``("vacancy", v)`` for every arc to a vacancy.
    """
    solved = context.solved
    network = solved.network
    arcs = np.concatenate([solved.parts[i].arcs for i in sorted(parts)]) if parts else np.zeros(0, np.int64)
    keep = np.sort(arcs[arcs < network.n_candidate_arcs])
    if replaced is not None:
        field, value = replaced
        keep = keep[getattr(solved.candidates, field)[keep] != value]
    candidates = _concat(solved.candidates, extra, keep, extra_keep)
    if len(candidates.student) == 0:
        return False
    return _in_every_optimum(problem, candidates, solved.policy, student, context.weight_of(parts), resolve)


def _capacity_options(context: _Context, student: int) -> list[Remedy]:
    """Capacity changes at the student's own candidate arcs that could place
    the student, in kind order then by the student's arc cost."""
    solved = context.solved
    network, problem, cand = solved.network, solved.problem, solved.candidates
    lo, hi = context.student_arcs[student], context.student_arcs[student + 1]
    if lo == hi:
        return []
    reach = context.reachable_from(student)
    ranges = network.arc_ranges()
    # Per vacancy-period: the place arc (vp -> next) and what lies beyond it.
    place_arcs = np.arange(ranges["place"].start, ranges["place"].stop)
    vp_next = network.heads[place_arcs]
    vp_node = network.tails[place_arcs]
    options: dict[str, list[tuple[int, int]]] = {k: [] for k in REMEDY_KINDS}
    seen = set()
    for arc in np.argsort(cand.cost[lo:hi], kind="stable") + lo:
        v, p = int(cand.vacancy[arc]), int(cand.period[arc])
        vp = context.vp_of_key[v * problem.n_periods + p]
        node, after = vp_node[vp], vp_next[vp]
        cost = int(cand.cost[arc])
        if reach[node] and context.reaches_sink[after]:
            if not problem.v_duo[v]:
                options["duo"].append((v, cost))
            options["place"].append((v, cost))
        if problem.s_guidance[student] and problem.v_guidance_places[v] < problem.v_places[v]:
            options["guidance"].append((v, cost))
        sup = int(problem.v_supervisor[v])
        if sup >= 0 and problem.supervisor_capacity[sup] != UNLIMITED and reach[after]:
            options["supervision"].append((sup, cost))
        comp = int(problem.v_company[v])
        if problem.company_max_students[comp] != UNLIMITED:
            options["company"].append((comp, cost))
    result = []
    for kind in ("duo", "guidance", "supervision", "company", "place"):
        for target, _ in options[kind]:
            if (kind, target) not in seen:
                seen.add((kind, target))
                result.append(Remedy(kind, target))
    return result


def _with_duo(problem: Problem, vacancy: int) -> Problem:
    duo = problem.v_duo.copy()
    duo[vacancy] = True
    return replace(problem, v_duo=duo)


def _changed_problem(problem: Problem, remedy: Remedy) -> Problem:
    if remedy.kind == "duo":
        return _with_duo(problem, remedy.target)
    return apply_change(problem, CapacityChange(remedy.kind, remedy.target))


RECRUIT_ID_PREFIX = "zz-recruit-"  # sorts after every id the generator and SPEC examples use
MAX_RECRUIT_PLACES = 2
# Capacity changes past this many per student are kept only when they place the
# student in every optimum (max flows), without a min-cost re-solve.
MAX_RESOLVES = 1


def with_recruits(problem: Problem, students: np.ndarray) -> tuple[Problem, np.ndarray]:
    """``problem`` plus, for each of ``students``, a recruited company with one
    vacancy at the student's home: the student's crebo and pathway, every
    level, the student's periods, one place open to extra guidance,
    accessible, no supervisor, no limit on the company.

    Returns the problem and each student's new vacancy index. The new
    vacancies and companies come after all others, as ids that sort last do.
    """
    k = len(students)
    n_v, n_c = problem.n_vacancies, len(problem.company_ids)
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
        v_period_offered=np.concatenate([problem.v_period_offered, problem.s_period_rank[students] >= 0]),
        v_min_level=add("v_min_level", np.ones(k)),
        v_max_level=add("v_max_level", np.full(k, 4)),
        v_guidance_places=add("v_guidance_places", np.ones(k)),
        v_duo=add("v_duo", np.zeros(k, dtype=bool)),
        v_accessible=add("v_accessible", np.ones(k, dtype=bool)),
        v_pathway_bits=add("v_pathway_bits", problem.s_pathway_bit[students]),
        vc_vacancy=add("vc_vacancy", new_v),
        vc_crebo=add("vc_crebo", problem.s_crebo[students]),
    ), new_v


def find_remedies(solved: Solved, *, max_tries: int = 6, jobs: int = 1, progress=None) -> pd.DataFrame:
    """The verified cheapest single change for every unplaced student.

    Parameters
    ----------
    solved
        A match with its arrays (:func:`matcher.solve.solve_in_detail`).
    max_tries
        Capacity changes to verify per student before recruitment.
    jobs
        Processes sharing the students (the result does not depend on it).
    progress
        Called with (students done, students in all).

    Returns
    -------
    pandas.DataFrame
        :data:`REMEDY_COLUMNS` and :data:`CHANGE_COLUMNS`, one row per unplaced
        student, sorted by id.
    """
    global _SHARED
    context = _Context(solved)
    problem = solved.problem
    unplaced = np.flatnonzero(~context.placed)
    widened = _widened_candidates(problem, solved.policy, unplaced)
    chunks = [unplaced[i:i + 25] for i in range(0, len(unplaced), 25)]
    found: list[list[tuple]] = [[] for _ in chunks]
    _SHARED = (context, widened, max_tries)
    try:
        if jobs > 1 and len(chunks) > 1 and "fork" in multiprocessing.get_all_start_methods():
            with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork")) as pool:
                futures = {pool.submit(_remedy_chunk, chunk): i for i, chunk in enumerate(chunks)}
                done = 0
                for future in as_completed(futures):
                    found[futures[future]] = future.result()
                    done += len(chunks[futures[future]])
                    if progress is not None:
                        progress(done, len(unplaced))
        else:
            for i, chunk in enumerate(chunks):
                found[i] = _remedy_chunk(chunk)
                if progress is not None:
                    progress(min((i + 1) * 25, len(unplaced)), len(unplaced))
    finally:
        _SHARED = None
    rows = [row for chunk in found for row in chunk]
    return pd.DataFrame(rows, columns=list(REMEDY_COLUMNS + CHANGE_COLUMNS))


# What forked workers inherit instead of unpickling it: (context, widened, max_tries).
_SHARED = None


def _remedy_chunk(students: np.ndarray) -> list[tuple]:
    context, widened, max_tries = _SHARED
    ids = context.solved.problem.student_ids
    return [(ids[s], *_remedy_for(context, int(s), widened, max_tries)) for s in students.tolist()]


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


def _widened_candidates(problem: Problem, policy, students: np.ndarray) -> _Widened:
    """The candidate arcs of :class:`_Widened`, one generation per kind of change."""
    limits = problem.s_limit.copy()
    limits[students] += MAX_EXTRA_TRAVEL_MIN
    travel = generate_candidates(replace(problem, s_limit=limits), policy)
    ranks = problem.s_period_rank.copy()
    listed = ranks.max(axis=1)
    explicit = np.zeros(problem.n_students, dtype=bool)
    explicit[students] = (ranks[students] < 0).any(axis=1)
    fill = explicit[:, None] & (ranks < 0)
    ranks[fill] = np.broadcast_to((listed + 1)[:, None], ranks.shape)[fill]
    period = generate_candidates(replace(problem, s_period_rank=ranks), policy)
    opened = np.where((problem.v_places > 0) & (problem.v_guidance_places == 0), 1, problem.v_guidance_places)
    guidance_problem = replace(problem, v_guidance_places=opened.astype(problem.v_guidance_places.dtype))
    guidance = generate_candidates(guidance_problem, policy)
    recruit_problem, new_vacancy = with_recruits(problem, students)
    recruit_vacancy = np.full(problem.n_students, -1, dtype=np.int64)
    recruit_vacancy[students] = new_vacancy
    recruit = generate_candidates(recruit_problem, policy)
    return _Widened(travel, period, guidance, guidance_problem, recruit, recruit_problem, recruit_vacancy)


def _arcs_of(candidates: Candidates, student: int) -> np.ndarray:
    lo, hi = np.searchsorted(candidates.student, [student, student + 1])
    return np.arange(lo, hi)


def _remedy_for(context: _Context, s: int, widened: _Widened, max_tries: int) -> tuple[str, str, str, str]:
    solved = context.solved
    problem = solved.problem
    base_parts = set()
    lo, hi = context.student_arcs[s], context.student_arcs[s + 1]
    if hi > lo:
        base_parts.add(int(context.arc_part[lo]))
    tried: list[str] = []

    def attempt(changed: Problem, extra: Candidates | None = None, keep: np.ndarray | None = None,
                more_parts: set[int] = frozenset()) -> bool:
        tried.append("")
        return _places(context, s, changed, base_parts | more_parts, extra, keep,
                       replaced=None if extra is None else ("student", s), resolve=len(tried) <= MAX_RESOLVES)

    # 1. travel: the fewest extra minutes that reach a place (exact without a re-solve:
    # see _Context.new_arcs_place).
    arcs = _arcs_of(widened.travel, s)
    limit = int(problem.s_limit[s])
    beyond = arcs[widened.travel.travel_min[arcs] > limit]
    beyond = beyond[np.argsort(widened.travel.travel_min[beyond], kind="stable")]
    placing = context.new_arcs_place(s, widened.travel.vacancy[beyond], widened.travel.period[beyond])
    if placing.any():
        minutes = int(widened.travel.travel_min[beyond][np.argmax(placing)])
        return ("travel", f"{minutes - limit} more minutes of travel (limit {minutes} instead of {limit})",
                "", str(minutes))

    # 2. period: one more period, the earliest in the calendar that places the student.
    arcs = _arcs_of(widened.period, s)
    own = problem.s_period_rank[s] >= 0
    for p in [p for p in np.unique(widened.period.period[arcs]).tolist() if not own[p]]:
        in_p = arcs[widened.period.period[arcs] == p]
        if context.new_arcs_place(s, widened.period.vacancy[in_p], widened.period.period[in_p]).any():
            return "period", f"also period {problem.period_ids[p]}", problem.period_ids[p], ""

    # 3-7. capacities at the vacancies the student is eligible for.
    options = _capacity_options(context, s)
    if problem.s_guidance[s]:
        # Vacancies with no extra-guidance place give the student no arc at all.
        arcs = _arcs_of(widened.guidance, s)
        closed = np.unique(widened.guidance.vacancy[arcs][problem.v_guidance_places[widened.guidance.vacancy[arcs]] == 0])
        position = next((i for i, o in enumerate(options) if o.kind in ("supervision", "company", "place")),
                        len(options))
        options[position:position] = [Remedy("guidance-open", int(v)) for v in closed]
    for option in options:
        if len(tried) >= max_tries:
            break
        if option.kind == "guidance-open":
            # The student's own arcs plus those to the vacancy that opens.
            # Every student needing extra guidance may now go there, not only this one.
            v = option.target
            to_v = np.flatnonzero(widened.guidance.vacancy == v)
            parts = base_parts | context.parts_of_pairs(widened.guidance.vacancy[to_v], widened.guidance.period[to_v])
            parts |= context.parts_of_students(widened.guidance.student[to_v])
            tried.append("")
            changed = apply_change(problem, CapacityChange("guidance", v))
            if _places(context, s, changed, parts, widened.guidance, to_v, replaced=("vacancy", v),
                       resolve=len(tried) <= MAX_RESOLVES):
                return "guidance", *_describe(problem, Remedy("guidance", v))
            tried[-1] = _describe(problem, Remedy("guidance", v))[0]
            continue
        if context.surely_places(s, option):
            return option.kind, *_describe(problem, option)
        if len(tried) >= MAX_RESOLVES:
            # Other students can reach this capacity too: only a solve could tell, and the
            # budget of solves for this student is spent.
            tried.append(_describe(problem, option)[0])
            continue
        if attempt(_changed_problem(problem, option)):
            return option.kind, *_describe(problem, option)
        tried[-1] = _describe(problem, option)[0]

    # 8. recruit: a company near the student's home (verified with up to a few places).
    arcs = _arcs_of(widened.recruit, s)
    new_v = widened.recruit_vacancy[s]
    rivals_arcs = np.flatnonzero(widened.recruit.vacancy == new_v)
    crebo = problem.crebos[problem.s_crebo[s]]
    near = f"PC4 {problem.s_pc4[s]:04d}" if problem.s_pc4[s] >= 0 else "the student's home"
    if len(arcs) and context.alone_at_new_vacancy(s, widened.recruit.student[rivals_arcs]):
        return ("recruit", f"recruit a company for crebo {crebo} near {near} offering a place", crebo, "1")
    if len(arcs):
        parts = context.parts_of_students(widened.recruit.student[rivals_arcs])
        for places in range(1, MAX_RECRUIT_PLACES + 1):
            room = widened.recruit_problem.v_places.copy()
            room[new_v] = places
            guidance = widened.recruit_problem.v_guidance_places.copy()
            guidance[new_v] = places
            changed = replace(widened.recruit_problem, v_places=room, v_guidance_places=guidance)
            if _places(context, s, changed, parts, widened.recruit, rivals_arcs, resolve=places == 1):
                room = "a place" if places == 1 else f"{places} places"
                return ("recruit", f"recruit a company for crebo {crebo} near {near} offering {room}",
                        crebo, str(places))
    return "none", _why_none(solved, s, crebo, tried), "", ""


def _why_none(solved: Solved, s: int, crebo: str, tried: list[str]) -> str:
    """Why no single change places the student, in words an adviser can act on."""
    recruit = f"a company recruited for {crebo} at the student's home would go to other students first"
    if not solved.candidates.has_recognised[s]:
        return f"no company is recognised for crebo {crebo} anywhere, and {recruit}"
    if not solved.candidates.has_reachable[s]:
        return (f"no recognised place within {MAX_EXTRA_TRAVEL_MIN} more minutes of travel, and {recruit}")
    if tried:
        shown = "; ".join(tried[:3]) + ("; ..." if len(tried) > 3 else "")
        return (f"other students compete for every single change tried, which would not surely place "
                f"this student ({shown}); {recruit}")
    return ("every place within reach is full and so is its supervisor or company: it takes two changes "
            f"(a place and a supervision slot or company room); {recruit}")


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
