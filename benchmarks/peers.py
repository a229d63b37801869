"""Peers of stagematch, run on the same instance and the same model.

Each peer takes the engine's :class:`~matcher.engine.problem.Problem` and
:class:`~matcher.engine.candidates.Candidates` (so every peer sees exactly the arcs
stagematch sees) and the policy, and returns a dict of figures:

- :func:`ortools_single_graph`: OR-Tools on the whole network as one graph, no
  decomposition, no certificate, no unweighted comparison: the raw solver speed.
- :func:`highs_lp`: the same model as a two-stage LP, solved by HiGHS through
  ``scipy.optimize.linprog`` (:func:`matcher.verify.lp.lexicographic_lp`).
- :func:`networkx_simplex`: ``networkx.network_simplex`` on the hub min-cost
  problem that stagematch's last OR-Tools call solves.
- :func:`greedy_first_come`: what a placement office does by hand: students in
  a fixed order each take the nearest free eligible place.

Setup that is not the peer's own work (building the network, the max flows that
fix the supplies) is timed separately and reported as ``setup_seconds``.
"""

from __future__ import annotations

import hashlib
import time

import networkx as nx
import numpy as np

from matcher.engine.candidates import Candidates
from matcher.engine.decompose import Part, split
from matcher.engine.flow import solve_part
from matcher.engine.network import build_network
from matcher.engine.problem import UNLIMITED, Problem, priority_class, weighted_value
from matcher.verify.lp import lexicographic_lp
from models import Policy


def whole_network_part(problem: Problem, candidates: Candidates, policy: Policy) -> Part:
    """The full placement network as one undecomposed :class:`Part`."""
    network = build_network(problem, candidates, policy.costs.duo_partner, priority_class(problem, policy))
    return split(network, whole=True)[0]


# --- OR-Tools on one graph -------------------------------------------------------------


def ortools_single_graph(problem: Problem, candidates: Candidates, policy: Policy) -> dict:
    """Solve the undecomposed network with OR-Tools; time only the solver calls.

    Parameters
    ----------
    problem, candidates, policy
        The engine's problem arrays, its candidate arcs and the policy.

    Returns
    -------
    dict
        ``seconds`` (the OR-Tools calls: two max flows and one min-cost flow),
        ``setup_seconds`` (building the network), ``arcs``, ``weighted_placed``,
        ``secondary_cost``, ``placed``, ``priority_placed``.
    """
    start = time.perf_counter()
    part = whole_network_part(problem, candidates, policy)
    setup = time.perf_counter() - start
    start = time.perf_counter()
    solution = solve_part(part, unweighted=False, certify=False, per_student=None)
    seconds = time.perf_counter() - start
    return {
        "seconds": round(seconds, 4),
        "setup_seconds": round(setup, 4),
        "arcs": int(part.n_arcs),
        "weighted_placed": int(weighted_value(policy.weights, solution.max_placed, solution.max_priority_placed)),
        "secondary_cost": int(solution.secondary_cost),
        "placed": int(solution.max_placed),
        "priority_placed": int(solution.max_priority_placed),
    }


# --- HiGHS LP ----------------------------------------------------------------------------


def lp_arrays(problem: Problem, candidates: Candidates, policy: Policy) -> dict:
    """The arguments of :func:`matcher.verify.lp.lexicographic_lp` for the engine's candidates.

    Vacancy-periods are the distinct (vacancy, period) pairs among the
    candidates; a supervisor group is a (supervisor, period) pair of a
    supervisor with a finite capacity, a company group a (company, period)
    pair of a company with ``max_students``.

    Parameters
    ----------
    problem, candidates, policy
        The engine's problem arrays, its candidate arcs and the policy.

    Returns
    -------
    dict
        Keyword arguments for :func:`matcher.verify.lp.lexicographic_lp`.
    """
    n_periods = problem.n_periods
    cand_s = candidates.student.astype(np.int64)
    cand_v = candidates.vacancy.astype(np.int64)
    vp_keys, cand_vp = np.unique(cand_v * n_periods + candidates.period, return_inverse=True)
    vp_v, vp_p = vp_keys // n_periods, vp_keys % n_periods

    def groups(owner: np.ndarray, capacity_of_owner: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Group index per vacancy-period (-1 = unlimited) and capacity per group."""
        limited = owner >= 0
        limited[limited] = capacity_of_owner[owner[limited]] != UNLIMITED
        group = np.full(len(owner), -1, dtype=np.int64)
        _, first, inverse = np.unique(
            owner[limited] * n_periods + vp_p[limited], return_index=True, return_inverse=True
        )
        group[limited] = inverse
        return group, capacity_of_owner[owner[limited][first]].astype(np.int64)

    sup_group, sup_capacity = groups(problem.v_supervisor[vp_v].astype(np.int64), problem.supervisor_capacity)
    comp_group, comp_capacity = groups(problem.v_company[vp_v].astype(np.int64), problem.company_max_students)
    return {
        "cand_student": cand_s,
        "cand_vp": cand_vp.astype(np.int64),
        "cand_cost": candidates.cost,
        "cand_needs_guidance": problem.s_guidance[cand_s],
        "weight": problem.s_weight,
        "vp_places": problem.v_places[vp_v],
        "vp_guidance_places": problem.v_guidance_places[vp_v],
        "vp_duo": problem.v_duo[vp_v],
        "vp_supervisor_group": sup_group,
        "supervisor_group_capacity": sup_capacity,
        "vp_company_group": comp_group,
        "company_group_capacity": comp_capacity,
        "duo_cost": policy.costs.duo_partner,
    }


def highs_lp(problem: Problem, candidates: Candidates, policy: Policy) -> dict:
    """Solve the model as a two-stage LP with HiGHS (scipy ``linprog``).

    Returns
    -------
    dict
        ``seconds`` (both LP stages, including scipy's matrix assembly),
        ``setup_seconds`` (the adapter), ``status``, ``weighted_placed``,
        ``secondary_cost`` (rounded to integers: the LP optimum is integral,
        see :mod:`matcher.verify.lp`), ``variables``.
    """
    start = time.perf_counter()
    arrays = lp_arrays(problem, candidates, policy)
    setup = time.perf_counter() - start
    start = time.perf_counter()
    solution = lexicographic_lp(**arrays)
    seconds = time.perf_counter() - start
    optimal = solution.status == "optimal"
    return {
        "seconds": round(seconds, 4),
        "setup_seconds": round(setup, 4),
        "status": solution.status,
        "weighted_placed": int(round(solution.weighted_placed)) if optimal else None,
        "secondary_cost": int(round(solution.secondary_cost)) if optimal else None,
        "variables": int(len(candidates) + len(arrays["vp_places"])),
    }


# --- networkx network simplex ------------------------------------------------------------


def network_simplex_min_cost(part: Part, priority_supply: int, regular_supply: int) -> dict:
    """``networkx.network_simplex`` on the hub min-cost problem of ``part``.

    ``hub_priority`` supplies ``priority_supply`` units, ``hub_regular``
    ``regular_supply``, the sink takes both; the source and its two arcs are
    left out (they carry nothing in this problem). Duo vacancy-periods have two
    parallel arcs, hence a ``MultiDiGraph``.

    Returns
    -------
    dict
        ``build_seconds`` (the graph), ``seconds`` (the simplex), ``cost``.
    """
    n = part.n_nodes
    sink, hub_p, hub_r, source = n - 4, n - 3, n - 2, n - 1
    start = time.perf_counter()
    graph = nx.MultiDiGraph()
    graph.add_nodes_from(range(n - 1), demand=0)
    graph.nodes[hub_p]["demand"] = -int(priority_supply)
    graph.nodes[hub_r]["demand"] = -int(regular_supply)
    graph.nodes[sink]["demand"] = int(priority_supply + regular_supply)
    keep = part.tails != source
    graph.add_edges_from(
        (t, h, {"capacity": c, "weight": w})
        for t, h, c, w in zip(
            part.tails[keep].tolist(), part.heads[keep].tolist(),
            part.capacities[keep].tolist(), part.costs[keep].tolist(),
        )
    )
    build = time.perf_counter() - start
    start = time.perf_counter()
    cost, _ = nx.network_simplex(graph)
    return {
        "build_seconds": round(build, 4),
        "seconds": round(time.perf_counter() - start, 4),
        "cost": int(cost),
    }


def networkx_simplex(problem: Problem, candidates: Candidates, policy: Policy) -> dict:
    """The hub min-cost problem of the whole network, solved by networkx.

    The supplies ``r(P)`` and ``r(E) − r(P)`` come from OR-Tools' max flows
    (setup, not timed as the peer's work); the peer solves what stagematch's
    last OR-Tools call solves, so its cost must equal stagematch's secondary cost.

    Returns
    -------
    dict
        ``seconds`` (the simplex), ``build_seconds`` (the networkx graph),
        ``setup_seconds`` (network and max flows), ``secondary_cost``,
        ``weighted_placed``, ``arcs``.
    """
    start = time.perf_counter()
    part = whole_network_part(problem, candidates, policy)
    ranks = solve_part(part, unweighted=False, certify=False, per_student=None)
    setup = time.perf_counter() - start
    figures = network_simplex_min_cost(
        part, ranks.max_priority_placed, ranks.max_placed - ranks.max_priority_placed
    )
    return {
        "seconds": figures["seconds"],
        "build_seconds": figures["build_seconds"],
        "setup_seconds": round(setup, 4),
        "secondary_cost": figures["cost"],
        "weighted_placed": int(weighted_value(policy.weights, ranks.max_placed, ranks.max_priority_placed)),
        "arcs": int(part.n_arcs),
    }


# --- greedy first come, first served -------------------------------------------------------


def first_come_order(problem: Problem) -> np.ndarray:
    """Students in a fixed pseudo-random order: by BLAKE2b hash of the student id.

    Generated ids are sequential within a region, so id order would favour one
    region; a hash keeps the order fixed yet unrelated to anything in the model.
    """
    keys = [hashlib.blake2b(str(sid).encode(), digest_size=8).digest() for sid in problem.student_ids]
    return np.array(sorted(range(problem.n_students), key=keys.__getitem__), dtype=np.int64)


def greedy_assignment(problem: Problem, candidates: Candidates) -> np.ndarray:
    """Indices of the candidates a first-come-first-served pass takes.

    Each student in :func:`first_come_order` takes the eligible candidate with
    the least travel (then least cost, then candidate order) whose
    vacancy-period still has room (``places``, or ``2 × places`` for duo),
    whose extra-guidance places are not used up when the student needs them,
    and whose supervisor and company have room in that period. A loop over
    students, each step vectorised over the student's candidates.
    """
    n_periods = problem.n_periods
    cand_s = candidates.student.astype(np.int64)
    cand_v = candidates.vacancy.astype(np.int64)
    cand_p = candidates.period.astype(np.int64)
    vp_keys, cand_vp = np.unique(cand_v * n_periods + cand_p, return_inverse=True)
    vp_v, vp_p = vp_keys // n_periods, vp_keys % n_periods
    places = problem.v_places[vp_v].astype(np.int64)
    vp_room = np.where(problem.v_duo[vp_v], 2 * places, places)
    vp_guidance_room = problem.v_guidance_places[vp_v].astype(np.int64)

    def level(owner: np.ndarray, capacity: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Group per vacancy-period and room per group; all unlimited ones share one group."""
        limited = owner >= 0
        limited[limited] = capacity[owner[limited]] != UNLIMITED
        keys, index = np.unique(np.where(limited, owner * n_periods + vp_p, -1), return_inverse=True)
        room = np.full(len(keys), np.iinfo(np.int64).max // 2, dtype=np.int64)
        room[index[limited]] = capacity[owner[limited]]
        return index, room

    sup_index, sup_room = level(problem.v_supervisor[vp_v].astype(np.int64), problem.supervisor_capacity)
    comp_index, comp_room = level(problem.v_company[vp_v].astype(np.int64), problem.company_max_students)

    # Each student's candidates ordered nearest first (then cheapest, then original order).
    order = np.lexsort((np.arange(len(cand_s)), candidates.cost, candidates.travel_min, cand_s))
    bounds = np.searchsorted(cand_s[order], np.arange(problem.n_students + 1))
    ordered_vp = cand_vp[order]
    ordered_sup, ordered_comp = sup_index[ordered_vp], comp_index[ordered_vp]

    vp_used = np.zeros(len(vp_keys), dtype=np.int64)
    guided_used = np.zeros(len(vp_keys), dtype=np.int64)
    sup_used = np.zeros(len(sup_room), dtype=np.int64)
    comp_used = np.zeros(len(comp_room), dtype=np.int64)
    taken = []
    for s in first_come_order(problem).tolist():
        lo, hi = bounds[s], bounds[s + 1]
        if lo == hi:
            continue
        vp, sup, comp = ordered_vp[lo:hi], ordered_sup[lo:hi], ordered_comp[lo:hi]
        free = (vp_used[vp] < vp_room[vp]) & (sup_used[sup] < sup_room[sup]) & (comp_used[comp] < comp_room[comp])
        guided = bool(problem.s_guidance[s])
        if guided:
            free &= guided_used[vp] < vp_guidance_room[vp]
        first = int(np.argmax(free))
        if not free[first]:
            continue
        k = vp[first]
        vp_used[k] += 1
        guided_used[k] += guided
        sup_used[sup[first]] += 1
        comp_used[comp[first]] += 1
        taken.append(order[lo + first])
    return np.sort(np.array(taken, dtype=np.int64))


def greedy_first_come(problem: Problem, candidates: Candidates, policy: Policy) -> dict:
    """First come, first served: each student takes the nearest free eligible place.

    Returns
    -------
    dict
        ``seconds``, ``placed``, ``priority_placed``, ``mean_travel_min`` (of the
        placed), ``weighted_placed`` and ``secondary_cost`` (the model's
        objective, duo-partner costs included).
    """
    start = time.perf_counter()
    chosen = greedy_assignment(problem, candidates)
    seconds = time.perf_counter() - start
    student = candidates.student[chosen]
    n_periods = problem.n_periods
    vp_key = candidates.vacancy[chosen].astype(np.int64) * n_periods + candidates.period[chosen]
    vp_keys, per_vp = np.unique(vp_key, return_counts=True)
    excess = np.maximum(per_vp - problem.v_places[vp_keys // n_periods], 0)
    return {
        "seconds": round(seconds, 4),
        "placed": int(len(chosen)),
        "priority_placed": int(problem.s_priority[student].sum()),
        "mean_travel_min": round(float(candidates.travel_min[chosen].mean()), 2) if len(chosen) else None,
        "weighted_placed": int(problem.s_weight[student].sum()),
        "secondary_cost": int(candidates.cost[chosen].sum() + policy.costs.duo_partner * excess.sum()),
    }
