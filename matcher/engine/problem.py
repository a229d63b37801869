"""Index-based problem arrays: the validated models turned into numpy.

Ids stay at the edges (``*_ids`` arrays); everything inside the engine is an
integer index into them. Students and vacancies are sorted by id, so the
arrays, and therefore every result, do not depend on the order of input rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from matcher.engine.rounds import Decided, check_confirmed_fit, decided_arrays
from matcher.errors import InputError
from matcher.geo.tables import pc4_table
from matcher.geo.travel import MODES
from models import Instance, Pathway, Policy, Student

PATHWAY_BIT = {Pathway.BOL: 1, Pathway.BBL: 2}
UNLIMITED = -1


@dataclass(frozen=True, eq=False)
class Problem:
    """The instance as arrays. ``S`` students, ``V`` vacancies, ``P`` periods.

    Student arrays start with ``s_``, vacancy arrays with ``v_``. Capacities of
    ``UNLIMITED`` (-1) limit nothing. ``s_period_rank[s, p]`` is the 0-based
    position of period ``p`` in the student's list, or -1 when not acceptable.
    """

    student_ids: np.ndarray
    school_ids: np.ndarray
    vacancy_ids: np.ndarray
    company_ids: np.ndarray
    supervisor_ids: np.ndarray
    period_ids: tuple[str, ...]
    crebos: np.ndarray

    s_school: np.ndarray
    s_crebo: np.ndarray
    s_level: np.ndarray
    s_pathway_bit: np.ndarray
    s_lat: np.ndarray
    s_lon: np.ndarray
    s_pc4: np.ndarray
    s_mode: np.ndarray
    s_limit: np.ndarray
    s_guidance: np.ndarray
    s_needs_accessible: np.ndarray
    s_priority: np.ndarray
    s_weight: np.ndarray
    s_period_rank: np.ndarray
    s_has_wishes: np.ndarray

    v_company: np.ndarray
    v_supervisor: np.ndarray
    v_lat: np.ndarray
    v_lon: np.ndarray
    v_pc4: np.ndarray
    v_places: np.ndarray
    v_period_offered: np.ndarray
    v_min_level: np.ndarray
    v_max_level: np.ndarray
    v_guidance_places: np.ndarray
    v_duo: np.ndarray
    v_accessible: np.ndarray
    v_pathway_bits: np.ndarray
    vc_vacancy: np.ndarray
    vc_crebo: np.ndarray

    supervisor_capacity: np.ndarray
    company_max_students: np.ndarray

    eq_crebo: np.ndarray
    eq_equivalent: np.ndarray

    wish_student: np.ndarray
    wish_vacancy: np.ndarray
    wish_company: np.ndarray
    wish_rank: np.ndarray

    travel_override_origin: tuple[str, ...]
    travel_override_destination: tuple[str, ...]
    travel_override_minutes: np.ndarray

    decided: Decided | None = None  # decisions.csv (matcher.engine.rounds); None without one

    @property
    def n_students(self) -> int:
        """Number of students."""
        return len(self.student_ids)

    @property
    def n_vacancies(self) -> int:
        """Number of vacancies."""
        return len(self.vacancy_ids)

    @property
    def n_periods(self) -> int:
        """Number of periods."""
        return len(self.period_ids)

    @property
    def s_period_mask(self) -> np.ndarray:
        """Acceptable periods per student as a bitmask (bit p = period p)."""
        return _bitmask(self.s_period_rank >= 0)

    @property
    def v_period_mask(self) -> np.ndarray:
        """Offered periods per vacancy as a bitmask (bit p = period p)."""
        return _bitmask(self.v_period_offered)


MAX_PERIODS = 64


def _bitmask(allowed: np.ndarray) -> np.ndarray:
    """Rows of a boolean (n, P) matrix as the smallest unsigned integers that hold P bits."""
    n_p = allowed.shape[1]
    dtype = next(t for t in (np.uint8, np.uint16, np.uint32, np.uint64) if np.iinfo(t).bits >= n_p)
    weights = (np.ones(1, dtype=dtype) << np.arange(n_p, dtype=dtype)).astype(dtype)
    return (allowed.astype(dtype) * weights).sum(axis=1, dtype=dtype)


def needs_extra_guidance(student: Student, policy: Policy) -> bool:
    """The student's ``extra_guidance`` when given, else the policy's rule."""
    if student.extra_guidance is not None:
        return student.extra_guidance
    rule = policy.extra_guidance
    return student.level <= rule.max_level or (rule.first_year and student.year == 1)


def _index(values: list[str]) -> tuple[np.ndarray, dict[str, int]]:
    ids = np.array(sorted(set(values)), dtype=object)
    return ids, {v: i for i, v in enumerate(ids)}


def _locate(records, file: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Latitude, longitude and PC4 (int, -1 if none) of located records.

    Coordinates win over the PC4 centre when both are given (docs/model.md).
    """
    n = len(records)
    lat = np.fromiter((np.nan if r.lat is None else r.lat for r in records), float, n)
    lon = np.fromiter((np.nan if r.lon is None else r.lon for r in records), float, n)
    codes = [r.pc4 or "" for r in records]
    pc4 = np.array([int(c) if c else -1 for c in codes], dtype=np.int32)
    missing = np.isnan(lat)
    if missing.any():
        centres = pc4_table().reindex([codes[i] for i in np.flatnonzero(missing)])
        unknown = centres["lat"].isna().to_numpy()
        if unknown.any():
            bad = codes[int(np.flatnonzero(missing)[unknown][0])]
            raise InputError(f"postcode area {bad} does not exist", file=file, column="pc4")
        lat[missing] = centres["lat"].to_numpy()
        lon[missing] = centres["lon"].to_numpy()
    return lat, lon, pc4


def build_problem(instance: Instance, policy: Policy) -> Problem:
    """Turn a validated instance into index-based arrays.

    Parameters
    ----------
    instance
        A validated :class:`models.Instance`.
    policy
        The policy: it fixes defaults for mode, travel limit and extra guidance,
        and the placement weights.

    Returns
    -------
    Problem
        Arrays sorted by id; independent of input row order.
    """
    students = sorted(instance.students, key=lambda s: s.student_id)
    vacancies = sorted(instance.vacancies, key=lambda v: v.vacancy_id)
    # Canonical period order (by start date, then id) keeps results independent
    # of the row order of periods.csv; preferences come from students' lists.
    period_ids = tuple(
        p.period_id for p in sorted(instance.periods, key=lambda p: (p.start or date.max, p.period_id))
    ) or instance.period_ids
    period_index = {p: i for i, p in enumerate(period_ids)}
    n_s, n_v, n_p = len(students), len(vacancies), len(period_ids)
    if n_p > MAX_PERIODS:
        raise InputError(f"{n_p} periods; at most {MAX_PERIODS} are supported", file="periods")

    school_ids, school_index = _index([s.school_id for s in students])
    crebos, crebo_index = _index(
        [s.crebo for s in students]
        + [c for v in vacancies for c in v.crebos]
        + [c for e in instance.equivalences for c in (e.crebo, e.equivalent_crebo)]
    )
    company_ids, company_index = _index(
        [c.company_id for c in instance.companies] + [v.company_id for v in vacancies]
    )
    supervisor_ids, supervisor_index = _index(
        [s.supervisor_id for s in instance.supervisors]
        + [v.supervisor_id for v in vacancies if v.supervisor_id is not None]
    )

    mode_index = {m: i for i, m in enumerate(MODES)}
    default_mode = mode_index[policy.travel.default_mode]
    default_limit = policy.travel.default_max_min

    s_lat, s_lon, s_pc4 = _locate(students, "students")
    s_level = np.fromiter((s.level for s in students), np.int8, n_s)
    s_guidance = np.fromiter((needs_extra_guidance(s, policy) for s in students), bool, n_s)
    s_priority = (s_level <= 2) | s_guidance
    s_weight = np.asarray(weighted_value(policy.weights, 1, s_priority), dtype=np.int64)
    s_period_rank = np.full((n_s, n_p), -1, dtype=np.int16)
    for i, s in enumerate(students):
        if s.periods:
            for rank, p in enumerate(s.periods):
                s_period_rank[i, period_index[p]] = rank
        else:
            s_period_rank[i, :] = 0

    v_lat, v_lon, v_pc4 = _locate(vacancies, "vacancies")
    v_places = np.fromiter((v.places for v in vacancies), np.int32, n_v)
    v_guidance = np.fromiter(
        (v.places if v.extra_guidance_places is None else v.extra_guidance_places for v in vacancies),
        np.int32,
        n_v,
    )
    v_period_offered = np.zeros((n_v, n_p), dtype=bool)
    for i, v in enumerate(vacancies):
        if v.periods:
            v_period_offered[i, [period_index[p] for p in v.periods]] = True
        else:
            v_period_offered[i, :] = True
    vc_pairs = [(i, crebo_index[c]) for i, v in enumerate(vacancies) for c in v.crebos]
    vc = np.array(vc_pairs, dtype=np.int32).reshape(-1, 2)

    capacity = np.full(len(supervisor_ids), UNLIMITED, dtype=np.int32)
    for s in instance.supervisors:
        capacity[supervisor_index[s.supervisor_id]] = s.capacity
    max_students = np.full(len(company_ids), UNLIMITED, dtype=np.int32)
    for c in instance.companies:
        if c.max_students is not None:
            max_students[company_index[c.company_id]] = c.max_students

    vacancy_index = {v.vacancy_id: i for i, v in enumerate(vacancies)}
    wishes = [
        (i, vacancy_index.get(w, -1), company_index.get(w, -1) if w not in vacancy_index else -1, r)
        for i, s in enumerate(students)
        for r, w in enumerate(s.preferences)
    ]
    wish = np.array(wishes, dtype=np.int32).reshape(-1, 4)

    eq = np.array(
        [(crebo_index[e.crebo], crebo_index[e.equivalent_crebo]) for e in instance.equivalences],
        dtype=np.int32,
    ).reshape(-1, 2)

    problem = Problem(
        student_ids=np.array([s.student_id for s in students], dtype=object),
        school_ids=school_ids,
        vacancy_ids=np.array([v.vacancy_id for v in vacancies], dtype=object),
        company_ids=company_ids,
        supervisor_ids=supervisor_ids,
        period_ids=period_ids,
        crebos=crebos,
        s_school=np.fromiter((school_index[s.school_id] for s in students), np.int32, n_s),
        s_crebo=np.fromiter((crebo_index[s.crebo] for s in students), np.int32, n_s),
        s_level=s_level,
        s_pathway_bit=np.fromiter((PATHWAY_BIT[s.pathway] for s in students), np.int8, n_s),
        s_lat=s_lat,
        s_lon=s_lon,
        s_pc4=s_pc4,
        s_mode=np.fromiter(
            (default_mode if s.mode is None else mode_index[s.mode] for s in students), np.int8, n_s
        ),
        s_limit=np.fromiter(
            (default_limit if s.max_travel_min is None else s.max_travel_min for s in students),
            np.int32,
            n_s,
        ),
        s_guidance=s_guidance,
        s_needs_accessible=np.fromiter((s.needs_accessible for s in students), bool, n_s),
        s_priority=s_priority,
        s_weight=s_weight,
        s_period_rank=s_period_rank,
        s_has_wishes=np.fromiter((bool(s.preferences) for s in students), bool, n_s),
        v_company=np.fromiter((company_index[v.company_id] for v in vacancies), np.int32, n_v),
        v_supervisor=np.fromiter(
            (UNLIMITED if v.supervisor_id is None else supervisor_index[v.supervisor_id] for v in vacancies),
            np.int32,
            n_v,
        ),
        v_lat=v_lat,
        v_lon=v_lon,
        v_pc4=v_pc4,
        v_places=v_places,
        v_period_offered=v_period_offered,
        v_min_level=np.fromiter((v.min_level for v in vacancies), np.int8, n_v),
        v_max_level=np.fromiter((v.max_level for v in vacancies), np.int8, n_v),
        v_guidance_places=v_guidance,
        v_duo=np.fromiter((v.duo for v in vacancies), bool, n_v),
        v_accessible=np.fromiter((v.accessible for v in vacancies), bool, n_v),
        v_pathway_bits=np.fromiter(
            (sum(PATHWAY_BIT[p] for p in v.pathways) for v in vacancies), np.int8, n_v
        ),
        vc_vacancy=vc[:, 0].copy(),
        vc_crebo=vc[:, 1].copy(),
        supervisor_capacity=capacity,
        company_max_students=max_students,
        eq_crebo=eq[:, 0].copy(),
        eq_equivalent=eq[:, 1].copy(),
        wish_student=wish[:, 0].copy(),
        wish_vacancy=wish[:, 1].copy(),
        wish_company=wish[:, 2].copy(),
        wish_rank=wish[:, 3].copy(),
        travel_override_origin=tuple(t.origin for t in instance.travel_times),
        travel_override_destination=tuple(t.destination for t in instance.travel_times),
        travel_override_minutes=np.fromiter(
            (t.minutes for t in instance.travel_times), np.int32, len(instance.travel_times)
        ),
        decided=decided_arrays(instance, {s.student_id: i for i, s in enumerate(students)}, vacancy_index,
                               period_index, company_index,
                               np.fromiter((company_index[v.company_id] for v in vacancies), np.int64, n_v)),
    )
    check_confirmed_fit(problem)
    return problem


def weighted_value(weights, placed, priority_placed):
    """The priority-weighted number of placed students, ``w_regular·placed +
    (w_priority − w_regular)·priority_placed``, for ``placed`` students of whom
    ``priority_placed`` are in the priority tier (numbers or arrays alike;
    ``weights`` is a policy's ``weights``).

    For one student (``placed`` 1) it is the student's weight (``s_weight``).
    For the max flows ``r(E)`` and ``r(P)`` of the hub network it is the
    maximum weight of a set of students that can be placed together: the
    first objective of the match (the matroid argument of
    :mod:`matcher.engine.network`).
    """
    return weights.regular * placed + (weights.priority - weights.regular) * priority_placed


def priority_class(problem: Problem, policy: Policy) -> np.ndarray:
    """Per student: fed by ``hub_priority``. Equal weights make one class: every
    max-cardinality set is then max-weight."""
    if policy.weights.priority > policy.weights.regular:
        return problem.s_priority
    return np.zeros(problem.n_students, dtype=bool)
