"""Solving one part of a placement network exactly, with OR-Tools, and certifying it.

The lexicographic objective (most priority-weighted placements, then least
secondary cost) is solved without any big-M weight (see :mod:`matcher.engine.network`):

1. ``r(E)``: the max flow from ``source`` (both hubs) — the most students
   that can be placed together;
2. ``r(P)``: the max flow from ``hub_priority`` — the most priority-tier
   students that can be placed together;
3. the min-cost flow with supplies ``r(P)`` at ``hub_priority`` and
   ``r(E) − r(P)`` at ``hub_regular``.

With the unweighted comparison asked for, also the min-cost flow of ``r(E)``
units from ``source`` (the best placement without priority weights). Each
value is certified: the max flows by cuts of equal capacity, the min costs by
dual bounds (:mod:`matcher.engine.certificate`). Large parts run their weighted and
unweighted solves as separate tasks, so both cores work on them.

Where nearly every student can be placed, the solves run on a *candidate
list* (column generation): each student's few cheapest candidate arcs and
every other arc. A max flow on the list whose min cut no arc left out leaves
is maximum in the whole part, and the list holds it, so the min-cost flow's
supplies can be met on it (else the part is solved on every arc). The
potentials of the list's min-cost optimum price every arc left out; one with
a negative reduced cost joins the list and the list is solved again. When
none is left, the same potentials prove the flow optimal for the whole part.
Every certificate is computed on every arc, not on the list. The national
preset's largest part (4.5 M arcs) then solves on 0.7 M, in half the time.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from ortools.graph.python import max_flow, min_cost_flow

from matcher.engine.certificate import (
    Certificate,
    certificate_from_potentials,
    max_flow_certificate,
    residual_potentials,
)
from matcher.engine.decompose import Part
from matcher.engine.parallel import process_map, worker_count
from matcher.errors import ModelError


@dataclass(frozen=True, eq=False)
class PartSolution:
    """The optimal flows of one part and the bounds that prove them.

    ``flows`` is the lexicographic optimum (aligned with ``Part.tails``). The
    ``*_bound`` fields are the certified bounds (None when not certified): the
    capacity of a cut for each max flow, the dual bound for the min cost.
    ``unweighted_*`` describe the optimum without priority weights (None when
    not asked for).
    """

    flows: np.ndarray
    max_priority_placed: int
    max_placed: int
    secondary_cost: int
    priority_bound: int | None
    placed_bound: int | None
    cost_bound: int | None
    unweighted_priority_placed: int | None
    unweighted_secondary_cost: int | None
    seconds: float

    @property
    def proven(self) -> bool:
        """Whether every bound is certified and meets its value."""
        return (
            self.priority_bound == self.max_priority_placed
            and self.placed_bound == self.max_placed
            and self.cost_bound == self.secondary_cost
        )


def _max_flow(
    part: Part, source: int, sink: int, certify: bool, listed: np.ndarray | None = None
) -> tuple[int, np.ndarray | None, Certificate | None]:
    """Max flow from ``source`` to ``sink``: its value, the candidate list it grew
    and (optionally) a cut of equal capacity that proves it maximum in the whole part.

    On a candidate list ``listed`` the flow is solved there. If no arc left out
    leaves the source side of the solver's min cut, that cut is a min cut of the
    whole part too. Otherwise the list is dropped (``None`` is returned) and the
    flow solved on every arc: growing the list by those arcs only reaches one
    layer further each time (18 solves in a scarce national part).
    """
    while True:
        arcs = slice(None) if listed is None else np.flatnonzero(listed)
        solver = max_flow.SimpleMaxFlow()
        solver.add_arcs_with_capacity(part.tails[arcs], part.heads[arcs], part.capacities[arcs])
        status = solver.solve(source, sink)
        if status != solver.OPTIMAL:
            raise ModelError(f"max-flow solver ended with status {status}")
        source_side = np.asarray(solver.get_source_side_min_cut(), dtype=np.int64)
        if listed is None:
            break
        inside = np.zeros(part.n_nodes, dtype=bool)
        inside[source_side] = True
        crossing = ~listed & inside[part.tails] & ~inside[part.heads] & (part.capacities > 0)
        if not crossing.any():
            break
        listed = None
    value = int(solver.optimal_flow())
    certificate = None
    if certify:
        certificate = max_flow_certificate(part.tails, part.heads, part.capacities, source_side, value, source, sink)
    return value, listed, certificate


def _min_cost(tails, heads, capacities, costs, supplies: np.ndarray) -> np.ndarray:
    solver = min_cost_flow.SimpleMinCostFlow()
    arcs = solver.add_arcs_with_capacity_and_unit_cost(tails, heads, capacities, costs)
    solver.set_nodes_supplies(np.arange(len(supplies), dtype=np.int32), supplies)
    status = solver.solve()
    if status != solver.OPTIMAL:
        raise ModelError(f"min-cost flow solver ended with status {status}")
    return solver.flows(arcs).astype(np.int64)


# Candidate arcs per student in the first candidate list: on the national
# preset the list's first optimum is then almost always the part's (see
# benchmarks/README "Candidate lists").
CANDIDATE_LIST = 16


def candidate_list(part: Part, per_student: int) -> np.ndarray:
    """The arcs the solves of ``part`` start from, as a mask over its arcs: every
    arc but the candidate arcs, and of these the ``per_student`` cheapest of each
    student (ties by arc order)."""
    n = part.n_candidate_arcs
    tails, costs = part.tails[:n].astype(np.int64), part.costs[:n]
    # Candidate arcs come sorted by student: one stable sort by (student, cost) ranks them.
    low = int(costs.min(initial=0))
    key = tails * (int(costs.max(initial=0)) - low + 1) + (costs - low)
    order = np.argsort(key, kind="stable")
    starts = np.r_[0, np.flatnonzero(np.diff(tails)) + 1]
    first = np.repeat(starts, np.diff(np.r_[starts, n]))  # per arc, its student's first arc
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n) - first[order]
    listed = np.ones(part.n_arcs, dtype=bool)
    listed[:n] = rank < per_student
    return listed


def _min_cost_of(part: Part, arcs: np.ndarray, supplies: np.ndarray) -> np.ndarray:
    """Min-cost flow on ``part``'s ``arcs`` only (flows on every arc of the part, 0 off ``arcs``).

    The nodes no listed arc touches are left out of the solver: its running
    time grows with the nodes, not only with the arcs.
    """
    tails, heads = part.tails[arcs], part.heads[arcs]
    used = np.zeros(part.n_nodes, dtype=bool)
    used[tails] = used[heads] = True
    used[supplies != 0] = True
    local = (np.cumsum(used) - 1).astype(np.int32)
    flows = np.zeros(part.n_arcs, dtype=np.int64)
    flows[arcs] = _min_cost(local[tails], local[heads], part.capacities[arcs], part.costs[arcs], supplies[used])
    return flows


def _priced_min_cost(part: Part, supplies: np.ndarray, listed: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """The min-cost flow for ``supplies`` on all of ``part`` and potentials that prove it.

    With ``listed`` (a :func:`candidate_list`), solved by pricing: the list's
    optimum, then every arc left out whose reduced cost under the list's
    potentials is negative joins the list, until none does. Without, solved on
    every arc at once.
    """
    if listed is None:
        flows = _min_cost(part.tails, part.heads, part.capacities, part.costs, supplies)
        distance, _ = residual_potentials(part.tails, part.heads, part.capacities, part.costs, flows,
                                          part.n_nodes)
        return flows, distance
    while True:
        arcs = np.flatnonzero(listed)
        flows = _min_cost_of(part, arcs, supplies)
        distance, _ = residual_potentials(part.tails[arcs], part.heads[arcs], part.capacities[arcs],
                                          part.costs[arcs], flows[arcs], part.n_nodes)
        if distance is None:
            return flows, distance
        reduced = part.costs + distance[part.tails] - distance[part.heads]
        priced_in = (reduced < 0) & ~listed & (part.capacities > 0)
        if not priced_in.any():
            return flows, distance
        listed = listed | priced_in


def _certified_min_cost(part: Part, supplies: np.ndarray, certify: bool,
                        listed: np.ndarray | None = None) -> tuple[np.ndarray, int | None]:
    """Min-cost flow for ``supplies`` (priced from ``listed``, see :func:`_priced_min_cost`)
    and, when asked, its dual bound, certified on every arc of the part."""
    if listed is None and not certify:
        return _min_cost(part.tails, part.heads, part.capacities, part.costs, supplies), None
    flows, distance = _priced_min_cost(part, supplies, listed)
    if distance is None:
        raise ModelError("the min-cost flow failed its certificate: a negative cycle remains")
    if not certify:
        return flows, None
    cert = certificate_from_potentials(part.tails, part.heads, part.capacities, part.costs, supplies, flows, distance)
    if not cert.proven:
        raise ModelError("the min-cost flow failed its dual-bound certificate")
    return flows, cert.bound


class _Nodes:
    """The shared nodes of a part and supply vectors over them."""

    def __init__(self, part: Part) -> None:
        self.n = part.n_nodes
        self.sink, self.hub_p, self.hub_r, self.source = part.sink, part.hub_priority, part.hub_regular, part.source
        self.n_priority = int(np.count_nonzero(part.tails == self.hub_p))
        self.n_students = self.n_priority + int(np.count_nonzero(part.tails == self.hub_r))

    @property
    def two_classes(self) -> bool:
        return 0 < self.n_priority < self.n_students

    def supplies(self, at: dict[int, int]) -> np.ndarray:
        out = np.zeros(self.n, dtype=np.int64)
        for node, amount in at.items():
            out[node] = amount
        out[self.sink] = -sum(at.values())
        return out


# Price a candidate list only in parts where at least this share of the
# students can be placed. Where places are scarce, the students compete for
# the same cheap arcs: the list's first optimum is far off (4 % dearer in the
# national preset's second part, 73 % placed) and each round of pricing costs
# nearly a whole solve, so every arc at once is faster.
PRICED_PLACED_SHARE = 0.98


def _worth_pricing(listed: np.ndarray | None, max_placed: int, nodes: _Nodes) -> np.ndarray | None:
    """``listed``, or ``None`` (every arc) where too few students can be placed to price a list."""
    return listed if listed is not None and max_placed >= PRICED_PLACED_SHARE * nodes.n_students else None


def solve_weighted(part: Part, certify: bool, per_student: int | None = CANDIDATE_LIST) -> dict:
    """The lexicographic optimum of a part: r(E), r(P), and the min-cost hub flow
    (on a candidate list of ``per_student`` arcs per student; ``None``: on every arc)."""
    nodes = _Nodes(part)
    listed = None if per_student is None else candidate_list(part, per_student)
    # The list keeps the arcs of both max flows, so the min-cost flow's supplies can be met on it.
    max_placed, listed, placed_cut = _max_flow(part, nodes.source, nodes.sink, certify, listed)
    listed = _worth_pricing(listed, max_placed, nodes)
    if nodes.two_classes:
        max_priority, listed, priority_cut = _max_flow(part, nodes.hub_p, nodes.sink, certify, listed)
        b = nodes.supplies({nodes.hub_p: max_priority, nodes.hub_r: max_placed - max_priority})
    else:
        max_priority = max_placed if nodes.n_priority else 0
        priority_cut = Certificate(max_priority, max_priority, True) if certify else None
        b = nodes.supplies({nodes.source: max_placed})
    flows, cost_bound = _certified_min_cost(part, b, certify, listed)
    return dict(
        flows=flows,
        max_priority_placed=max_priority,
        max_placed=max_placed,
        secondary_cost=int(np.dot(flows, part.costs)),
        priority_bound=priority_cut.bound if priority_cut else None,
        placed_bound=placed_cut.bound if placed_cut else None,
        cost_bound=cost_bound,
    )


def solve_unweighted(part: Part, certify: bool, per_student: int | None = CANDIDATE_LIST) -> dict:
    """The optimum without priority weights: the most students, then the least cost."""
    nodes = _Nodes(part)
    listed = None if per_student is None else candidate_list(part, per_student)
    max_placed, listed, _ = _max_flow(part, nodes.source, nodes.sink, False, listed)
    listed = _worth_pricing(listed, max_placed, nodes)
    flows, _ = _certified_min_cost(part, nodes.supplies({nodes.source: max_placed}), certify, listed)
    return dict(
        unweighted_priority_placed=_hub_priority_flow(part, flows),
        unweighted_secondary_cost=int(np.dot(flows, part.costs)),
    )


def solve_part(part: Part, *, unweighted: bool, certify: bool,
               per_student: int | None = CANDIDATE_LIST) -> PartSolution:
    """Solve one part to lexicographic optimality.

    Parameters
    ----------
    part
        A component of the network (its last four nodes: sink, hub_priority,
        hub_regular, source; its last two arcs: source to each hub).
    unweighted
        Also solve without priority weights (most students, then least cost), to
        compare with the weighted optimum.
    certify
        Certify every optimum (cuts for the max flows, dual bounds for the min costs).
    per_student
        Candidate arcs per student in the min-cost flows' first candidate list
        (the optimum is the same, see :func:`candidate_list`); ``None`` solves
        them on every arc at once.

    Returns
    -------
    PartSolution
    """
    start = time.perf_counter()
    figures = solve_weighted(part, certify, per_student)
    if unweighted:
        if _Nodes(part).two_classes:
            figures.update(solve_unweighted(part, certify, per_student))
        else:  # one class: the weighted and the unweighted problem are the same
            figures.update(unweighted_priority_placed=_hub_priority_flow(part, figures["flows"]),
                           unweighted_secondary_cost=figures["secondary_cost"])
    else:
        figures.update(unweighted_priority_placed=None, unweighted_secondary_cost=None)
    return PartSolution(**figures, seconds=time.perf_counter() - start)


def _hub_priority_flow(part: Part, flows: np.ndarray) -> int:
    """Priority-tier students placed by ``flows`` (units leaving hub_priority)."""
    return int(flows[part.tails == part.hub_priority].sum())


# Parts at least this large (arcs) have their weighted and unweighted solves
# run as separate tasks, so that both cores work on the largest components.
SPLIT_TASK_ARCS = 500_000


def _run_task(parts: list[Part], task: tuple[str, list[int], bool, bool]) -> list[tuple[int, dict, float]]:
    kind, indices, unweighted, certify = task
    out = []
    for i in indices:
        start = time.perf_counter()
        part = parts[i]
        if kind == "weighted":
            figures = solve_weighted(part, certify)
        elif kind == "unweighted":
            figures = solve_unweighted(part, certify)
        else:
            solution = solve_part(part, unweighted=unweighted, certify=certify)
            figures = {k: getattr(solution, k) for k in PartSolution.__dataclass_fields__ if k != "seconds"}
        out.append((i, figures, time.perf_counter() - start))
    return out


def _tasks(parts: list[Part], unweighted: bool, certify: bool) -> list[tuple[str, list[int], bool, bool]]:
    """Tasks, largest first: big parts split by kind, small parts batched together."""
    target = max(50_000, sum(p.n_arcs for p in parts) // 200)
    tasks, batch, size = [], [], 0
    for i, part in enumerate(parts):
        if unweighted and part.n_arcs >= SPLIT_TASK_ARCS and _Nodes(part).two_classes:
            tasks += [("weighted", [i], unweighted, certify), ("unweighted", [i], unweighted, certify)]
        elif part.n_arcs >= target:
            tasks.append(("both", [i], unweighted, certify))
        else:
            batch.append(i)
            size += part.n_arcs
            if size >= target:
                tasks.append(("both", batch, unweighted, certify))
                batch, size = [], 0
    if batch:
        tasks.append(("both", batch, unweighted, certify))
    return tasks


def solve_parts(
    parts: list[Part],
    *,
    unweighted: bool,
    certify: bool,
    jobs: int = 1,
    on_done=None,
) -> list[PartSolution]:
    """Solve every part, in ``jobs`` processes; results in the order of ``parts``.

    Each part is solved the same way whichever process takes it, so the result
    does not depend on ``jobs``. ``on_done(arcs_done, arcs_total)`` is called as
    tasks finish.
    """
    total_arcs = sum(p.n_arcs for p in parts)
    done = 0
    jobs = worker_count(jobs)
    if jobs <= 1 or len(parts) <= 1:
        results = []
        for part in parts:
            results.append(solve_part(part, unweighted=unweighted, certify=certify))
            done += part.n_arcs
            if on_done:
                on_done(done, total_arcs)
        return results

    tasks = _tasks(parts, unweighted, certify)
    figures: list[dict] = [{} for _ in parts]
    seconds = [0.0] * len(parts)

    def finished(index: int, found_in_task: list[tuple[int, dict, float]]) -> None:
        nonlocal done
        kind = tasks[index][0]
        for i, found, spent in found_in_task:
            figures[i].update(found)
            seconds[i] += spent
            done += parts[i].n_arcs // (2 if kind != "both" else 1)
            if on_done:
                on_done(done, total_arcs)

    # Forked workers inherit the parts instead of unpickling them.
    process_map(_run_task, tasks, parts, jobs=jobs, on_done=finished)
    if not unweighted:
        for found in figures:
            found.update(unweighted_priority_placed=None, unweighted_secondary_cost=None)
    return [PartSolution(**found, seconds=spent) for found, spent in zip(figures, seconds)]
