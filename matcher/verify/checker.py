"""Independent checker: is a result folder a valid answer for an instance?

This module re-derives every rule of ``docs/model.md`` on its own, with plain
scalar Python (``math``, dicts, Counters), and shares **no** eligibility,
travel or capacity code with the engine (``matcher.engine.problem``,
``matcher.engine.candidates``, ``matcher.engine.network``, ``matcher.geo.travel`` and friends).
Two separate implementations of the same model that agree are the project's
evidence that the engine does what the model says. It only walks the
placements, so it stays fast at a quarter of a million students.

What it reads from the result folder: ``placements.csv``, ``unplaced.csv`` and
the ``objective`` part of ``summary.json``. What it reports: one
:class:`Violation` per broken rule, with a short ``kind``:

==========================  ==================================================
kind                        meaning
==========================  ==================================================
``bad_format``              a file, column or cell cannot be read
``student_missing``         an input student is in neither CSV
``student_twice``           a student appears more than once across the CSVs
``unknown_student``         a row names a student that is not in the input
``wrong_school``            school_id differs from the student's school
``wrong_reference``         unknown vacancy, or company/supervisor not the vacancy's
``unknown_period``          the period is not a period of the instance
``crebo``                   vacancy not recognised for the crebo (nor an equivalent)
``pathway``                 the student's pathway is not one of the vacancy's
``level``                   level outside [min_level, max_level]
``accessibility``           needs an accessible workplace, vacancy is not
``period``                  period not acceptable to the student or not offered
``extra_guidance``          needs extra guidance, vacancy has 0 such places
``travel_limit``            recomputed travel time above the student's limit
``travel_mismatch``         travel_min column differs from the recomputed time
``wish_mismatch``           wish_rank column differs from the recomputed rank
``places``                  more students than places (2 x places when duo)
``extra_guidance_places``   more students needing guidance than such places
``supervisor_capacity``     a supervisor (with a row) over capacity in a period
``company_capacity``        a company over max_students in a period
``duo_label``               duo column not as docs/model.md prescribes
``cost_mismatch``           cost column differs from the recomputed cost
``objective_mismatch``      summary.json objective differs from recomputed sums
``bad_reason``              unplaced reason outside the vocabulary (``withdrawn``
                            for a student who did not withdraw, ``declined``
                            for one with no decline)
``confirmed_moved``         a confirmed (student, vacancy, period) is not in
                            placements.csv exactly there with ``confirmed``
                            ``true`` (moved, unplaced, another period, or the
                            column ``false``); or a row ``confirmed=true`` of a
                            placement that was not confirmed
``declined_proposed``       a placement other than the student's confirmed one
                            at a vacancy the student or company declined, or at
                            any vacancy of a company that declined the student
                            (or that the student declined), in any period
``withdrawn_placed``        a withdrawn student is placed, or listed unplaced
                            with a reason other than ``withdrawn``
``changes_mismatch``        with a previous round (``Instance.previous``):
                            ``changes.csv`` misses a student, lists one twice,
                            or shows another previous or new placement, or
                            another change, than the previous round and
                            ``placements.csv`` make
==========================  ==================================================

With decisions between two matches (``Instance.decisions``, docs/model.md,
"Rounds") ``placements.csv`` has one more column, ``confirmed``, and
``unplaced.csv`` one more reason, ``withdrawn``. A confirmed placement (the row
of a confirmed student at exactly its confirmed vacancy and period) is exempt
from the seven eligibility rules (``crebo``, ``pathway``, ``level``,
``accessibility``, ``period``, ``travel_limit``, ``extra_guidance``: it was
agreed outside the match) but counts towards every capacity, and its travel, wish,
duo and cost columns are recomputed as any placement's. Without decisions the
files are checked exactly as before (an extra ``confirmed`` column is ignored).

The scalar helpers :func:`travel_overrides`, :func:`travel_minutes`,
:func:`is_eligible`, :func:`needs_extra_guidance`, :func:`student_weight` and
:func:`secondary_cost`, and :class:`Decisions`, are public so that tests can brute-force reference
optima (``tests/support/reference.py``) with the checker's reading of the model rather
than the engine's.
"""

from __future__ import annotations

import csv
import json
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from matcher.geo.tables import pc4_table
from matcher.io.safe_cells import restore
from models.instance import DecisionKind, Instance, Student, Vacancy, default_supervisor_id
from models.policy import Policy

PLACEMENT_COLUMNS = (
    "student_id", "school_id", "vacancy_id", "company_id", "supervisor_id",
    "period_id", "travel_min", "duo", "wish_rank", "cost",
)
UNPLACED_COLUMNS = ("student_id", "school_id", "reason", "detail")
# With decisions (docs/model.md, "Rounds"): placements.csv's last column, and the reason of a withdrawn student.
CONFIRMED_COLUMN = "confirmed"
WITHDRAWN_REASON = "withdrawn"
DECLINED_REASON = "declined"  # every place that fits was declined: only for a student with a decline
UNPLACED_REASONS = frozenset({
    "no_recognised_vacancy", "out_of_reach", "no_period",
    "level_or_guidance", "no_places_offered", "capacity_taken", "supervision_full",
})
# A float travel time this close above a whole number is that whole number
# (docs/model.md), so rounding noise never adds a minute.
_ROUNDING_SLACK = 1e-9
_MAX_LISTED = 50

Overrides = Mapping[tuple[str, str], int]


@dataclass(frozen=True)
class Violation:
    """One broken rule: its ``kind``, what it concerns (``subject``) and why."""

    kind: str
    subject: str
    message: str


@dataclass(frozen=True)
class CheckReport:
    """The checker's verdict on one result folder.

    ``weighted_placed`` and ``secondary_cost`` are the objective parts as the
    checker recomputes them from the placements (not as the result claims).
    """

    violations: tuple[Violation, ...]
    n_placed: int
    n_unplaced: int
    weighted_placed: int
    secondary_cost: int

    @property
    def ok(self) -> bool:
        """True when no rule is broken."""
        return not self.violations

    def kinds(self) -> set[str]:
        """The set of violation kinds found."""
        return {v.kind for v in self.violations}


# --------------------------------------------------------------------------
# Scalar model helpers (public for tests/support/reference.py)
# --------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _pc4_centres() -> dict[str, tuple[float, float]]:
    table = pc4_table()
    return {
        code: (float(lat), float(lon))
        for code, lat, lon in zip(table.index, table["lat"], table["lon"])
    }


def _location(place: Student | Vacancy) -> tuple[float, float]:
    # Coordinates win over the PC4 centre when both are given (docs/model.md).
    if place.lat is not None and place.lon is not None:
        return place.lat, place.lon
    try:
        return _pc4_centres()[place.pc4]
    except KeyError:
        raise ValueError(f"postcode area {place.pc4!r} is not in the PC4 table") from None


def travel_overrides(instance: Instance) -> dict[tuple[str, str], int]:
    """Return the rows of ``travel_times.csv`` as ``{(origin, destination): minutes}``."""
    return {(t.origin, t.destination): t.minutes for t in instance.travel_times}


def _haversine_km(a: tuple[float, float], b: tuple[float, float], radius_km: float) -> float:
    phi1, phi2 = math.radians(a[0]), math.radians(b[0])
    dphi = phi2 - phi1
    dlam = math.radians(b[1] - a[1])
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlam / 2) ** 2
    return 2 * radius_km * math.asin(math.sqrt(min(1.0, h)))


def travel_minutes(
    student: Student, vacancy: Vacancy, policy: Policy, overrides: Overrides
) -> int:
    """Travel time in whole minutes from ``student`` to ``vacancy``.

    The most specific override wins: (student_id, vacancy_id), (student_id,
    vacancy pc4), (student pc4, vacancy_id), (student pc4, vacancy pc4).
    Otherwise the haversine estimate of docs/model.md, rounded up.

    Parameters
    ----------
    student, vacancy
        The pair.
    policy
        Supplies the default mode, detour factor, Earth radius and speeds.
    overrides
        ``{(origin, destination): minutes}``, see :func:`travel_overrides`.

    Returns
    -------
    int
        Minutes, one way.
    """
    origins = [student.student_id] + ([student.pc4] if student.pc4 else [])
    destinations = [vacancy.vacancy_id] + ([vacancy.pc4] if vacancy.pc4 else [])
    for origin in origins:
        for destination in destinations:
            minutes = overrides.get((origin, destination))
            if minutes is not None:
                return minutes
    travel = policy.travel
    speed = travel.speed(student.mode or travel.default_mode)
    d_km = _haversine_km(_location(student), _location(vacancy), travel.earth_radius_km)
    t = speed.base_min + 60.0 * d_km * travel.detour_factor / speed.km_per_hour
    return max(0, math.ceil(t - _ROUNDING_SLACK))


def travel_limit(student: Student, policy: Policy) -> int:
    """The student's longest acceptable one-way travel time in minutes."""
    if student.max_travel_min is not None:
        return student.max_travel_min
    return policy.travel.default_max_min


def needs_extra_guidance(student: Student, policy: Policy) -> bool:
    """Whether ``student`` needs extra guidance: the given value, else the policy rule."""
    if student.extra_guidance is not None:
        return student.extra_guidance
    rule = policy.extra_guidance
    return student.level <= rule.max_level or (rule.first_year and student.year == 1)


def student_weight(student: Student, policy: Policy) -> int:
    """Value of placing ``student``: the priority weight for level <= 2 or extra guidance."""
    if student.level <= 2 or needs_extra_guidance(student, policy):
        return policy.weights.priority
    return policy.weights.regular


def _guidance_places(vacancy: Vacancy) -> int:
    if vacancy.extra_guidance_places is None:
        return vacancy.places
    return vacancy.extra_guidance_places


def wish_position(student: Student, vacancy: Vacancy) -> int | None:
    """0-based position of the first wish naming the vacancy or its company, else None."""
    for position, wish in enumerate(student.preferences):
        if wish == vacancy.vacancy_id or wish == vacancy.company_id:
            return position
    return None


def secondary_cost(
    student: Student, vacancy: Vacancy, period_id: str, travel_min: int, policy: Policy
) -> int:
    """The student's own secondary cost on (vacancy, period), the duo term excluded.

    travel_minute x minutes, plus the wish cost (0 without wishes, wish_step x
    0-based rank, or no_wish_met), plus period_step x the 0-based position of
    the period in the student's list (0 when the student gave no list).
    """
    costs = policy.costs
    cost = costs.travel_minute * travel_min
    if student.preferences:
        position = wish_position(student, vacancy)
        cost += costs.no_wish_met if position is None else costs.wish_step * position
    if student.periods and period_id in student.periods:
        cost += costs.period_step * student.periods.index(period_id)
    return cost


def _equivalents(instance: Instance) -> dict[str, set[str]]:
    table: dict[str, set[str]] = defaultdict(set)
    for e in instance.equivalences:
        table[e.crebo].add(e.equivalent_crebo)
    return table


def _eligibility_failures(
    student: Student,
    vacancy: Vacancy,
    period_id: str,
    period_ids: Iterable[str],
    equivalent_crebos: set[str],
    policy: Policy,
    travel_min: int,
) -> list[tuple[str, str]]:
    """Each failed eligibility rule as (kind, message); empty when eligible."""
    failures = []
    recognised = set(vacancy.crebos)
    if student.crebo not in recognised and not (equivalent_crebos & recognised):
        failures.append(("crebo", f"vacancy {vacancy.vacancy_id} is not recognised for "
                                  f"crebo {student.crebo} or an equivalent"))
    if student.pathway not in vacancy.pathways:
        failures.append(("pathway", f"pathway {student.pathway.value} not offered by "
                                    f"{vacancy.vacancy_id}"))
    if not vacancy.min_level <= student.level <= vacancy.max_level:
        failures.append(("level", f"level {student.level} outside "
                                  f"[{vacancy.min_level}, {vacancy.max_level}] of "
                                  f"{vacancy.vacancy_id}"))
    if student.needs_accessible and not vacancy.accessible:
        failures.append(("accessibility", f"{vacancy.vacancy_id} is not accessible"))
    student_periods = student.periods or tuple(period_ids)
    vacancy_periods = vacancy.periods or tuple(period_ids)
    if period_id not in student_periods or period_id not in vacancy_periods:
        failures.append(("period", f"period {period_id} not acceptable to the student "
                                   f"and offered by {vacancy.vacancy_id}"))
    limit = travel_limit(student, policy)
    if travel_min > limit:
        failures.append(("travel_limit", f"travel {travel_min} min to {vacancy.vacancy_id} "
                                         f"exceeds the limit of {limit} min"))
    if needs_extra_guidance(student, policy) and _guidance_places(vacancy) <= 0:
        failures.append(("extra_guidance", f"needs extra guidance, {vacancy.vacancy_id} "
                                           f"has no extra-guidance places"))
    return failures


def is_eligible(
    student: Student,
    vacancy: Vacancy,
    period_id: str,
    instance: Instance,
    policy: Policy,
    overrides: Overrides | None = None,
) -> bool:
    """Whether (student, vacancy, period) passes all seven rules of docs/model.md.

    Travel is included. ``overrides`` defaults to :func:`travel_overrides` of
    ``instance``; pass it in when calling many times.
    """
    if period_id not in instance.period_ids:
        return False
    if overrides is None:
        overrides = travel_overrides(instance)
    equivalents = {e.equivalent_crebo for e in instance.equivalences if e.crebo == student.crebo}
    minutes = travel_minutes(student, vacancy, policy, overrides)
    return not _eligibility_failures(
        student, vacancy, period_id, instance.period_ids, equivalents, policy, minutes
    )


@dataclass(frozen=True)
class Decisions:
    """``decisions.csv`` as the rules use it (docs/model.md, "Rounds").

    Attributes
    ----------
    confirmed
        ``{student_id: (vacancy_id, period_id)}``; a confirmed row without a
        period names the instance's only period.
    declined_vacancies, declined_companies
        ``(student_id, vacancy_id)`` and ``(student_id, company_id)`` pairs
        declined, by the student or by the company alike.
    withdrawn
        The students who withdrew.
    """

    confirmed: Mapping[str, tuple[str, str]]
    declined_vacancies: frozenset[tuple[str, str]]
    declined_companies: frozenset[tuple[str, str]]
    withdrawn: frozenset[str]

    @property
    def declining(self) -> frozenset[str]:
        """The students with a decline (by themselves or by a company)."""
        return frozenset(s for s, _ in self.declined_vacancies | self.declined_companies)

    @classmethod
    def of(cls, instance: Instance) -> Decisions:
        """The decisions of ``instance`` (all empty when it has none)."""
        confirmed: dict[str, tuple[str, str]] = {}
        vacancies: set[tuple[str, str]] = set()
        companies: set[tuple[str, str]] = set()
        withdrawn: set[str] = set()
        only_period = instance.period_ids[0]
        for d in instance.decisions:
            if d.decision == DecisionKind.CONFIRMED:
                confirmed[d.student_id] = (d.vacancy_id, d.period_id or only_period)
            elif d.decision == DecisionKind.WITHDRAWN:
                withdrawn.add(d.student_id)
            elif d.vacancy_id is not None:
                vacancies.add((d.student_id, d.vacancy_id))
            else:
                companies.add((d.student_id, d.company_id))
        return cls(confirmed, frozenset(vacancies), frozenset(companies), frozenset(withdrawn))

    def is_confirmed(self, student_id: str, vacancy_id: str, period_id: str) -> bool:
        """Whether (student, vacancy, period) is the student's confirmed placement."""
        return self.confirmed.get(student_id) == (vacancy_id, period_id)

    def is_declined(self, student_id: str, vacancy: Vacancy) -> bool:
        """Whether the student may not be proposed ``vacancy`` (in any period) because of a decline."""
        return ((student_id, vacancy.vacancy_id) in self.declined_vacancies
                or (student_id, vacancy.company_id) in self.declined_companies)


# --------------------------------------------------------------------------
# Reading the result folder
# --------------------------------------------------------------------------


def _read_csv(path: Path, columns: tuple[str, ...], out: list[Violation]) -> list[dict[str, str]]:
    if not path.is_file():
        out.append(Violation("bad_format", path.name, "file is missing"))
        return []
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in columns if c not in (reader.fieldnames or ())]
        if missing:
            out.append(Violation("bad_format", path.name, f"missing columns {missing}"))
            return []
        # Cells the writer defused against spreadsheet formulas read back as written.
        return [{c: restore(row[c] or "").strip() for c in columns} for row in reader]


def _read_objective(path: Path, out: list[Violation]) -> dict | None:
    if not path.is_file():
        out.append(Violation("bad_format", path.name, "file is missing"))
        return None
    try:
        objective = json.loads(path.read_text(encoding="utf-8"))["objective"]
        return {k: objective[k] for k in ("weighted_placed", "secondary_cost")}
    except (ValueError, KeyError, TypeError) as exc:
        out.append(Violation("bad_format", path.name, f"no objective parts: {exc!r}"))
        return None


def _parse_int(text: str) -> int | None:
    try:
        return int(text)
    except ValueError:
        return None


# --------------------------------------------------------------------------
# The check
# --------------------------------------------------------------------------


class _Reading:
    """A result folder read for checking, beside the instance's lookups every rule shares.

    Rows that name an unknown student are left to :func:`_each_student_once`;
    a placement reaches the eligibility and capacity rules only when its
    vacancy and period exist (:attr:`located`).
    """

    def __init__(self, instance: Instance, result_dir: Path, policy: Policy, found: list[Violation]) -> None:
        self.instance, self.policy, self.result_dir = instance, policy, result_dir
        self.decisions = Decisions.of(instance)
        # The confirmed column is read (and required) only when the instance has decisions.
        columns = PLACEMENT_COLUMNS + ((CONFIRMED_COLUMN,) if instance.decisions else ())
        self.placements = _read_csv(result_dir / "placements.csv", columns, found)
        self.unplaced = _read_csv(result_dir / "unplaced.csv", UNPLACED_COLUMNS, found)
        self.claimed = _read_objective(result_dir / "summary.json", found)
        self.students = {s.student_id: s for s in instance.students}
        self.vacancies = {v.vacancy_id: v for v in instance.vacancies}
        self.supervisor_capacity = {s.supervisor_id: s.capacity for s in instance.supervisors}
        self.company_capacity = {c.company_id: c.max_students for c in instance.companies
                                 if c.max_students is not None}
        # Placement rows of known students, with their vacancy when it exists.
        self.placed = [(row, self.students[row["student_id"]], self.vacancies.get(row["vacancy_id"]))
                       for row in self.placements if row["student_id"] in self.students]
        overrides = travel_overrides(instance)
        known_periods = set(instance.period_ids)
        # (row, student, vacancy, minutes) of the placements whose vacancy and period exist.
        self.located = [(row, student, vacancy, travel_minutes(student, vacancy, policy, overrides))
                        for row, student, vacancy in self.placed
                        if vacancy is not None and row["period_id"] in known_periods]
        self.at_vp: dict[tuple[str, str], list[tuple[dict[str, str], Student, int]]] = defaultdict(list)
        for row, student, vacancy, minutes in self.located:
            self.at_vp[(vacancy.vacancy_id, row["period_id"])].append((row, student, minutes))
        for members in self.at_vp.values():
            members.sort(key=lambda m: m[1].student_id)  # the duo rule goes by student_id
        self.costs = list(_member_costs(self))  # (row, recomputed cost) of each located placement


def _member_costs(reading: _Reading) -> Iterable[tuple[dict[str, str], int]]:
    """Each located placement with its recomputed cost: secondary costs, plus the duo
    partner's cost for the last ``n - places`` students (by student_id) at a duo vacancy."""
    for (vacancy_id, period_id), members in sorted(reading.at_vp.items()):
        vacancy = reading.vacancies[vacancy_id]
        n = len(members)
        partners = min(n, max(0, n - vacancy.places)) if vacancy.duo else 0
        for index, (row, student, minutes) in enumerate(members):
            cost = secondary_cost(student, vacancy, period_id, minutes, reading.policy)
            yield row, cost + (reading.policy.costs.duo_partner if index >= n - partners else 0)


def _each_student_once(r: _Reading) -> Iterable[Violation]:
    """Every input student exactly once across both files, and no one else."""
    seen = Counter(row["student_id"] for row in r.placements)
    seen.update(row["student_id"] for row in r.unplaced)
    for student_id, count in seen.items():
        if student_id not in r.students:
            yield Violation("unknown_student", student_id, "not a student of the input")
        elif count > 1:
            yield Violation("student_twice", student_id, f"appears {count} times across the two files")
    for student_id in r.students:
        if student_id not in seen:
            yield Violation("student_missing", student_id, "in neither placements.csv nor unplaced.csv")


def _wrong_school(row: dict[str, str], student: Student) -> Iterable[Violation]:
    if row["school_id"] != student.school_id:
        yield Violation("wrong_school", student.student_id,
                        f"school_id {row['school_id']!r}, the student's is {student.school_id!r}")


def _unplaced_rows(r: _Reading) -> Iterable[Violation]:
    """An unplaced row names the student's own school and a reason of the vocabulary
    (``withdrawn`` for a withdrawn student only, see :func:`_withdrawn`)."""
    for row in r.unplaced:
        student = r.students.get(row["student_id"])
        if student is not None:
            yield from _wrong_school(row, student)
        if row["reason"] == WITHDRAWN_REASON and row["student_id"] in r.decisions.withdrawn:
            continue
        if row["reason"] == WITHDRAWN_REASON and student is not None:
            yield Violation("bad_reason", row["student_id"], "reason 'withdrawn', but the student did not withdraw")
        elif row["reason"] == DECLINED_REASON:
            if row["student_id"] not in r.decisions.declining:
                yield Violation("bad_reason", row["student_id"], "reason 'declined', but nothing was declined")
        elif row["reason"] not in UNPLACED_REASONS:
            yield Violation("bad_reason", row["student_id"], f"reason {row['reason']!r} is not in the vocabulary")


def _placement_references(r: _Reading) -> Iterable[Violation]:
    """A placement names the student's school, a listed vacancy, its company, supervisor and a period."""
    known_periods = set(r.instance.period_ids)
    for row, student, vacancy in r.placed:
        sid = student.student_id
        yield from _wrong_school(row, student)
        if vacancy is None:
            yield Violation("wrong_reference", sid, f"unknown vacancy_id {row['vacancy_id']!r}")
            continue
        if row["company_id"] != vacancy.company_id:
            yield Violation("wrong_reference", sid, f"company_id {row['company_id']!r}, vacancy "
                                                    f"{vacancy.vacancy_id} belongs to {vacancy.company_id!r}")
        supervisor = vacancy.supervisor_id or default_supervisor_id(vacancy.company_id)
        # Results written before the default supervisor was named left the cell empty.
        if row["supervisor_id"] != supervisor and not (row["supervisor_id"] == "" and not vacancy.supervisor_id):
            yield Violation("wrong_reference", sid, f"supervisor_id {row['supervisor_id']!r}, vacancy "
                                                    f"{vacancy.vacancy_id} names {supervisor!r}")
        if row["period_id"] not in known_periods:
            yield Violation("unknown_period", sid, f"period {row['period_id']!r} is not a period of the instance")


def _eligibility_and_columns(r: _Reading) -> Iterable[Violation]:
    """Hard constraints 1 and 2 per placement, and the travel, wish and duo columns as recomputed."""
    equivalents = _equivalents(r.instance)
    for row, student, vacancy, minutes in r.located:
        sid = student.student_id
        # A confirmed placement was agreed outside the match: no eligibility rule applies to it.
        exempt = r.decisions.is_confirmed(sid, vacancy.vacancy_id, row["period_id"])
        failures = () if exempt else _eligibility_failures(
            student, vacancy, row["period_id"], r.instance.period_ids, equivalents[student.crebo], r.policy, minutes)
        for kind, message in failures:
            yield Violation(kind, sid, message)
        if _parse_int(row["travel_min"]) != minutes:
            yield Violation("travel_mismatch", sid, f"travel_min {row['travel_min']!r}, recomputed {minutes}")
        position = wish_position(student, vacancy)
        expected_rank = "" if position is None else str(position + 1)
        if row["wish_rank"] != expected_rank:
            yield Violation("wish_mismatch", sid, f"wish_rank {row['wish_rank']!r}, recomputed {expected_rank!r}")
        if row["duo"] not in ("true", "false"):
            yield Violation("bad_format", sid, f"duo {row['duo']!r} is not true/false")


def _vacancy_capacities(r: _Reading) -> Iterable[Violation]:
    """Hard constraints 4 and 5: places (twice as many with duo) and extra-guidance places."""
    for (vacancy_id, period_id), members in sorted(r.at_vp.items()):
        vacancy = r.vacancies[vacancy_id]
        limit = 2 * vacancy.places if vacancy.duo else vacancy.places
        if len(members) > limit:
            yield Violation("places", f"{vacancy_id}@{period_id}", f"{len(members)} students, at most {limit}")
        guided = sum(needs_extra_guidance(s, r.policy) for _, s, _ in members)
        if guided > _guidance_places(vacancy):
            yield Violation("extra_guidance_places", f"{vacancy_id}@{period_id}",
                            f"{guided} students need extra guidance, {_guidance_places(vacancy)} such places")


def _supervisor_and_company_capacities(r: _Reading) -> Iterable[Violation]:
    """Hard constraints 6 and 7: students per supervisor (with a row) and per company, per period."""
    per_supervisor: Counter[tuple[str, str]] = Counter()
    per_company: Counter[tuple[str, str]] = Counter()
    for (vacancy_id, period_id), members in r.at_vp.items():
        vacancy = r.vacancies[vacancy_id]
        if vacancy.supervisor_id in r.supervisor_capacity:
            per_supervisor[(vacancy.supervisor_id, period_id)] += len(members)
        if vacancy.company_id in r.company_capacity:
            per_company[(vacancy.company_id, period_id)] += len(members)
    for (supervisor_id, period_id), n in sorted(per_supervisor.items()):
        if n > r.supervisor_capacity[supervisor_id]:
            yield Violation("supervisor_capacity", f"{supervisor_id}@{period_id}",
                            f"{n} students, capacity {r.supervisor_capacity[supervisor_id]}")
    for (company_id, period_id), n in sorted(per_company.items()):
        if n > r.company_capacity[company_id]:
            yield Violation("company_capacity", f"{company_id}@{period_id}",
                            f"{n} students, max_students {r.company_capacity[company_id]}")


def _duo_labels(r: _Reading) -> Iterable[Violation]:
    """docs/model.md's duo rule: by student_id, the last 2(n - places) students share a place."""
    for (vacancy_id, period_id), members in sorted(r.at_vp.items()):
        vacancy = r.vacancies[vacancy_id]
        n = len(members)
        sharing = min(n, 2 * max(0, n - vacancy.places)) if vacancy.duo else 0
        if [row["duo"] for row, _, _ in members] != ["false"] * (n - sharing) + ["true"] * sharing:
            yield Violation("duo_label", f"{vacancy_id}@{period_id}",
                            f"expected the last {sharing} of {n} students (by student_id) to be duo")


def _costs(r: _Reading) -> Iterable[Violation]:
    """The cost column of each placement as recomputed."""
    for row, cost in r.costs:
        if _parse_int(row["cost"]) != cost:
            yield Violation("cost_mismatch", row["student_id"], f"cost {row['cost']!r}, recomputed {cost}")


def _confirmed(r: _Reading) -> Iterable[Violation]:
    """Hard constraint 8: each confirmed placement is in placements.csv unchanged, marked
    ``confirmed=true``; no other row is marked so."""
    if not r.instance.decisions:
        return
    rows: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in r.placements:
        rows[row["student_id"]].append(row)
        if row[CONFIRMED_COLUMN] not in ("true", "false"):
            yield Violation("bad_format", row["student_id"],
                            f"{CONFIRMED_COLUMN} {row[CONFIRMED_COLUMN]!r} is not true/false")
    for student_id, (vacancy_id, period_id) in sorted(r.decisions.confirmed.items()):
        mine = rows.get(student_id, [])
        if not any(row["vacancy_id"] == vacancy_id and row["period_id"] == period_id for row in mine):
            where = ", ".join(f"{row['vacancy_id']}@{row['period_id']}" for row in mine) or "not placed"
            yield Violation("confirmed_moved", student_id,
                            f"confirmed at {vacancy_id}@{period_id}, the result has {where}")
        elif any(row[CONFIRMED_COLUMN] != "true" for row in mine):
            yield Violation("confirmed_moved", student_id,
                            f"confirmed at {vacancy_id}@{period_id}, but its row is not marked confirmed=true")
    for student_id, mine in sorted(rows.items()):
        if student_id not in r.decisions.confirmed and any(row[CONFIRMED_COLUMN] == "true" for row in mine):
            yield Violation("confirmed_moved", student_id, "marked confirmed=true, but no placement of the "
                                                           "student was confirmed")


def _declined(r: _Reading) -> Iterable[Violation]:
    """Hard constraint 9: no declined (student, vacancy) or (student, company) pair is proposed."""
    for row, student, vacancy in r.placed:
        sid = student.student_id
        if (vacancy is not None and r.decisions.is_declined(sid, vacancy)
                and not r.decisions.is_confirmed(sid, vacancy.vacancy_id, row["period_id"])):
            yield Violation("declined_proposed", sid,
                            f"placed at {vacancy.vacancy_id} (company {vacancy.company_id}), which was declined")


def _withdrawn(r: _Reading) -> Iterable[Violation]:
    """Hard constraint 10: a withdrawn student is not placed, and is listed unplaced as ``withdrawn``."""
    for row in r.placements:
        if row["student_id"] in r.decisions.withdrawn:
            yield Violation("withdrawn_placed", row["student_id"],
                            f"withdrew, but is placed at {row['vacancy_id']}@{row['period_id']}")
    for row in r.unplaced:
        if row["student_id"] in r.decisions.withdrawn and row["reason"] != WITHDRAWN_REASON:
            yield Violation("withdrawn_placed", row["student_id"],
                            f"withdrew, but is listed unplaced as {row['reason']!r}, not {WITHDRAWN_REASON!r}")


CHANGE_COLUMNS = ("student_id", "change", "previous_vacancy_id", "previous_period_id", "vacancy_id", "period_id")


def _changes(r: _Reading) -> Iterable[Violation]:
    """With a previous round: changes.csv lists every student of the input or of the previous round once,
    with the previous placement, the new one (as placements.csv has it) and the change they make
    (docs/model.md, "Rounds": kept, moved, lost, new, unplaced)."""
    if not r.instance.previous:
        return
    found: list[Violation] = []
    rows = _read_csv(r.result_dir / "changes.csv", CHANGE_COLUMNS, found)
    yield from found
    before = {p.student_id: (p.vacancy_id, p.period_id) for p in r.instance.previous}
    now = {row["student_id"]: (row["vacancy_id"], row["period_id"]) for row in r.placements}
    listed = Counter(row["student_id"] for row in rows)
    for student_id in sorted((set(r.students) | set(before)) - set(listed)):
        yield Violation("changes_mismatch", student_id, "missing from changes.csv")
    for student_id, n in sorted(listed.items()):
        if n > 1:
            yield Violation("changes_mismatch", student_id, f"listed {n} times in changes.csv")
    for row in rows:
        sid = row["student_id"]
        previous, current = before.get(sid), now.get(sid)
        expected = ("kept" if previous is not None and previous == current else
                    "moved" if previous is not None and current is not None else
                    "lost" if previous is not None else "new" if current is not None else "unplaced")
        shown = ((row["previous_vacancy_id"], row["previous_period_id"]), (row["vacancy_id"], row["period_id"]))
        if shown != (previous or ("", ""), current or ("", "")) or row["change"] != expected:
            yield Violation("changes_mismatch", sid, f"changes.csv says {row['change']} {shown}, the previous "
                                                     f"round and placements.csv make it {expected}")


def _weighted_placed(r: _Reading) -> int:
    return sum({student.student_id: student_weight(student, r.policy) for _, student, _ in r.placed}.values())


def _secondary_cost(r: _Reading) -> int:
    return sum(cost for _, cost in r.costs)


def _objective(r: _Reading) -> Iterable[Violation]:
    """summary.json's objective parts as recomputed from the placements."""
    if r.claimed is None:
        return
    for part, value in (("weighted_placed", _weighted_placed(r)), ("secondary_cost", _secondary_cost(r))):
        if r.claimed[part] != value:
            yield Violation("objective_mismatch", part, f"summary.json says {r.claimed[part]!r}, recomputed {value}")


# Every rule the checker applies, each on its own: a new rule is one more function here.
RULES = (_each_student_once, _unplaced_rows, _placement_references, _eligibility_and_columns,
         _vacancy_capacities, _supervisor_and_company_capacities, _duo_labels, _costs, _objective,
         _confirmed, _declined, _withdrawn, _changes)


def check_result(instance: Instance, result_dir: str | Path, policy: Policy) -> CheckReport:
    """Check a result folder against ``instance`` and ``policy``.

    Applies each of :data:`RULES` to the result folder as read, independently
    of the engine, and collects every violation.

    Parameters
    ----------
    instance
        The instance that was solved.
    result_dir
        Folder with ``placements.csv``, ``unplaced.csv`` and ``summary.json``.
    policy
        The policy the result claims to follow.

    Returns
    -------
    CheckReport
        Every violation found (empty when the result is valid), the row
        counts and the recomputed objective parts.
    """
    found: list[Violation] = []  # the files' format problems, found while reading
    reading = _Reading(instance, Path(result_dir), policy, found)
    for rule in RULES:
        found.extend(rule(reading))
    return CheckReport(
        violations=tuple(sorted(found, key=lambda v: (v.kind, v.subject, v.message))),
        n_placed=len(reading.placements),
        n_unplaced=len(reading.unplaced),
        weighted_placed=_weighted_placed(reading),
        secondary_cost=_secondary_cost(reading),
    )


def format_report(report: CheckReport, max_lines: int = _MAX_LISTED) -> str:
    """Render ``report`` as text: a verdict line, then one line per violation.

    At most ``max_lines`` violations are listed, then ``... and N more``.
    """
    head = (f"{report.n_placed} placed, {report.n_unplaced} unplaced; "
            f"weighted_placed {report.weighted_placed}, secondary_cost {report.secondary_cost}")
    if report.ok:
        return f"OK: {head}\n"
    counts = Counter(v.kind for v in report.violations)
    by_kind = ", ".join(f"{kind} {n}" for kind, n in sorted(counts.items()))
    lines = [f"INVALID: {len(report.violations)} violations ({by_kind}); {head}"]
    lines += [f"  {v.kind:<22} {v.subject}: {v.message}"
              for v in report.violations[:max_lines]]
    if len(report.violations) > max_lines:
        lines.append(f"  ... and {len(report.violations) - max_lines} more")
    return "\n".join(lines) + "\n"
