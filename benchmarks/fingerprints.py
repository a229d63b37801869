"""Fingerprints of every command's outputs, to prove a refactoring changed no byte.

Runs the installed ``stagematch`` command the way a user does (match with
remedies, advise, suggest, report in both languages, calendar, simulate) on
the demo instance and on a generated AM13 region, and writes the SHA-256 of
every output file except ``timings.json`` (seconds differ from run to run) and
``instance.json`` (where the instance lies)::

    python -m benchmarks.fingerprints before.json        # on the old code
    python -m benchmarks.fingerprints after.json         # on the new code
    diff before.json after.json                           # empty: nothing changed

It takes about three minutes on two cores. The work folder is fixed
(``--work``, default ``/tmp/stagematch-fingerprints``) because a result
records where its instance lives.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]
# A scenario for any instance: extra places for care and 5 % of companies dropping out.
GENERIC_SCENARIO = """seed = 1
[[scenario]]
name = "more care places"
[[scenario.places]]
sector = "Zorg/welzijn/sport"
change = 20
[[scenario]]
name = "dropout"
[scenario.dropout]
rate = 0.05
"""


def _stagematch(*args: str) -> None:
    command = [str(Path(sys.executable).parent / "stagematch"), *map(str, args)]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}")


def _first_school(instance: Path) -> str:
    with open(instance / "students.csv", encoding="utf-8") as fh:
        header = fh.readline().rstrip("\n").split(",")
        return fh.readline().rstrip("\n").split(",")[header.index("school_id")]


def run_all(instance: Path, scenario: Path, work: Path) -> None:
    """Every command on ``instance``, its outputs under ``work``."""
    result = work / "result"
    _stagematch("match", instance, "--out", result, "-q", "--remedies", "--jobs", "2")
    _stagematch("advise", result, "--verify", "5")
    _stagematch("suggest", instance, "--school", _first_school(instance), "-k", "3", "--out",
                work / "shortlists.csv")
    _stagematch("report", result, "--out", work / "report-nl")
    _stagematch("report", result, "--out", work / "report-en", "--lang", "en")
    _stagematch("calendar", instance, "--out", work / "calendar", "--max-moves", "3", "-q")
    _stagematch("simulate", instance, scenario, "--out", work / "simulation", "--runs", "3", "-q")


# Seconds, and the instance folder's absolute path: they differ between checkouts.
UNCOMPARED = ("timings.json", "instance.json")


def fingerprints(work: Path) -> dict[str, str]:
    """SHA-256 of each file under ``work`` (but :data:`UNCOMPARED`), by path relative to it."""
    return {str(p.relative_to(work)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(work.rglob("*")) if p.is_file() and p.name not in UNCOMPARED}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="JSON file of fingerprints to write")
    parser.add_argument("--work", type=Path, default=Path("/tmp/stagematch-fingerprints"))
    args = parser.parse_args(argv)
    shutil.rmtree(args.work, ignore_errors=True)
    args.work.mkdir(parents=True)
    am13 = args.work / "am13" / "instance"
    _stagematch("generate", "--region", "AM13", "--students", "3000", "--seed", "4", am13)
    scenario = args.work / "generic.toml"
    scenario.write_text(GENERIC_SCENARIO, encoding="utf-8")
    cases = {"demo": (REPOSITORY / "instances" / "demo", REPOSITORY / "instances" / "scenarios" / "demo.toml"),
             "am13": (am13, scenario)}
    found: dict[str, str] = {}
    for name, (instance, scenario_file) in cases.items():
        run_all(instance, scenario_file, args.work / name)
        found.update({f"{name}/{path}": digest for path, digest in fingerprints(args.work / name).items()})
    args.out.write_text(json.dumps(found, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{len(found)} files fingerprinted into {args.out}")


if __name__ == "__main__":
    main()
