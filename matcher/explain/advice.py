"""Recruitment advice: what one more unit of capacity would place.

The optimum places ``w_R·r(E) + (w_P − w_R)·r(P)`` weighted students, where
``r(E)`` and ``r(P)`` are max flows (see :mod:`matcher.engine.network`). One more
unit of capacity on an arc raises a max flow by one exactly when the arc
crosses a minimum cut: its tail is reachable from the source in the residual
graph and its sink is reachable from its head. OR-Tools reports both sides
of the cut, so one pair of max flows per component screens every capacity of
the instance at once:

- ``place``: one more place at a vacancy (its place and duo arcs, every period);
- ``supervision``: one more student for a supervisor (every period);
- ``company``: one more student for a company (every period);
- ``guidance``: one more extra-guidance place at a vacancy.

The screen looks at single arcs; a change touches one arc per period, so its
true gain can differ. A vacancy offering no places (or no extra-guidance
places) has no arcs for the students it cannot take, so it is not screened.
The top entries are therefore *verified*: the change is applied to the
problem and the affected components' new optimum is found exactly, giving the
gain in students, in weighted students and the change in secondary cost. The
new optimum is the old one re-optimised by successive shortest paths in the
exchange graph (:func:`matcher.explain.residual.reoptimised`): a capacity
change is a few units of flow to route, where a solve from scratch (OR-Tools
max flows and min-cost flow, still used where the change alters the network's
shape) takes seconds per national component.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from ortools.graph.python import max_flow

from matcher.engine.candidates import Candidates
from matcher.engine.csr import distinct
from matcher.engine.decompose import split
from matcher.engine.flow import solve_part
from matcher.engine.network import FlowNetwork, build_network
from matcher.engine.parallel import process_map
from matcher.engine.problem import UNLIMITED, Problem, priority_class, weighted_value
from matcher.engine.solve import Solved
from matcher.errors import ModelError
from matcher.explain.residual import (
    CAPACITY_KINDS,
    capacity_arcs,
    cut_sides,
    exchange_graph,
    optimal_potentials,
    reoptimised,
)
from matcher.geo.region import approximate_regions_of

ADVICE_COLUMNS = (
    "rank", "kind", "target_id", "company_id", "region", "crebos", "periods",
    "predicted_students", "predicted_weighted", "verified",
    "extra_students", "extra_weighted", "extra_secondary_cost",
)
CELL_COLUMNS = ("rank", "crebo", "region", "period_id", "best_extra_weighted", "capacities", "unplaced_students")


@dataclass(frozen=True)
class CapacityChange:
    """One more unit of one capacity: ``kind`` (of :data:`CAPACITY_KINDS`) of the
    vacancy, supervisor or company with problem index ``index``."""

    kind: str
    index: int


def apply_change(problem: Problem, change: CapacityChange) -> Problem:
    """A copy of ``problem`` with the capacity that ``change`` names raised by one.

    One more ``place`` is offered on the same terms as the others: when every
    place is open to students needing extra guidance, so is the new one.
    """
    field = {
        "place": "v_places", "supervision": "supervisor_capacity",
        "company": "company_max_students", "guidance": "v_guidance_places",
    }[change.kind]
    values = getattr(problem, field).copy()
    if values[change.index] == UNLIMITED:
        raise ModelError(f"{change.kind} {change.index} has no limit to raise")
    values[change.index] += 1
    updates = {field: values}
    if change.kind == "place" and problem.v_guidance_places[change.index] >= problem.v_places[change.index]:
        guidance = problem.v_guidance_places.copy()
        guidance[change.index] += 1
        updates["v_guidance_places"] = guidance
    return replace(problem, **updates)


@dataclass(frozen=True, eq=False)
class Advice:
    """Capacities ranked by what one more unit would place, and the same by cell.

    ``capacities`` has :data:`ADVICE_COLUMNS`; ``cells`` (crebo, region,
    period) has :data:`CELL_COLUMNS`. Verified rows come first.
    """

    capacities: pd.DataFrame
    cells: pd.DataFrame


def _cut_sides(tails, heads, capacities, source: int, sink: int, n_nodes: int) -> tuple[int, np.ndarray, np.ndarray]:
    """The max flow's value, the nodes reachable from ``source`` and the nodes that reach ``sink`` in the
    residual graph of a max flow (the two sides of the extreme min cuts)."""
    solver = max_flow.SimpleMaxFlow()
    solver.add_arcs_with_capacity(tails, heads, capacities)
    if solver.solve(source, sink) != solver.OPTIMAL:
        raise ModelError("max-flow solver failed while screening capacities")
    return int(solver.optimal_flow()), *cut_sides(solver, n_nodes)


def crossing_arcs(solved: Solved) -> tuple[np.ndarray, np.ndarray]:
    """Per arc of the network: whether one more unit of its capacity raises
    ``r(E)`` (first array) and ``r(P)`` (second array).

    Raises
    ------
    ModelError
        When a component's optimum places fewer students (or priority students) than its max flow: the
        match is not optimal (these max flows prove the first objective of a match read back).
    """
    network = solved.network
    cross_all = np.zeros(network.n_arcs, dtype=bool)
    cross_priority = np.zeros(network.n_arcs, dtype=bool)
    for part, solution in zip(solved.parts, solved.solutions):
        body_t, body_h = part.tails[part.body], part.heads[part.body]
        for source, out, placed in ((part.source, cross_all, solution.max_placed),
                                    (part.hub_priority, cross_priority, solution.max_priority_placed)):
            value, reach, reaches_sink = _cut_sides(part.tails, part.heads, part.capacities, source, part.sink,
                                                    part.n_nodes)
            if value != placed:
                raise ModelError("the match places fewer students than it could: it is not optimal; match it again")
            out[part.arcs] = reach[body_t] & reaches_sink[body_h]
    return cross_all, cross_priority


def _part_of_arcs(solved: Solved) -> np.ndarray:
    part_of = np.full(solved.network.n_arcs, -1, dtype=np.int64)
    for i, part in enumerate(solved.parts):
        part_of[part.arcs] = i
    return part_of


def _subset(candidates: Candidates, keep: np.ndarray) -> Candidates:
    """The candidate arcs ``keep`` (indices, ascending); per-student flags unchanged."""
    return replace(
        candidates,
        **{name: getattr(candidates, name)[keep]
           for name in ("student", "vacancy", "period", "travel_min", "wish_rank", "period_rank", "cost")},
    )


def raised_capacities(solved: Solved, problem: Problem, part_index: int) -> np.ndarray | None:
    """The capacities of component ``part_index``'s arcs (``part.arcs`` order) in the network of ``problem``
    (``solved``'s with some capacities raised), or None where that network is not the same one with other
    capacities (an arc more or less, another cost).

    The component's network is built again from its candidate arcs. The builder numbers arcs by kind and
    each kind in the order of its vacancy-periods, students and gates, as the whole network does, so the
    rebuilt arcs are the component's in the order of their whole-network indices; that, the costs and a
    consistent node correspondence are checked, not assumed.
    """
    part = solved.parts[part_index]
    n_body = len(part.arcs)  # ascending, as the rebuilt network numbers them
    rebuilt = _rebuilt(solved, problem, [part_index])
    if rebuilt.n_arcs - 2 != n_body or not np.array_equal(rebuilt.costs[:n_body], part.costs[:n_body]):
        return None
    tails, heads = part.tails[:n_body].astype(np.int64), part.heads[:n_body].astype(np.int64)
    new_tails, new_heads = rebuilt.tails[:n_body].astype(np.int64), rebuilt.heads[:n_body].astype(np.int64)
    node = np.full(rebuilt.n_nodes, -1, dtype=np.int64)
    node[new_tails], node[new_heads] = tails, heads
    named = node[node >= 0]
    if not (np.array_equal(node[new_tails], tails) and np.array_equal(node[new_heads], heads)) or \
            len(distinct(named)) != len(named):
        return None
    return rebuilt.capacities[:n_body]


def _rebuilt(solved: Solved, problem: Problem, parts) -> FlowNetwork:
    """The network of ``problem`` on the candidate arcs of the components ``parts`` only: the rest of the
    network cannot be affected by a capacity inside them (no keep bonus of rounds)."""
    network, policy = solved.network, solved.policy
    keep = np.sort(np.concatenate([solved.parts[i].arcs for i in parts]))
    keep = keep[keep < network.n_candidate_arcs]
    return build_network(problem, _subset(solved.candidates, keep), policy.costs.duo_partner,
                         priority_class(problem, policy))


def _potentials(solved: Solved, part_index: int, cache: dict[int, np.ndarray]) -> np.ndarray:
    """The optimum's potentials of component ``part_index`` (proving it optimal), computed once per cache."""
    if part_index not in cache:
        cache[part_index] = optimal_potentials(exchange_graph(solved, part_index))
    return cache[part_index]


def _gain_from_the_optimum(solved: Solved, part_index: int, capacities: np.ndarray,
                           potentials: dict[int, np.ndarray]) -> tuple[int, int, int]:
    """(extra students, extra weighted, extra secondary cost) of component ``part_index`` at ``capacities``,
    re-optimised from its optimum (:func:`matcher.explain.residual.reoptimised`); ``potentials`` caches the
    optimum's potentials per component."""
    potential = _potentials(solved, part_index, potentials)
    graph = exchange_graph(solved, part_index, capacities)
    flows = reoptimised(graph, potential)
    lost, extra = graph.decode(np.array([int(np.dot(graph.costs, flows - graph.flows))]))
    unplaced = graph.network_arc < 0
    return int((graph.flows[unplaced] - flows[unplaced]).sum()), -int(lost[0]), int(extra[0])


def verify_change(solved: Solved, change: CapacityChange, parts: np.ndarray,
                  potentials: dict[int, np.ndarray] | None = None) -> dict:
    """The exact gains of ``change`` on the components ``parts`` (the only ones it touches).

    Each component's optimum is re-optimised at the raised capacities from the optimum itself
    (:func:`raised_capacities`, :func:`matcher.explain.residual.reoptimised`). Where the raised
    capacities change the network's shape, the components are built and solved again from scratch:
    only their candidate arcs, since the rest of the network cannot be affected by a capacity inside them.
    ``potentials`` caches each component's potentials between changes.
    """
    problem = apply_change(solved.problem, change)
    potentials = {} if potentials is None else potentials
    raised = [raised_capacities(solved, problem, int(i)) for i in parts]
    if all(capacities is not None for capacities in raised):
        gains = np.array([_gain_from_the_optimum(solved, int(i), capacities, potentials)
                          for i, capacities in zip(parts, raised)], dtype=np.int64).reshape(-1, 3).sum(axis=0)
        return dict(zip(("extra_students", "extra_weighted", "extra_secondary_cost"), gains.tolist()))
    for i in parts:  # the gains are differences from the optimum: it must be one
        _potentials(solved, int(i), potentials)
    return solve_change(solved, problem, parts)


def solve_change(solved: Solved, problem: Problem, parts: np.ndarray) -> dict:
    """The gains of ``problem`` (``solved``'s with a capacity raised) on the components ``parts``, solved
    again from scratch."""
    policy = solved.policy
    rebuilt = _rebuilt(solved, problem, parts)
    again = solve_part(split(rebuilt, whole=True)[0], unweighted=False, certify=False)
    before = [solved.solutions[i] for i in parts]
    extra_all = again.max_placed - sum(s.max_placed for s in before)
    extra_priority = again.max_priority_placed - sum(s.max_priority_placed for s in before)
    return {
        "extra_students": int(extra_all),
        "extra_weighted": int(weighted_value(policy.weights, extra_all, extra_priority)),
        "extra_secondary_cost": int(again.secondary_cost - sum(s.secondary_cost for s in before)),
    }


def _verify_task(solved: Solved, task: list[tuple[str, int, np.ndarray]]) -> list[dict]:
    """Verify changes that touch the same components, sharing their potentials."""
    potentials: dict[int, np.ndarray] = {}
    return [verify_change(solved, CapacityChange(kind, index), parts, potentials) for kind, index, parts in task]


def advise(solved: Solved, *, verify: int = 20, jobs: int | None = 1) -> Advice:
    """Rank capacities by how many more students one more unit would place.

    Parameters
    ----------
    solved
        A match with its arrays (:func:`matcher.engine.solve.solve_in_detail`).
    verify
        How many of the best-screened capacities to verify by re-solving.
    jobs
        Processes the verifications are shared out over (``None``: every usable core); the advice does
        not depend on it.

    Returns
    -------
    Advice
        Every capacity whose one more unit the cut screen says would place a
        student, verified ones first (by verified gain), then by predicted gain.
    """
    problem, policy = solved.problem, solved.policy
    w = policy.weights
    cross_all, cross_priority = crossing_arcs(solved)
    owners = capacity_arcs(solved)
    owners["all"] = cross_all[owners["arc"].to_numpy()]
    owners["priority"] = cross_priority[owners["arc"].to_numpy()]
    owners["part"] = _part_of_arcs(solved)[owners["arc"].to_numpy()]
    useful = owners[owners["all"] | owners["priority"]]
    # One row per change, in the order the useful arcs first name it.
    table = useful[["kind", "index"]].drop_duplicates().reset_index(drop=True)
    changes = pd.MultiIndex.from_frame(table)
    # A change raises one arc per period; periods are separate nodes, so count
    # the periods in which the change crosses a cut (an estimate, verified below).
    for column in ("all", "priority"):
        table[column] = useful[useful[column]].groupby(["kind", "index"])["period"].nunique().reindex(
            changes, fill_value=0).to_numpy()
    table["predicted_students"] = table["all"].astype(np.int64)
    table["predicted_weighted"] = weighted_value(w, table["all"], table["priority"])
    table["period_index"] = _sorted_values(useful, "period").reindex(changes).to_list()
    table["kind_order"] = table["kind"].map({k: n for n, k in enumerate(CAPACITY_KINDS)})
    table["target_id"] = _target_ids(problem, table)
    table = table.sort_values(["predicted_weighted", "predicted_students", "kind_order", "target_id"],
                              ascending=[False, False, True, True], kind="stable").reset_index(drop=True)

    tasks = []
    for row in table.head(verify).itertuples():
        # Every component the change touches, in any period (not only the useful arcs).
        owned = (owners["kind"].to_numpy() == row.kind) & (owners["index"].to_numpy() == row.index)
        tasks.append((row.kind, int(row.index), distinct(owners["part"].to_numpy()[owned])))
    # One task per set of components, in the order of their first change: its changes share potentials.
    groups: dict[tuple[int, ...], list[int]] = {}
    for i, (_, _, parts) in enumerate(tasks):
        groups.setdefault(tuple(parts.tolist()), []).append(i)
    found = process_map(_verify_task, [[tasks[i] for i in members] for members in groups.values()], solved,
                        jobs=jobs)
    gains: list[dict] = [{} for _ in tasks]
    for members, results in zip(groups.values(), found):
        for i, result in zip(members, results):
            gains[i] = result
    n_verified = len(gains)
    for column in ("extra_students", "extra_weighted", "extra_secondary_cost"):
        values = np.full(len(table), np.nan)
        values[:n_verified] = [g[column] for g in gains]
        table[column] = pd.array(values, dtype="Int64") if len(table) else pd.array([], dtype="Int64")
    table["verified"] = np.arange(len(table)) < n_verified
    table = _with_context(solved, table)
    order_key = np.where(table["verified"], table["extra_weighted"].fillna(0), table["predicted_weighted"])
    table["_verified_first"] = ~table["verified"]
    table["_key"] = order_key
    table["_cost"] = table["extra_secondary_cost"].fillna(0)
    table = table.sort_values(["_verified_first", "_key", "extra_students", "_cost", "kind_order", "target_id"],
                              ascending=[True, False, False, True, True, True], kind="stable",
                              na_position="last").reset_index(drop=True)
    table["rank"] = np.arange(1, len(table) + 1)
    cells = _cells(solved, useful, table)
    return Advice(table[list(ADVICE_COLUMNS)], cells)


def _sorted_values(frame: pd.DataFrame, column: str) -> pd.Series:
    """Per (kind, index) of ``frame``: the distinct values of ``column``, ascending, as a list."""
    distinct = frame[["kind", "index", column]].drop_duplicates().sort_values(
        ["kind", "index", column], kind="stable")
    return distinct.groupby(["kind", "index"], sort=False)[column].agg(list)


def _target_ids(problem: Problem, table: pd.DataFrame) -> np.ndarray:
    ids = np.empty(len(table), dtype=object)
    for kind, names in (("place", problem.vacancy_ids), ("guidance", problem.vacancy_ids),
                        ("supervision", problem.supervisor_ids), ("company", problem.company_ids)):
        mask = (table["kind"] == kind).to_numpy()
        ids[mask] = np.asarray(names, dtype=object)[table["index"].to_numpy()[mask]]
    return ids


def _unplaced_demand(solved: Solved) -> pd.DataFrame:
    """Candidate arcs of unplaced students: (vacancy, period, crebo) rows."""
    problem, candidates = solved.problem, solved.candidates
    waiting = ~solved.placed[candidates.student]
    return pd.DataFrame({
        "vacancy": candidates.vacancy[waiting].astype(np.int64),
        "period": candidates.period[waiting].astype(np.int64),
        "crebo": np.asarray(problem.crebos, dtype=object)[problem.s_crebo[candidates.student[waiting]]],
        "student": candidates.student[waiting].astype(np.int64),
    })


def _with_context(solved: Solved, table: pd.DataFrame) -> pd.DataFrame:
    """Add company, region, crebos of the unplaced students who could use the
    capacity, and period ids."""
    problem = solved.problem
    region_of_vacancy = approximate_regions_of(problem.v_pc4, problem.v_lat, problem.v_lon)
    demand = _unplaced_demand(solved)
    demand["supervision"] = problem.v_supervisor[demand["vacancy"].to_numpy()]
    demand["company"] = problem.v_company[demand["vacancy"].to_numpy()]
    demand["place"] = demand["vacancy"]
    demand["guidance"] = demand["vacancy"]
    crebos, regions, companies = [], [], []
    first_vacancy = {}
    for kind in CAPACITY_KINDS:
        owner = demand[kind].to_numpy()
        first_vacancy[kind] = pd.Series(demand["vacancy"].to_numpy(), index=owner).groupby(level=0).min()
    by_kind = {kind: demand[[kind, "crebo"]].drop_duplicates().sort_values([kind, "crebo"], kind="stable")
               .groupby(kind, sort=False)["crebo"].agg(list) for kind in CAPACITY_KINDS}
    for kind, index, periods in zip(table["kind"], table["index"], table["period_index"]):
        found = by_kind[kind].get(index, [])
        crebos.append(" ".join(found))
        vacancy = int(first_vacancy[kind].get(index, _any_vacancy(problem, kind, index)))
        regions.append(region_of_vacancy[vacancy])
        companies.append(problem.company_ids[problem.v_company[vacancy]])
    table = table.copy()
    table["crebos"] = crebos
    table["region"] = regions
    table["company_id"] = companies
    table["periods"] = [" ".join(problem.period_ids[p] for p in ps) for ps in table["period_index"]]
    return table


def _any_vacancy(problem: Problem, kind: str, index: int) -> int:
    owner = {"place": np.arange(problem.n_vacancies), "guidance": np.arange(problem.n_vacancies),
             "supervision": problem.v_supervisor, "company": problem.v_company}[kind]
    return int(np.flatnonzero(owner == index)[0])


def _cells(solved: Solved, useful: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """(crebo, region, period) cells: what one more unit of capacity in that
    period places at best (weighted, from the cut screen per arc), how many
    capacities would help, and how many unplaced students are waiting.

    A capacity counts for the crebos of the unplaced students who have an arc
    to it in that period; its region is that of its vacancy (``table``).
    """
    problem, w = solved.problem, solved.policy.weights
    demand = _unplaced_demand(solved)
    arcs = useful.assign(gain=weighted_value(w, useful["all"], useful["priority"]))
    arcs = arcs.groupby(["kind", "index", "period"], as_index=False)["gain"].max()
    links = []
    for kind in CAPACITY_KINDS:
        owner = {"place": demand["vacancy"], "guidance": demand["vacancy"],
                 "supervision": pd.Series(problem.v_supervisor[demand["vacancy"].to_numpy()]),
                 "company": pd.Series(problem.v_company[demand["vacancy"].to_numpy()])}[kind]
        links.append(pd.DataFrame({"kind": kind, "index": owner.to_numpy(), "period": demand["period"].to_numpy(),
                                   "crebo": demand["crebo"].to_numpy()}).drop_duplicates())
    links = pd.concat(links, ignore_index=True)
    cells = arcs.merge(links, on=["kind", "index", "period"])
    region = table.set_index(["kind", "index"])["region"]
    cells["region"] = region.reindex(pd.MultiIndex.from_frame(cells[["kind", "index"]])).to_numpy()
    cells["period_id"] = np.asarray(problem.period_ids, dtype=object)[cells["period"].to_numpy()]
    if cells.empty:
        return pd.DataFrame(columns=list(CELL_COLUMNS))
    cells = cells.groupby(["crebo", "region", "period_id"], sort=True).agg(
        best_extra_weighted=("gain", "max"), capacities=("gain", "size")).reset_index()
    waiting = demand.drop_duplicates(["student", "period"]).copy()
    waiting["region"] = approximate_regions_of(problem.s_pc4, problem.s_lat, problem.s_lon)[waiting["student"]]
    waiting["period_id"] = np.asarray(problem.period_ids, dtype=object)[waiting["period"]]
    counts = waiting.groupby(["crebo", "region", "period_id"])["student"].nunique().rename("unplaced_students")
    cells = cells.join(counts, on=["crebo", "region", "period_id"])
    cells["unplaced_students"] = cells["unplaced_students"].fillna(0).astype(np.int64)
    cells = cells.sort_values(["best_extra_weighted", "unplaced_students", "crebo", "region", "period_id"],
                              ascending=[False, False, True, True, True], kind="stable").reset_index(drop=True)
    cells["rank"] = np.arange(1, len(cells) + 1)
    return cells[list(CELL_COLUMNS)]
