"""The calendar folder: the proposed calendar, its summary, and the moved students.

``calendar.csv``, ``summary.json`` and ``students.csv`` depend only on the
input and the limits (byte-identical for the same ones); ``timings.json`` is
kept apart. ``students.csv`` is the instance's students table with the
proposed periods: put it in place of the instance's own to match the
proposed calendar with ``stagematch match``.
"""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path

import pandas as pd

from matcher.engine.result import Result, csv_bytes
from matcher.io import write_instance
from matcher.io.folders import replace_folder
from matcher.plan.calendar import CalendarPlan
from matcher.plan.cohorts import Cohort, cohort_members, student_periods
from models import Instance, input_hash

CALENDAR_FILES = ("calendar.csv", "summary.json", "students.csv", "timings.json")
CALENDAR_COLUMNS = ("school_id", "crebo", "year", "students", "periods_today", "shift", "periods_proposed",
                    "allowed_shifts", "gain")

BOUND_METHOD = (
    "every calendar is a subnetwork of the relaxation in which each movable cohort accepts the "
    "union of its allowed shifted period lists, so on each connected component of the relaxed "
    "network it places at most the relaxation's weighted maximum (two max flows); with at most "
    "max_moves cohorts moved, the gain on a component is also at most what the moved cohorts' "
    "students crossing today's residual min cuts can add, so bound = today + min(sum of the "
    "component gaps, sum of the max_moves largest per-cohort cut counts capped by those gaps)"
)


def _periods_used(instance: Instance, positions, offset: int) -> str:
    """The periods a cohort's students accept, shifted by ``offset``, in calendar order."""
    index = {p: i for i, p in enumerate(instance.period_ids)}
    used = {index[p] + offset for i in positions.tolist()
            for p in student_periods(instance, instance.students[i])}
    return "|".join(instance.period_ids[q] for q in sorted(used))


def calendar_table(instance: Instance, plan: CalendarPlan) -> pd.DataFrame:
    """One row per cohort: today's periods, the proposed shift and periods, and
    the weighted placements its moves gained when the search made them."""
    gained: dict[Cohort, int] = {}
    for move in plan.moves:
        gained[move.cohort] = gained.get(move.cohort, 0) + move.gain
    rows = []
    for cohort, positions in cohort_members(instance).items():
        shift = plan.shifts.get(cohort, 0)
        rows.append((cohort.school_id, cohort.crebo, cohort.year, len(positions),
                     _periods_used(instance, positions, 0), shift, _periods_used(instance, positions, shift),
                     "|".join(str(o) for o in plan.allowed[cohort]), gained.get(cohort, 0)))
    return pd.DataFrame(rows, columns=list(CALENDAR_COLUMNS))


def _figures(result: Result) -> dict:
    counts = result.summary["counts"]
    return {"weighted_placed": result.weighted_placed, "placed": counts["placed"],
            "unplaced": counts["unplaced"], "secondary_cost": result.secondary_cost}


def calendar_summary(instance: Instance, plan: CalendarPlan, today: Result, proposed: Result,
                     limits: dict) -> dict:
    """``summary.json``: today's and the proposed match, the gain, the bound and the search."""
    before, after = _figures(today), _figures(proposed)
    return {
        "stagematch": "calendar/v1",
        "instance": instance.name,
        "input_hash": input_hash(instance),
        "objective": "priority-weighted placed students (the match's first objective)",
        "limits": {**limits, "max_moves": plan.max_moves,
                   "cohorts": len(plan.allowed),
                   "movable_cohorts": sum(len(o) > 1 for o in plan.allowed.values())},
        "today": before,
        "proposed": {**after, "cohorts_moved": len(plan.shifts)},
        "gain": {key: after[key] - before[key] for key in ("weighted_placed", "placed", "unplaced")},
        "bound": {
            "weighted_placed": plan.weighted_bound,
            "relaxation_weighted_placed": plan.weighted_relaxed,
            "gap": plan.gap,
            "proven_optimal": plan.proven,
            "relaxed_components": plan.components,
            "relaxed_components_at_their_bound": plan.components_at_bound,
            "method": BOUND_METHOD,
        },
        "moves": [{"school_id": m.cohort.school_id, "crebo": m.cohort.crebo, "year": m.cohort.year,
                   "shift": m.offset, "gain": m.gain} for m in plan.moves],
        "search": {
            "method": "best improvement over single-cohort moves, then pairs of moves when no "
                      "single move gains; exact gains by max flows on the components a move touches; "
                      "moves whose cut bound cannot beat the best gain are not evaluated",
            "steps": plan.steps, "evaluations": plan.evaluations, "cached": plan.cached,
            "screened_out": plan.screened_out,
        },
        "policy": today.summary["policy"],
        "versions": today.summary["versions"],
    }


def students_bytes(instance: Instance) -> bytes:
    """The instance's students table as ``stagematch`` writes it."""
    with tempfile.TemporaryDirectory() as folder:
        write_instance(instance, Path(folder) / "instance")
        return (Path(folder) / "instance" / "students.csv").read_bytes()


def write_calendar(out: Path, instance: Instance, moved: Instance, plan: CalendarPlan, today: Result,
                   proposed: Result, limits: dict, timings: dict, *, overwrite: bool = False) -> list[Path]:
    """Write the calendar folder at once (see :func:`matcher.io.folders.replace_folder`).

    ``timings`` gets the seconds spent turning the calendar into files (``write``)
    before it is written itself as ``timings.json``.
    """
    start = time.perf_counter()
    summary = calendar_summary(instance, plan, today, proposed, limits)
    files = {
        "calendar.csv": csv_bytes(calendar_table(instance, plan)),
        "summary.json": (json.dumps(summary, indent=2, ensure_ascii=False) + "\n").encode("utf-8"),
        "students.csv": students_bytes(moved),
    }
    timings["write"] = round(time.perf_counter() - start, 4)
    files["timings.json"] = (json.dumps(timings, indent=2) + "\n").encode("utf-8")
    return replace_folder(out, files, CALENDAR_FILES, "calendar", overwrite=overwrite)
