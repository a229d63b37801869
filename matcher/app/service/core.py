"""The service's work, without HTTP: datasets, jobs, what each caller sees, and the audit log.

The routers (:mod:`matcher.app.service.routers`) only translate requests to
these methods and their :class:`Refused` to status codes; the admin commands
call the same methods. Jobs run through :mod:`matcher.app.service.runner` and
the pipelines layer, never in a request.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import time
import uuid
from dataclasses import dataclass
from datetime import timezone
from functools import lru_cache
from pathlib import Path
from typing import Any, get_args

import pandas as pd
from pydantic import ValidationError
from sqlalchemy import select, update

from matcher.app.service import access, public
from matcher.app.service.access import Caller
from matcher.app.service.database import (
    FINISHED_STATES,
    ORGANISATION_KINDS,
    Answer,
    AuditEntry,
    Dataset,
    Grant,
    Job,
    Organisation,
    Token,
    make_engine,
    now,
    sessions,
)
from matcher.app.service.migrations import upgrade_database
from matcher.app.service.runner import DaskExecutor, LocalExecutor, Runner
from matcher.app.service.schemas import OPTIONS, AnswerKind
from matcher.app.service.store import (
    DECISIONS_NEXT,
    DECISIONS_USED,
    ERROR_FILE,
    PROGRESS_FILE,
    Store,
    content_hash,
    read_json,
)
from matcher.app.service.uploads import UploadLimits, UploadRefused, unpack_upload
from matcher.app.service.worker import CANCELLED, DONE, INTERRUPTED, STAGES
from matcher.engine.parallel import usable_cores
from matcher.errors import InputError, ModelError
from matcher.io.folders import write_file
from matcher.io.safe_cells import restore_frame
from models import input_hash
from models.input_report import located

log = logging.getLogger("stagematch.service")

NOT_FOUND = "not found, or not yours to see"
ANSWERS = get_args(AnswerKind)


class Refused(Exception):
    """A request refused: the HTTP status, the message, and where (for a dataset's file)."""

    def __init__(self, status: int, detail: str, **where: Any) -> None:
        super().__init__(detail)
        self.status, self.detail, self.where = status, detail, where


def _not_found(what: str) -> Refused:
    return Refused(404, f"{what} {NOT_FOUND}")


@dataclass(frozen=True)
class Settings:
    """How a service runs: its database, its store, and where its jobs run."""

    database: str | None = None
    store: Path | None = None
    executor: str = "local"
    workers: int = 1
    dask_address: str | None = None
    limits: UploadLimits = UploadLimits()


def default_store(database_url: str) -> Path:
    """The store beside a SQLite file (``stagematch-service/store``), else ``./stagematch-store``."""
    from sqlalchemy.engine import make_url

    from matcher.app.service.database import database_url as full_url

    parsed = make_url(full_url(database_url))
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        return Path(parsed.database).resolve().parent / "store"
    return Path("stagematch-store").resolve()


@lru_cache(maxsize=8)
def _result_rows(folder: str, name: str) -> dict[str, dict[str, str]]:
    """Rows of a finished match's placements or unplaced file, by student id (a result never changes)."""
    frame = restore_frame(pd.read_csv(Path(folder) / name, dtype=str, keep_default_na=False))
    return dict(zip(frame["student_id"], frame.to_dict("records")))


class Service:
    """One service: a database, a store and a runner (start with :meth:`open`, end with :meth:`close`)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.engine = make_engine(settings.database)
        self.session = sessions(self.engine)
        upgrade_database(self.engine)
        self.store = Store(settings.store or default_store(settings.database))
        self.server = uuid.uuid4().hex
        self.runner: Runner | None = None
        # The cores shared by the jobs that run at once; a Dask worker's process may start none of its own.
        self.engine_processes = 1 if settings.executor == "dask" else max(1, usable_cores() // settings.workers)

    # ------------------------------------------------------------------ life

    def open(self) -> "Service":
        """Mark what an earlier server left running as interrupted, and start taking jobs."""
        self.store.clean_incoming()
        self._interrupt_unfinished()
        self.store.clean_jobs()
        if self.settings.executor == "dask":
            executor = DaskExecutor(self.settings.workers, self.settings.dask_address)
        elif self.settings.executor == "local":
            executor = LocalExecutor()
        else:
            raise InputError(f"unknown executor {self.settings.executor!r}; use local or dask", column="--executor")
        self.runner = Runner(executor, self.settings.workers, self._job_started, self._job_ended)
        return self

    def close(self) -> None:
        if self.runner is not None:
            self.runner.close()
            self.runner = None
        self._interrupt_unfinished()
        self.engine.dispose()

    def _interrupt_unfinished(self) -> None:
        with self.session.begin() as db:
            db.execute(update(Job).where(Job.state.in_(("queued", "running")))
                       .values(state="interrupted", finished=now(),
                               error="the server stopped before the job finished; submit it again"))

    # ------------------------------------------------------------------ organisations and tokens

    def create_organisation(self, name: str, kind: str, regions: list[str] = (),
                            school_ids: list[str] = ()) -> Organisation:
        """Add an adviser office (with ``regions``), a school (with ``school_ids``) or a planner office."""
        if kind not in ORGANISATION_KINDS:
            raise InputError(f"unknown kind {kind!r}; use {', '.join(ORGANISATION_KINDS)}", column="--kind")
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9 ._-]{0,99}", name):
            raise InputError("a name has letters, digits, spaces and . _ - only (at most 100)", column="NAME")
        if kind == "adviser" and not regions:
            raise InputError("an adviser office serves at least one region: give --regions AM13,...",
                             column="--regions")
        if kind == "school" and not school_ids:
            raise InputError("a school has at least one school id: give --schools ID,...", column="--schools")
        bad = [r for r in regions if not re.fullmatch(r"AM\d{2}", r)]
        if bad:
            raise InputError(f"{bad[0]!r} is not a labour-market region (AM01 ... AM35)", column="--regions")
        with self.session.begin() as db:
            if db.scalar(select(Organisation).where(Organisation.name == name)) is not None:
                raise InputError(f"an organisation named {name!r} exists already", column="NAME")
            organisation = Organisation(name=name, kind=kind, regions=sorted(set(regions)),
                                        school_ids=sorted(set(school_ids)) if kind == "school" else [])
            db.add(organisation)
        return organisation

    def organisations(self) -> list[Organisation]:
        with self.session() as db:
            return list(db.scalars(select(Organisation).order_by(Organisation.name)))

    def create_token(self, organisation: str, label: str = "") -> tuple[int, str]:
        """A new token of ``organisation``: its id and the token itself (shown once, stored hashed)."""
        token = access.new_token()
        with self.session.begin() as db:
            owner = db.scalar(select(Organisation).where(Organisation.name == organisation))
            if owner is None:
                raise InputError(f"no organisation named {organisation!r}", column="ORGANISATION")
            row = Token(organisation_id=owner.id, digest=access.token_digest(token), label=label)
            db.add(row)
            db.flush()
            return row.id, token

    def revoke_token(self, token_id: int) -> None:
        with self.session.begin() as db:
            row = db.get(Token, token_id)
            if row is None:
                raise InputError(f"no token with id {token_id}", column="TOKEN_ID")
            row.revoked = row.revoked or now()

    def tokens(self) -> list[tuple[Token, str]]:
        with self.session() as db:
            return list(db.execute(select(Token, Organisation.name).join(Organisation).order_by(Token.id)))

    def caller(self, token: str | None) -> Caller | None:
        """The caller a bearer token stands for; ``None`` for no, an unknown or a revoked token."""
        if not token:
            return None
        with self.session() as db:
            row = db.execute(select(Token, Organisation).join(Organisation)
                             .where(Token.digest == access.token_digest(token))).first()
        if row is None or row[0].revoked is not None:
            return None
        return Caller.of(row[1], row[0].id)

    # ------------------------------------------------------------------ audit

    def audit(self, caller: Caller | None, method: str, path: str, status: int, detail: str = "") -> None:
        """Log a request: who, what, when, outcome."""
        with self.session.begin() as db:
            db.add(AuditEntry(organisation_id=caller.organisation_id if caller else None,
                              token_id=caller.token_id if caller else None, method=method, path=path[:500],
                              status=status, detail=detail))

    def audit_entries(self, limit: int = 100) -> list[tuple[AuditEntry, str | None]]:
        with self.session() as db:
            rows = db.execute(select(AuditEntry, Organisation.name)
                              .join(Organisation, Organisation.id == AuditEntry.organisation_id, isouter=True)
                              .order_by(AuditEntry.id.desc()).limit(limit))
            return list(rows)[::-1]

    # ------------------------------------------------------------------ datasets

    def _granted(self, db, caller: Caller, dataset_id: int) -> bool:
        return caller.kind == "planner" and db.get(Grant, (dataset_id, caller.organisation_id)) is not None

    def _visible_dataset(self, db, caller: Caller, dataset_id: int) -> Dataset:
        dataset = db.get(Dataset, dataset_id)
        if dataset is None or not access.sees_dataset(caller, dataset, self._granted(db, caller, dataset_id)):
            raise _not_found(f"dataset {dataset_id}")
        return dataset

    def upload(self, caller: Caller, name: str, region: str, data: bytes) -> tuple[Dataset, bool, list[str]]:
        """Check and store an uploaded instance; the dataset, whether it is a new version, and what was ignored."""
        if caller.kind != "adviser":
            raise Refused(403, "only an adviser office uploads datasets")
        if region not in caller.regions:
            raise Refused(403, f"your office serves {', '.join(sorted(caller.regions))}, not {region}")
        try:
            unpacked = unpack_upload(data, self.settings.limits)
        except UploadRefused as error:
            raise Refused(413 if len(data) > self.settings.limits.upload else 422, str(error)) from None
        folder = self.store.incoming()
        try:
            for file_name, content in unpacked.files.items():
                (folder / file_name).write_bytes(content)
            instance, report, schools = _checked(folder)
            digest = content_hash(unpacked.files)
            self.store.keep_dataset(folder, digest, name, schools)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        with self.session.begin() as db:
            latest = db.scalar(select(Dataset).where(Dataset.organisation_id == caller.organisation_id,
                                                     Dataset.name == name).order_by(Dataset.version.desc()))
            if latest is not None and latest.content_hash == digest and latest.region == region:
                return latest, False, unpacked.ignored
            dataset = Dataset(organisation_id=caller.organisation_id, name=name,
                              version=(latest.version + 1) if latest else 1, region=region, content_hash=digest,
                              input_hash=input_hash(instance), files=sorted(unpacked.files),
                              warnings=[str(w) for w in report.warnings], school_ids=sorted(schools),
                              students=len(instance.students), vacancies=len(instance.vacancies))
            db.add(dataset)
        return dataset, True, unpacked.ignored

    def datasets(self, caller: Caller) -> list[Dataset]:
        with self.session() as db:
            rows = db.scalars(select(Dataset).order_by(Dataset.id))
            granted = {g.dataset_id for g in db.scalars(select(Grant).where(
                Grant.organisation_id == caller.organisation_id))} if caller.kind == "planner" else set()
            return [d for d in rows if access.sees_dataset(caller, d, d.id in granted)]

    def dataset(self, caller: Caller, dataset_id: int) -> Dataset:
        with self.session() as db:
            return self._visible_dataset(db, caller, dataset_id)

    def own_students(self, caller: Caller, dataset: Dataset) -> int:
        """How many of the dataset's students are the school's own."""
        schools = self.store.schools(dataset.content_hash)
        return sum(len(schools.get(s, ())) for s in caller.school_ids)

    def dataset_file(self, caller: Caller, dataset_id: int, name: str) -> Path:
        dataset = self.dataset(caller, dataset_id)
        if caller.kind != "adviser" or name not in dataset.files:
            raise _not_found(f"file {name!r}")
        return self.store.dataset(dataset.content_hash, dataset.name) / name

    def grant(self, caller: Caller, dataset_id: int, organisation: str) -> None:
        """Give a planner office a dataset (an adviser office, for a dataset of its regions)."""
        if caller.kind != "adviser":
            raise Refused(403, "only an adviser office gives datasets to planners")
        with self.session.begin() as db:
            self._visible_dataset(db, caller, dataset_id)
            planner = db.scalar(select(Organisation).where(Organisation.name == organisation,
                                                           Organisation.kind == "planner"))
            if planner is None:
                raise Refused(422, f"no planner office named {organisation!r}")
            if db.get(Grant, (dataset_id, planner.id)) is None:
                db.add(Grant(dataset_id=dataset_id, organisation_id=planner.id))

    # ------------------------------------------------------------------ jobs

    def submit(self, caller: Caller, kind: str, dataset_id: int, options: dict[str, Any]) -> Job:
        """Queue a job; refused at once when the caller may not, or the options are wrong."""
        if kind not in access.MAY_START[caller.kind]:
            raise Refused(403, f"a {caller.kind} may start {', '.join(sorted(access.MAY_START[caller.kind]))} "
                               f"jobs, not {kind}")
        try:
            checked = OPTIONS[kind].model_validate(options)
        except ValidationError as error:
            first = error.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "options"
            raise Refused(422, f"options.{where}: {first['msg']}") from None
        job_id = uuid.uuid4().hex
        with self.session.begin() as db:
            dataset = self._visible_dataset(db, caller, dataset_id)
            match_result = self._check_options(db, caller, kind, dataset, checked)
            job = Job(id=job_id, organisation_id=caller.organisation_id, dataset_id=dataset.id, kind=kind,
                      options=checked.model_dump(exclude_defaults=True), state="queued", files=[],
                      server=self.server)
            db.add(job)
        folder = self.store.job(job_id)
        folder.mkdir()
        if kind == "match" and checked.previous_job is not None:
            # The next round: the decisions the previous match ran with, those posted to it, as they were,
            # and its schools' answers.
            earlier = self.store.job(checked.previous_job)
            used = next(((earlier / name).read_bytes() for name in (DECISIONS_NEXT, DECISIONS_USED)
                         if (earlier / name).is_file()), b"")
            answered = self._answer_rows(checked.previous_job)
            if used or answered:
                write_file(folder / DECISIONS_USED, _joined_decisions(used, answered))
        self.runner.submit({"id": job_id, "kind": kind, "options": checked.model_dump(), "folder": str(folder),
                            "dataset": str(self.store.dataset(dataset.content_hash, dataset.name)),
                            "match_result": str(match_result) if match_result else None,
                            "jobs": self.engine_processes})
        return job

    def post_decisions(self, caller: Caller, job_id: str, data: bytes) -> int:
        """Take the answers to a finished match's proposals (a decisions table, CSV or xlsx) for its next round.

        They are checked against the match's dataset together with the decisions the match ran with, and kept
        beside it; a match started with ``previous_job`` set to this one runs with all of them. Returns how
        many decisions were posted.
        """
        from matcher.io import read_instance
        from matcher.io.write import decisions_csv_bytes

        if caller.kind != "adviser":
            raise Refused(403, "only an adviser office posts decisions")
        with self.session() as db:
            job, dataset = self._visible_job(db, caller, job_id)
        if job.kind != "match" or job.state != DONE:
            raise Refused(409, f"job {job_id!r} is a {job.state} {job.kind} job; decisions answer a finished match")
        folder = self.store.job(job_id)
        if (folder / DECISIONS_NEXT).exists():
            raise Refused(409, f"decisions were posted to match job {job_id!r} already: start the next round "
                               "from it (previous_job) and post the next answers to that one")
        instance_dir = self.store.dataset(dataset.content_hash, dataset.name)
        incoming = self.store.incoming()
        try:
            # A workbook is a zip file; anything else is read as CSV (UTF-8 or Windows-1252, , or ;).
            posted = incoming / ("decisions.xlsx" if data[:2] == b"PK" else "decisions.csv")
            posted.write_bytes(data)
            new = _read_decisions(read_instance, instance_dir, posted)
            combined = incoming / "combined.csv"
            earlier = (folder / DECISIONS_USED).read_bytes() if (folder / DECISIONS_USED).is_file() else b""
            fresh = decisions_csv_bytes(new)
            answered = {a.student_id for a in self._answer_rows(job_id)}
            overlap = sorted({d.student_id for d in new} & answered)
            if overlap:
                raise Refused(409, f"{len(overlap)} students of the file were answered by their school already "
                                   f"(the first: {overlap[0]}); leave them out, their answers stand")
            combined.write_bytes(earlier + fresh.partition(b"\n")[2] if earlier else fresh)
            _read_decisions(read_instance, instance_dir, combined)  # the two together: no contradiction
            os.replace(combined, folder / DECISIONS_NEXT)
        finally:
            shutil.rmtree(incoming, ignore_errors=True)
        return len(new)

    def answer(self, caller: Caller, job_id: str, student_id: str, decision: str) -> Answer:
        """A school's answer to the proposal a finished match made for one of its students.

        ``decision`` is one of :data:`ANSWERS`; it names the proposed vacancy (and, when confirmed, the period).
        An answer may be changed until the next round starts from the match; that round runs with it.
        Another school's student, and a student without a proposal, get the answer an id that exists
        nowhere gets.
        """
        if caller.kind != "school":
            raise Refused(403, "a school answers its students' proposals; an adviser office posts a decisions file")
        if decision not in ANSWERS:
            raise Refused(422, f"decision: one of {', '.join(ANSWERS)}, not {decision[:40]!r}")
        with self.session() as db:
            job, dataset = self._visible_job(db, caller, job_id)
        schools = self.store.schools(dataset.content_hash)
        own = any(student_id in schools.get(s, ()) for s in caller.school_ids)
        proposal = _result_rows(str(self.store.result(job.id)), "placements.csv").get(student_id) if (
            own and job.kind == "match" and job.state == DONE) else None
        if proposal is None:
            raise _not_found(f"a proposal for student {student_id!r} in job {job_id!r}")
        if proposal.get("confirmed") == "true":
            raise Refused(409, f"student {student_id!r} has confirmed this place already")
        next_file = self.store.job(job_id) / DECISIONS_NEXT
        if next_file.is_file() and student_id in set(pd.read_csv(next_file, dtype=str)["student_id"]):
            raise Refused(409, f"the adviser office recorded a decision for student {student_id!r} already")
        with self.session.begin() as db:
            # The next round may run on a newer version of the dataset: any match from this one counts.
            if db.scalar(select(Job.id).where(Job.kind == "match",
                                              Job.options["previous_job"].as_string() == job_id)) is not None:
                raise Refused(409, "the next round has started from this match: answer its proposals there")
            row = db.get(Answer, (job_id, student_id)) or Answer(job_id=job_id, student_id=student_id)
            row.decision, row.vacancy_id, row.organisation_id, row.at = (
                decision, proposal["vacancy_id"], caller.organisation_id, now())
            row.period_id = proposal["period_id"] if decision == "confirmed" else None
            db.add(row)
        return row

    def answers(self, caller: Caller, job_id: str) -> list[Answer]:
        """The schools' answers to a match's proposals: all for its adviser office, a school's own for it."""
        with self.session() as db:
            job, dataset = self._visible_job(db, caller, job_id)
        if caller.kind == "planner":
            raise _not_found(f"answers of job {job_id!r}")
        rows = self._answer_rows(job.id)
        if caller.kind == "school":
            schools = self.store.schools(dataset.content_hash)
            own = set().union(*(schools.get(s, ()) for s in caller.school_ids))
            rows = [a for a in rows if a.student_id in own]
        return rows

    def _answer_rows(self, job_id: str) -> list[Answer]:
        with self.session() as db:
            return list(db.scalars(select(Answer).where(Answer.job_id == job_id).order_by(Answer.student_id)))

    def _check_options(self, db, caller: Caller, kind: str, dataset: Dataset, options) -> Path | None:
        if kind == "suggest":
            schools = self.store.schools(dataset.content_hash)
            if caller.kind == "school" and options.school not in caller.school_ids:
                raise Refused(403, f"you may ask for your own school ids only: {', '.join(sorted(caller.school_ids))}")
            if options.school not in schools:
                raise Refused(422, f"school {options.school!r} has no students in this dataset")
            if options.student is not None and options.student not in schools[options.school]:
                raise _not_found(f"student {options.student!r} of school {options.school!r}")
        if kind == "simulate":
            _check_scenarios(options.scenarios)
        if kind == "match" and options.keep_previous is not None and options.previous_job is None:
            raise Refused(422, "options.keep_previous: needs previous_job (the match of the round before)")
        if kind == "match" and options.previous_job is not None:
            previous = db.get(Job, options.previous_job) if len(options.previous_job) <= 32 else None
            previous_dataset = db.get(Dataset, previous.dataset_id) if previous is not None else None
            if previous is None or previous.kind != "match" or not access.sees_job(
                    caller, previous, previous_dataset, self._granted(db, caller, previous_dataset.id)):
                raise _not_found(f"match job {options.previous_job!r}")
            if previous.state != DONE:
                raise Refused(409, f"match job {options.previous_job!r} is {previous.state}, not done")
            return self.store.result(previous.id)
        if kind in ("advise", "report"):
            match = db.get(Job, options.match_job)
            if match is None or match.dataset_id != dataset.id or match.kind != "match":
                raise _not_found(f"match job {options.match_job!r} of dataset {dataset.id}")
            if match.state != DONE:
                raise Refused(409, f"match job {options.match_job!r} is {match.state}, not done")
            return self.store.result(match.id)
        return None

    def _visible_job(self, db, caller: Caller, job_id: str) -> tuple[Job, Dataset]:
        job = db.get(Job, job_id) if len(job_id) <= 32 else None
        dataset = db.get(Dataset, job.dataset_id) if job is not None else None
        if job is None or not access.sees_job(caller, job, dataset, self._granted(db, caller, dataset.id)):
            raise _not_found(f"job {job_id!r}")
        return job, dataset

    def jobs(self, caller: Caller) -> list[Job]:
        with self.session() as db:
            rows = list(db.execute(select(Job, Dataset).join(Dataset).order_by(Job.created, Job.id)))
            granted = {g.dataset_id for g in db.scalars(select(Grant).where(
                Grant.organisation_id == caller.organisation_id))} if caller.kind == "planner" else set()
            return [job for job, dataset in rows if access.sees_job(caller, job, dataset, dataset.id in granted)]

    def job(self, caller: Caller, job_id: str) -> Job:
        with self.session() as db:
            return self._visible_job(db, caller, job_id)[0]

    def progress(self, job: Job) -> dict[str, Any] | None:
        """Where a running job is: its stage, the fraction done and an estimate of the seconds left."""
        if job.state != "running":
            return None
        seen = read_json(self.store.job(job.id) / PROGRESS_FILE) or {}
        stages = STAGES[job.kind]
        stage, done, total = seen.get("stage"), seen.get("done", 0), seen.get("total", 0)
        within = done / total if total else 0.0
        index = stages.index(stage) if stage in stages else 0
        fraction = min(1.0, (index + within) / len(stages)) if stage else 0.0
        left = None
        if job.started is not None and fraction >= 0.05:
            # SQLite gives times back without their zone; they are UTC, not the server's local time.
            started = job.started if job.started.tzinfo else job.started.replace(tzinfo=timezone.utc)
            elapsed = time.time() - started.timestamp()
            left = round(elapsed * (1 - fraction) / fraction, 1)
        return {"stage": stage, "fraction": round(fraction, 4), "stage_done": done, "stage_total": total,
                "seconds_left": left}

    def cancel(self, caller: Caller, job_id: str) -> Job:
        """Cancel a queued or running job (its owner, or an adviser office of its region)."""
        with self.session.begin() as db:
            job, _ = self._visible_job(db, caller, job_id)
            if caller.kind != "adviser" and job.organisation_id != caller.organisation_id:
                raise Refused(403, "only who started a job, or the adviser office, may cancel it")
            if job.state in FINISHED_STATES:
                return job
            if job.state == "queued":
                job.state, job.finished = "cancelled", now()
                return job
        self.runner.cancel(job_id, self.store.job(job_id))
        return self.job(caller, job_id)

    def _job_started(self, job_id: str) -> bool:
        with self.session.begin() as db:
            started = db.execute(update(Job).where(Job.id == job_id, Job.state == "queued")
                                 .values(state="running", started=now())).rowcount
        return started == 1

    def _job_ended(self, job_id: str, outcome: str) -> None:
        folder = self.store.job(job_id)
        result = self.store.result(job_id)
        values: dict[str, Any] = {"finished": now()}
        if outcome == DONE and result.is_dir():
            values |= {"state": "done", "files": sorted(p.name for p in result.iterdir() if p.is_file())}
        elif outcome == CANCELLED:
            values |= {"state": "cancelled"}
        elif outcome == INTERRUPTED:
            values |= {"state": "interrupted", "error": "the job's process was stopped (out of memory, or by an "
                                                        "operator); submit it again"}
        else:
            error = read_json(folder / ERROR_FILE) or {}
            values |= {"state": "failed", "error": error.get("message", "the job's process ended unexpectedly")}
        with self.session.begin() as db:
            db.execute(update(Job).where(Job.id == job_id, Job.state == "running").values(**values))
        self.store.discard_scratch(job_id)  # a terminated process cleans nothing up itself

    # ------------------------------------------------------------------ results

    def job_file(self, caller: Caller, job_id: str, name: str) -> tuple[bytes, str]:
        """The bytes of a result file as ``caller`` may read them, and the file's name."""
        job = self.job(caller, job_id)
        if job.state != DONE or name not in access.readable_files(caller, job):
            raise _not_found(f"file {name!r} of job {job_id!r}")
        data = (self.store.result(job.id) / name).read_bytes()
        if caller.kind == "school" and name in access.SCHOOL_FILES["match"] and job.kind == "match":
            data = public.rows_of_schools(data, caller.school_ids)
        elif caller.kind == "planner":
            data = public.planner_view(job.kind, name, data)
        return data, name

    def student(self, caller: Caller, job_id: str, student_id: str) -> dict[str, Any]:
        """One student's outcome in a finished match: the place, or the reason and the remedy."""
        with self.session() as db:
            job, dataset = self._visible_job(db, caller, job_id)
        if caller.kind == "planner" or job.kind != "match" or job.state != DONE:
            raise _not_found(f"student {student_id!r} in job {job_id!r}")
        if caller.kind == "school":
            schools = self.store.schools(dataset.content_hash)
            if not any(student_id in schools.get(s, ()) for s in caller.school_ids):
                raise _not_found(f"student {student_id!r} in job {job_id!r}")
        folder = str(self.store.result(job.id))
        placed = _result_rows(folder, "placements.csv").get(student_id)
        if placed is not None:
            return {"student_id": student_id, "school_id": placed["school_id"], "placed": True,
                    "placement": {k: v for k, v in placed.items() if k not in ("student_id", "school_id")}}
        unplaced = _result_rows(folder, "unplaced.csv").get(student_id)
        if unplaced is None:
            raise _not_found(f"student {student_id!r} in job {job_id!r}")
        return {"placed": False, **{k: v or None for k, v in unplaced.items()}}


def _joined_decisions(used: bytes, answers) -> bytes:
    """One ``decisions.csv``: the rows of ``used`` (a decisions file's bytes, or none), then ``answers``."""
    from matcher.io.write import decisions_csv_bytes
    from models import Decision

    fresh = decisions_csv_bytes(tuple(Decision(student_id=a.student_id, vacancy_id=a.vacancy_id,
                                               period_id=a.period_id, decision=a.decision) for a in answers))
    if not used:
        return fresh
    return used + (b"" if used.endswith(b"\n") else b"\n") + fresh.partition(b"\n")[2]


def _unprocessable(error: Exception, folders: tuple[Path, ...], file_name: str | None = None) -> Refused:
    """A reader's refusal as a 422: the command line's words (file, sheet, row, column: message), and each part
    on its own for a program; never a path of the server (``folders`` are cut, the file is named by its name,
    or ``file_name``)."""
    where = {k: getattr(error, k, None) for k in ("file", "sheet", "row", "column")}
    if where["file"]:
        where["file"] = file_name or Path(where["file"]).name
    message = getattr(error, "message", str(error))
    for folder in folders:
        message = message.replace(str(folder) + "/", "").replace(str(folder), "")
    return Refused(422, located(message, **where), **where)


def _checked(folder: Path):
    """Read an uploaded instance with the command line's checks; its students by school."""
    from matcher.app.pipelines import policy_for
    from matcher.io import read_instance_with_report

    try:
        instance, report = read_instance_with_report(folder)
        policy_for(folder, None)
    except (InputError, ModelError) as error:
        raise _unprocessable(error, (folder,)) from None
    schools: dict[str, list[str]] = {}
    for student in instance.students:
        schools.setdefault(student.school_id, []).append(student.student_id)
    return instance, report, {school: sorted(ids) for school, ids in sorted(schools.items())}


def _read_decisions(read_instance, instance_dir: Path, file: Path) -> tuple:
    """The decisions in ``file``, checked against the instance in ``instance_dir`` (refused as 422 where)."""
    try:
        return read_instance(instance_dir, decisions=file).decisions
    except InputError as error:
        raise _unprocessable(error, (file.parent, instance_dir), file_name="decisions" + file.suffix) from None


def _check_scenarios(text: str) -> None:
    import tempfile

    from matcher.io.scenario_file import read_scenario_file

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "scenarios.toml"
        path.write_text(text, encoding="utf-8")
        try:
            read_scenario_file(path)
        except (InputError, ValueError) as error:
            raise Refused(422, f"options.scenarios: {getattr(error, 'message', error)}",
                          row=getattr(error, "row", None), column=getattr(error, "column", None)) from None

