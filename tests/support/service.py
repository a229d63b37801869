"""A stagematch service for tests: a fresh database (SQLite, or PostgreSQL when CI gives one), organisations
of every role with their tokens, and a real server process for the tests that kill or load it.

PostgreSQL: ``STAGEMATCH_TEST_POSTGRES_URL`` names a database whose user may create databases (``.ci/run``
starts Debian's server and sets it); each test gets a database of its own. Without it the PostgreSQL
cases skip, unless ``STAGEMATCH_REQUIRE_POSTGRES=1`` (as in CI), where they fail.
"""

from __future__ import annotations

import io
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from matcher.app.service.core import Service, Settings

POSTGRES_URL = os.environ.get("STAGEMATCH_TEST_POSTGRES_URL")
DATABASES = ("sqlite", "postgresql")

# The organisations of every test service: (key, name, kind, regions, school ids).
ORGANISATIONS = (
    ("adviser", "Adviseurs Utrecht", "adviser", ["AM13"], []),
    ("adviser_elsewhere", "Adviseurs Groningen", "adviser", ["AM01"], []),
    ("school", "ROC Utrecht", "school", [], ["school-utrecht"]),
    ("other_school", "Noorderpoort", "school", [], ["school-groningen"]),
    ("planner", "Planbureau", "planner", [], []),
    ("other_planner", "Ander planbureau", "planner", [], []),
)
ROLES = tuple(key for key, *_ in ORGANISATIONS)


def require_postgres() -> None:
    """Skip (or fail, with ``STAGEMATCH_REQUIRE_POSTGRES=1``) without a PostgreSQL server to test on."""
    if POSTGRES_URL is None:
        reason = "no PostgreSQL server: set STAGEMATCH_TEST_POSTGRES_URL (.ci/run does)"
        if os.environ.get("STAGEMATCH_REQUIRE_POSTGRES") == "1":
            pytest.fail(reason + " (STAGEMATCH_REQUIRE_POSTGRES=1)")
        pytest.skip(reason)


@contextmanager
def fresh_database(kind: str, folder: Path):
    """The URL of a new, empty database of ``kind`` (dropped afterwards)."""
    if kind == "sqlite":
        yield f"sqlite:///{folder / 'service.db'}"
        return
    require_postgres()
    import psycopg
    from sqlalchemy.engine import make_url

    name = f"stagematch_test_{uuid.uuid4().hex[:12]}"
    admin = make_url(POSTGRES_URL)
    plain = admin.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(plain, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield admin.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(plain, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def placeholder_dataset(organisation_id: int, name: str):
    """A dataset row with no files behind it: for tests of jobs' bookkeeping that run nothing."""
    from matcher.app.service.database import Dataset

    return Dataset(id=1, organisation_id=organisation_id, name=name, version=1, region="AM13",
                   content_hash="0" * 64, input_hash="0", files=[], warnings=[], school_ids=[], students=1,
                   vacancies=1)


def zipped(folder: Path, top: str | None = None, extra: dict[str, bytes] | None = None) -> bytes:
    """The files of ``folder`` as a zip (inside folder ``top`` when given), with ``extra`` members."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.iterdir()):
            if path.is_file():
                archive.write(path, f"{top}/{path.name}" if top else path.name)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def add_organisations(settings: Settings) -> tuple[dict[str, str], str]:
    """Create :data:`ORGANISATIONS` with a token each; the tokens by key, and a revoked adviser token."""
    service = Service(settings)
    tokens = {}
    for key, name, kind, regions, schools in ORGANISATIONS:
        service.create_organisation(name, kind, regions, schools)
        tokens[key] = service.create_token(name, label="tests")[1]
    revoked_id, revoked = service.create_token("Adviseurs Utrecht", label="revoked")
    service.revoke_token(revoked_id)
    service.engine.dispose()
    return tokens, revoked


@dataclass
class World:
    """A service under test: an HTTP client, a token per role (and a revoked one), the store."""

    client: object
    tokens: dict[str, str]
    revoked: str
    store: Path
    settings: Settings
    datasets: dict[str, int] = field(default_factory=dict)

    def headers(self, role: str) -> dict[str, str]:
        return bearer(self.revoked if role == "revoked" else self.tokens[role])

    def upload(self, folder: Path, name: str = "tiny", region: str = "AM13", role: str = "adviser"):
        return self.client.post("/datasets", params={"name": name, "region": region}, content=zipped(folder),
                                headers={**self.headers(role), "Content-Type": "application/zip"})

    def start(self, kind: str, dataset: int, role: str = "adviser", **options):
        return self.client.post("/jobs", json={"kind": kind, "dataset": dataset, "options": options},
                                headers=self.headers(role))

    def wait(self, job_id: str, role: str = "adviser", timeout: float = 300) -> dict:
        """The job once it has finished (whatever the outcome)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            job = self.client.get(f"/jobs/{job_id}", headers=self.headers(role)).json()
            if job["state"] not in ("queued", "running"):
                return job
            time.sleep(0.1)
        raise AssertionError(f"job {job_id} did not finish in {timeout} s")

    def run(self, kind: str, dataset: int, role: str = "adviser", **options) -> dict:
        response = self.start(kind, dataset, role, **options)
        assert response.status_code == 202, response.text
        job = self.wait(response.json()["id"], role)
        assert job["state"] == "done", job
        return job


@contextmanager
def world(database_url: str, folder: Path, **settings):
    """A :class:`World` on ``database_url`` served in-process (FastAPI's TestClient, real job processes)."""
    from fastapi.testclient import TestClient

    from matcher.app.service.app import create_app

    options = Settings(database=database_url, store=folder / "store", **settings)
    tokens, revoked = add_organisations(options)
    with TestClient(create_app(options)) as client:
        yield World(client, tokens, revoked, folder / "store", options)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ServerProcess:
    """``stagematch serve`` in a process of its own, on a free loopback port."""

    def __init__(self, database_url: str, store: Path, *extra: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = store.parent / f"server-{self.port}.log"
        command = [sys.executable, "-m", "matcher.app.cli", "serve", "--db", database_url, "--store", str(store),
                   "--port", str(self.port), *extra]
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"the server stopped at start:\n{self.log.read_text()}")
            try:
                if httpx.get(f"{self.url}/health", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.2)
        self.stop()
        raise AssertionError(f"the server did not start:\n{self.log.read_text()}")

    def kill(self) -> None:
        """SIGKILL: no shutdown, no cleanup, as when the machine loses power or the OOM killer strikes."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(30)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.kill()
