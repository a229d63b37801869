"""What a school and a planner read of a job's files: their rows only, or aggregates with small counts hidden."""

from __future__ import annotations

import csv
import io
import json

from matcher.io.safe_cells import restore
from matcher.report.privacy import SMALL_CELL, is_small


def rows_of_schools(data: bytes, school_ids: frozenset[str]) -> bytes:
    """The rows of a result CSV whose ``school_id`` is one of ``school_ids`` (the header kept).

    Cells are copied as written (already safe to open); the comparison is on the id each cell stands for.
    """
    reader = csv.reader(io.StringIO(data.decode("utf-8"), newline=""))
    header = next(reader, None)
    out = io.StringIO(newline="")
    if header is None:
        return b""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    column = header.index("school_id")
    writer.writerows(row for row in reader if restore(row[column]) in school_ids)
    return out.getvalue().encode("utf-8")


def _hidden(count: int) -> int | str:
    return SMALL_CELL if is_small(count) else count


def public_calendar_summary(data: bytes) -> bytes:
    """The calendar's ``summary.json`` without its list of moves, counts below 5 shown as ``<5``."""
    summary = json.loads(data)
    public = {key: summary[key] for key in ("stagematch", "instance", "input_hash", "objective", "limits")
              if key in summary}
    for part in ("today", "proposed", "gain"):
        if part in summary:
            public[part] = {key: _hidden(value) if isinstance(value, int) and key != "secondary_cost" else value
                            for key, value in summary[part].items()}
    bound = summary.get("bound", {})
    public["bound"] = {key: bound[key] for key in ("gap", "proven_optimal") if key in bound}
    return (json.dumps(public, indent=2) + "\n").encode("utf-8")


def _hidden_number(text: str) -> str:
    """A count (a mean of counts, or a change in one) cell, ``<5`` when between 0 and 5 away from 0."""
    try:
        value = abs(float(text))
    except ValueError:
        return text
    return SMALL_CELL if is_small(value) else text


def public_counts_table(data: bytes, columns: tuple[str, ...]) -> bytes:
    """A CSV with every count in ``columns`` (or in a column starting with one of them) below 5 shown as ``<5``."""
    reader = csv.DictReader(io.StringIO(data.decode("utf-8"), newline=""))
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=reader.fieldnames or [], lineterminator="\n")
    writer.writeheader()
    counted = [c for c in reader.fieldnames or [] if c.startswith(columns)]
    for row in reader:
        writer.writerow({**row, **{c: _hidden_number(row[c]) for c in counted}})
    return out.getvalue().encode("utf-8")


def hidden_count(value):
    """A count, a mean of counts or a change in one, ``<5`` when between 0 and 5 away from 0; a dict of
    them (mean, low, high), each so."""
    if isinstance(value, dict):
        return {key: hidden_count(v) for key, v in value.items()}
    if isinstance(value, (int, float)) and not isinstance(value, bool) and is_small(abs(value)):
        return SMALL_CELL
    return value


# The counts of students in a simulation's summary.json, per scenario and per round of a season.
SIMULATION_SUMMARY_COUNTS = ("placed", "unplaced", "placed_change_vs_baseline", "students_gaining",
                             "students_losing", "unplaced_by_first_period")


def public_simulation_summary(data: bytes) -> bytes:
    """A simulation's ``summary.json`` with every count of students below 5 (and every mean, bound or change
    of one) shown as ``<5``: per scenario, per first period and per round of a season."""
    summary = json.loads(data)
    for scenario in summary.get("scenarios", []):
        for key in SIMULATION_SUMMARY_COUNTS:
            if key in scenario:
                scenario[key] = hidden_count(scenario[key])
    season = summary.get("season")
    if isinstance(season, dict) and "mean_over_runs" in season:
        counted = SIMULATION_COUNTS["season.csv"]
        season["mean_over_runs"] = {
            keep: [{key: hidden_count(value) if key.startswith(counted) else value for key, value in row.items()}
                   for row in rounds]
            for keep, rounds in season["mean_over_runs"].items()}
    return (json.dumps(summary, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


# Per simulation file a planner reads: the columns that count students (or places) in small groups.
SIMULATION_COUNTS = {"shortages.csv": ("seeking", "unplaced", "places", "free"),
                     "scenarios.csv": ("placed", "unplaced", "gaining", "losing", "students_"),
                     "season.csv": ("proposals", "confirmed", "pending", "declined", "changed", "placed", "unplaced")}


def planner_view(kind: str, name: str, data: bytes) -> bytes:
    """What a planner reads of file ``name`` of a ``kind`` job (already checked to be readable)."""
    if kind == "calendar" and name == "calendar.csv":  # each cohort's students, and its gain
        return public_counts_table(data, ("students", "gain"))
    if kind == "calendar" and name == "summary.json":
        return public_calendar_summary(data)
    if kind == "simulate" and name in SIMULATION_COUNTS:
        return public_counts_table(data, SIMULATION_COUNTS[name])
    if kind == "simulate" and name == "summary.json":
        return public_simulation_summary(data)
    return data
