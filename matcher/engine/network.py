"""The placement flow network of a problem.

Layout (every capacity is per period, so nodes are per period)::

    source ─▶ hub_priority ─▶ priority student ─cand─▶ [guidance(v,p)] ─▶ vp(v,p) ─places─▶
           └▶ hub_regular  ─▶ regular student  ─┘        [sup(σ,p)] ─▶ [comp(c,p)] ─▶ sink

- ``guidance(v,p)`` exists only where extra-guidance places bind (fewer than
  the vacancy's capacity); students needing extra guidance enter through it.
- ``vp → next`` is one arc of capacity ``places`` at cost 0 plus, for duo
  vacancies, a parallel arc of capacity ``places`` at the duo-partner cost:
  the convex cost ``duo · max(0, n − places)``.
- ``sup`` and ``comp`` nodes exist only for finite capacities; otherwise the
  arc skips to the next level. A supervisor belongs to its vacancy's company,
  so the network is a tree above the vp nodes and models SPEC exactly.
- Candidate arcs cost the secondary cost; no arc carries a big-M weight.

Why the hubs make the lexicographic objective exact (see :mod:`matcher.engine.flow`):
the sets of students that can be placed together are the independent sets of
a matroid (a gammoid of this network). With weights ``w_P > w_R > 0`` a set
has maximum weight iff it has ``r(E)`` students of whom ``r(P)`` are in the
priority tier, where ``r`` is the matroid rank (a max flow). So the
lexicographic optimum is the min-cost flow in which ``hub_priority`` supplies
``r(P)`` units and ``hub_regular`` supplies ``r(E) − r(P)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from matcher.engine.candidates import Candidates
from matcher.engine.problem import UNLIMITED, Problem
from matcher.engine.rounds import previous_arcs
from matcher.errors import ModelError

INT64_MAX = np.iinfo(np.int64).max
# Enough for any flow of this network: at most one unit per student.
UNBOUNDED = 1 << 40


# The nodes every network and every part of one ends with, in this order.
SHARED_NODES = ("sink", "hub_priority", "hub_regular", "source")


def node_starts(n_students: int, n_vp: int, n_guidance: int, n_supervisor: int, n_company: int) -> dict[str, int]:
    """The node layout of a placement network: the first node of each kind.

    Students come first (node ``i`` is the ``i``-th active student), then the
    vacancy-periods (``vp``), the guidance gates, the limited supervisor- and
    company-periods, and last the :data:`SHARED_NODES`; ``inner`` counts the
    nodes before them (``sink`` is the first shared node).
    """
    starts, start = {}, 0
    for kind, size in (("student", n_students), ("vp", n_vp), ("guidance", n_guidance),
                       ("supervisor", n_supervisor), ("company", n_company)):
        starts[kind] = start
        start += size
    starts["inner"] = start
    starts.update(shared_nodes(start))
    return starts


def shared_nodes(n_inner: int) -> dict[str, int]:
    """The :data:`SHARED_NODES` of a network whose ``n_inner`` other nodes come first."""
    return {name: n_inner + k for k, name in enumerate(SHARED_NODES)}


class SharedNodes:
    """The shared nodes of a network of ``n_nodes`` nodes, by name: they are its last."""

    n_nodes: int

    @property
    def n_inner(self) -> int:
        """Nodes before the shared ones (students, places, capacities)."""
        return self.n_nodes - len(SHARED_NODES)

    @property
    def sink(self) -> int:
        """The sink node."""
        return self.n_inner + SHARED_NODES.index("sink")

    @property
    def hub_priority(self) -> int:
        """The node that feeds priority-tier students."""
        return self.n_inner + SHARED_NODES.index("hub_priority")

    @property
    def hub_regular(self) -> int:
        """The node that feeds the other students."""
        return self.n_inner + SHARED_NODES.index("hub_regular")

    @property
    def source(self) -> int:
        """The node that feeds both hubs (for max flows)."""
        return self.n_inner + SHARED_NODES.index("source")


@dataclass(frozen=True, eq=False)
class FlowNetwork(SharedNodes):
    """Arc arrays for OR-Tools' array API, and what the nodes and arcs mean.

    Arcs are ordered: the candidate arcs (in candidate order), then one entry
    arc per active student (from its hub), then guidance, vp, duo, supervisor
    and company arcs, and last the two source arcs (to ``hub_priority``, to
    ``hub_regular``). ``student_class`` is 1 for a priority-tier active student.
    """

    tails: np.ndarray
    heads: np.ndarray
    capacities: np.ndarray
    costs: np.ndarray
    n_nodes: int
    n_candidate_arcs: int
    active_students: np.ndarray
    student_class: np.ndarray
    vp_vacancy: np.ndarray
    vp_period: np.ndarray
    candidate_vp: np.ndarray
    gadget_vp: np.ndarray
    duo_vp: np.ndarray
    sup_vp: np.ndarray
    comp_vp: np.ndarray
    fixed_arcs: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # confirmed placements
    # Taken off the cost of each arc that keeps a previous placement (matcher.engine.rounds.keep_bonus);
    # the flow's cost is then secondary - keep_bonus * kept.
    keep_bonus: int = 0

    def arc_ranges(self) -> dict[str, slice]:
        """Where each kind of arc lies: ``candidate``, ``entry``, ``guidance``
        (one per guidance gadget, of ``gadget_vp``), ``place`` (one per
        vacancy-period), ``duo`` (of ``duo_vp``), ``supervisor`` and ``company``
        (one per limited supervisor- or company-period; ``sup_vp``/``comp_vp``
        name a vacancy-period behind each), ``source``."""
        sizes = {
            "candidate": self.n_candidate_arcs, "entry": len(self.active_students),
            "guidance": len(self.gadget_vp), "place": len(self.vp_vacancy), "duo": len(self.duo_vp),
            "supervisor": len(self.sup_vp), "company": len(self.comp_vp), "source": 2,
        }
        ranges, start = {}, 0
        for kind, size in sizes.items():
            ranges[kind] = slice(start, start + size)
            start += size
        return ranges

    @property
    def n_arcs(self) -> int:
        """Number of arcs."""
        return len(self.tails)

    def node_starts(self) -> dict[str, int]:
        """The first node of each kind (see :func:`node_starts`)."""
        return node_starts(len(self.active_students), len(self.vp_vacancy), len(self.gadget_vp),
                           len(self.sup_vp), len(self.comp_vp))

    def node_of_student(self, n_students: int) -> np.ndarray:
        """Per student of the problem (``n_students`` of them): its node, -1
        for a student without candidate arcs (who has none)."""
        node = np.full(n_students, -1, dtype=np.int64)
        node[self.active_students] = self.node_starts()["student"] + np.arange(len(self.active_students))
        return node

    def vp_nodes(self) -> np.ndarray:
        """The node of each vacancy-period (of ``vp_vacancy``)."""
        return self.node_starts()["vp"] + np.arange(len(self.vp_vacancy), dtype=np.int64)

    def guidance_nodes(self) -> np.ndarray:
        """Per vacancy-period: the node of its guidance gate, -1 where it has none."""
        node = np.full(len(self.vp_vacancy), -1, dtype=np.int64)
        node[self.gadget_vp] = self.node_starts()["guidance"] + np.arange(len(self.gadget_vp))
        return node

    def supervisor_nodes(self) -> np.ndarray:
        """The node of each limited supervisor-period (of ``sup_vp``)."""
        return self.node_starts()["supervisor"] + np.arange(len(self.sup_vp), dtype=np.int64)

    def company_nodes(self) -> np.ndarray:
        """The node of each limited company-period (of ``comp_vp``)."""
        return self.node_starts()["company"] + np.arange(len(self.comp_vp), dtype=np.int64)

    @property
    def entry_arcs(self) -> slice:
        """Hub-to-student arcs, one per active student."""
        return slice(self.n_candidate_arcs, self.n_candidate_arcs + len(self.active_students))


def flows_of(network: FlowNetwork, chosen: np.ndarray) -> np.ndarray:
    """The flow on every arc of ``network`` when the candidate arcs ``chosen`` carry one student each.

    Above the students the network is a tree (see the layout above), so their flows follow level by
    level: each node passes on what enters it, and a duo vacancy-period fills its free places before its
    duo arc (which costs more), as every optimum does. Confirmed placements carry no flow. The flows are
    checked against every capacity and for conservation at every node.

    Raises
    ------
    ModelError
        When the placements do not fit the network (a capacity exceeded, a student placed twice).
    """
    ranges = network.arc_ranges()
    tails, heads, n = network.tails.astype(np.int64), network.heads.astype(np.int64), network.n_nodes
    flows = np.zeros(network.n_arcs, dtype=np.int64)
    flows[np.setdiff1d(chosen, network.fixed_arcs)] = 1

    def leaving(arcs: slice) -> np.ndarray:  # per node: the flow of the arcs ``arcs`` out of it
        return np.bincount(tails[arcs], weights=flows[arcs], minlength=n).astype(np.int64)

    def entering(arcs: slice) -> np.ndarray:
        return np.bincount(heads[arcs], weights=flows[arcs], minlength=n).astype(np.int64)

    candidate, entry = ranges["candidate"], ranges["entry"]
    flows[entry] = leaving(candidate)[heads[entry]]
    into_vp = entering(candidate)  # the guidance gates' too, before they pass it on
    flows[ranges["guidance"]] = into_vp[tails[ranges["guidance"]]]
    into_vp += entering(ranges["guidance"])
    place, duo = ranges["place"], ranges["duo"]
    flows[place] = np.minimum(into_vp[tails[place]], network.capacities[place])
    flows[duo] = into_vp[tails[duo]] - flows[place][network.duo_vp]
    into = entering(slice(0, ranges["supervisor"].start))
    flows[ranges["supervisor"]] = into[tails[ranges["supervisor"]]]
    into = entering(slice(0, ranges["company"].start))
    flows[ranges["company"]] = into[tails[ranges["company"]]]
    source = ranges["source"]
    flows[source] = leaving(entry)[heads[source]]
    balance = entering(slice(0, network.n_arcs)) - leaving(slice(0, network.n_arcs))
    inner = np.arange(network.n_inner)
    if (flows < 0).any() or (flows > network.capacities).any() or balance[inner].any():
        raise ModelError("the placements do not fit the network: a capacity is exceeded or a student is "
                         "placed twice")
    return flows


def _dense_ranks(keys: np.ndarray, n_keys: int) -> tuple[np.ndarray, np.ndarray]:
    """The distinct values of ``keys`` (ascending) and each key's rank among them,
    for keys in ``range(n_keys)``: what ``np.unique(..., return_inverse=True)`` gives."""
    present = np.zeros(n_keys, dtype=bool)
    present[keys] = True
    rank = (np.cumsum(present) - 1).astype(np.int32)  # ranks per arc: int32 halves them (32 M arcs nationally)
    return np.flatnonzero(present), rank[keys]


def _next_level(keys: np.ndarray, limited: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Dense indices of the distinct ``keys`` where ``limited``; -1 elsewhere.

    Returns (index per element, first element of each distinct key).
    """
    index = np.full(len(keys), -1, dtype=np.int64)
    distinct, first, inverse = np.unique(keys[limited], return_index=True, return_inverse=True)
    index[limited] = inverse
    return index, np.flatnonzero(limited)[first]


def build_network(problem: Problem, candidates: Candidates, duo_cost: int, priority: np.ndarray,
                  keep_bonus: int = 0) -> FlowNetwork:
    """Build the placement network of ``candidates``.

    Parameters
    ----------
    problem
        Capacities and attributes of students, vacancies, supervisors, companies.
    candidates
        Eligible arcs sorted by student.
    duo_cost
        Cost of each duo partner (per student beyond ``places``).
    priority
        Per student: whether it belongs to the priority class (fed by
        ``hub_priority``). All false makes one class.
    keep_bonus
        Taken off the cost of every arc that keeps its student's previous
        placement (:func:`matcher.engine.rounds.keep_bonus`); 0 for none.

    Returns
    -------
    FlowNetwork

    Raises
    ------
    ModelError
        When the costs could overflow OR-Tools' int64 cost scaling.
    """
    n_periods = problem.n_periods
    # Per-arc arrays stay int32 (node and key numbers fit): nationally each int64 copy is 256 MB.
    cand_s = candidates.student
    # Dense ranks instead of np.unique: the keys are bounded, so no sort is needed.
    active, student_node = _dense_ranks(cand_s, problem.n_students)
    n_active = len(active)
    vp_keys, candidate_vp = _dense_ranks(candidates.vacancy.astype(np.int32) * np.int32(n_periods) + candidates.period,
                                         problem.n_vacancies * n_periods)
    vp_v, vp_p = vp_keys // n_periods, vp_keys % n_periods
    n_vp = len(vp_keys)
    places = problem.v_places[vp_v].astype(np.int64)
    duo = problem.v_duo[vp_v]
    guidance_places = problem.v_guidance_places[vp_v].astype(np.int64)
    guided_cand = problem.s_guidance[cand_s]

    # Confirmed placements (matcher.engine.rounds): arcs without capacity, whose students the
    # capacities already hold. With c of them at a vacancy-period, max(0, places - c) places are
    # left at no duo cost and, at a duo vacancy, places - max(0, c - places) at the duo cost.
    fixed = (problem.decided.confirmed[cand_s] if problem.decided is not None
             else np.zeros(len(cand_s), dtype=bool))
    fixed_at_vp = np.bincount(candidate_vp[fixed], minlength=n_vp)
    fixed_guided_at_vp = np.bincount(candidate_vp[fixed & guided_cand], minlength=n_vp)
    place_capacity = np.maximum(places - fixed_at_vp, 0)
    duo_capacity = places - np.maximum(fixed_at_vp - places, 0)
    guidance_places = guidance_places - fixed_guided_at_vp

    guided_at_vp = np.bincount(candidate_vp[guided_cand & ~fixed], minlength=n_vp) > 0
    gadget = guided_at_vp & (guidance_places < place_capacity + np.where(duo, duo_capacity, 0))
    gadget_index = (np.cumsum(gadget) - 1).astype(np.int32)

    sup = problem.v_supervisor[vp_v].astype(np.int64)
    sup_limited = np.zeros(n_vp, dtype=bool)
    sup_limited[sup >= 0] = problem.supervisor_capacity[sup[sup >= 0]] != UNLIMITED
    sup_index, sup_vp = _next_level(sup * n_periods + vp_p, sup_limited)
    comp = problem.v_company[vp_v].astype(np.int64)
    comp_limited = problem.company_max_students[comp] != UNLIMITED
    comp_index, comp_vp = _next_level(comp * n_periods + vp_p, comp_limited)

    n_gadget, n_sup, n_comp = int(gadget.sum()), len(sup_vp), len(comp_vp)
    nodes = node_starts(n_active, n_vp, n_gadget, n_sup, n_comp)
    vp_base, gadget_base, sup_base, comp_base = nodes["vp"], nodes["guidance"], nodes["supervisor"], nodes["company"]
    sink, hub_priority, hub_regular, source = (nodes[name] for name in SHARED_NODES)
    n_nodes = nodes["inner"] + len(SHARED_NODES)

    comp_node = np.where(comp_limited, comp_base + comp_index, sink)
    sup_next = np.where(sup_limited, sup_base + sup_index, comp_node)
    cand_head = np.where(
        guided_cand & gadget[candidate_vp], gadget_base + gadget_index[candidate_vp], vp_base + candidate_vp
    )
    student_class = priority[active].astype(np.int8)
    duo_vp = np.flatnonzero(duo)
    gadget_vp = np.flatnonzero(gadget)

    sup_capacity = problem.supervisor_capacity[sup[sup_vp]].astype(np.int64)
    comp_capacity = problem.company_max_students[comp[comp_vp]].astype(np.int64)
    if fixed.any():
        sup_capacity -= np.bincount(sup_index[candidate_vp[fixed]][sup_limited[candidate_vp[fixed]]],
                                    minlength=n_sup)
        comp_capacity -= np.bincount(comp_index[candidate_vp[fixed]][comp_limited[candidate_vp[fixed]]],
                                     minlength=n_comp)
    cand_cost = candidates.cost
    if keep_bonus:
        cand_cost = cand_cost - keep_bonus * previous_arcs(problem.decided, candidates)
    parts = [
        # (tails, heads, capacities, costs)
        (nodes["student"] + student_node, cand_head, np.where(fixed, 0, 1).astype(np.int8), cand_cost),
        (np.where(student_class == 1, hub_priority, hub_regular), nodes["student"] + np.arange(n_active), 1, 0),
        (gadget_base + np.arange(n_gadget), vp_base + gadget_vp, guidance_places[gadget_vp], 0),
        (vp_base + np.arange(n_vp), sup_next, place_capacity, 0),
        (vp_base + duo_vp, sup_next[duo_vp], duo_capacity[duo_vp], duo_cost),
        (sup_base + np.arange(n_sup), comp_node[sup_vp], sup_capacity, 0),
        (comp_base + np.arange(n_comp), np.full(n_comp, sink), comp_capacity, 0),
        (np.array([source, source]), np.array([hub_priority, hub_regular]), UNBOUNDED, 0),
    ]
    sizes = [len(p[0]) for p in parts]
    # Each piece to int32 before joining them: no int64 copy of the whole arc array on the way.
    tails = np.concatenate([np.asarray(p[0]).astype(np.int32, copy=False) for p in parts])
    heads = np.concatenate([np.asarray(p[1]).astype(np.int32, copy=False) for p in parts])
    capacities = np.concatenate([np.broadcast_to(p[2], (n,)) for p, n in zip(parts, sizes)])
    costs = np.concatenate([np.broadcast_to(p[3], (n,)) for p, n in zip(parts, sizes)])

    max_cost = int(np.abs(costs).max(initial=0))
    # OR-Tools multiplies costs by (nodes + 1) when scaling; keep a factor-4 margin.
    if max_cost > INT64_MAX // (4 * (n_nodes + 1)):
        raise ModelError(
            f"cost range too wide for an exact int64 min-cost flow: largest arc cost "
            f"{max_cost:,} with {n_nodes:,} nodes; lower the policy's cost parameters"
        )
    return FlowNetwork(
        tails=tails,
        heads=heads,
        capacities=capacities.astype(np.int64, copy=False),
        costs=costs.astype(np.int64, copy=False),
        n_nodes=n_nodes,
        n_candidate_arcs=len(cand_s),
        active_students=active,
        student_class=student_class,
        vp_vacancy=vp_v,
        vp_period=vp_p,
        candidate_vp=candidate_vp,
        gadget_vp=gadget_vp,
        duo_vp=duo_vp,
        sup_vp=sup_vp,
        comp_vp=comp_vp,
        fixed_arcs=np.flatnonzero(fixed),
        keep_bonus=int(keep_bonus),
    )
