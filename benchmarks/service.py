"""How much the service costs over the command line, and how fast it answers a status poll while it matches.

::

    python -m benchmarks.service OUT.json [--students N --region AM13] [--repetitions 3] [--db URL]

(a) **Demo end to end**: the demo instance (``instances/demo``), remedies off
and on, through the API of a real ``stagematch serve`` (upload the zip, POST
the match job, poll it until done, download ``placements.csv`` and
``unplaced.csv``) against ``stagematch match`` on the same folder, wall-clock
seconds, each repeated (default 3 times, interleaved), medians and ratios. A
job's process runs the engine with one process (``jobs=1``), so the command
line runs both with ``--jobs 1`` (the same work) and with its default (all
cores, what a user gets).

(b) **Status polls under load**: a large match (default the national preset,
250,000 students, seed 1; ``--students N --region AM13`` for a quicker one)
runs while 20 pollers (threads of this process, an ``httpx.Client`` each) GET
``/jobs/{id}``, each pausing ``interval`` seconds between polls (their starts
spread over the interval, as independent clients' are; each poller's first
poll, which opens its connection, not counted), for
``--phase-seconds`` per interval in ``--intervals`` (0: back to back). Only
polls answered "running" count. The same phases are repeated once the match
has ended (nothing running) for comparison. Latencies are client-side: the
pollers share the machine's cores with the server and the match.

The server uses a fresh SQLite database and store under ``--work`` (default
``/tmp/stagematch-service-bench``; ``--db`` for another database, which then
gets a new organisation of its own). Server start-up is not timed; the
generated instance is cached as Parquet under ``benchmarks/results/instances/``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from pathlib import Path

import httpx
import numpy as np

from benchmarks.run import library_versions, machine_info
from tests.support.service import ServerProcess, zipped

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "instances" / "demo"
CACHE = REPO / "benchmarks" / "results" / "instances"
FILES = ("placements.csv", "unplaced.csv")
FINISHED = ("done", "failed", "cancelled", "interrupted")
POLLERS = 20


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


class Server(ServerProcess):
    """``stagematch serve`` in a process of its own on a free loopback port, with one adviser office's token."""

    def __init__(self, database: str, store: Path, region: str, workers: int) -> None:
        from matcher.app.service.core import Service, Settings

        service = Service(Settings(database=database, store=store))
        name = f"Benchmark {uuid.uuid4().hex[:8]}"
        service.create_organisation(name, "adviser", [region])
        self.token = service.create_token(name, label="benchmark")[1]
        service.engine.dispose()
        super().__init__(database, store, "--workers", str(workers))

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, headers={"Authorization": f"Bearer {self.token}"}, timeout=600)


def _checked(response: httpx.Response, *expected: int) -> httpx.Response:
    if response.status_code not in expected:
        raise SystemExit(f"{response.request.method} {response.request.url.path}: {response.status_code} "
                         f"{response.text[:500]}")
    return response


def _upload(client: httpx.Client, data: bytes, name: str, region: str) -> int:
    response = client.post("/datasets", params={"name": name, "region": region}, content=data,
                           headers={"Content-Type": "application/zip"})
    return _checked(response, 200, 201).json()["id"]


def _start(client: httpx.Client, dataset: int, remedies: bool) -> str:
    response = client.post("/jobs", json={"kind": "match", "dataset": dataset, "options": {"remedies": remedies}})
    return _checked(response, 202).json()["id"]


def _wait(client: httpx.Client, job_id: str, every: float = 0.05) -> dict:
    while True:
        job = _checked(client.get(f"/jobs/{job_id}"), 200).json()
        if job["state"] in FINISHED:
            if job["state"] != "done":
                raise SystemExit(f"job {job_id} ended {job['state']}: {job.get('error')}")
            return job
        time.sleep(every)


def _job_seconds(job: dict) -> float:
    started, finished = (datetime.fromisoformat(job[key].replace("Z", "+00:00")) for key in ("started", "finished"))
    return round((finished - started).total_seconds(), 3)


# --- (a) the demo, end to end ----------------------------------------------------------------


def api_run(server: Server, data: bytes, remedies: bool) -> dict:
    """Upload, match, poll to done, download the two result files: wall-clock seconds, and the job's own."""
    with server.client() as client:
        start = time.perf_counter()
        dataset = _upload(client, data, "demo", "AM13")
        job = _wait(client, _start(client, dataset, remedies))
        sizes = {name: len(_checked(client.get(f"/jobs/{job['id']}/files/{name}"), 200).content) for name in FILES}
        wall = time.perf_counter() - start
    return {"seconds": round(wall, 3), "job_seconds": _job_seconds(job), "bytes": sizes}


def cli_run(out: Path, remedies: bool, jobs: int | None) -> dict:
    """``stagematch match`` on the demo, as a fresh process: wall-clock seconds."""
    shutil.rmtree(out, ignore_errors=True)
    command = [str(Path(sys.executable).parent / "stagematch"), "match", str(DEMO), "--out", str(out), "-q"]
    command += ["--remedies"] if remedies else []
    command += ["--jobs", str(jobs)] if jobs else []
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}")
    return {"seconds": round(wall, 3), "bytes": {name: (out / name).stat().st_size for name in FILES}}


def bench_demo(server: Server, work: Path, repetitions: int) -> dict:
    data = zipped(DEMO)
    results = {}
    for remedies in (False, True):
        runs = {"api": [], "cli_jobs_1": [], "cli_default": []}
        for rep in range(repetitions):
            _log(f"  demo, remedies {'on' if remedies else 'off'}, repetition {rep + 1}/{repetitions}")
            runs["cli_jobs_1"].append(cli_run(work / "cli", remedies, 1))
            runs["cli_default"].append(cli_run(work / "cli", remedies, None))
            runs["api"].append(api_run(server, data, remedies))
        if any(run["bytes"] != runs["api"][0]["bytes"] for values in runs.values() for run in values):
            raise SystemExit("the service's result files differ in size from the command line's")
        medians = {key: round(statistics.median(run["seconds"] for run in values), 3)
                   for key, values in runs.items()}
        results["remedies" if remedies else "plain"] = {
            "runs": runs, "median_seconds": medians,
            "median_job_seconds": round(statistics.median(run["job_seconds"] for run in runs["api"]), 3),
            "ratio_to_cli_jobs_1": round(medians["api"] / medians["cli_jobs_1"], 3),
            "ratio_to_cli_default": round(medians["api"] / medians["cli_default"], 3)}
    return results


# --- (b) status polls while a large match runs -----------------------------------------------


def large_instance(students: int | None, region: str | None, seed: int) -> Path:
    """The Parquet folder of the instance to match, generated once (not timed)."""
    from matcher.app import pipelines

    name = f"service-{region or 'national'}-{students or 'preset'}-s{seed}"
    folder = CACHE / name
    if (folder / "generator.json").is_file():
        return folder
    _log(f"  generating {name} (not timed) ...")
    start = time.perf_counter()
    options = {"region": region} if region else {"preset": "national"}
    pipelines.generate(folder, students=students, seed=seed, fmt="parquet", overwrite=True, **options)
    _log(f"  generated in {time.perf_counter() - start:.0f} s")
    return folder


def _poller(server: Server, job_id: str, interval: float, offset: float, until: float,
            running_only: bool) -> list[float]:
    """Poll from ``offset`` seconds on until ``until``; the seconds of each poll answered (as running, with
    ``running_only``)."""
    seen = []
    with server.client() as client:
        _checked(client.get(f"/jobs/{job_id}"), 200)  # not counted: the connection, the server's new thread
        time.sleep(offset)
        while time.monotonic() < until:
            start = time.perf_counter()
            response = client.get(f"/jobs/{job_id}")
            elapsed = time.perf_counter() - start
            _checked(response, 200)
            if not running_only or response.json()["state"] == "running":
                seen.append(elapsed)
            if interval:
                time.sleep(interval)
    return seen


def _phase(server: Server, job_id: str, interval: float, seconds: float, running_only: bool) -> dict:
    until = time.monotonic() + seconds
    with ThreadPoolExecutor(max_workers=POLLERS) as pool:
        # Spread over the interval, as independent clients are, not in bursts of twenty at once.
        futures = [pool.submit(_poller, server, job_id, interval, n * interval / POLLERS, until, running_only)
                   for n in range(POLLERS)]
        latencies = np.array([t for future in futures for t in future.result()]) * 1000
    if not len(latencies):
        return {"interval": interval, "polls": 0}
    return {"interval": interval, "polls": int(len(latencies)), "per_second": round(len(latencies) / seconds, 1),
            "p50_ms": round(float(np.percentile(latencies, 50)), 1),
            "p99_ms": round(float(np.percentile(latencies, 99)), 1), "max_ms": round(float(latencies.max()), 1)}


def bench_polls(server: Server, folder: Path, region: str, intervals: list[float], seconds: float) -> dict:
    with server.client() as client:
        _log(f"  uploading {folder.name} ...")
        start = time.perf_counter()
        dataset = _upload(client, zipped(folder), "large", region)
        upload_seconds = round(time.perf_counter() - start, 1)
        students = _checked(client.get(f"/datasets/{dataset}"), 200).json()["students"]
        job_id = _start(client, dataset, False)
        while _checked(client.get(f"/jobs/{job_id}"), 200).json()["state"] == "queued":
            time.sleep(0.05)
        running = []
        for interval in intervals:
            if _checked(client.get(f"/jobs/{job_id}"), 200).json()["state"] != "running":
                break
            _log(f"  {POLLERS} pollers, {interval} s apart, while the match runs ...")
            running.append(_phase(server, job_id, interval, seconds, running_only=True))
        _log("  waiting for the match to end ...")
        job = _wait(client, job_id, every=0.5)
        idle = []
        for interval in intervals:
            _log(f"  {POLLERS} pollers, {interval} s apart, nothing running ...")
            idle.append(_phase(server, job_id, interval, seconds, running_only=False))
    return {"instance": folder.name, "students": students, "upload_seconds": upload_seconds,
            "job_seconds": _job_seconds(job), "pollers": POLLERS, "phase_seconds": seconds,
            "while_matching": running, "idle": idle}


# --- report -----------------------------------------------------------------------------------


def render(report: dict) -> str:
    lines = ["| demo match | API s | CLI --jobs 1 s | CLI default s | API ÷ CLI --jobs 1 | API ÷ CLI default "
             "| job process s |", "|---|---:|---:|---:|---:|---:|---:|"]
    for key, label in (("plain", "remedies off"), ("remedies", "remedies on")):
        if key not in report.get("demo", {}):
            continue
        row = report["demo"][key]
        m = row["median_seconds"]
        lines.append(f"| {label} | {m['api']:.2f} | {m['cli_jobs_1']:.2f} | {m['cli_default']:.2f} | "
                     f"{row['ratio_to_cli_jobs_1']:.2f} | {row['ratio_to_cli_default']:.2f} | "
                     f"{row['median_job_seconds']:.2f} |")
    polls = report.get("polls")
    if polls:
        lines += ["", f"Status polls: {polls['pollers']} pollers, {polls['phase_seconds']:.0f} s per phase; match of "
                      f"{polls['instance']} ({polls['students']:,} students) took {polls['job_seconds']:.1f} s in "
                      f"its job (upload {polls['upload_seconds']:.1f} s).", "",
                  "| while | pause between polls s | polls | polls/s | p50 ms | p99 ms | max ms |",
                  "|---|---:|---:|---:|---:|---:|---:|"]
        for label, key in (("matching", "while_matching"), ("idle", "idle")):
            for phase in polls[key]:
                if phase["polls"]:
                    lines.append(f"| {label} | {phase['interval']:g} | {phase['polls']:,} | {phase['per_second']} | "
                                 f"{phase['p50_ms']} | {phase['p99_ms']} | {phase['max_ms']} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="JSON file of the figures to write")
    parser.add_argument("--work", type=Path, default=Path("/tmp/stagematch-service-bench"))
    parser.add_argument("--db", help="database URL (default: a fresh SQLite file under --work)")
    parser.add_argument("--repetitions", type=int, default=3)
    parser.add_argument("--students", type=int, help="students of the large instance (default: the national 250,000)")
    parser.add_argument("--region", help="region of the large instance (default: national)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--intervals", default="1,0.1,0", help="seconds between a poller's polls, per phase")
    parser.add_argument("--phase-seconds", type=float, default=15.0)
    parser.add_argument("--skip", choices=("demo", "polls"), help="leave one part out")
    args = parser.parse_args(argv)
    if args.region and args.students is None:
        parser.error("--region needs --students")

    shutil.rmtree(args.work, ignore_errors=True)
    args.work.mkdir(parents=True)
    database = args.db or f"sqlite:///{args.work / 'service.db'}"
    started = time.perf_counter()
    report = {"date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
              "command": " ".join(["python -m benchmarks.service", *(argv if argv is not None else sys.argv[1:])]),
              "database": database.split(":", 1)[0], "machine": machine_info(), "versions": library_versions()}
    large = None if args.skip == "polls" else large_instance(args.students, args.region, args.seed)
    server = Server(database, args.work / "store", args.region or "AM13", workers=1)
    try:
        if args.skip != "demo":
            _log("(a) the demo match, end to end")
            report["demo"] = bench_demo(server, args.work, args.repetitions)
        if large is not None:
            _log("(b) status polls while a large match runs")
            intervals = [float(x) for x in args.intervals.split(",") if x]
            report["polls"] = bench_polls(server, large, args.region or "AM13", intervals, args.phase_seconds)
    finally:
        server.stop()
    report["benchmark_seconds"] = round(time.perf_counter() - started, 1)
    table = render(report)
    print(table)
    args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    _log(f"wrote {args.out} in {report['benchmark_seconds']:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
