"""What a school and a planner read of a job's files: their rows only, or aggregates with small counts hidden."""

from __future__ import annotations

import csv
import io
import json

from matcher.io.safe_cells import restore
from matcher.report.privacy import SMALL, SMALL_CELL


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
    return SMALL_CELL if 0 < count < SMALL else count


def public_calendar_table(data: bytes) -> bytes:
    """``calendar.csv`` with each cohort's count of students (and its gain) below 5 shown as ``<5``."""
    reader = csv.DictReader(io.StringIO(data.decode("utf-8"), newline=""))
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=reader.fieldnames or [], lineterminator="\n")
    writer.writeheader()
    for row in reader:
        for column in ("students", "gain"):
            if row.get(column, "").isdigit():
                row[column] = _hidden(int(row[column]))
        writer.writerow(row)
    return out.getvalue().encode("utf-8")


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


def planner_view(kind: str, name: str, data: bytes) -> bytes:
    """What a planner reads of file ``name`` of a ``kind`` job (already checked to be readable)."""
    if kind == "calendar" and name == "calendar.csv":
        return public_calendar_table(data)
    if kind == "calendar" and name == "summary.json":
        return public_calendar_summary(data)
    return data
