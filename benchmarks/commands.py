"""Every command at national scale: wall time and peak memory of each, one run each (issue 15).

    python -m benchmarks.commands [--out benchmarks/results] [--only match,remedies,advise,...] [--keep]

Each command runs as the user runs it, ``stagematch …`` in a process of its own, on the main benchmark's
national instance (``python -m benchmarks.run``'s ``national`` size, generated once and cached, not timed).
Memory is the largest sum of the proportional set sizes (PSS: a page shared by forked workers counts once
in all) of the command and every process it starts, sampled every 0.2 s (psutil, which Dask's test extra
brings): "within 4 GiB in all processes together". Results go to
``<out>/commands.json`` and ``<out>/commands.md``; with ``--keep`` the commands not run this time keep their
figures from the earlier file (each command's figures say when they were measured). A benchmark, not a test:
nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.run import DEFAULT_OUT, JOBS, ensure_instance, machine_info, size_specs

SCENARIO = """# A national what-if for the benchmark: companies drop out, drawn again in every run.
seed = 1

[[scenario]]
name = "5 % of companies drop out"
[scenario.dropout]
rate = 0.05
"""
SAMPLE_SECONDS = 0.2


def _largest_school(instance: Path) -> str:
    import pandas as pd

    schools = pd.read_parquet(instance / "students.parquet", columns=["school_id"])["school_id"]
    counts = schools.value_counts()
    return str(counts.index[0])


def commands(instance: Path, work: Path) -> dict[str, list[str]]:
    """What each measured command runs (after ``stagematch``), in the order they run: the later ones read
    the first match's result."""
    match, scenario = work / "match", work / "scenario.toml"
    scenario.write_text(SCENARIO, encoding="utf-8")
    jobs = ["--jobs", str(JOBS)]
    return {
        "match": ["match", str(instance), "--out", str(match), *jobs],
        "remedies": ["match", str(instance), "--out", str(work / "match-remedies"), "--remedies", *jobs],
        "advise": ["advise", str(match), *jobs],
        "suggest": ["suggest", str(instance), "--school", _largest_school(instance), "--out",
                    str(work / "shortlists.csv"), *jobs],
        "suggest_read": ["suggest", "--result", str(match), "--school", _largest_school(instance), "--out",
                         str(work / "shortlists-read.csv")],
        "calendar": ["calendar", str(instance), "--out", str(work / "calendar"), "--max-moves", "10", *jobs],
        "simulate": ["simulate", str(instance), str(scenario), "--runs", "20", "--out", str(work / "simulate"),
                     *jobs],
    }


def measure(arguments: list[str]) -> dict:
    """Run ``stagematch arguments``; its seconds, the peak of its processes' memory (PSS), and its exit."""
    import psutil

    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "matcher.app.cli", *arguments],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    root, peak = psutil.Process(process.pid), 0
    while process.poll() is None:
        total = 0
        try:
            for member in [root, *root.children(recursive=True)]:
                total += member.memory_full_info().pss
        except psutil.Error:  # a worker ended between the listing and the reading
            pass
        peak = max(peak, total)
        time.sleep(SAMPLE_SECONDS)
    seconds = time.perf_counter() - start
    error = process.stderr.read().decode("utf-8", "replace")[-2000:] if process.returncode else ""
    return {"seconds": round(seconds, 1), "peak_mib": round(peak / 2**20), "exit": process.returncode,
            "measured": time.strftime("%Y-%m-%d %H:%M"), **({"error": error} if error else {})}


GOALS = {  # issue 15's goals: seconds (remedies: beyond the match) and MiB
    "match": "≤ 0.5× OR-Tools' solve, ≤ 3 GiB", "remedies": "≤ match + 60 s", "advise": "≤ 60 s",
    "suggest": "≤ 10 s", "suggest_read": "≤ 10 s", "calendar": "≤ 180 s", "simulate": "≤ 600 s",
}
LABELS = {"match": "match", "remedies": "match --remedies", "advise": "advise", "suggest": "suggest (one school)",
          "suggest_read": "suggest --result (one school, the match read back)",
          "calendar": "calendar --max-moves 10", "simulate": "simulate --runs 20"}


def render(report: dict) -> str:
    """The markdown table of a report."""
    lines = [f"National instance `{report['instance']}`, {report['machine']['nproc']} cores; one run each, "
             f"`stagematch … --jobs {JOBS}` where it has jobs.", "",
             "| command | seconds | peak memory, all processes | measured | goal (issue 15) |",
             "|---|---:|---:|---|---|"]
    for name, figures in report["commands"].items():
        state = "" if figures["exit"] == 0 else f" (exit {figures['exit']})"
        lines.append(f"| `stagematch {LABELS[name]}` | {figures['seconds']}{state} | "
                     f"{figures['peak_mib']:,} MiB | {figures.get('measured', report['date'])} | {GOALS[name]} |")
    return "\n".join(lines) + "\n"


def kept(earlier: dict, report: dict) -> dict:
    """``report`` with the commands it did not run taken from ``earlier`` (same instance only), in the
    order of :data:`GOALS`."""
    if earlier.get("instance") != report["instance"]:
        return report
    for key in ("commands", "arguments"):
        merged = {**earlier.get(key, {}), **report[key]}
        report[key] = {name: merged[name] for name in GOALS if name in merged}
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.commands", description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="results folder (default: benchmarks/results)")
    parser.add_argument("--only", default=",".join(GOALS), help="commands to run, comma-separated (default: all)")
    parser.add_argument("--keep", action="store_true",
                        help="keep the earlier figures of the commands not run this time")
    args = parser.parse_args(argv)
    wanted = [name for name in args.only.split(",") if name]
    unknown = sorted(set(wanted) - set(GOALS))
    if unknown:
        parser.error(f"unknown commands: {', '.join(unknown)} (known: {', '.join(GOALS)})")
    if {"advise", "suggest_read"} & set(wanted) and "match" not in wanted:
        wanted.append("match")  # they read the match's result
    instance = ensure_instance(size_specs()["national"], args.out / "instances")
    work = Path(tempfile.mkdtemp(prefix="stagematch-commands-"))
    try:
        arguments = commands(instance, work)
        report = {"instance": instance.name, "date": time.strftime("%Y-%m-%d"), "machine": machine_info(),
                  "arguments": {name: arguments[name] for name in wanted}, "commands": {}}
        for name in GOALS:
            if name not in wanted:
                continue
            print(f"  {name} ...", file=sys.stderr, flush=True)
            report["commands"][name] = measure(arguments[name])
            print(f"  {name}: {report['commands'][name]}", file=sys.stderr, flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    args.out.mkdir(parents=True, exist_ok=True)
    earlier = args.out / "commands.json"
    if args.keep and earlier.is_file():
        report = kept(json.loads(earlier.read_text(encoding="utf-8")), report)
    earlier.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    (args.out / "commands.md").write_text(render(report), encoding="utf-8")
    print(render(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
