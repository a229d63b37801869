"""Twenty clients polling a real server while two matches run on it get no server error: every status, list and
file request is answered (``200``, or the documented ``404`` for a file of a job that has not finished), the
files of a finished match keep their bytes, and both matches finish."""

from __future__ import annotations

import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import httpx

from matcher.app.service.core import Settings
from tests.support.paths import DEMO, TINY
from tests.support.service import ServerProcess, add_organisations, bearer, zipped

CLIENTS = 20
REQUESTS = 40  # per client
DEADLINE = 600  # seconds: a bound on the test, not a measurement
FINISHED = ("done", "failed", "cancelled", "interrupted")


def _poll(url: str, token: str, matches: list[str], finished: dict, stop: threading.Event, client_no: int):
    """One client's requests, in turn: a match's status, the job list, the dataset list, a finished match's file,
    a running match's file. Each response as ``(path, status, problem)``; ``problem`` empty when as expected."""
    seen = []
    names = sorted(finished["files"])
    with httpx.Client(base_url=url, headers=bearer(token), timeout=120) as client:
        for n in range(REQUESTS):
            if stop.is_set():
                break
            turn = (client_no + n) % 5
            match = matches[(client_no + n) % len(matches)]
            if turn == 0:
                path = f"/jobs/{match}"
            elif turn == 1:
                path = "/jobs"
            elif turn == 2:
                path = "/datasets"
            elif turn == 3:
                path = f"/jobs/{finished['id']}/files/{names[n % len(names)]}"
            else:
                path = f"/jobs/{match}/files/placements.csv"
            response = client.get(path)
            seen.append((path, response.status_code, _problem(path, response, finished, matches)))
    return seen


def _problem(path: str, response: httpx.Response, finished: dict, matches: list[str]) -> str:
    """What is wrong with ``response`` to ``GET path`` (empty when nothing is)."""
    if path.startswith(f"/jobs/{finished['id']}/files/"):
        name = path.rpartition("/")[2]
        if response.status_code != 200 or response.content != finished["bytes"][name]:
            return f"{response.status_code}: not the finished match's bytes"
        return ""
    if path.endswith("/files/placements.csv"):  # a job's files exist once it is done, not before: 404
        if response.status_code == 404 and "not found" in response.json()["detail"]:
            return ""
        return "" if response.status_code == 200 else f"{response.status_code}: {response.text[:200]}"
    if response.status_code != 200:
        return f"{response.status_code}: {response.text[:200]}"
    body = response.json()
    if path == "/jobs":
        return "" if set(matches) <= {job["id"] for job in body} else "a running match is missing from the list"
    if path == "/datasets":
        return "" if len(body) == 2 else f"{len(body)} datasets listed, not 2"
    return "" if body["state"] in ("queued", "running", "done") else f"the match is {body['state']}"


def test_twenty_pollers_during_two_matches_get_no_server_error(database_url, tmp_path):
    """Two demo matches (with remedies) run at once while 20 clients poll statuses, lists and a finished match's
    files, 40 requests each.

    Checks
    ------
    - no response is a 5xx, and each is ``200`` (``404`` only for the file of a match not yet done);
    - the finished match's files are served with their bytes every time;
    - both matches end ``done``.
    """
    store = tmp_path / "store"
    tokens, _ = add_organisations(Settings(database=database_url, store=store))
    server = ServerProcess(database_url, store, "--workers", "2")
    try:
        with httpx.Client(base_url=server.url, headers=bearer(tokens["adviser"]), timeout=120) as api:

            def upload(folder, name: str) -> int:
                response = api.post("/datasets", params={"name": name, "region": "AM13"}, content=zipped(folder),
                                    headers={"Content-Type": "application/zip"})
                assert response.status_code == 201, response.text
                return response.json()["id"]

            def start(dataset: int) -> str:
                response = api.post("/jobs", json={"kind": "match", "dataset": dataset, "options": {"remedies": True}})
                assert response.status_code == 202, response.text
                return response.json()["id"]

            def state(job_id: str) -> dict:
                response = api.get(f"/jobs/{job_id}")
                assert response.status_code == 200, response.text
                return response.json()

            tiny, demo = upload(TINY, "tiny"), upload(DEMO, "demo")
            finished = start(tiny)
            deadline = time.monotonic() + DEADLINE
            while state(finished)["state"] not in FINISHED and time.monotonic() < deadline:
                time.sleep(0.1)
            finished = state(finished)
            assert finished["state"] == "done", finished
            finished["bytes"] = {name: api.get(f"/jobs/{finished['id']}/files/{name}").content
                                 for name in finished["files"]}

            matches = [start(demo), start(demo)]
            stop = threading.Event()

            def watch() -> None:  # stops the clients once both matches have ended, or at the deadline
                while time.monotonic() < deadline and not all(state(m)["state"] in FINISHED for m in matches):
                    time.sleep(0.2)
                stop.set()

            watcher = threading.Thread(target=watch, daemon=True)
            watcher.start()
            with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
                futures = [pool.submit(_poll, server.url, tokens["adviser"], matches, finished, stop, n)
                           for n in range(CLIENTS)]
                seen = [entry for future in futures for entry in future.result()]
            watcher.join(DEADLINE)

            statuses = Counter(status for _, status, _ in seen)
            assert not [status for status in statuses if status >= 500], statuses
            problems = [(path, problem) for path, _, problem in seen if problem]
            assert problems == [], (statuses, problems[:10])
            assert set(statuses) <= {200, 404}, statuses
            assert len(seen) > CLIENTS, statuses  # the clients did poll while the matches ran

            ended = [state(m) for m in matches]
            assert [job["state"] for job in ended] == ["done", "done"], ended
            for job in ended:
                assert api.get(f"/jobs/{job['id']}/files/placements.csv").status_code == 200
    finally:
        server.stop()
