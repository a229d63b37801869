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
    part: Part, source: int, sink: int, certify: bool, capacities: np.ndarray | None = None
) -> tuple[int, np.ndarray, Certificate | None]:
    """Max flow from ``source`` to ``sink``: its value, its arc flows and (optionally)
    a cut of equal capacity that proves it maximum."""
    capacities = part.capacities if capacities is None else capacities
    solver = max_flow.SimpleMaxFlow()
    arcs = solver.add_arcs_with_capacity(part.tails, part.heads, capacities)
    status = solver.solve(source, sink)
    if status != solver.OPTIMAL:
        raise ModelError(f"max-flow solver ended with status {status}")
    value = int(solver.optimal_flow())
    certificate = None
    if certify:
        certificate = max_flow_certificate(
            part.tails, part.heads, capacities,
            np.asarray(solver.get_source_side_min_cut()), value, source, sink,
        )
    return value, solver.flows(arcs).astype(np.int64), certificate


def _min_cost(tails, heads, capacities, costs, supplies: np.ndarray) -> np.ndarray:
    solver = min_cost_flow.SimpleMinCostFlow()
    arcs = solver.add_arcs_with_capacity_and_unit_cost(tails, heads, capacities, costs)
    solver.set_nodes_supplies(np.arange(len(supplies), dtype=np.int32), supplies)
    status = solver.solve()
    if status != solver.OPTIMAL:
        raise ModelError(f"min-cost flow solver ended with status {status}")
    return solver.flows(arcs).astype(np.int64)


def _certified_min_cost(part: Part, supplies: np.ndarray, certify: bool) -> tuple[np.ndarray, int | None]:
    """Min-cost flow for ``supplies`` and, when asked, its certified dual bound."""
    flows = _min_cost(part.tails, part.heads, part.capacities, part.costs, supplies)
    if not certify:
        return flows, None
    distance, _ = residual_potentials(part.tails, part.heads, part.capacities, part.costs, flows, part.n_nodes)
    if distance is None:
        raise ModelError("the min-cost flow failed its certificate: a negative cycle remains")
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


def solve_weighted(part: Part, certify: bool) -> dict:
    """The lexicographic optimum of a part: r(E), r(P), and the min-cost hub flow."""
    nodes = _Nodes(part)
    max_placed, _, placed_cut = _max_flow(part, nodes.source, nodes.sink, certify)
    if nodes.two_classes:
        max_priority, _, priority_cut = _max_flow(part, nodes.hub_p, nodes.sink, certify)
        b = nodes.supplies({nodes.hub_p: max_priority, nodes.hub_r: max_placed - max_priority})
    else:
        max_priority = max_placed if nodes.n_priority else 0
        priority_cut = Certificate(max_priority, max_priority, True) if certify else None
        b = nodes.supplies({nodes.source: max_placed})
    flows, cost_bound = _certified_min_cost(part, b, certify)
    return dict(
        flows=flows,
        max_priority_placed=max_priority,
        max_placed=max_placed,
        secondary_cost=int(np.dot(flows, part.costs)),
        priority_bound=priority_cut.bound if priority_cut else None,
        placed_bound=placed_cut.bound if placed_cut else None,
        cost_bound=cost_bound,
    )


def solve_unweighted(part: Part, certify: bool) -> dict:
    """The optimum without priority weights: the most students, then the least cost."""
    nodes = _Nodes(part)
    max_placed, _, _ = _max_flow(part, nodes.source, nodes.sink, False)
    flows, _ = _certified_min_cost(part, nodes.supplies({nodes.source: max_placed}), certify)
    return dict(
        unweighted_priority_placed=_hub_priority_flow(part, flows),
        unweighted_secondary_cost=int(np.dot(flows, part.costs)),
    )


def solve_part(part: Part, *, unweighted: bool, certify: bool) -> PartSolution:
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

    Returns
    -------
    PartSolution
    """
    start = time.perf_counter()
    figures = solve_weighted(part, certify)
    if unweighted:
        if _Nodes(part).two_classes:
            figures.update(solve_unweighted(part, certify))
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
