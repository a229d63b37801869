"""A running job's estimate of the seconds left does not depend on the server's time zone: SQLite gives a job's
start back without its zone, and read as local time it put the estimate hours off (or below zero) anywhere but
UTC."""

from __future__ import annotations

import os
import time
from datetime import timedelta

import pytest
from sqlalchemy import select

from matcher.app.service.core import Service, Settings
from matcher.app.service.database import Job, now
from matcher.app.service.store import PROGRESS_FILE, write_json_atomically
from tests.support.service import placeholder_dataset


@pytest.fixture(params=["Europe/Amsterdam", "America/New_York", "Pacific/Auckland"])
def time_zone(request, monkeypatch):
    """The process's local time zone for one test (``TZ``), UTC again afterwards."""
    monkeypatch.setenv("TZ", request.param)
    time.tzset()
    yield request.param
    monkeypatch.undo()
    time.tzset()


def test_seconds_left_is_the_same_in_every_time_zone(database_url, tmp_path, time_zone):
    """A match halfway through its stages that started 100 s ago has about 100 s left, whatever ``TZ`` says.

    Checks
    ------
    - ``seconds_left`` is at least the 100 s the halfway mark implies, and not hours more (nor below zero).
    """
    service = Service(Settings(database=database_url, store=tmp_path / "store"))
    try:
        organisation = service.create_organisation("Adviseurs Utrecht", "adviser", ["AM13"])
        with service.session.begin() as db:
            db.add(placeholder_dataset(organisation.id, "tiny"))
            db.flush()
            db.add(Job(id="a" * 32, organisation_id=organisation.id, dataset_id=1, kind="match", options={},
                       state="running", files=[], server=service.server, started=now() - timedelta(seconds=100)))
        folder = service.store.job("a" * 32)
        folder.mkdir()
        # ``solve`` is the sixth of the match's ten stages: five are behind it, so the job is halfway.
        write_json_atomically(folder / PROGRESS_FILE, {"stage": "solve", "done": 0, "total": 0})
        with service.session() as db:  # read back as the service reads it: from SQLite, without a zone
            job = db.scalar(select(Job))
        progress = service.progress(job)
        assert progress["fraction"] == 0.5, progress
        assert 100 <= progress["seconds_left"] < 200, (os.environ["TZ"], job.started, progress)
    finally:
        service.engine.dispose()
