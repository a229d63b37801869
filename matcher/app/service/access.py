"""Who may do what: tokens, callers, and each role's view of datasets, jobs and files.

SPEC's "Who sees what": an adviser office sees everything of its regions'
datasets and runs; a school sees its own students only (placements, reasons,
remedies, shortlists), never another student's id nor a count that reveals
one; a planner runs calendars and scenarios on datasets an adviser office
gave it and reads aggregates only, small counts suppressed.

Whatever a caller may not see does not exist for it: the same ``404`` and the
same message as for an id that exists nowhere, after the same lookups, so
neither the answer nor its timing tells the two apart.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from matcher.app.service.database import Dataset, Job, Organisation
from matcher.io.matched import SOURCE_FILE

TOKEN_PREFIX = "sm_"

# The jobs each role may start, and the files of each kind of job it may read.
JOB_KINDS = ("match", "advise", "suggest", "report", "calendar", "simulate")
MAY_START = {"adviser": set(JOB_KINDS), "school": {"suggest"}, "planner": {"calendar", "simulate"}}
SCHOOL_FILES = {"match": ("placements.csv", "unplaced.csv", "changes.csv"), "suggest": ("shortlists.csv",)}
PLANNER_FILES = {"calendar": ("calendar.csv", "summary.json"),
                 # Not diff.csv: it lists students (public.py hides the small counts of the others).
                 "simulate": ("summary.json", "scenarios.csv", "shortages.csv", "season.csv", "demand_capacity.png",
                              "shortage_by_period.png", "summary.html")}


def new_token() -> str:
    """A new random bearer token (256 bits)."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """What is stored of a token: its SHA-256 (a random 256-bit token needs no slow hash)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Caller:
    """The organisation a request comes from, and the token it used."""

    organisation_id: int
    name: str
    kind: str
    regions: frozenset[str]
    school_ids: frozenset[str]
    token_id: int

    @classmethod
    def of(cls, organisation: Organisation, token_id: int) -> "Caller":
        return cls(organisation.id, organisation.name, organisation.kind, frozenset(organisation.regions),
                   frozenset(organisation.school_ids), token_id)


def sees_dataset(caller: Caller, dataset: Dataset, granted: bool) -> bool:
    """Whether ``caller`` may see ``dataset`` at all (``granted``: given to the caller's planner office)."""
    if caller.kind == "adviser":
        return dataset.region in caller.regions
    if caller.kind == "school":
        return not caller.school_ids.isdisjoint(dataset.school_ids)
    return granted


def sees_job(caller: Caller, job: Job, dataset: Dataset, granted: bool) -> bool:
    """Whether ``caller`` may see ``job`` (on ``dataset``)."""
    if caller.kind == "adviser":
        return dataset.region in caller.regions
    if caller.kind == "school":
        own = job.organisation_id == caller.organisation_id
        # An adviser's finished match only: a running or failed one tells a school nothing of its own.
        return own or (job.kind == "match" and job.state == "done" and sees_dataset(caller, dataset, granted))
    return job.organisation_id == caller.organisation_id and granted


def readable_files(caller: Caller, job: Job) -> list[str]:
    """The result files of ``job`` that ``caller`` may read (a school's and a planner's are filtered).

    ``instance.json`` is nobody's: it says where the server keeps the dataset.
    """
    if caller.kind == "adviser":
        return [name for name in job.files if name != SOURCE_FILE]
    allowed = (SCHOOL_FILES if caller.kind == "school" else PLANNER_FILES).get(job.kind, ())
    return [name for name in job.files if name in allowed]
