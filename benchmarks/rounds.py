"""What a second round costs over the first at scale: ``match --previous --decisions`` under each policy.

::

    python -m benchmarks.rounds OUT.json [--students 250000] [--region AM13] [--work DIR]

Generates the national preset (or ``--region``'s instance) of ``--students``
students (seed 1, Parquet, under ``--work``, default
``/tmp/stagematch-rounds-bench``), matches it (round 1), draws answers to its
placements with a fixed seed (40 % confirmed, 10 % declined by the student,
3 % by the company, 2 % withdrawn), and matches round 2 with ``--previous``
and ``--decisions`` under ``fewest_moves``, ``never_move`` and ``off``. Each
run is the installed ``stagematch`` command, one at a time, timed by
``/usr/bin/time -v`` (wall clock and peak resident memory); ``timings.json``
gives the stages and ``summary.json`` the changes.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
import shutil
import subprocess
import sys
from pathlib import Path

SHARES = (("confirmed", 0.40), ("declined_by_student", 0.10), ("declined_by_company", 0.03), ("withdrawn", 0.02))


def _timed(command: list[str]) -> dict:
    """Run ``command`` under ``/usr/bin/time -v``: its wall-clock seconds and peak memory (MB)."""
    done = subprocess.run(["/usr/bin/time", "-v", *command], capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}")
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", done.stderr).group(1)
    seconds = sum(float(part) * 60 ** i for i, part in enumerate(reversed(wall.split(":"))))
    peak = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr).group(1))
    return {"seconds": round(seconds, 2), "peak_mb": round(peak / 1024)}


def _answers(placements: Path, out: Path, seed: int = 1) -> dict[str, int]:
    """decisions.csv answering round 1's placements with :data:`SHARES` of them; the count of each."""
    rng = random.Random(seed)
    counts = dict.fromkeys((kind for kind, _ in SHARES), 0)
    with placements.open(encoding="utf-8", newline="") as source, out.open("w", encoding="utf-8", newline="") as sink:
        writer = csv.writer(sink, lineterminator="\n")
        writer.writerow(("student_id", "vacancy_id", "company_id", "period_id", "decision", "date"))
        for row in csv.DictReader(source):
            u, edge = rng.random(), 0.0
            for kind, share in SHARES:
                edge += share
                if u < edge:
                    vacancy = row["vacancy_id"] if kind in ("confirmed", "declined_by_student") else ""
                    company = row["company_id"] if kind == "declined_by_company" else ""
                    period = row["period_id"] if kind == "confirmed" else ""
                    writer.writerow((row["student_id"], vacancy, company, period, kind, "2026-11-20"))
                    counts[kind] += 1
                    break
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--students", type=int, default=250_000)
    parser.add_argument("--region", default=None, help="one region instead of the national preset")
    parser.add_argument("--work", type=Path, default=Path("/tmp/stagematch-rounds-bench"))
    args = parser.parse_args()
    command = str(Path(sys.executable).with_name("stagematch"))
    shutil.rmtree(args.work, ignore_errors=True)
    args.work.mkdir(parents=True)
    instance = args.work / "instance"
    where = ["--region", args.region] if args.region else ["--preset", "national"]
    subprocess.run([command, "generate", str(instance), *where, "--students", str(args.students),
                    "--format", "parquet"], check=True, capture_output=True)
    report: dict = {"students": args.students, "region": args.region or "national"}
    report["round_1"] = _timed([command, "match", str(instance), "--out", str(args.work / "round-1"), "-q"])
    report["decisions"] = _answers(args.work / "round-1" / "placements.csv", args.work / "decisions.csv")
    for keep in ("fewest_moves", "never_move", "off"):
        out = args.work / f"round-2-{keep}"
        run = _timed([command, "match", str(instance), "--out", str(out), "--previous", str(args.work / "round-1"),
                      "--decisions", str(args.work / "decisions.csv"), "--keep-previous", keep, "-q"])
        summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
        run["stages"] = json.loads((out / "timings.json").read_text(encoding="utf-8"))
        run["changes"] = summary["counts"]["changes"]
        run["placed"] = summary["counts"]["placed"]
        run["proven_optimal"] = summary["proof"]["proven_optimal"]
        report[f"round_2_{keep}"] = run
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
