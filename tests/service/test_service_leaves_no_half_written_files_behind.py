"""A job that ends without its result leaves nothing half-written in the store: a cancelled job's process is
terminated before it can clean up, and a crash or a shutdown cuts jobs off, so their ``.partial`` outputs and an
advice job's ``work`` copy of its match's result stayed on disk for good (one per cancelled or interrupted job)."""

from __future__ import annotations

import time
from pathlib import Path

from sqlalchemy import select

from matcher.app.service.core import Service, Settings
from matcher.app.service.database import Job
from matcher.app.service.store import PARTIAL_FOLDER, RESULT_FOLDER, WORK_FOLDER
from tests.support.paths import DEMO
from tests.support.service import placeholder_dataset, world


def _until(condition, what: str, timeout: float = 300):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"{what}: not within {timeout} s")


def test_a_cancelled_advice_job_leaves_no_copy_of_its_match(database_url, tmp_path):
    """Cancel an advice job while it works on its copy of the match's result.

    Checks
    ------
    - the job ends ``cancelled`` and its folder keeps neither ``work`` nor ``.partial``;
    - the match it read keeps its result.
    """
    with world(database_url, tmp_path) as w:
        dataset = w.upload(DEMO, name="demo").json()["id"]
        match = w.run("match", dataset)
        response = w.start("advise", dataset, match_job=match["id"])
        assert response.status_code == 202, response.text
        advice = response.json()["id"]
        folder = w.store / "jobs" / advice
        _until(lambda: (folder / WORK_FOLDER).is_dir(), "the advice job copying its match")
        assert w.client.get(f"/jobs/{advice}", headers=w.headers("adviser")).json()["state"] == "running"
        assert w.client.delete(f"/jobs/{advice}", headers=w.headers("adviser")).status_code == 200
        assert w.wait(advice)["state"] == "cancelled"
        assert sorted(p.name for p in folder.iterdir() if p.is_dir()) == []
        assert (w.store / "jobs" / match["id"] / RESULT_FOLDER / "placements.csv").is_file()


def test_the_next_server_removes_what_a_crash_left_half_written(database_url, tmp_path):
    """A store as a killed server leaves it: a match cut off while writing, an advice job cut off while working,
    and a finished match; a service starts on it.

    Checks
    ------
    - the cut-off jobs are ``interrupted`` and their ``.partial`` and ``work`` folders are gone;
    - the finished match's result is untouched.
    """
    settings = Settings(database=database_url, store=tmp_path / "store")
    service = Service(settings)
    organisation = service.create_organisation("Adviseurs Utrecht", "adviser", ["AM13"])
    with service.session.begin() as db:
        db.add(placeholder_dataset(organisation.id, "demo"))
        db.flush()
        for job_id, kind, state in (("a" * 32, "match", "done"), ("b" * 32, "match", "running"),
                                    ("c" * 32, "advise", "running")):
            db.add(Job(id=job_id, organisation_id=organisation.id, dataset_id=1, kind=kind, options={}, state=state,
                       files=["placements.csv"] if state == "done" else [], server=service.server))
    service.engine.dispose()
    jobs = settings.store / "jobs"
    _write(jobs / ("a" * 32) / RESULT_FOLDER / "placements.csv")
    _write(jobs / ("b" * 32) / PARTIAL_FOLDER / "placements.csv")
    _write(jobs / ("c" * 32) / WORK_FOLDER / "placements.csv")
    _write(jobs / ("c" * 32) / PARTIAL_FOLDER / "advice.csv")

    service = Service(settings).open()
    try:
        with service.session() as db:
            states = {job.id[0]: job.state for job in db.scalars(select(Job))}
        assert states == {"a": "done", "b": "interrupted", "c": "interrupted"}
        left = sorted(str(p.relative_to(jobs)) for p in jobs.rglob("*") if p.is_file())
        assert left == [f"{'a' * 32}/{RESULT_FOLDER}/placements.csv"]
    finally:
        service.close()


def _write(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("student_id\n", encoding="utf-8")
