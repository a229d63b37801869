"""The entities of a placement instance, as SPEC.md defines them.

Every model is frozen and forbids extra fields. Validation here is per record
(types, ranges, Dutch coordinates) plus the cross-references that
:class:`Instance` resolves; file, row and column are added by the readers in
``matcher.io``.

A validator may receive ``context={"known_pc4": set_of_codes}`` to check that a
postcode area exists; without it only the 4-digit shape is checked.
"""

from __future__ import annotations

import hashlib
from datetime import date
from enum import StrEnum
from typing import Annotated, NamedTuple

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    TypeAdapter,
    ValidationInfo,
    field_validator,
    model_validator,
)

# The Netherlands (European part) with a small margin: a point outside is a
# typing error, and one inside this box after swapping is a swapped pair.
NL_LAT = (50.70, 53.60)
NL_LON = (3.30, 7.30)

Id = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
Crebo = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^\d{5}$")]
PC4 = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[1-9]\d{3}$")]
RegionCode = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^AM\d{2}$")]


class Pathway(StrEnum):
    """BOL: school-based, with an internship (stage); BBL: work-based (leerbaan)."""

    BOL = "BOL"
    BBL = "BBL"


class TravelMode(StrEnum):
    """How a student travels to the workplace."""

    bike = "bike"
    public_transport = "public_transport"
    car = "car"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class _Located(_Frozen):
    """A place given as a PC4 postcode area, as WGS84 coordinates, or both."""

    pc4: PC4 | None = None
    lat: float | None = None
    lon: float | None = None

    @field_validator("pc4", mode="after")
    @classmethod
    def _pc4_exists(cls, value: str | None, info: ValidationInfo) -> str | None:
        known = (info.context or {}).get("known_pc4")
        if value is not None and known is not None and value not in known:
            raise ValueError(f"postcode area {value} does not exist")
        return value

    @model_validator(mode="after")
    def _has_location(self):
        if (self.lat is None) != (self.lon is None):
            raise ValueError("give both lat and lon, or neither")
        if self.lat is None and self.pc4 is None:
            raise ValueError("a location is required: pc4, or lat and lon")
        if self.lat is not None:
            lat_ok = NL_LAT[0] <= self.lat <= NL_LAT[1]
            lon_ok = NL_LON[0] <= self.lon <= NL_LON[1]
            if not (lat_ok and lon_ok):
                swapped = NL_LAT[0] <= self.lon <= NL_LAT[1] and NL_LON[0] <= self.lat <= NL_LON[1]
                hint = " (lat and lon look swapped)" if swapped else ""
                raise ValueError(
                    f"coordinates ({self.lat}, {self.lon}) lie outside the Netherlands{hint}"
                )
        return self


class Student(_Located):
    """A student looking for a place. Pseudonymous: no name, no protected data."""

    student_id: Id
    school_id: Id
    crebo: Crebo
    level: int = Field(ge=1, le=4)
    pathway: Pathway
    year: int = Field(default=1, ge=1, le=4)
    mode: TravelMode | None = None
    max_travel_min: int | None = Field(default=None, gt=0, le=600)
    periods: tuple[Id, ...] = ()
    extra_guidance: bool | None = None
    preferences: tuple[Id, ...] = ()
    needs_accessible: bool = False

    @field_validator("periods", "preferences", mode="after")
    @classmethod
    def _no_repeats(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if len(set(value)) != len(value):
            raise ValueError("a list may name each entry only once")
        return value


class Vacancy(_Located):
    """One offer of a recognised company: places per period for some crebos."""

    vacancy_id: Id
    company_id: Id
    supervisor_id: Id | None = None
    crebos: tuple[Crebo, ...] = Field(min_length=1)
    pathways: tuple[Pathway, ...] = Field(min_length=1)
    places: int = Field(ge=0, le=10_000)
    periods: tuple[Id, ...] = ()
    min_level: int = Field(default=1, ge=1, le=4)
    max_level: int = Field(default=4, ge=1, le=4)
    extra_guidance_places: int | None = Field(default=None, ge=0)
    duo: bool = False
    accessible: bool = False

    @field_validator("crebos", "pathways", "periods", mode="after")
    @classmethod
    def _sorted_unique(cls, value: tuple) -> tuple:
        # Canonical order keeps outputs independent of how a cell was written.
        return tuple(sorted(set(value)))

    @model_validator(mode="after")
    def _levels_ordered(self):
        if self.min_level > self.max_level:
            raise ValueError(f"min_level {self.min_level} exceeds max_level {self.max_level}")
        return self


class Supervisor(_Frozen):
    """A workplace trainer (praktijkopleider): guides ``capacity`` students per period."""

    supervisor_id: Id
    company_id: Id
    capacity: int = Field(ge=0, le=1_000)


class Company(_Frozen):
    """A recognised company location. ``max_students`` is its room per period."""

    company_id: Id
    name: str | None = None
    sector: str | None = None
    region: RegionCode | None = None
    max_students: int | None = Field(default=None, ge=0)


class Period(_Frozen):
    """A block of the school year (BPV-periode)."""

    period_id: Id
    start: date | None = None
    end: date | None = None

    @model_validator(mode="after")
    def _ordered(self):
        if self.start and self.end and self.start > self.end:
            raise ValueError(f"period {self.period_id} ends before it starts")
        return self


class Equivalence(_Frozen):
    """A student of ``crebo`` may be placed on a vacancy recognised for ``equivalent_crebo``."""

    crebo: Crebo
    equivalent_crebo: Crebo


class TravelTime(_Frozen):
    """A known travel time; origin is a student_id or PC4, destination a vacancy_id or PC4."""

    origin: Id
    destination: Id
    minutes: int = Field(ge=0, le=1_440)


class DecisionKind(StrEnum):
    """What happened to a proposal between two rounds (SPEC v2, Rounds)."""

    CONFIRMED = "confirmed"
    DECLINED_BY_STUDENT = "declined_by_student"
    DECLINED_BY_COMPANY = "declined_by_company"
    WITHDRAWN = "withdrawn"


class Decision(_Frozen):
    """A row of ``decisions.csv``.

    ``confirmed`` names the vacancy and (with more than one period) the period;
    a decline names a vacancy, or a company (``declined_by_company``: this
    company declines this student, at all its vacancies) and applies in every
    period; ``withdrawn`` names the student only.
    """

    student_id: Id
    vacancy_id: Id | None = None
    company_id: Id | None = None
    period_id: Id | None = None
    decision: DecisionKind
    decided_on: date | None = None  # the file's column ``date``

    @model_validator(mode="after")
    def _names_what_it_decides(self):
        if self.vacancy_id is not None and self.company_id is not None:
            raise ValueError("give vacancy_id or company_id, not both")
        if self.decision == DecisionKind.CONFIRMED and self.vacancy_id is None:
            raise ValueError("a confirmed placement names its vacancy_id")
        if self.decision in (DecisionKind.DECLINED_BY_STUDENT, DecisionKind.DECLINED_BY_COMPANY) and (
                self.vacancy_id is None and self.company_id is None):
            raise ValueError("a decline names the vacancy_id (or the company_id) declined")
        if self.decision == DecisionKind.WITHDRAWN and (self.vacancy_id or self.company_id):
            raise ValueError("a withdrawn student names no vacancy or company")
        return self


class PreviousPlacement(_Frozen):
    """A placement of an earlier round's result (``--previous``): whom it placed where, and when.

    Its ids need not exist any more: a vacancy may be gone, a student may have
    left the input. The match then cannot keep it, and ``changes.csv`` says so.
    """

    student_id: Id
    vacancy_id: Id
    period_id: Id


DEFAULT_PERIOD = "year"


def default_supervisor_id(company_id: str) -> str:
    """The name of a company's default supervisor (SPEC: one per company), as results show it.

    A vacancy without a ``supervisor_id`` is guided by it; it limits nothing.
    """
    return f"default:{company_id}"


class Instance(_Frozen):
    """A complete, cross-checked instance.

    Without periods there is one period, ``year``. Supervisors without a row and
    companies without ``max_students`` limit nothing.
    """

    name: str = "instance"
    students: tuple[Student, ...]
    vacancies: tuple[Vacancy, ...]
    supervisors: tuple[Supervisor, ...] = ()
    companies: tuple[Company, ...] = ()
    periods: tuple[Period, ...] = ()
    equivalences: tuple[Equivalence, ...] = ()
    travel_times: tuple[TravelTime, ...] = ()
    decisions: tuple[Decision, ...] = ()
    previous: tuple[PreviousPlacement, ...] = ()  # an earlier round's placements (not a file of the folder)

    @property
    def period_ids(self) -> tuple[str, ...]:
        """Period ids in file order, or ``("year",)`` when no periods are given."""
        return tuple(p.period_id for p in self.periods) or (DEFAULT_PERIOD,)

    @model_validator(mode="after")
    def _references_resolve(self):
        problems = cross_reference_problems(self)
        if problems:
            raise ValueError("; ".join(str(p) for p in problems[:10]))
        return self


class ReferenceProblem(NamedTuple):
    """A broken id or reference: which table, which record (0-based), which column."""

    table: str
    index: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"{self.table}[{self.index}].{self.column}: {self.message}"


def _is_pc4(code: str) -> bool:
    return len(code) == 4 and code.isdigit() and code[0] != "0"


def cross_reference_problems(instance: Instance) -> list[ReferenceProblem]:
    """Return every duplicate id and unresolved reference of ``instance`` (empty if none)."""
    problems: list[ReferenceProblem] = []
    add = lambda *args: problems.append(ReferenceProblem(*args))  # noqa: E731

    def unique(table: str, column: str, ids: list[str]) -> set[str]:
        seen: set[str] = set()
        for index, i in enumerate(ids):
            if i in seen:
                add(table, index, column, f"duplicate {column} {i!r}")
            seen.add(i)
        return seen

    student_ids = unique("students", "student_id", [s.student_id for s in instance.students])
    vacancy_ids = unique("vacancies", "vacancy_id", [v.vacancy_id for v in instance.vacancies])
    company_ids = unique("companies", "company_id", [c.company_id for c in instance.companies])
    unique("supervisors", "supervisor_id", [s.supervisor_id for s in instance.supervisors])
    supervisors = {s.supervisor_id: s for s in instance.supervisors}
    period_ids = unique("periods", "period_id", [p.period_id for p in instance.periods])
    period_ids = period_ids or {DEFAULT_PERIOD}

    dated = sorted(
        (i for i, p in enumerate(instance.periods) if p.start and p.end),
        key=lambda i: instance.periods[i].start,
    )
    for a, b in zip(dated, dated[1:]):
        pa, pb = instance.periods[a], instance.periods[b]
        if pb.start <= pa.end:
            add("periods", b, "start", f"period {pb.period_id!r} overlaps {pa.period_id!r}")

    if instance.companies:
        for index, s in enumerate(instance.supervisors):
            if s.company_id not in company_ids:
                add("supervisors", index, "company_id", f"unknown company_id {s.company_id!r}")
    for index, v in enumerate(instance.vacancies):
        if instance.companies and v.company_id not in company_ids:
            add("vacancies", index, "company_id", f"unknown company_id {v.company_id!r}")
        sup = supervisors.get(v.supervisor_id) if v.supervisor_id else None
        if sup is not None and sup.company_id != v.company_id:
            add(
                "vacancies", index, "supervisor_id",
                f"supervisor {v.supervisor_id!r} belongs to company {sup.company_id!r}, "
                f"not to {v.company_id!r}",
            )
        for p in v.periods:
            if p not in period_ids:
                add("vacancies", index, "periods", f"unknown period {p!r}")
    wishable = vacancy_ids | company_ids | {v.company_id for v in instance.vacancies}
    for index, s in enumerate(instance.students):
        for p in s.periods:
            if p not in period_ids:
                add("students", index, "periods", f"unknown period {p!r}")
        for w in s.preferences:
            if w not in wishable:
                add("students", index, "preferences", f"{w!r} names no vacancy or company")
    # Two rows for one (origin, destination) are ambiguous: a lookup would keep
    # one of them, and the engine and the independent checker need not keep the same.
    pairs: set[tuple[str, str]] = set()
    for index, t in enumerate(instance.travel_times):
        if (t.origin, t.destination) in pairs:
            add(
                "travel_times", index, "origin",
                f"ambiguous: a second travel time from {t.origin!r} to {t.destination!r}",
            )
        pairs.add((t.origin, t.destination))
        if t.origin not in student_ids and not _is_pc4(t.origin):
            add("travel_times", index, "origin", f"{t.origin!r} is neither a student_id nor a PC4")
        if t.destination not in vacancy_ids and not _is_pc4(t.destination):
            add(
                "travel_times", index, "destination",
                f"{t.destination!r} is neither a vacancy_id nor a PC4",
            )
    _decision_problems(instance, student_ids, vacancy_ids, company_ids | {v.company_id for v in instance.vacancies},
                       period_ids, add)
    return problems


def _decision_problems(instance: Instance, student_ids: set[str], vacancy_ids: set[str], company_ids: set[str],
                       period_ids: set[str], add) -> None:
    """Unknown ids in ``decisions.csv``, and decisions that contradict each other."""
    confirmed: dict[str, int] = {}
    withdrawn: dict[str, int] = {}
    declined: set[tuple[str, str]] = set()
    for index, d in enumerate(instance.decisions):
        if d.student_id not in student_ids:
            add("decisions", index, "student_id", f"unknown student_id {d.student_id!r}")
        if d.vacancy_id is not None and d.vacancy_id not in vacancy_ids:
            add("decisions", index, "vacancy_id", f"unknown vacancy_id {d.vacancy_id!r}")
        if d.company_id is not None and d.company_id not in company_ids:
            add("decisions", index, "company_id", f"unknown company_id {d.company_id!r}")
        if d.period_id is not None and d.period_id not in period_ids:
            add("decisions", index, "period_id", f"unknown period {d.period_id!r}")
        if d.decision == DecisionKind.CONFIRMED:
            if d.period_id is None and len(period_ids) > 1:
                add("decisions", index, "period_id", "a confirmed placement names its period")
            if d.student_id in confirmed:
                add("decisions", index, "student_id",
                    f"student {d.student_id!r} is confirmed twice (rows {confirmed[d.student_id] + 2} and "
                    f"{index + 2}); keep one")
            confirmed.setdefault(d.student_id, index)
        elif d.decision == DecisionKind.WITHDRAWN:
            withdrawn.setdefault(d.student_id, index)
        else:
            declined.add((d.student_id, d.vacancy_id or d.company_id))
    for student, index in withdrawn.items():
        if student in confirmed:
            add("decisions", index, "decision",
                f"student {student!r} is both confirmed (row {confirmed[student] + 2}) and withdrawn; keep one")
    vacancy_company = {v.vacancy_id: v.company_id for v in instance.vacancies}
    for student, index in confirmed.items():
        d = instance.decisions[index]
        if (student, d.vacancy_id) in declined or (student, vacancy_company.get(d.vacancy_id)) in declined:
            add("decisions", index, "vacancy_id",
                f"student {student!r} is confirmed at {d.vacancy_id!r}, which is also declined; keep one")


def input_hash(instance: Instance) -> str:
    """SHA-256 of the instance in canonical order (independent of input row order)."""
    tables = {
        "students": sorted(instance.students, key=lambda s: s.student_id),
        "vacancies": sorted(instance.vacancies, key=lambda v: v.vacancy_id),
        "supervisors": sorted(instance.supervisors, key=lambda s: s.supervisor_id),
        "companies": sorted(instance.companies, key=lambda c: c.company_id),
        "periods": sorted(instance.periods, key=lambda p: p.period_id),
        "equivalences": sorted(instance.equivalences, key=lambda e: (e.crebo, e.equivalent_crebo)),
        "travel_times": sorted(instance.travel_times, key=lambda t: (t.origin, t.destination)),
    }
    if instance.decisions:  # only then: the hash of an instance without decisions is as it always was
        tables["decisions"] = sorted(instance.decisions, key=lambda d: d.model_dump_json())
    if instance.previous:  # likewise
        tables["previous"] = sorted(instance.previous, key=lambda p: p.student_id)
    digest = hashlib.sha256()
    for name, rows in tables.items():
        digest.update(name.encode())
        if rows:
            # One serialiser call per table: the rows' JSON in canonical order.
            digest.update(TypeAdapter(list[type(rows[0])]).dump_json(rows))
    return "sha256:" + digest.hexdigest()
