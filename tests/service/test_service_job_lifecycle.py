"""A job's life: queued (202 and a Location), running with progress, done with files; cancelled while queued
or while running (its process stops, no file is served, the next job runs); a refused job says why."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

from tests.support.paths import DEMO, TINY
from tests.support.service import world


def test_a_job_reports_progress_and_can_be_cancelled_queued_or_running(database_url, tmp_path):
    with world(database_url, tmp_path, workers=1) as w:
        demo = w.upload(DEMO, name="demo").json()["id"]
        tiny = w.upload(TINY).json()["id"]
        started = w.start("match", demo, remedies=True)
        assert started.status_code == 202 and started.headers["Location"] == f"/jobs/{started.json()['id']}"
        running = started.json()["id"]
        queued = w.start("match", tiny).json()["id"]  # one job at a time: this one waits
        assert w.client.get(f"/jobs/{queued}", headers=w.headers("adviser")).json()["state"] == "queued"
        cancelled = w.client.delete(f"/jobs/{queued}", headers=w.headers("adviser")).json()
        assert cancelled["state"] == "cancelled"

        seen = []
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            job = w.client.get(f"/jobs/{running}", headers=w.headers("adviser")).json()
            assert job["state"] in ("queued", "running"), job
            if job["progress"] and job["progress"]["stage"]:
                seen.append(job["progress"])
            if seen and seen[-1]["stage"] == "remedies" and seen[-1]["seconds_left"] is not None:
                break
            time.sleep(0.1)
        fractions = [p["fraction"] for p in seen]
        assert fractions == sorted(fractions) and 0 < fractions[-1] < 1
        assert {"solve", "remedies"} <= {p["stage"] for p in seen}
        assert seen[-1]["seconds_left"] > 0

        stopped = w.client.delete(f"/jobs/{running}", headers=w.headers("adviser"))
        assert stopped.status_code == 200
        job = w.wait(running)
        assert job["state"] == "cancelled" and job["files"] == []
        assert w.client.get(f"/jobs/{running}/files/placements.csv", headers=w.headers("adviser")).status_code == 404
        assert not (w.store / "jobs" / running / "result").exists()
        # The queued job never ran, and the slot is free for the next one.
        assert w.client.get(f"/jobs/{queued}", headers=w.headers("adviser")).json()["started"] is None
        assert w.run("match", tiny)["files"]


def test_a_job_that_cannot_run_fails_with_the_reason_in_words(database_url, tmp_path):
    with world(database_url, tmp_path) as w:
        tiny = w.upload(TINY).json()["id"]
        refused = w.start("simulate", tiny, scenarios="this is not toml =")
        assert refused.status_code == 422 and "options.scenarios" in refused.json()["detail"]
        unknown = w.start("match", tiny, remdies=True)
        assert unknown.status_code == 422 and "remdies" in unknown.json()["detail"]
        not_a_match = w.start("report", tiny, match_job="0" * 32)
        assert not_a_match.status_code == 404
        # Accepted, but the scenario names a school the dataset lacks: the job fails and says so.
        scenario = ('[[scenario]]\nname = "x"\n[[scenario.move]]\nschool = "no-such-school"\ncrebo = "25498"\n'
                    'year = 1\nshift = 1\n')
        response = w.start("simulate", tiny, scenarios=scenario, runs=1)
        assert response.status_code == 202
        job = w.wait(response.json()["id"])
        assert job["state"] == "failed" and "no-such-school" in job["error"]
        assert str(w.store) not in job["error"]  # no server paths in what users read


def _job_processes() -> list[int]:
    """This process's children that are job processes (spawned: ``spawn_main`` in their command line)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if int(stat[1]) == os.getpid() and b"spawn_main" in command:
            found.append(int(entry.name))
    return found


def test_a_job_whose_process_is_killed_shows_as_interrupted_and_runs_again(database_url, tmp_path):
    with world(database_url, tmp_path, workers=1) as w:
        demo = w.upload(DEMO, name="demo").json()["id"]
        job = w.start("match", demo, remedies=True).json()["id"]
        while w.client.get(f"/jobs/{job}", headers=w.headers("adviser")).json()["state"] != "running":
            time.sleep(0.05)
        processes = []
        while not processes:
            processes = _job_processes()
            time.sleep(0.05)
        os.kill(processes[0], signal.SIGKILL)  # as the kernel's out-of-memory killer does
        ended = w.wait(job)
        assert ended["state"] == "interrupted" and "submit it again" in ended["error"]
        assert ended["files"] == []
        assert w.run("match", w.upload(TINY).json()["id"])["state"] == "done"
