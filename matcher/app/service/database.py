"""The service's database: organisations, tokens, datasets, jobs, schools' answers and the audit log.

SQLAlchemy 2 tables; the schema itself is made and upgraded by the Alembic
migrations in :mod:`matcher.app.service.migrations` (:func:`open_database`),
never by ``create_all``, so that an existing database is upgraded in place.
An embedded SQLite file is the default; PostgreSQL is used through psycopg 3.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint, create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, sessionmaker

DEFAULT_DATABASE = "sqlite:///stagematch-service/stagematch.db"

ORGANISATION_KINDS = ("adviser", "school", "planner")
JOB_STATES = ("queued", "running", "done", "failed", "cancelled", "interrupted")
FINISHED_STATES = ("done", "failed", "cancelled", "interrupted")


def now() -> datetime:
    """The current time in UTC, to the microsecond (what every timestamp column holds)."""
    return datetime.now(timezone.utc)


class Base(DeclarativeBase):
    pass


class Organisation(Base):
    """An adviser office (``regions``), a school (``school_ids``) or a planner office."""

    __tablename__ = "organisations"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    regions: Mapped[list] = mapped_column(JSON, default=list)
    school_ids: Mapped[list] = mapped_column(JSON, default=list)
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)


class Token(Base):
    """A bearer token of an organisation; only its SHA-256 is stored."""

    __tablename__ = "tokens"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(200), default="")
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)
    revoked: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class Dataset(Base):
    """One uploaded version of an instance; its files lie in the store under ``content_hash``."""

    __tablename__ = "datasets"
    __table_args__ = (UniqueConstraint("organisation_id", "name", "version"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    name: Mapped[str] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(Integer)
    region: Mapped[str] = mapped_column(String(20))
    content_hash: Mapped[str] = mapped_column(String(64))
    input_hash: Mapped[str] = mapped_column(String(80))
    files: Mapped[list] = mapped_column(JSON)
    warnings: Mapped[list] = mapped_column(JSON)
    school_ids: Mapped[list] = mapped_column(JSON)
    students: Mapped[int] = mapped_column(Integer)
    vacancies: Mapped[int] = mapped_column(Integer)
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)


class Grant(Base):
    """An adviser office gives a planner office one dataset to run scenarios and calendars on."""

    __tablename__ = "grants"
    dataset_id: Mapped[int] = mapped_column(ForeignKey("datasets.id"), primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), primary_key=True)
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)


class Job(Base):
    """A match, advise, suggest, report, calendar or simulate job and where it stands."""

    __tablename__ = "jobs"
    __table_args__ = (Index("jobs_by_state", "state"),)
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    dataset_id: Mapped[int] = mapped_column(ForeignKey("datasets.id"))
    kind: Mapped[str] = mapped_column(String(20))
    options: Mapped[dict] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(20), default="queued")
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    files: Mapped[list] = mapped_column(JSON, default=list)
    server: Mapped[str] = mapped_column(String(32))
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)
    started: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    finished: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class Answer(Base):
    """A school's answer to a finished match's proposal for one of its students, for the next round."""

    __tablename__ = "answers"
    job_id: Mapped[str] = mapped_column(ForeignKey("jobs.id"), primary_key=True)
    student_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    decision: Mapped[str] = mapped_column(String(30))
    vacancy_id: Mapped[str] = mapped_column(String(200))
    period_id: Mapped[str | None] = mapped_column(String(200), nullable=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)


class AuditEntry(Base):
    """Who did what, when, and with what outcome (the HTTP status)."""

    __tablename__ = "audit"
    __table_args__ = (Index("audit_by_time", "at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)
    organisation_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    token_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    method: Mapped[str] = mapped_column(String(10))
    path: Mapped[str] = mapped_column(String(500))
    status: Mapped[int] = mapped_column(Integer)
    detail: Mapped[str] = mapped_column(Text, default="")


def database_url(url: str | None) -> str:
    """The SQLAlchemy URL of ``url``: ``postgresql://`` goes through psycopg 3; the default is SQLite."""
    url = url or DEFAULT_DATABASE
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def make_engine(url: str | None) -> Engine:
    """An engine on ``url``; a SQLite file (and its folder) is created when missing."""
    url = database_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(connection, _record):  # WAL: readers do not wait for the writer
            cursor = connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        return engine
    return create_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True)


def sessions(engine: Engine) -> sessionmaker:
    """A session factory whose objects stay readable after commit."""
    return sessionmaker(engine, expire_on_commit=False)
