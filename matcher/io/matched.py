"""A written result together with the instance it was matched from.

``stagematch match`` writes ``instance.json`` into the result folder: where the
instance was read from. Commands that analyse a result (``advise``,
``report``) read the instance back from there (or from ``--instance``),
restrict it to the match's region, take the policy from ``summary.json``,
and refuse to go on when the instance's hash differs from the one matched.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from pydantic import ValidationError

from matcher.engine.result import PLACEMENT_COLUMNS, UNPLACED_COLUMNS, Result, csv_bytes
from matcher.errors import InputError
from matcher.io.safe_cells import restore_frame
from models import Instance, Policy, PreviousPlacement, input_hash

SOURCE_FILE = "instance.json"
# The previous round's placements a match kept to (``--previous``), copied into its result folder: the
# earlier result folder may be replaced later, and re-solving needs them.
PREVIOUS_FILE = "previous.csv"
PREVIOUS_COLUMNS = ("student_id", "vacancy_id", "period_id")


def source_bytes(instance_dir: str | os.PathLike, decisions: str | os.PathLike | None = None) -> bytes:
    """The :data:`SOURCE_FILE` of a result: where the matched instance (and a ``--decisions`` file) lives."""
    source = {"instance": str(Path(instance_dir).resolve())}
    if decisions is not None:
        source["decisions"] = str(Path(decisions).resolve())
    return (json.dumps(source, indent=2) + "\n").encode("utf-8")


def read_previous(path: str | os.PathLike) -> tuple[PreviousPlacement, ...]:
    """The placements of an earlier round: a result folder's ``placements.csv`` (or its :data:`PREVIOUS_FILE`
    when given that file), as :class:`models.PreviousPlacement` rows in file order.

    Raises
    ------
    InputError
        When it is not a result (a file or column is missing) or a row is not an id.
    """
    path = Path(path)
    file = path / "placements.csv" if path.is_dir() else path
    if not file.is_file():
        raise InputError(f"{file.name} is missing: {path} is not a stagematch result", file=str(file))
    try:
        frame = restore_frame(pd.read_csv(file, dtype=str, keep_default_na=False, encoding="utf-8"))
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        raise InputError(f"not a stagematch placements file: {error}", file=str(file)) from None
    missing = [c for c in PREVIOUS_COLUMNS if c not in frame.columns]
    if missing:
        raise InputError(f"missing column {missing[0]!r}: not a stagematch placements file", file=str(file),
                         column=missing[0])
    rows = []
    for index, row in enumerate(frame[list(PREVIOUS_COLUMNS)].itertuples(index=False)):
        try:
            rows.append(PreviousPlacement(student_id=row[0], vacancy_id=row[1], period_id=row[2]))
        except ValidationError as error:
            column = str(error.errors()[0]["loc"][0])
            raise InputError(f"not an id: {error.errors()[0]['msg']}", file=str(file), row=index + 2,
                             column=column) from None
    seen = set()
    for index, placed in enumerate(rows):
        if placed.student_id in seen:
            raise InputError(f"student {placed.student_id!r} is placed twice", file=str(file), row=index + 2,
                             column="student_id")
        seen.add(placed.student_id)
    return tuple(rows)


def previous_bytes(previous: tuple[PreviousPlacement, ...]) -> bytes:
    """:data:`PREVIOUS_FILE`: the previous placements a match kept to, sorted by student."""
    rows = sorted(previous, key=lambda p: p.student_id)
    return csv_bytes(pd.DataFrame([p.model_dump() for p in rows], columns=list(PREVIOUS_COLUMNS)))


def read_result(result_dir: str | os.PathLike) -> Result:
    """Read ``placements.csv``, ``unplaced.csv`` and ``summary.json`` of a result folder.

    Ids stay strings; empty cells are empty strings.

    Raises
    ------
    InputError
        When a file is missing or lacks a column.
    """
    folder = Path(result_dir)
    frames = {}
    for name, columns in (("placements.csv", PLACEMENT_COLUMNS), ("unplaced.csv", UNPLACED_COLUMNS)):
        path = folder / name
        if not path.is_file():
            raise InputError(f"{name} is missing: {folder} is not a stagematch result", file=str(path))
        frame = restore_frame(pd.read_csv(path, dtype=str, keep_default_na=False))
        missing = [c for c in columns if c not in frame.columns]
        if missing:
            raise InputError(f"missing column {missing[0]!r}", file=str(path), column=missing[0])
        frames[name] = frame
    placements = frames["placements.csv"]
    for column in ("travel_min", "cost"):
        placements[column] = placements[column].astype("int64")
    placements["duo"] = placements["duo"] == "true"
    summary_path = folder / "summary.json"
    if not summary_path.is_file():
        raise InputError(f"summary.json is missing: {folder} is not a stagematch result", file=str(summary_path))
    summary = json.loads(summary_path.read_text(encoding="utf-8"))
    return Result(placements, frames["unplaced.csv"], summary)


@dataclass(frozen=True, eq=False)
class Matched:
    """A result, the instance it was matched from (region applied) and its policy."""

    instance: Instance
    policy: Policy
    result: Result
    instance_dir: Path


def load_match(result_dir: str | os.PathLike, instance_dir: str | os.PathLike | None = None) -> Matched:
    """Read a result folder and the instance it was matched from.

    Parameters
    ----------
    result_dir
        A folder written by ``stagematch match``.
    instance_dir
        The instance folder; by default the one recorded in ``instance.json``.

    Raises
    ------
    InputError
        When the instance cannot be found, or differs from the one matched
        (its input hash does not equal the result's).
    """
    from matcher.geo.region import restrict_to_region
    from matcher.io import read_instance

    folder = Path(result_dir)
    result = read_result(folder)
    source = folder / SOURCE_FILE
    recorded = json.loads(source.read_text(encoding="utf-8")) if source.is_file() else {}
    if instance_dir is None:
        if not recorded:
            raise InputError(
                f"{SOURCE_FILE} is missing, so the matched instance is unknown: pass --instance",
                file=str(source),
            )
        instance_dir = recorded["instance"]
    instance_dir = Path(instance_dir)
    if not instance_dir.is_dir():
        raise InputError(f"the matched instance folder {instance_dir} does not exist: pass --instance",
                         file=str(instance_dir))
    decisions = recorded.get("decisions")
    if decisions is not None and not Path(decisions).is_file():
        raise InputError(f"the decisions file {decisions} this result was matched with does not exist",
                         file=str(decisions))
    instance = read_instance(instance_dir, decisions=decisions)
    if (folder / PREVIOUS_FILE).is_file():
        instance = instance.model_copy(update={"previous": read_previous(folder / PREVIOUS_FILE)})
    region = result.summary.get("region")
    if region:
        instance = restrict_to_region(instance, region)
    if input_hash(instance) != result.summary.get("input_hash"):
        raise InputError(
            f"the instance in {instance_dir} is not the one this result was matched from "
            "(its input hash differs): match it again", file=str(instance_dir),
        )
    policy = Policy.model_validate(result.summary["policy"])
    return Matched(instance, policy, result, instance_dir)
