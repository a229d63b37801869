"""A server killed outright (SIGKILL: a power cut, the OOM killer) in the middle of a match loses that match
only: its worker process dies with it, the next server on the same database and store shows the match as
interrupted and serves none of its files, and everything finished before the kill is served as it was."""

from __future__ import annotations

import time
from pathlib import Path

import httpx

from matcher.app.service.core import Settings
from tests.support.paths import DEMO, TINY
from tests.support.service import ServerProcess, add_organisations, bearer, zipped


def _children(pid: int) -> list[int]:
    """The live processes whose parent is ``pid`` and that run a job (a ``spawn`` process of multiprocessing)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and _parent_of(int(entry.name)) == pid and _runs_a_job(int(entry.name)):
            found.append(int(entry.name))
    return found


def _stat(pid: int) -> list[str] | None:
    """The fields of ``/proc/PID/stat`` after the command name (state first), or ``None`` when it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2:].split()


def _parent_of(pid: int) -> int | None:
    fields = _stat(pid)
    return int(fields[1]) if fields else None


def _runs_a_job(pid: int) -> bool:
    try:
        return b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def _alive(pid: int) -> bool:
    """Whether ``pid`` still runs (a zombie, dead but not yet reaped by its new parent, does not)."""
    fields = _stat(pid)
    return fields is not None and fields[0] not in ("Z", "X")


def _until(condition, what: str, timeout: float = 300, every: float = 0.1):
    """Poll ``condition`` until it returns something true; that value (a liveness bound, not a timing test)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"{what}: not within {timeout} s")


class _Api:
    """An adviser office's calls to a server at ``url``."""

    def __init__(self, url: str, token: str) -> None:
        self.client = httpx.Client(base_url=url, headers=bearer(token), timeout=60)

    def upload(self, folder: Path, name: str) -> int:
        response = self.client.post("/datasets", params={"name": name, "region": "AM13"}, content=zipped(folder),
                                    headers={"Content-Type": "application/zip"})
        assert response.status_code == 201, response.text
        return response.json()["id"]

    def start(self, dataset: int, **options) -> str:
        response = self.client.post("/jobs", json={"kind": "match", "dataset": dataset, "options": options})
        assert response.status_code == 202, response.text
        return response.json()["id"]

    def job(self, job_id: str) -> dict:
        response = self.client.get(f"/jobs/{job_id}")
        assert response.status_code == 200, response.text
        return response.json()

    def finished(self, job_id: str) -> dict:
        return _until(lambda: (job := self.job(job_id))["state"] not in ("queued", "running") and job,
                      f"job {job_id} finishing")

    def files(self, job: dict) -> dict[str, bytes]:
        served = {}
        for name in job["files"]:
            response = self.client.get(f"/jobs/{job['id']}/files/{name}")
            assert response.status_code == 200, (name, response.text)
            served[name] = response.content
        return served

    def dataset_files(self, dataset: int) -> dict[str, bytes]:
        names = self.client.get(f"/datasets/{dataset}").json()["files"]
        return {name: self.client.get(f"/datasets/{dataset}/files/{name}").content for name in names}


def test_a_killed_server_loses_only_the_running_match(database_url, tmp_path):
    """SIGKILL the server while a match solves, then start another on the same database and store.

    Checks
    ------
    - the running match's worker process dies with the server (no orphan keeps computing);
    - the new server shows that match ``interrupted``, with a message, and none of its files (``404``);
    - the dataset and the match finished before the kill are served with the same bytes;
    - the same match submitted again completes.
    """
    store = tmp_path / "store"
    tokens, _ = add_organisations(Settings(database=database_url, store=store))
    server = ServerProcess(database_url, store, "--workers", "1")
    try:
        api = _Api(server.url, tokens["adviser"])
        tiny = api.upload(TINY, "tiny")
        earlier = api.finished(api.start(tiny, remedies=True))
        assert earlier["state"] == "done", earlier
        earlier_files = api.files(earlier)
        tiny_files = api.dataset_files(tiny)
        assert {"placements.csv", "unplaced.csv", "summary.json"} <= set(earlier_files)

        demo = api.upload(DEMO, "demo")
        doomed = api.start(demo, remedies=True)
        running = _until(lambda: (job := api.job(doomed))["state"] == "running"
                         and job["progress"]["stage"] not in (None, "read") and job, "the demo match solving")
        assert running["files"] == []
        workers = _children(server.process.pid)
        assert len(workers) == 1, workers
        api.client.close()
    finally:
        server.kill()

    _until(lambda: not _alive(workers[0]), f"the worker {workers[0]} dying with its server", timeout=60)
    # It died, rather than ending: an orphan that kept solving would have moved its result into place.
    assert not (store / "jobs" / doomed / "result").exists()

    server = ServerProcess(database_url, store, "--workers", "1")
    try:
        api = _Api(server.url, tokens["adviser"])
        interrupted = api.job(doomed)
        assert interrupted["state"] == "interrupted", interrupted
        assert interrupted["error"] and "submit it again" in interrupted["error"]
        assert interrupted["files"] == [] and interrupted["progress"] is None
        listed = {job["id"]: job["state"] for job in api.client.get("/jobs").json()}
        assert listed == {earlier["id"]: "done", doomed: "interrupted"}
        for name in sorted(earlier_files) + ["instance.json", "timings.json"]:
            response = api.client.get(f"/jobs/{doomed}/files/{name}")
            assert response.status_code == 404, (name, response.status_code)
        assert api.client.get(f"/jobs/{doomed}/students/anyone").status_code == 404
        assert sorted(p.name for p in (store / "jobs" / doomed).iterdir() if p.is_dir()) == []  # no .partial

        assert api.dataset_files(tiny) == tiny_files
        assert api.job(earlier["id"]) == earlier
        assert api.files(earlier) == earlier_files

        again = api.finished(api.start(demo, remedies=True))
        assert again["state"] == "done", again
        assert set(again["files"]) == set(earlier["files"])
        api.client.close()
    finally:
        server.stop()
