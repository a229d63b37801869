"""Solving one part of a placement network exactly, with OR-Tools, and certifying it.

The lexicographic objective (most priority-weighted placements, then least
secondary cost) is solved without any big-M weight (see :mod:`matcher.network`):

1. ``r(P)``: the max flow from ``hub_priority`` — the most priority-tier
   students that can be placed together;
2. ``r(E)``: the max flow from ``source`` (both hubs) — the most students;
   computed together with the unweighted optimum (max flow at min cost) when
   the price of priority is asked for;
3. the min-cost flow with supplies ``r(P)`` at ``hub_priority`` and
   ``r(E) − r(P)`` at ``hub_regular``.

Each value is certified: the max flows by cuts of equal capacity, the min
costs by dual bounds (:mod:`matcher.certificate`).
"""

from __future__ import annotations

import multiprocessing
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass

import numpy as np
from ortools.graph.python import max_flow, min_cost_flow

from matcher.certificate import Certificate, max_flow_certificate, min_cost_certificate
from matcher.decompose import Part
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


def _max_flow(part: Part, source: int, sink: int, certify: bool) -> tuple[int, Certificate | None]:
    solver = max_flow.SimpleMaxFlow()
    solver.add_arcs_with_capacity(part.tails, part.heads, part.capacities)
    status = solver.solve(source, sink)
    if status != solver.OPTIMAL:
        raise ModelError(f"max-flow solver ended with status {status}")
    value = int(solver.optimal_flow())
    certificate = None
    if certify:
        certificate = max_flow_certificate(
            part.tails, part.heads, part.capacities,
            np.asarray(solver.get_source_side_min_cut()), value, source, sink,
        )
    return value, certificate


def _min_cost(part: Part, supplies: np.ndarray, maximise_flow: bool) -> tuple[np.ndarray, int]:
    solver = min_cost_flow.SimpleMinCostFlow()
    arcs = solver.add_arcs_with_capacity_and_unit_cost(part.tails, part.heads, part.capacities, part.costs)
    solver.set_nodes_supplies(np.arange(part.n_nodes, dtype=np.int32), supplies)
    status = solver.solve_max_flow_with_min_cost() if maximise_flow else solver.solve()
    if status != solver.OPTIMAL:
        raise ModelError(f"min-cost flow solver ended with status {status}")
    flows = solver.flows(arcs).astype(np.int64)
    return flows, int(solver.maximum_flow()) if maximise_flow else int(supplies[supplies > 0].sum())


def solve_part(part: Part, *, price_of_priority: bool, certify: bool) -> PartSolution:
    """Solve one part to lexicographic optimality.

    Parameters
    ----------
    part
        A component of the network (its last four nodes: sink, hub_priority,
        hub_regular, source; its last two arcs: source to each hub).
    price_of_priority
        Also solve without priority weights (most students, then least cost).
    certify
        Certify every optimum (cuts and dual bounds).

    Returns
    -------
    PartSolution
    """
    start = time.perf_counter()
    n = part.n_nodes
    sink, hub_p, hub_r, source = n - 4, n - 3, n - 2, n - 1
    n_priority = int(np.count_nonzero(part.tails == hub_p))
    n_students = n_priority + int(np.count_nonzero(part.tails == hub_r))

    def supplies(at: dict[int, int]) -> np.ndarray:
        out = np.zeros(n, dtype=np.int64)
        for node, amount in at.items():
            out[node] = amount
        out[sink] = -sum(at.values())
        return out

    # r(E): the most students; with the price of priority, also their cheapest placement.
    unweighted = None
    if price_of_priority:
        unweighted, max_placed = _min_cost(part, supplies({source: n_students}), True)
    placed, placed_cut = _max_flow(part, source, sink, certify) if certify or not price_of_priority else (None, None)
    if unweighted is None:
        max_placed = placed
    elif placed is not None and placed != max_placed:
        raise ModelError(f"max flow {placed} differs from the min-cost max flow {max_placed}")

    # r(P) and the lexicographic optimum.
    priority_cut = None
    if 0 < n_priority < n_students:
        max_priority, priority_cut = _max_flow(part, hub_p, sink, certify)
        b = supplies({hub_p: max_priority, hub_r: max_placed - max_priority})
        flows, _ = _min_cost(part, b, False)
    else:
        # One class only: the weighted and the unweighted problem are the same.
        max_priority = max_placed if n_priority else 0
        priority_cut = Certificate(max_priority, max_priority, True) if certify else None
        b = supplies({source: max_placed})
        flows = unweighted if unweighted is not None else _min_cost(part, b, False)[0]

    cost_bound = None
    if certify:
        cost_bound = min_cost_certificate(part.tails, part.heads, part.capacities, part.costs, b, flows).bound
        if unweighted is not None and unweighted is not flows:
            check = min_cost_certificate(part.tails, part.heads, part.capacities, part.costs,
                                         supplies({source: max_placed}), unweighted)
            if not check.proven:
                raise ModelError("the unweighted optimum failed its certificate")

    return PartSolution(
        flows=flows,
        max_priority_placed=max_priority,
        max_placed=max_placed,
        secondary_cost=int(np.dot(flows, part.costs)),
        priority_bound=priority_cut.bound if priority_cut else None,
        placed_bound=placed_cut.bound if placed_cut else None,
        cost_bound=cost_bound,
        unweighted_priority_placed=int(unweighted[-2]) if unweighted is not None else None,
        unweighted_secondary_cost=int(np.dot(unweighted, part.costs)) if unweighted is not None else None,
        seconds=time.perf_counter() - start,
    )


# The parts of the current solve, inherited by forked workers instead of pickled.
_PARTS: list[Part] = []


def _solve_indexed(args: tuple[list[int], bool, bool]) -> list[tuple[int, PartSolution]]:
    indices, price, certify = args
    return [(i, solve_part(_PARTS[i], price_of_priority=price, certify=certify)) for i in indices]


def _batches(parts: list[Part], target_arcs: int) -> list[list[int]]:
    """Indices of ``parts`` (largest first) grouped so that small parts travel together."""
    batches: list[list[int]] = []
    current: list[int] = []
    size = 0
    for i, part in enumerate(parts):
        if part.n_arcs >= target_arcs:
            batches.append([i])
            continue
        current.append(i)
        size += part.n_arcs
        if size >= target_arcs:
            batches.append(current)
            current, size = [], 0
    if current:
        batches.append(current)
    return batches


def solve_parts(
    parts: list[Part],
    *,
    price_of_priority: bool,
    certify: bool,
    jobs: int = 1,
    on_done=None,
) -> list[PartSolution]:
    """Solve every part, in ``jobs`` processes; results in the order of ``parts``.

    Each part is solved the same way whichever process takes it, so the result
    does not depend on ``jobs``. ``on_done(arcs_done, arcs_total)`` is called as
    parts finish.
    """
    global _PARTS
    total_arcs = sum(p.n_arcs for p in parts)
    batches = _batches(parts, target_arcs=max(50_000, total_arcs // 200))
    results: list[PartSolution | None] = [None] * len(parts)
    done = 0
    # Workers are forked so that they inherit the parts instead of unpickling them.
    if jobs <= 1 or len(batches) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        for i, part in enumerate(parts):
            results[i] = solve_part(part, price_of_priority=price_of_priority, certify=certify)
            done += part.n_arcs
            if on_done:
                on_done(done, total_arcs)
        return results  # type: ignore[return-value]

    _PARTS = parts
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
            futures = [pool.submit(_solve_indexed, (batch, price_of_priority, certify)) for batch in batches]
            for future in as_completed(futures):
                for i, solution in future.result():
                    results[i] = solution
                    done += parts[i].n_arcs
                    if on_done:
                        on_done(done, total_arcs)
    finally:
        _PARTS = []
    return results  # type: ignore[return-value]
