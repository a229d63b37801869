"""``solve(instance, policy) -> Result``: the batch match, end to end."""

from __future__ import annotations

import gc
import platform
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import metadata

import numpy as np
import pandas as pd

from matcher.engine.candidates import NO_WISH, Candidates, generate_candidates
from matcher.engine.changes import change_counts, changes_frame
from matcher.engine.csr import distinct
from matcher.engine.decompose import split
from matcher.engine.flow import PartSolution, solve_parts
from matcher.engine.network import FlowNetwork, build_network, flows_of
from matcher.engine.problem import Problem, build_problem, priority_class, weighted_value
from matcher.engine.reasons import REASONS, ROUNDS_REASONS, count_loads, unplaced_reasons
from matcher.engine.result import PLACEMENT_COLUMNS, UNPLACED_COLUMNS, Result
from matcher.engine.rounds import hold_previous, keep_bonus
from matcher.errors import ModelError
from matcher.geo.catalogue import sector_of
from matcher.geo.region import approximate_regions_of
from models import InputReport, Instance, Policy, default_supervisor_id, input_hash

ProgressCallback = Callable[[str], None]


class _Stages:
    """Times named stages and reports each start to an optional callback."""

    def __init__(self, progress: ProgressCallback | None) -> None:
        self.seconds: dict[str, float] = {}
        self._progress = progress

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        if self._progress is not None:
            self._progress(name)
        start = time.perf_counter()
        yield
        self.seconds[name] = round(self.seconds.get(name, 0.0) + time.perf_counter() - start, 4)


def solve(
    instance: Instance,
    policy: Policy | None = None,
    *,
    certificate: bool | None = None,
    jobs: int | None = 1,
    decompose: bool = True,
    progress: ProgressCallback | None = None,
    on_part_done: Callable[[int, int], None] | None = None,
    input_report: InputReport | None = None,
) -> Result:
    """Match students to vacancies optimally.

    Maximises the priority-weighted number of placed students, then minimises
    travel, wish, period and duo costs (SPEC "Objective"), exactly: max flows
    give the most placeable (priority) students, a min-cost flow the cheapest
    way to place them (see :mod:`matcher.engine.flow`).

    Parameters
    ----------
    instance
        A validated instance (see :func:`matcher.read_instance`).
    policy
        Weights, costs and defaults; ``Policy()`` (SPEC defaults) when omitted.
    certificate
        Certify optimality (cuts for the max flows, dual bounds for the min
        costs); on by default. A failed certificate raises :class:`ModelError`.
    jobs
        Processes that solve the independent components in parallel (``None``:
        every usable core; never more than the cores or the components). The
        result does not depend on it.
    decompose
        Solve the connected components separately (exact); ``False`` solves
        the whole network as one, for comparison.
    progress
        Called with the name of each stage as it starts.
    on_part_done
        Called with (arcs solved so far, arcs in all) as components finish.
    input_report
        What reading the instance found (see
        :func:`matcher.io.read_instance_with_report`); when given,
        ``summary.json`` records it as ``"input": {"files": [...],
        "warnings": [...]}``.

    Returns
    -------
    Result
        Placements, unplaced students with reasons, and the summary.

    Examples
    --------
    >>> from matcher import read_instance, solve
    >>> result = solve(read_instance("instances/tiny"))  # doctest: +SKIP
    >>> result.weighted_placed, result.secondary_cost  # doctest: +SKIP
    """
    return solve_in_detail(instance, policy, certificate=certificate, jobs=jobs, decompose=decompose,
                           progress=progress, on_part_done=on_part_done,
                           input_report=input_report).result


@dataclass(frozen=True, eq=False)
class Solved:
    """A match with the arrays behind it, for analyses that reuse the optimum
    (remedies, recruitment advice, shortlists).

    ``flows`` is the optimal flow on every arc of ``network``; ``parts`` are
    its components, ``solutions[i]`` the optimum of ``parts[i]``. ``chosen``
    are the candidate arcs the optimum takes (indices into ``candidates``,
    ascending) and ``placed`` says per student whether it has a place.
    """

    instance: Instance
    policy: Policy
    problem: Problem
    candidates: Candidates
    network: FlowNetwork
    parts: list
    solutions: list[PartSolution]
    flows: np.ndarray
    result: Result
    chosen: np.ndarray
    placed: np.ndarray

    @property
    def weighted_placed(self) -> int:
        """The optimum's priority-weighted number of placed students (its first objective)."""
        return self.result.weighted_placed


def solve_in_detail(
    instance: Instance,
    policy: Policy | None = None,
    *,
    certificate: bool | None = None,
    jobs: int | None = 1,
    decompose: bool = True,
    progress: ProgressCallback | None = None,
    on_part_done: Callable[[int, int], None] | None = None,
    input_report: InputReport | None = None,
) -> Solved:
    """:func:`solve`, returning the problem arrays, network and flows beside the result."""
    with _gc_paused():
        solved = _solve(instance, policy or Policy(), certificate, jobs, decompose, progress,
                        on_part_done)
    if input_report is not None:
        # Files and warnings in the reader's (deterministic) order; the input hash
        # above depends on the data only, not on the files it came from.
        solved.result.summary["input"] = input_report.model_dump(mode="json")
    return solved


def result_with_placements(solved: Solved, chosen: np.ndarray, status: str, proof: dict) -> Result:
    """The result of ``solved``'s instance for other placements than the optimum.

    Parameters
    ----------
    solved
        The solved match whose instance, policy and candidates to use.
    chosen
        Indices into ``solved.candidates``: at most one per student, feasible
        for every capacity (the caller's responsibility).
    status
        ``summary.json``'s status, e.g. ``"suggestion"``.
    proof
        What ``summary.json`` records instead of the optimality proof.

    Returns
    -------
    Result
        Placements, unplaced students with reasons and a summary, written the
        same way as an optimal result (no price of priority).
    """
    chosen = np.sort(np.asarray(chosen, dtype=np.int64))
    placements, unplaced, summary, changes = _assemble(
        solved.instance, solved.problem, solved.candidates, chosen,
        placed_students(solved.problem, solved.candidates, chosen),
        solved.policy, solved.network, proof, None, solved.result.summary["network"],
    )
    summary["status"] = status
    return Result(placements, unplaced, summary, changes=changes)


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause automatic garbage collection: with hundreds of thousands of live
    models, each generation-2 pass costs seconds and the engine makes few cycles."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@dataclass(frozen=True, eq=False)
class Prepared:
    """The arrays of an instance ready to solve: ``parts`` are the components of ``network``."""

    problem: Problem
    candidates: Candidates
    network: FlowNetwork
    parts: list


def prepare(instance: Instance, policy: Policy, *, decompose: bool = True) -> Prepared:
    """The stages before the solve: the problem, its candidate arcs, network and components.

    Parameters
    ----------
    instance, policy
        As for :func:`solve`.
    decompose
        Split into connected components (else one part: the whole network).

    Returns
    -------
    Prepared
        What :func:`solve` solves, for callers that solve it again with other capacities
        (:mod:`matcher.engine.closed`).
    """
    with _gc_paused():
        return _prepare(instance, policy, decompose, _Stages(None))


def _prepare(instance: Instance, policy: Policy, decompose: bool, stages: _Stages) -> Prepared:
    """:func:`prepare`, each stage timed in ``stages``."""
    with stages.stage("problem"):
        problem = build_problem(instance, policy)
    with stages.stage("candidates"):
        candidates = generate_candidates(problem, policy)
        problem, candidates = hold_previous(problem, candidates, policy)
    with stages.stage("build"):
        network = build_network(problem, candidates, policy.costs.duo_partner, priority_class(problem, policy),
                                keep_bonus(problem, candidates, policy))
    with stages.stage("split"):
        parts = split(network, whole=not decompose)
    return Prepared(problem, candidates, network, parts)


def solved_from_placements(instance: Instance, policy: Policy, result: Result) -> Solved:
    """The :class:`Solved` of a match already made (its ``result``, read back), without solving again.

    The network is built as the match built it and the flows follow from the placements
    (:func:`matcher.engine.network.flows_of`). Nothing here proves them optimal again: the analyses that
    reuse them do, where they rely on it (advice compares every component's max flows with the placed
    counts; an exchange graph's potentials exist only for an optimum).

    Raises
    ------
    ModelError
        When a placement is not among the candidate places or the placements do not fit the network.
    """
    prepared = prepare(instance, policy)
    problem, candidates, network, parts = prepared.problem, prepared.candidates, prepared.network, prepared.parts
    chosen = _candidate_arcs_of(problem, candidates, result.placements)
    flows = flows_of(network, chosen)
    flows[network.arc_ranges()["source"]] = 0  # as the solve leaves them: each part carries its own
    entry = network.entry_arcs
    from_priority = np.zeros(network.n_arcs, dtype=bool)
    from_priority[entry] = network.tails[entry] == network.hub_priority
    solutions = []
    for part in parts:
        body = flows[part.arcs]
        is_entry = (part.arcs >= entry.start) & (part.arcs < entry.stop)
        priority = int(body[from_priority[part.arcs]].sum())
        placed = int(body[is_entry].sum())
        sources = np.where(part.heads[len(part.arcs):] == part.hub_priority, priority, placed - priority)
        solutions.append(PartSolution(
            flows=np.r_[body, sources], max_priority_placed=priority, max_placed=placed,
            secondary_cost=int(np.dot(part.costs[:len(part.arcs)], body)), priority_bound=None,
            placed_bound=None, cost_bound=None, unweighted_priority_placed=None, unweighted_secondary_cost=None,
            seconds=0.0))
    return Solved(instance, policy, problem, candidates, network, parts, solutions, flows, result, chosen,
                  placed_students(problem, candidates, chosen))


def _candidate_arcs_of(problem: Problem, candidates: Candidates, placements: pd.DataFrame) -> np.ndarray:
    """The candidate arcs (ascending) of ``placements`` (``student_id``, ``vacancy_id``, ``period_id``):
    per student its placement, then the arcs that are it (as :func:`matcher.engine.rounds.previous_arcs`)."""
    student = pd.Index(problem.student_ids).get_indexer(placements["student_id"].astype(str))
    vacancy = pd.Index(problem.vacancy_ids).get_indexer(placements["vacancy_id"].astype(str))
    period = pd.Index(list(problem.period_ids)).get_indexer(placements["period_id"].astype(str))
    if (student < 0).any() or (vacancy < 0).any() or (period < 0).any():
        raise ModelError("a placement names a student, vacancy or period the instance does not have")
    if len(distinct(student)) != len(student):
        raise ModelError("a student is placed twice")
    placed_vacancy = np.full(problem.n_students, -1, dtype=np.int64)
    placed_period = np.full(problem.n_students, -1, dtype=np.int64)
    placed_vacancy[student], placed_period[student] = vacancy, period
    s = candidates.student
    arcs = np.flatnonzero((placed_vacancy[s] == candidates.vacancy) & (placed_period[s] == candidates.period))
    if len(arcs) != len(student):
        raise ModelError("a placement is not among the candidate places: match the instance again")
    return arcs


def _solve(instance, policy, certificate, jobs, decompose, progress, on_part_done) -> Result:
    stages = _Stages(progress)
    prepared = _prepare(instance, policy, decompose, stages)
    problem, candidates, network, parts = prepared.problem, prepared.candidates, prepared.network, prepared.parts
    two_classes = policy.weights.priority > policy.weights.regular
    do_certify = certificate if certificate is not None else True
    with stages.stage("solve"):
        solutions = solve_parts(
            parts, unweighted=policy.compare_unweighted, certify=do_certify, jobs=jobs,
            on_done=on_part_done,
        )

    flows = np.zeros(network.n_arcs, dtype=np.int64)
    for part, solution in zip(parts, solutions):
        flows[part.arcs] = solution.flows[:-2]
    # The confirmed placements' arcs carry no flow: the result takes them as they are.
    chosen = np.union1d(np.flatnonzero(flows[: network.n_candidate_arcs] > 0), network.fixed_arcs)
    placed = placed_students(problem, candidates, chosen)

    fixed = _fixed_part(problem, candidates, network, policy)
    proof = _proof(solutions, policy, do_certify, two_classes, fixed, network.keep_bonus)
    if do_certify and not proof["proven_optimal"]:
        raise ModelError("an optimality certificate failed; the result is not written")
    price = _price_of_priority(solutions, problem, candidates, chosen, policy.compare_unweighted, fixed,
                               network.keep_bonus)
    shape = {
        "candidate_arcs": int(network.n_candidate_arcs),
        "nodes": int(network.n_nodes),
        "arcs": int(network.n_arcs),
        "components": len(parts),
        "largest_components_arcs": [int(p.n_arcs) for p in parts[:5]],
    }
    with stages.stage("result"):
        result = _assemble(instance, problem, candidates, chosen, placed, policy, network, proof, price, shape)
        # The optimum's proof must certify what is written (a suggestion's placements have no such proof).
        check_proof_against_placements(proof, written_objective(problem, result[0], policy))
    return Solved(instance, policy, problem, candidates, network, parts, solutions, flows,
                  Result(*result[:3], timings=stages.seconds, changes=result[3]), chosen, placed)


def placed_students(problem: Problem, candidates: Candidates, chosen: np.ndarray) -> np.ndarray:
    """Per student of ``problem``: whether the candidate arcs ``chosen`` give it a place."""
    placed = np.zeros(problem.n_students, dtype=bool)
    placed[candidates.student[chosen]] = True
    return placed


def _fixed_part(problem: Problem, candidates: Candidates, network: FlowNetwork, policy: Policy) -> dict[str, int]:
    """What the confirmed placements add to every count and bound: they are in the result, not in the flow.

    Their duo-partner cost is the part of ``duo · max(0, n − places)`` that
    they alone make at a vacancy-period (the flow's duo arcs cost the rest).
    """
    fixed = network.fixed_arcs
    s = candidates.student[fixed]
    at_vp = np.bincount(network.candidate_vp[fixed], minlength=len(network.vp_vacancy))
    beyond = np.maximum(at_vp - problem.v_places[network.vp_vacancy], 0)
    return {"placed": len(fixed), "priority_placed": int(problem.s_priority[s].sum()),
            "secondary_cost": int(candidates.cost[fixed].sum() + policy.costs.duo_partner * beyond.sum())}


def split_keep_bonus(flow_cost: int, bonus: int) -> tuple[int, int]:
    """(previous placements kept, secondary cost) of a flow cost ``secondary − bonus · kept``.

    :func:`matcher.engine.rounds.keep_bonus` makes ``0 <= secondary < bonus``, so
    the split is unique; without a bonus nothing is kept this way.
    """
    if not bonus:
        return 0, int(flow_cost)
    kept = -(int(flow_cost) // bonus)
    return kept, int(flow_cost) + bonus * kept


def _proof(solutions: list[PartSolution], policy: Policy, certified: bool, two_classes: bool,
           fixed: dict[str, int], bonus: int) -> dict:
    """The optimality proof: each optimum beside its certified bound (the confirmed placements, ``fixed``,
    added to both). With a keep bonus (``fewest_moves``) the min-cost flow's value and bound are split into
    the previous placements kept and the secondary cost (:func:`split_keep_bonus`)."""
    offset = {"max_placed": fixed["placed"], "placed_bound": fixed["placed"],
              "max_priority_placed": fixed["priority_placed"], "priority_bound": fixed["priority_placed"]}
    max_placed = sum(s.max_placed for s in solutions) + offset["max_placed"]
    max_priority = sum(s.max_priority_placed for s in solutions) + offset["max_priority_placed"]
    weighted = weighted_value(policy.weights, max_placed, max_priority)
    kept, secondary = split_keep_bonus(sum(s.secondary_cost for s in solutions), bonus)
    secondary += fixed["secondary_cost"]

    def total(field: str) -> int | None:
        values = [getattr(s, field) for s in solutions]
        return None if not certified or any(v is None for v in values) else int(sum(values)) + offset[field]

    placed_bound, priority_bound = total("placed_bound"), total("priority_bound")
    weighted_bound = None
    if placed_bound is not None and priority_bound is not None:
        weighted_bound = weighted_value(policy.weights, placed_bound, priority_bound)
    cost_bounds = [s.cost_bound for s in solutions]
    kept_bound = cost_bound = None
    if certified and all(b is not None for b in cost_bounds):
        kept_bound, cost_bound = split_keep_bonus(sum(cost_bounds), bonus)
        cost_bound += fixed["secondary_cost"]
    keeping = {} if not bonus else {
        # fewest_moves: the previous placements the flow keeps (the tier between the weighted placements
        # and the secondary cost), beside the bound the same dual certificate proves.
        "max_kept_previous": kept, "max_kept_previous_bound": kept_bound}
    return {
        "method": (
            "placeable sets form a matroid, so the maximum weight is w_regular*r(E) + "
            "(w_priority - w_regular)*r(P) with r the max flows (certified by cuts of equal "
            "capacity); the least secondary cost at that weight is a min-cost flow (certified "
            "by a dual bound from residual shortest-path potentials)"
        ) + ("; keeping previous placements comes between the two: each arc that keeps one costs a "
             "bonus less, the bonus above any difference in secondary cost, so the min-cost flow keeps "
             "the most and then costs the least" if bonus else ""),
        "max_placed": int(max_placed),
        "max_placed_bound": placed_bound,
        "max_priority_placed": int(max_priority) if two_classes else None,
        "max_priority_placed_bound": priority_bound if two_classes else None,
        "weighted_placed": int(weighted),
        "weighted_placed_bound": weighted_bound,
        **keeping,
        "secondary_cost": int(secondary),
        "secondary_cost_bound": cost_bound,
        "proven_optimal": bool(certified and all(s.proven for s in solutions)),
    }


def _price_of_priority(
    solutions: list[PartSolution], problem: Problem, candidates: Candidates, chosen: np.ndarray,
    compared: bool, fixed: dict[str, int], bonus: int,
) -> dict:
    """The price of priority: how many more students an unweighted run places.

    An unweighted run places the most students that can be placed together,
    ``r(E)``, which the weighted solve computes anyway (a max flow certified by
    a cut). Placeable student sets form a matroid (a gammoid of the capacitated
    network), so a maximum-weight set with positive weights also has maximum
    cardinality: the number is 0. Priority's real price is *whom* it places and
    the secondary cost it adds; with ``compared`` the unweighted optimum is
    solved too (one more min-cost flow) and set beside the weighted one. Its
    size and cost are unique; its split over the tiers is that of one optimal
    solution (others may tie). Without ``compared`` those fields are None.
    """
    placed = candidates.student[chosen]
    max_placed = int(sum(s.max_placed for s in solutions)) + fixed["placed"]

    def unweighted(field: str) -> int | None:
        if not compared:
            return None
        value = int(sum(getattr(s, field) for s in solutions))
        if field == "unweighted_secondary_cost":
            return split_keep_bonus(value, bonus)[1] + fixed["secondary_cost"]
        return value + fixed["priority_placed"]

    return {
        "placed_with_priority": int(len(placed)),
        "placed_without_priority": max_placed,
        "extra_students_without_priority": max_placed - int(len(placed)),
        "compared_unweighted_optimum": compared,
        "priority_tier_placed_with_priority": int(problem.s_priority[placed].sum()),
        "priority_tier_placed_without_priority": unweighted("unweighted_priority_placed"),
        "secondary_cost_with_priority": split_keep_bonus(sum(s.secondary_cost for s in solutions), bonus)[1]
        + fixed["secondary_cost"],
        "secondary_cost_without_priority": unweighted("unweighted_secondary_cost"),
    }


def _duo_labels(
    vp: np.ndarray, student: np.ndarray, places: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Duo flags and duo-partner flags per placement (docs/model.md, "Duo labels").

    Placements are given sorted by student; within each vacancy-period the
    last ``2·excess`` students share a place and the last ``excess`` are partners.
    """
    order = np.lexsort((student, vp))
    sorted_vp = vp[order]
    starts = np.flatnonzero(np.r_[True, sorted_vp[1:] != sorted_vp[:-1]])
    sizes = np.diff(np.r_[starts, len(vp)])
    rank = np.arange(len(vp)) - np.repeat(starts, sizes)
    n = np.repeat(sizes, sizes)
    excess = np.maximum(n - places[order], 0)
    duo, partner = np.empty(len(vp), bool), np.empty(len(vp), bool)
    duo[order] = rank >= n - 2 * excess
    partner[order] = rank >= n - excess
    return duo, partner


def _home_regions(problem: Problem) -> np.ndarray:
    """Approximate home region per student: the region of the (nearest) PC4 centre."""
    return approximate_regions_of(problem.s_pc4, problem.s_lat, problem.s_lon)


def _versions() -> dict[str, str]:
    names = ("stagematch", "ortools", "numpy", "scipy", "pandas", "pydantic")
    found = {}
    for name in names:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    found["python"] = platform.python_version()
    return found


def _counts(frame: pd.DataFrame, column: str) -> dict:
    grouped = frame.groupby(column, sort=True)["placed"].agg(["size", "sum"])
    return {
        str(key): {"students": int(row["size"]), "placed": int(row["sum"]),
                   "unplaced": int(row["size"] - row["sum"])}
        for key, row in grouped.iterrows()
    }


def _placements_frame(problem: Problem, candidates: Candidates, chosen: np.ndarray, network: FlowNetwork,
                      policy: Policy) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """placements.csv of the chosen candidate arcs; with each one's cost and whether it is a duo partner."""
    s, v, p = candidates.student[chosen], candidates.vacancy[chosen], candidates.period[chosen]
    duo, partner = _duo_labels(network.candidate_vp[chosen], s, problem.v_places[v])
    cost = candidates.cost[chosen] + np.where(partner, policy.costs.duo_partner, 0)
    wish = candidates.wish_rank[chosen]
    # A vacancy naming no supervisor (index -1) is guided by its company's default one.
    named = problem.v_supervisor[v]
    names = np.concatenate([problem.supervisor_ids.astype(object),
                            [default_supervisor_id(c) for c in problem.company_ids]])
    supervisor_column = names[np.where(named >= 0, named, len(problem.supervisor_ids) + problem.v_company[v])]
    periods = np.array(problem.period_ids, dtype=object)
    placements = pd.DataFrame(
        {
            "student_id": problem.student_ids[s],
            "school_id": problem.school_ids[problem.s_school[s]],
            "vacancy_id": problem.vacancy_ids[v],
            "company_id": problem.company_ids[problem.v_company[v]],
            "supervisor_id": supervisor_column,
            "period_id": periods[p],
            "travel_min": candidates.travel_min[chosen],
            "duo": np.where(duo, "true", "false"),
            "wish_rank": pd.array(np.where(wish == NO_WISH, -1, wish + 1), dtype="Int64"),
            "cost": cost,
        },
        columns=list(PLACEMENT_COLUMNS),
    )
    placements.loc[placements["wish_rank"] < 0, "wish_rank"] = pd.NA
    if problem.decided is not None and problem.decided.decisions_given:  # which were confirmed (docs/model.md)
        placements["confirmed"] = np.where(problem.decided.confirmed_by_decision[s], "true", "false")
    return placements, cost, partner


def _unplaced_frame(problem: Problem, candidates: Candidates, chosen: np.ndarray,
                    placed_mask: np.ndarray) -> tuple[pd.DataFrame, np.ndarray]:
    """unplaced.csv: each student left over with the first reason that applies; and the reason codes."""
    unplaced = np.flatnonzero(~placed_mask)
    loads = count_loads(problem, candidates.student[chosen], candidates.vacancy[chosen], candidates.period[chosen])
    reason, detail = unplaced_reasons(problem, candidates, unplaced, loads)
    frame = pd.DataFrame(
        {
            "student_id": problem.student_ids[unplaced],
            "school_id": problem.school_ids[problem.s_school[unplaced]],
            "reason": np.array(REASONS, dtype=object)[reason],
            "detail": detail,
        },
        columns=list(UNPLACED_COLUMNS),
    )
    return frame, reason


def _objective(problem: Problem, candidates: Candidates, chosen: np.ndarray, cost: np.ndarray,
               partner: np.ndarray, policy: Policy) -> dict:
    """summary.json's objective: its two parts, and the secondary cost by kind."""
    c = policy.costs
    travel = int((c.travel_minute * candidates.travel_min[chosen].astype(np.int64)).sum())
    period_part = int((c.period_step * candidates.period_rank[chosen].astype(np.int64)).sum())
    duo_part = int(c.duo_partner * partner.sum())
    secondary = int(cost.sum())
    return {
        "weighted_placed": int(problem.s_weight[candidates.student[chosen]].sum()),
        "secondary_cost": secondary,
        "parts": {
            "travel": travel,
            "wish": secondary - travel - period_part - duo_part,
            "period": period_part,
            "duo": duo_part,
        },
    }


def written_objective(problem: Problem, placements: pd.DataFrame, policy: Policy) -> dict[str, int]:
    """The objective of ``placements.csv`` as written, from its rows alone (docs/model.md, "Objective").

    Travel from ``travel_min``, the wish cost from ``wish_rank`` (and whether the student named wishes),
    the period cost from the student's list and ``period_id``, the duo cost from the ``duo`` labels (two
    students share a duo place, one of them its partner): never from the arcs' costs the flow was solved on.
    """
    c = policy.costs
    s = pd.Index(problem.student_ids).get_indexer(placements["student_id"])
    p = pd.Index(problem.period_ids).get_indexer(placements["period_id"])
    if (s < 0).any() or (p < 0).any():
        raise ModelError("engine error: placements.csv names a student or period the input does not have")
    wish = placements["wish_rank"].to_numpy(dtype="float64", na_value=np.nan)
    wish_cost = np.where(~np.isnan(wish), c.wish_step * (np.nan_to_num(wish) - 1),
                         np.where(problem.s_has_wishes[s], c.no_wish_met, 0)).astype(np.int64)
    travel = c.travel_minute * placements["travel_min"].to_numpy(dtype=np.int64)
    period_cost = c.period_step * np.maximum(problem.s_period_rank[s, p], 0).astype(np.int64)
    sharing = int((placements["duo"] == "true").sum())
    return {"weighted_placed": int(problem.s_weight[s].sum()),
            "secondary_cost": int(travel.sum() + wish_cost.sum() + period_cost.sum()) + c.duo_partner * (sharing // 2),
            "written_cost": int(placements["cost"].sum())}


def check_proof_against_placements(proof: dict, written: dict[str, int]) -> None:
    """The certified optimum must be the objective of what is written; else the engine is wrong.

    The certificate proves the flow's own costs optimal. Should a cost of the network differ from the
    model's (docs/model.md), the proof would certify a number that no written placement has: that is an
    engine error, never ``proven_optimal``.

    Raises
    ------
    ModelError
        When the proof's weighted placements or secondary cost differ from the written placements'.
    """
    claimed = {"weighted_placed": proof["weighted_placed"], "secondary_cost": proof["secondary_cost"],
               "written_cost": proof["secondary_cost"]}
    wrong = [f"{name} {claimed[name]} certified, {written[name]} written" for name in claimed
             if claimed[name] != written[name]]
    if wrong:
        raise ModelError("engine error: the proof does not certify the placements written ("
                         + "; ".join(wrong) + "); the result is not written")


def _summary_counts(problem: Problem, placed_mask: np.ndarray, reason: np.ndarray) -> dict:
    """summary.json's counts: overall, by reason, and placed/unplaced by tier, level, pathway,
    sector, approximate home region and school."""
    students = pd.DataFrame(
        {
            "placed": placed_mask,
            "level": problem.s_level,
            "pathway": np.where(problem.s_pathway_bit == 1, "BOL", "BBL"),
            "sector": sector_of(problem.crebos[problem.s_crebo]).to_numpy(),
            "region": _home_regions(problem),
            "school": problem.school_ids[problem.s_school],
            "tier": np.where(problem.s_priority, "priority", "regular"),
        }
    )
    seeking = np.ones(problem.n_students, dtype=bool) if problem.decided is None else ~problem.decided.withdrawn
    students = students[seeking]
    decisions = problem.decided is not None and problem.decided.decisions_given
    rounds = {} if not decisions else {
        "confirmed": int(problem.decided.confirmed_by_decision.sum()),
        "withdrawn": int(problem.decided.withdrawn.sum()),
        "declined_pairs": int(len(problem.decided.declined))}
    return {
        "students": int(problem.n_students),
        "placed": int(placed_mask.sum()),
        "unplaced": int((~placed_mask & seeking).sum()),
        **rounds,
        "vacancies": int(problem.n_vacancies),
        "places_offered": int((problem.v_places[:, None] * problem.v_period_offered).sum()),
        # A withdrawn student is counted apart ("withdrawn"), not as unplaced.
        "unplaced_by_reason": {name: int((reason == k).sum()) for k, name in enumerate(REASONS)
                               if name != "withdrawn" and (decisions or name not in ROUNDS_REASONS)},
        "by_tier": _counts(students, "tier"),
        "by_level": _counts(students, "level"),
        "by_pathway": _counts(students, "pathway"),
        "by_sector": _counts(students, "sector"),
        "by_home_region_approx": _counts(students, "region"),
        "by_school": _counts(students, "school"),
    }


def _assemble(
    instance: Instance,
    problem: Problem,
    candidates: Candidates,
    chosen: np.ndarray,
    placed_mask: np.ndarray,
    policy: Policy,
    network: FlowNetwork,
    proof: dict,
    price: dict | None,
    shape: dict,
) -> tuple[pd.DataFrame, pd.DataFrame, dict, pd.DataFrame | None]:
    """The result's two tables, its summary and (with a previous round) its changes, from the chosen arcs."""
    placements, cost, partner = _placements_frame(problem, candidates, chosen, network, policy)
    unplaced, reason = _unplaced_frame(problem, candidates, chosen, placed_mask)
    objective = _objective(problem, candidates, chosen, cost, partner, policy)
    counts = _summary_counts(problem, placed_mask, reason)
    changes = None
    if instance.previous:
        changes = changes_frame(instance, problem, candidates, chosen, policy.keep_previous)
        counted = change_counts(changes)
        counts["changes"] = counted
        # The tier between the weighted placements and the secondary cost (with fewest_moves).
        objective = {"weighted_placed": objective.pop("weighted_placed"),
                     "previous_kept": counted["kept"], "previous_not_kept": counted["moved"] + counted["lost"],
                     **objective}
    summary = {
        "stagematch": "summary/v1",
        "instance": instance.name,
        "input_hash": input_hash(instance),
        "status": "optimal",
        "objective": objective,
        "proof": proof,
        "price_of_priority": price,
        "counts": counts,
        "network": shape,
        # keep_previous means something only with a previous round; without one the summary is as it was.
        "policy": policy.model_dump(mode="json", exclude=None if instance.previous else {"keep_previous"}),
        "versions": _versions(),
        "seed": None,
    }
    return placements, unplaced, summary, changes
