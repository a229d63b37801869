"""Candidate arcs: every eligible (student, vacancy, period) with its cost.

Vectorised: students and vacancies are grouped by (crebo, pathway) key; within
a key, students of one mode and travel limit share a reach radius, and a k-d
tree over the vacancies' unit-sphere points returns the pairs within it in one
call. The exact travel estimate (and any ``travel_times.csv`` override) then
filters, followed by the period, level, accessibility and guidance rules of
docs/model.md. Along the way, per-student flags record which filter stage
first left the student with nothing, for the unplaced reasons.

Before any pair is built, their number is bounded (and counted with the k-d
trees when the bound is too high): pairs that would not fit in the memory
available (:mod:`matcher.engine.memory`) are refused with a :class:`ModelError`
saying how many and what to do, instead of a ``MemoryError`` half-way.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from matcher.engine.memory import MEMORY_LIMIT_ENV, format_bytes, memory_limit
from matcher.engine.problem import Problem
from matcher.errors import ModelError
from matcher.geo.travel import chord_for_km, estimate_minutes, great_circle_km, reach_km, unit_vectors
from models import Policy

NO_WISH = -1
# Bits of Candidates.excluded_by: the eligibility rules that exclude a reachable vacancy.
EXCLUDED_BY_LEVEL = 1
EXCLUDED_BY_ACCESSIBILITY = 2
EXCLUDED_BY_GUIDANCE = 4
# Memory a pair within reach needs through the solve: about 120 bytes per candidate
# arc at national scale (OR-Tools' arcs plus the numpy inputs; ../shared/PERFORMANCE.md).
BYTES_PER_PAIR = 120


@dataclass(frozen=True, eq=False)
class Candidates:
    """Eligible (student, vacancy, period) arcs, sorted by (student, vacancy, period).

    ``wish_rank`` is the 0-based wish position or ``NO_WISH``; ``cost`` is the
    secondary cost of the arc (travel, wish and period rank; duo excluded).
    The ``has_*`` flags (one per student) say whether any vacancy passes the
    filters up to that stage: recognised (crebo and pathway), reachable,
    period, eligible (level, accessibility, guidance), places (an eligible
    vacancy with more than 0 places: the student has an arc). For a student
    whose reachable vacancies in an acceptable period are all excluded,
    ``excluded_by`` holds the rules that exclude at least one of them
    (:data:`EXCLUDED_BY_LEVEL`, :data:`EXCLUDED_BY_ACCESSIBILITY`,
    :data:`EXCLUDED_BY_GUIDANCE`, or-ed); 0 for every other student.
    """

    student: np.ndarray
    vacancy: np.ndarray
    period: np.ndarray
    travel_min: np.ndarray
    wish_rank: np.ndarray
    period_rank: np.ndarray
    cost: np.ndarray
    has_recognised: np.ndarray
    has_reachable: np.ndarray
    has_period: np.ndarray
    has_eligible: np.ndarray
    has_places: np.ndarray
    excluded_by: np.ndarray

    def __len__(self) -> int:
        return len(self.student)


def student_keys(problem: Problem) -> tuple[np.ndarray, np.ndarray]:
    """(student, key) for the student's own crebo and each equivalent crebo.

    A key is ``crebo index × 4 + pathway bit``: a student and a vacancy of
    one key are recognised for each other (:func:`vacancy_keys`).
    """
    students = [np.arange(problem.n_students, dtype=np.int64)]
    crebos = [problem.s_crebo.astype(np.int64)]
    for crebo, equivalent in zip(problem.eq_crebo, problem.eq_equivalent):
        having = np.flatnonzero(problem.s_crebo == crebo)
        students.append(having)
        crebos.append(np.full(len(having), equivalent, dtype=np.int64))
    s = np.concatenate(students)
    key = np.concatenate(crebos) * 4 + problem.s_pathway_bit[s]
    return s, key


def vacancy_keys(problem: Problem) -> tuple[np.ndarray, np.ndarray]:
    """(vacancy, key) for each recognised crebo and offered pathway (see :func:`student_keys`)."""
    v, c = problem.vc_vacancy.astype(np.int64), problem.vc_crebo.astype(np.int64)
    bits = problem.v_pathway_bits[v]
    parts = [(v[bits & b > 0], c[bits & b > 0] * 4 + b) for b in (1, 2)]
    return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])


def _reach_queries(problem: Problem, policy: Policy, s_of, s_key, v_of, v_key) -> list[tuple]:
    """The k-d tree queries that find the pairs within reach: per (crebo, pathway)
    key and reach radius, (students, their tree, vacancies, their tree, chord)."""
    radius_km = policy.travel.earth_radius_km
    s_points = unit_vectors(problem.s_lat, problem.s_lon)
    v_points = unit_vectors(problem.v_lat, problem.v_lon)
    s_chord = chord_for_km(reach_km(problem.s_limit, problem.s_mode, policy), radius_km)

    v_order = np.argsort(v_key, kind="stable")
    v_key_sorted = v_key[v_order]
    # Students of one key with the same reach form one query.
    s_table = pd.DataFrame({"s": s_of, "key": s_key, "chord": s_chord[s_of]})
    s_table = s_table[np.isin(s_table["key"].to_numpy(), v_key)]
    queries = []
    for key, group in s_table.groupby("key", sort=True):
        lo, hi = np.searchsorted(v_key_sorted, [key, key + 1])
        vacancies = v_of[v_order[lo:hi]]
        tree = cKDTree(v_points[vacancies])
        for chord, sub in group.groupby("chord", sort=True):
            students = sub["s"].to_numpy()
            queries.append((students, cKDTree(s_points[students]), vacancies, tree, chord))
    return queries


def _refuse_too_many_pairs(queries: list[tuple]) -> None:
    """Refuse, before building them, pairs within reach that would not fit in memory.

    The bound ``students × vacancies`` per query costs nothing; only when it
    exceeds the limit are the pairs counted (a k-d tree count, without
    building them). Each pair within reach may become a candidate arc per
    shared period, so the count is a floor of what the model needs.
    """
    limit, source = memory_limit()
    if limit is None:
        return
    bound = sum(len(students) * len(vacancies) for students, _, vacancies, _, _ in queries)
    if bound * BYTES_PER_PAIR <= limit:
        return
    pairs = sum(int(s_tree.count_neighbors(v_tree, chord)) for _, s_tree, _, v_tree, chord in queries)
    need = pairs * BYTES_PER_PAIR
    if need > limit:
        raise ModelError(
            f"too large to build: {pairs:,} (student, vacancy) pairs are within reach, which needs about "
            f"{format_bytes(need)} of memory (about {BYTES_PER_PAIR} bytes a pair), more than the "
            f"{format_bytes(limit)} of {source}. Lower the travel limits (max_travel_min in "
            "students.csv, travel.default_max_min in policy.toml) or match one region at a time "
            f"(--region AMxx); {MEMORY_LIMIT_ENV} sets another limit.")


def _pairs_within_reach(problem: Problem, policy: Policy, s_of, s_key, v_of, v_key):
    """All (student, vacancy) pairs sharing a key within the student's reach radius."""
    queries = _reach_queries(problem, policy, s_of, s_key, v_of, v_key)
    _refuse_too_many_pairs(queries)
    out_s, out_v = [], []
    for students, s_tree, vacancies, v_tree, chord in queries:
        pairs = s_tree.sparse_distance_matrix(v_tree, chord, output_type="ndarray")
        out_s.append(students[pairs["i"]])
        out_v.append(vacancies[pairs["j"]])
    if not out_s:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    return np.concatenate(out_s).astype(np.int64, copy=False), np.concatenate(out_v).astype(np.int64, copy=False)


def _override_minutes(problem: Problem, s: np.ndarray, v: np.ndarray):
    """Given travel minutes for pairs (s, v), or -1; most specific row wins."""
    minutes = np.full(len(s), -1, dtype=np.int32)
    if len(problem.travel_override_minutes) == 0 or len(s) == 0:
        return minutes
    student_index = {sid: i for i, sid in enumerate(problem.student_ids)}
    vacancy_index = {vid: i for i, vid in enumerate(problem.vacancy_ids)}
    n_v = problem.n_vacancies
    rows = pd.DataFrame(
        {
            "origin": problem.travel_override_origin,
            "destination": problem.travel_override_destination,
            "minutes": problem.travel_override_minutes,
        }
    )
    o_student = rows["origin"].map(student_index)
    d_vacancy = rows["destination"].map(vacancy_index)
    as_pc4 = lambda col: pd.to_numeric(col.where(col.str.fullmatch(r"\d{4}")), errors="coerce")  # noqa: E731
    o_pc4, d_pc4 = as_pc4(rows["origin"]), as_pc4(rows["destination"])
    # Least specific first; later assignments overwrite earlier ones.
    levels = [
        (o_pc4, d_pc4, problem.s_pc4[s], problem.v_pc4[v]),
        (o_pc4, d_vacancy, problem.s_pc4[s], v),
        (o_student, d_pc4, s, problem.v_pc4[v]),
        (o_student, d_vacancy, s, v),
    ]
    for origin, destination, pair_origin, pair_destination in levels:
        valid = origin.notna() & destination.notna()
        if not valid.any():
            continue
        width = max(int(destination[valid].max()), int(pair_destination.max()), n_v) + 1
        keys = origin[valid].to_numpy(np.int64) * width + destination[valid].to_numpy(np.int64)
        values = rows["minutes"][valid].to_numpy(np.int32)
        order = np.argsort(keys, kind="stable")
        keys, values = keys[order], values[order]
        pair_keys = pair_origin.astype(np.int64) * width + pair_destination.astype(np.int64)
        at = np.clip(np.searchsorted(keys, pair_keys), 0, len(keys) - 1)
        hit = (keys[at] == pair_keys) & (pair_origin >= 0) & (pair_destination >= 0)
        minutes[hit] = values[at[hit]]
    return minutes


def _override_pairs(problem: Problem) -> tuple[np.ndarray, np.ndarray]:
    """Every (student, vacancy) pair some travel-time row speaks of."""
    if len(problem.travel_override_minutes) == 0:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    student_index = {sid: i for i, sid in enumerate(problem.student_ids)}
    vacancy_index = {vid: i for i, vid in enumerate(problem.vacancy_ids)}
    out_s, out_v = [], []
    for origin, destination in zip(problem.travel_override_origin, problem.travel_override_destination):
        if origin in student_index:
            students = np.array([student_index[origin]])
        else:
            students = np.flatnonzero(problem.s_pc4 == int(origin))
        if destination in vacancy_index:
            vacancies = np.array([vacancy_index[destination]])
        else:
            vacancies = np.flatnonzero(problem.v_pc4 == int(destination))
        out_s.append(np.repeat(students, len(vacancies)))
        out_v.append(np.tile(vacancies, len(students)))
    return np.concatenate(out_s).astype(np.int64, copy=False), np.concatenate(out_v).astype(np.int64, copy=False)


def _recognised(s_of, s_key, v_of, v_key, s: np.ndarray, v: np.ndarray, n_v: int) -> np.ndarray:
    """Whether each pair (s, v) shares a (crebo, pathway) key."""
    s_table = pd.DataFrame({"s": s_of, "key": s_key})
    v_table = pd.DataFrame({"v": v_of, "key": v_key})
    shared = s_table.merge(v_table, on="key")[["s", "v"]].drop_duplicates()
    shared_keys = shared["s"].to_numpy(np.int64) * n_v + shared["v"].to_numpy(np.int64)
    return np.isin(s * n_v + v, shared_keys)


# Pairs per slice of the travel estimate: its float temporaries (coordinates, trigonometry) then take
# tens of MB at a time instead of over a GB for the national instance's 13 million pairs.
TRAVEL_CHUNK = 1 << 20


def _travel_minutes(problem: Problem, policy: Policy, s: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Travel minutes for pairs: the override where one applies, else the estimate."""
    minutes = np.empty(len(s), dtype=np.int32)
    for lo in range(0, len(s), TRAVEL_CHUNK):
        cs, cv = s[lo:lo + TRAVEL_CHUNK], v[lo:lo + TRAVEL_CHUNK]
        distance = great_circle_km(problem.s_lat[cs], problem.s_lon[cs], problem.v_lat[cv], problem.v_lon[cv],
                                   policy.travel.earth_radius_km)
        minutes[lo:lo + TRAVEL_CHUNK] = estimate_minutes(distance, problem.s_mode[cs], policy)
    given = _override_minutes(problem, s, v)
    return np.where(given >= 0, given, minutes)


def wish_ranks(problem: Problem, s: np.ndarray, v: np.ndarray) -> np.ndarray:
    """0-based position of the first wish naming vacancy ``v`` or its company, or NO_WISH."""
    ranks = np.full(len(s), NO_WISH, dtype=np.int32)
    if len(problem.wish_rank) == 0:
        return ranks
    wishing = np.flatnonzero(problem.s_has_wishes[s])
    ranks[wishing] = _wish_ranks_of(problem, s[wishing], v[wishing])
    return ranks


def _wish_ranks_of(problem: Problem, s: np.ndarray, v: np.ndarray) -> np.ndarray:
    ranks = np.full(len(s), NO_WISH, dtype=np.int32)
    big = np.iinfo(np.int32).max
    best = np.full(len(s), big, dtype=np.int64)
    for target, pair_target in (
        (problem.wish_vacancy, v),
        (problem.wish_company, problem.v_company[v]),
    ):
        named = target >= 0
        width = max(problem.n_vacancies, len(problem.company_ids)) + 1
        keys = problem.wish_student[named].astype(np.int64) * width + target[named]
        if len(keys) == 0:
            continue
        order = np.argsort(keys)
        keys, rank = keys[order], problem.wish_rank[named][order]
        pair_keys = s * width + pair_target
        at = np.clip(np.searchsorted(keys, pair_keys), 0, len(keys) - 1)
        hit = keys[at] == pair_keys
        best[hit] = np.minimum(best[hit], rank[at[hit]])
    found = best < big
    ranks[found] = best[found]
    return ranks


def _with_decisions(problem: Problem, policy: Policy, s, v, period, minutes):
    """The arcs without those the decisions forbid, and with each confirmed placement's arc, sorted again."""
    decided = problem.decided
    keep = ~decided.without_arc(s, v)
    fixed_s = np.flatnonzero(decided.confirmed)
    fixed_v = decided.confirmed_vacancy[fixed_s]
    s = np.concatenate([s[keep], fixed_s])
    v = np.concatenate([v[keep], fixed_v])
    period = np.concatenate([period[keep], decided.confirmed_period[fixed_s]])
    minutes = np.concatenate([minutes[keep], _travel_minutes(problem, policy, fixed_s, fixed_v)])
    order = np.lexsort((period, v, s))
    return s[order], v[order], period[order], minutes[order]


def _among(indices: np.ndarray, subset: np.ndarray | None) -> np.ndarray:
    """Per index: whether it is in ``subset`` (every one without a subset)."""
    return np.ones(len(indices), dtype=bool) if subset is None else np.isin(indices, subset)


def generate_candidates(problem: Problem, policy: Policy, *, students: np.ndarray | None = None,
                        vacancies: np.ndarray | None = None) -> Candidates:
    """Every eligible (student, vacancy, period) with places > 0, and its cost.

    With decisions (:mod:`matcher.engine.rounds`), declined pairs and the arcs of
    withdrawn and confirmed students are left out, and each confirmed
    placement is an arc of its own (which the network gives no capacity).

    Parameters
    ----------
    problem
        The index-based problem.
    policy
        Travel estimate parameters and secondary costs.
    students, vacancies
        When given, only the arcs of these students, or into these vacancies (indices of ``problem``): what
        an explanation of a few of them needs, without the national arcs of everyone. The per-student
        flags then describe those arcs only.

    Returns
    -------
    Candidates
        Arcs sorted by (student, vacancy, period), plus per-student stage flags.
    """
    n_s, n_v = problem.n_students, problem.n_vacancies
    s_of, s_key = student_keys(problem)
    v_of, v_key = vacancy_keys(problem)
    s_kept, v_kept = _among(s_of, students), _among(v_of, vacancies)
    s_of, s_key, v_of, v_key = s_of[s_kept], s_key[s_kept], v_of[v_kept], v_key[v_kept]

    has_recognised = np.zeros(n_s, dtype=bool)
    has_recognised[s_of[np.isin(s_key, v_key)]] = True

    s, v = _pairs_within_reach(problem, policy, s_of, s_key, v_of, v_key)
    extra_s, extra_v = _override_pairs(problem)
    keep = _among(extra_s, students) & _among(extra_v, vacancies)
    extra_s, extra_v = extra_s[keep], extra_v[keep]
    if len(extra_s):
        keep = _recognised(s_of, s_key, v_of, v_key, extra_s, extra_v, n_v)
        s, v = np.concatenate([s, extra_s[keep]]), np.concatenate([v, extra_v[keep]])
    # Sorted by (student, vacancy); a vacancy recognised for both a crebo and its
    # equivalent, or also named by an override, appears twice: keep one.
    pair_key = np.sort(s * max(n_v, 1) + v)
    pair_key = pair_key[np.r_[True, pair_key[1:] != pair_key[:-1]]] if len(pair_key) else pair_key
    s, v = pair_key // max(n_v, 1), pair_key % max(n_v, 1)

    # The cheap rules first, so that travel is computed only where it can matter.
    s_mask, v_mask = problem.s_period_mask, problem.v_period_mask
    common = s_mask[s] & v_mask[v]
    level = problem.s_level[s]
    static_ok = (
        (common != 0)
        & (problem.v_min_level[v] <= level)
        & (level <= problem.v_max_level[v])
        & (~problem.s_needs_accessible[s] | problem.v_accessible[v])
        & (~problem.s_guidance[s] | (problem.v_guidance_places[v] > 0))
    )
    s_ok, v_ok = s[static_ok], v[static_ok]
    minutes = _travel_minutes(problem, policy, s_ok, v_ok)
    within = minutes <= problem.s_limit[s_ok]
    s, v, minutes, common = s_ok[within], v_ok[within], minutes[within], common[static_ok][within]
    has_eligible = np.bincount(s, minlength=n_s) > 0

    # Reasons need the first failing stage only for students left with nothing.
    has_reachable, has_period = has_eligible.copy(), has_eligible.copy()
    excluded_by = np.zeros(n_s, dtype=np.int8)
    stranded = ~has_eligible & has_recognised
    if stranded.any():
        pairs_of_stranded = stranded[pair_key // max(n_v, 1)]
        s_st, v_st = pair_key[pairs_of_stranded] // max(n_v, 1), pair_key[pairs_of_stranded] % max(n_v, 1)
        reach = _travel_minutes(problem, policy, s_st, v_st) <= problem.s_limit[s_st]
        has_reachable[s_st[reach]] = True
        period = reach & ((s_mask[s_st] & v_mask[v_st]) != 0)
        has_period[s_st[period]] = True
        # Which of the last rules exclude the vacancies left: the reason's detail names them.
        s_ex, v_ex = s_st[period], v_st[period]
        level_ex = problem.s_level[s_ex]
        for bit, fails in (
            (EXCLUDED_BY_LEVEL, (level_ex < problem.v_min_level[v_ex]) | (level_ex > problem.v_max_level[v_ex])),
            (EXCLUDED_BY_ACCESSIBILITY, problem.s_needs_accessible[s_ex] & ~problem.v_accessible[v_ex]),
            (EXCLUDED_BY_GUIDANCE, problem.s_guidance[s_ex] & (problem.v_guidance_places[v_ex] == 0)),
        ):
            excluded_by[s_ex[fails]] |= bit

    # A vacancy with 0 places is eligible but gets no arc: it offers nothing to take.
    open_ = problem.v_places[v] > 0
    s, v, minutes, common = s[open_], v[open_], minutes[open_], common[open_]
    has_places = np.bincount(s, minlength=n_s) > 0
    bits = (common[:, None] >> np.arange(problem.n_periods, dtype=common.dtype)) & 1
    pair, period = np.nonzero(bits)
    s, v, minutes = s[pair], v[pair], minutes[pair]
    if problem.decided is not None:
        s, v, period, minutes = _with_decisions(problem, policy, s, v, period, minutes)
        keep = _among(s, students) & _among(v, vacancies)  # not the confirmed arcs of the others
        s, v, period, minutes = s[keep], v[keep], period[keep], minutes[keep]
    wish = wish_ranks(problem, s, v)
    # A confirmed placement may lie in a period outside the student's list: it ranks first then.
    period_rank = np.maximum(problem.s_period_rank[s, period], 0).astype(np.int32)

    c = policy.costs
    wish_cost = np.where(
        wish >= 0, c.wish_step * wish, np.where(problem.s_has_wishes[s], c.no_wish_met, 0)
    )
    cost = (
        c.travel_minute * minutes.astype(np.int64)
        + wish_cost.astype(np.int64)
        + c.period_step * period_rank.astype(np.int64)
    )
    return Candidates(
        student=s.astype(np.int32),
        vacancy=v.astype(np.int32),
        period=period.astype(np.int16),
        travel_min=minutes.astype(np.int32),
        wish_rank=wish,
        period_rank=period_rank,
        cost=cost,
        has_recognised=has_recognised,
        has_reachable=has_reachable,
        has_period=has_period,
        has_eligible=has_eligible,
        has_places=has_places,
        excluded_by=excluded_by,
    )
