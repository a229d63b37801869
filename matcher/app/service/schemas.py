"""The service's request and response bodies (what ``/openapi.json`` documents)."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from models import KeepPrevious

Name = Annotated[str, Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9][A-Za-z0-9 ._-]*$")]
Id = Annotated[str, Field(min_length=1, max_length=200)]
# SQLite gives back times without their zone; every time the service keeps is UTC.
Time = Annotated[datetime, AfterValidator(lambda t: t if t.tzinfo else t.replace(tzinfo=timezone.utc))]
Region = Annotated[str, Field(pattern=r"^AM\d{2}$")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class MatchOptions(_Strict):
    remedies: bool = False
    region: Region | None = None
    certify: bool | None = None
    previous_job: Annotated[Id | None, Field(description=(
        "a finished match job: its placements stand (keep_previous), and the decisions posted to it apply"))] = None
    keep_previous: KeepPrevious | None = None


class AdviseOptions(_Strict):
    match_job: Id
    verify: Annotated[int, Field(ge=0, le=1000)] = 20


class SuggestOptions(_Strict):
    school: Id
    student: Id | None = None
    k: Annotated[int, Field(ge=1, le=50)] = 5
    region: Region | None = None


class ReportOptions(_Strict):
    match_job: Id
    lang: Literal["nl", "en"] = "nl"


class CalendarOptions(_Strict):
    max_moves: Annotated[int, Field(ge=0, le=10_000)] | None = 10
    region: Region | None = None


class SimulateOptions(_Strict):
    scenarios: Annotated[str, Field(min_length=1, max_length=200_000, description="the scenario file (TOML)")]
    runs: Annotated[int, Field(ge=1, le=1000)] = 50
    lang: Literal["nl", "en"] = "nl"


OPTIONS = {"match": MatchOptions, "advise": AdviseOptions, "suggest": SuggestOptions, "report": ReportOptions,
           "calendar": CalendarOptions, "simulate": SimulateOptions}
JobKind = Literal["match", "advise", "suggest", "report", "calendar", "simulate"]


class JobRequest(_Strict):
    """A job to run on a dataset; ``options`` as for the command of the same name."""

    kind: JobKind
    dataset: Annotated[int, Field(ge=1, lt=2**31)]
    options: dict = Field(default_factory=dict)


class GrantRequest(_Strict):
    organisation: Name


class Problem(BaseModel):
    """Why a request was refused, in plain words; where, for a file of a dataset."""

    detail: str
    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None


# FastAPI's answer, before the route runs, to a JSON body that is not UTF-8 text (invalid JSON is a 422).
UNREADABLE_BODY = {400: {"model": Problem, "description": "the body cannot be read: it is not UTF-8 text"}}


def refusals(*codes: int) -> dict[int, dict]:
    """The ``responses`` entries of routes that refuse with these status codes, each a :class:`Problem`."""
    return {code: {"model": Problem} for code in codes}


class Me(BaseModel):
    organisation: str
    kind: Literal["adviser", "school", "planner"]
    regions: list[str]
    school_ids: list[str]


class DatasetOut(BaseModel):
    id: int
    name: str
    version: int
    region: str
    created: Time
    content_hash: str | None = None
    input_hash: str | None = None
    files: list[str] | None = None
    warnings: list[str] | None = None
    ignored: list[str] | None = None
    students: int | None = Field(None, description="for a school: its own students only")
    vacancies: int | None = None


class ProgressOut(BaseModel):
    stage: str | None
    fraction: float = Field(ge=0, le=1)
    stage_done: int
    stage_total: int
    seconds_left: float | None = Field(None, description="an estimate, from the fraction done so far")


class JobOut(BaseModel):
    id: str
    kind: JobKind
    dataset: int
    state: Literal["queued", "running", "done", "failed", "cancelled", "interrupted"]
    options: dict
    created: Time
    started: Time | None = None
    finished: Time | None = None
    error: str | None = None
    progress: ProgressOut | None = None
    files: list[str] = []


# What a school may answer to a proposal for one of its students (models.DecisionKind's words).
AnswerKind = Literal["confirmed", "declined_by_student", "declined_by_company"]


class AnswerIn(_Strict):
    decision: AnswerKind


class AnswerOut(BaseModel):
    """A school's answer to a proposal: the vacancy proposed and, when confirmed, its period."""

    student_id: str
    decision: AnswerKind
    vacancy_id: str
    period_id: str | None = None
    at: Time


class StudentOut(BaseModel):
    """One student in a match: the place, or why none and what would help."""

    student_id: str
    school_id: str
    placed: bool
    placement: dict[str, str] | None = None
    reason: str | None = None
    detail: str | None = None
    remedy: str | None = None
    remedy_detail: str | None = None
