"""The min-cost flow network of a placement problem.

Layout (every capacity is per period, so nodes are per period)::

    student ──cand──▶ [guidance(v,p)] ──▶ vp(v,p) ──places──▶ [sup(σ,p)] ──▶ [comp(c,p)] ──▶ sink
       └──────────────────────── unplaced: cost M·weight ──────────────────────────────────▶ sink

- ``guidance(v,p)`` exists only where extra-guidance places bind (fewer than
  the vacancy's capacity); students needing extra guidance enter through it.
- ``vp → next`` is one arc of capacity ``places`` at cost 0 plus, for duo
  vacancies, a parallel arc of capacity ``places`` at the duo-partner cost:
  the convex cost ``duo · max(0, n − places)``.
- ``sup`` and ``comp`` nodes exist only for finite capacities; otherwise the
  arc skips to the next level. Supervisors belong to the vacancy's company, so
  the network is a tree above the vp nodes and the model is exact.

Lexicographic objective. Unplacing student s costs ``M · weight(s)``, every
other cost is the secondary cost. A simple cycle in the residual graph passes
each student node once (changing that student's secondary cost by at most the
largest cost of its arcs) and each vp node once (at most one duo arc), so its
secondary change is below ``M = 1 + Σ_s maxcost(s) + duo · #duo-vps``. A
cycle that changes the weighted number of placed students changes it by an
integer, worth at least M: the min-cost flow therefore maximises the weighted
placements first, exactly.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from matcher.candidates import Candidates
from matcher.errors import ModelError
from matcher.problem import UNLIMITED, Problem

INT64_MAX = np.iinfo(np.int64).max


@dataclass(frozen=True, eq=False)
class FlowNetwork:
    """Arc arrays ready for ``add_arcs_with_capacity_and_unit_cost``.

    The first ``n_candidate_arcs`` arcs are the candidates in their order, the
    next ``len(active_students)`` the unplaced arcs of ``active_students``.
    ``vp_vacancy``/``vp_period`` describe the vp nodes; ``candidate_vp`` maps
    each candidate arc to its vp node index (0-based among vp nodes).
    """

    tails: np.ndarray
    heads: np.ndarray
    capacities: np.ndarray
    costs: np.ndarray
    supplies: np.ndarray
    n_candidate_arcs: int
    active_students: np.ndarray
    vp_vacancy: np.ndarray
    vp_period: np.ndarray
    candidate_vp: np.ndarray
    big_m: int

    @property
    def n_nodes(self) -> int:
        """Number of nodes, sink included."""
        return len(self.supplies)

    @property
    def n_arcs(self) -> int:
        """Number of arcs."""
        return len(self.tails)

    @property
    def unplaced_arcs(self) -> slice:
        """The slice of the unplaced arcs in the arc arrays."""
        start = self.n_candidate_arcs
        return slice(start, start + len(self.active_students))


def lexicographic_m(candidates: Candidates, n_duo_vps: int, duo_cost: int) -> int:
    """The weight M of one placement: larger than any simple cycle's secondary change."""
    if len(candidates) == 0:
        return 1
    starts = np.flatnonzero(np.r_[True, candidates.student[1:] != candidates.student[:-1]])
    max_cost = np.maximum.reduceat(candidates.cost, starts)
    return int(1 + max_cost.sum(dtype=np.int64) + duo_cost * n_duo_vps)


def build_network(
    problem: Problem, candidates: Candidates, duo_cost: int, weights: np.ndarray
) -> FlowNetwork:
    """Build the flow network of ``candidates``.

    Parameters
    ----------
    problem
        Capacities and attributes of students, vacancies, supervisors, companies.
    candidates
        Eligible arcs sorted by student.
    duo_cost
        Cost of each duo partner (per student beyond ``places``).
    weights
        Placement weight per student (the priority weights, or all ones for the
        price-of-priority run).

    Returns
    -------
    FlowNetwork

    Raises
    ------
    ModelError
        When the costs could overflow OR-Tools' int64 cost scaling.
    """
    n_periods = problem.n_periods
    cand_s = candidates.student.astype(np.int64)
    cand_v = candidates.vacancy.astype(np.int64)
    active = np.unique(cand_s)
    n_active = len(active)
    student_node = np.searchsorted(active, cand_s)

    vp_key_of_cand = cand_v * n_periods + candidates.period
    vp_keys, candidate_vp = np.unique(vp_key_of_cand, return_inverse=True)
    vp_v, vp_p = vp_keys // n_periods, vp_keys % n_periods
    n_vp = len(vp_keys)
    places = problem.v_places[vp_v].astype(np.int64)
    duo = problem.v_duo[vp_v]
    vp_capacity = np.where(duo, 2 * places, places)
    guidance_places = problem.v_guidance_places[vp_v].astype(np.int64)

    guided_cand = problem.s_guidance[cand_s]
    guided_at_vp = np.bincount(candidate_vp[guided_cand], minlength=n_vp) > 0
    gadget = guided_at_vp & (guidance_places < vp_capacity)
    gadget_index = np.cumsum(gadget) - 1

    sup = problem.v_supervisor[vp_v].astype(np.int64)
    sup_limited = sup >= 0
    sup_limited[sup_limited] = problem.supervisor_capacity[sup[sup_limited]] != UNLIMITED
    sup_keys, sup_index = np.unique(
        np.where(sup_limited, sup * n_periods + vp_p, -1), return_inverse=True
    )
    has_unlimited_sup_key = len(sup_keys) > 0 and sup_keys[0] == -1
    sup_index = sup_index - int(has_unlimited_sup_key)
    sup_keys = sup_keys[int(has_unlimited_sup_key):]

    comp = problem.v_company[vp_v].astype(np.int64)
    comp_limited = problem.company_max_students[comp] != UNLIMITED
    comp_keys, comp_index = np.unique(
        np.where(comp_limited, comp * n_periods + vp_p, -1), return_inverse=True
    )
    has_unlimited_comp_key = len(comp_keys) > 0 and comp_keys[0] == -1
    comp_index = comp_index - int(has_unlimited_comp_key)
    comp_keys = comp_keys[int(has_unlimited_comp_key):]

    n_gadget, n_sup, n_comp = int(gadget.sum()), len(sup_keys), len(comp_keys)
    vp_base = n_active
    gadget_base = vp_base + n_vp
    sup_base = gadget_base + n_gadget
    comp_base = sup_base + n_sup
    sink = comp_base + n_comp
    n_nodes = sink + 1

    comp_node = np.where(comp_limited, comp_base + comp_index, sink)
    sup_next = np.where(sup_limited, sup_base + sup_index, comp_node)

    into_gadget = guided_cand & gadget[candidate_vp]
    cand_head = np.where(
        into_gadget, gadget_base + gadget_index[candidate_vp], vp_base + candidate_vp
    )

    n_duo = int(duo.sum())
    big_m = lexicographic_m(candidates, n_duo, duo_cost)
    student_weight = weights[active].astype(np.int64)

    # Supervisor and company arcs: one per distinct (supervisor|company, period).
    _, sup_first = np.unique(sup_index[sup_limited], return_index=True)
    sup_vp = np.flatnonzero(sup_limited)[sup_first]
    _, comp_first = np.unique(comp_index[comp_limited], return_index=True)
    comp_vp = np.flatnonzero(comp_limited)[comp_first]
    duo_vp = np.flatnonzero(duo)
    gadget_vp = np.flatnonzero(gadget)

    parts = [
        # (tails, heads, capacities, costs)
        (student_node, cand_head, np.ones(len(cand_s)), candidates.cost),
        (np.arange(n_active), np.full(n_active, sink), np.ones(n_active), big_m * student_weight),
        (gadget_base + np.arange(n_gadget), vp_base + gadget_vp, guidance_places[gadget_vp], 0),
        (vp_base + np.arange(n_vp), sup_next, places, 0),
        (vp_base + duo_vp, sup_next[duo_vp], places[duo_vp], duo_cost),
        (sup_base + np.arange(n_sup), comp_node[sup_vp],
         problem.supervisor_capacity[sup[sup_vp]], 0),
        (comp_base + np.arange(n_comp), np.full(n_comp, sink),
         problem.company_max_students[comp[comp_vp]], 0),
    ]
    sizes = [len(p[0]) for p in parts]
    tails = np.concatenate([p[0] for p in parts]).astype(np.int32)
    heads = np.concatenate([p[1] for p in parts]).astype(np.int32)
    capacities = np.concatenate([np.broadcast_to(p[2], (n,)) for p, n in zip(parts, sizes)])
    costs = np.concatenate([np.broadcast_to(p[3], (n,)) for p, n in zip(parts, sizes)])

    supplies = np.zeros(n_nodes, dtype=np.int64)
    supplies[:n_active] = 1
    supplies[sink] = -n_active

    max_unit_cost = int(costs.max(initial=0))
    # OR-Tools multiplies costs by (nodes + 1) when scaling; keep that and the
    # total objective inside int64 with a factor-2 margin.
    if max_unit_cost > INT64_MAX // (4 * (n_nodes + 1)) or big_m * int(
        student_weight.sum()
    ) > INT64_MAX // 4:
        raise ModelError(
            f"cost range too wide for an exact int64 min-cost flow: largest arc cost "
            f"{max_unit_cost:,} with {n_nodes:,} nodes; lower the policy's cost "
            f"parameters or split the instance (e.g. --region)"
        )
    return FlowNetwork(
        tails=tails,
        heads=heads,
        capacities=capacities.astype(np.int64),
        costs=costs.astype(np.int64),
        supplies=supplies,
        n_candidate_arcs=len(cand_s),
        active_students=active,
        vp_vacancy=vp_v,
        vp_period=vp_p,
        candidate_vp=candidate_vp,
        big_m=big_m,
    )
