"""Write an instance folder that :func:`matcher.io.read_instance` reads back exactly."""

from __future__ import annotations

import csv
import os
import shutil
import uuid
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Any, Literal

from matcher.io.read import TABLES, Column, Table
from matcher.io.safe_cells import defuse
from models import Instance, Pathway

_BOTH_PATHWAYS = tuple(sorted(Pathway))


def _list_cell(items: tuple[str, ...], column: Column) -> str:
    for item in items:
        if "|" in item or ";" in item:
            # The reader splits lists at both characters, so such an entry
            # would come back as two.
            raise ValueError(
                f"cannot write {item!r} in list column {column.name!r}: "
                "entries may not contain '|' or ';'"
            )
    return "|".join(items)


def _cell(value: Any, column: Column) -> str:
    """The CSV text of one model value (empty for ``None``)."""
    if value is None:
        return ""
    if column.kind == "bool":
        return "true" if value else "false"
    if column.kind == "float":
        return repr(float(value))  # shortest text that reads back as the same float
    if column.kind == "pathways":
        return "both" if tuple(value) == _BOTH_PATHWAYS else _list_cell(
            tuple(p.value for p in value), column)
    if column.kind == "list":
        return _list_cell(tuple(value), column)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _tables_to_write(instance: Instance) -> list[tuple[Table, tuple]]:
    chosen = []
    for spec in TABLES:
        records = getattr(instance, spec.stem)
        # students and vacancies are always written (zero rows is a valid table);
        # the optional files only when they have rows.
        if records or spec.required_file:
            chosen.append((spec, records))
    return chosen


def _write_csv(path: Path, spec: Table, records: tuple) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow([c.name for c in spec.columns])
        for record in records:
            # Ids are text: defused so a spreadsheet never runs one (the reader restores it).
            writer.writerow([defuse(_cell(getattr(record, c.field), c)) for c in spec.columns])


def decisions_csv_bytes(decisions: tuple) -> bytes:
    """``decisions.csv`` of ``decisions`` (:class:`models.Decision` rows, in their order), as the reader reads it."""
    import io

    spec = next(t for t in TABLES if t.stem == "decisions")
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([c.name for c in spec.columns])
    for record in decisions:
        writer.writerow([defuse(_cell(getattr(record, c.field), c)) for c in spec.columns])
    return out.getvalue().encode("utf-8")


def _write_parquet(path: Path, spec: Table, records: tuple) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    types = {"int": pa.int64(), "float": pa.float64(), "bool": pa.bool_(), "date": pa.date32()}
    arrays = []
    for column in spec.columns:
        values = [getattr(record, column.field) for record in records]
        if column.kind in types:
            arrays.append(pa.array(values, type=types[column.kind]))
        else:
            # Text columns hold exactly what the CSV would: crebos keep their
            # leading zeros and lists are '|'-joined.
            arrays.append(pa.array([_cell(v, column) or None for v in values], type=pa.string()))
    table = pa.Table.from_arrays(arrays, names=[c.name for c in spec.columns])
    pq.write_table(table, path)


def write_instance(
    instance: Instance,
    path: str | os.PathLike,
    *,
    fmt: Literal["csv", "parquet"] = "csv",
    overwrite: bool = False,
    also: dict[str, bytes] | None = None,
) -> None:
    """Write ``instance`` as a folder of CSV or Parquet files.

    ``students`` and ``vacancies`` are always written, the optional tables only
    when they have rows (``periods`` only when the instance names periods). Rows
    keep the instance's order; booleans are ``true``/``false``, lists are
    ``|``-separated, crebos keep their leading zeros, and floats are written
    with the shortest text that reads back as the same number, so
    ``read_instance(path, name=instance.name) == instance``. The instance name
    is not stored; it is the folder's name by default when read.

    The files are written into a temporary sibling folder which is then renamed
    into place, so a reader never sees a half-written folder.

    Parameters
    ----------
    instance
        The instance to write.
    path
        The folder to create.
    fmt
        ``"csv"`` (UTF-8, comma-separated) or ``"parquet"``.
    overwrite
        Replace an existing non-empty folder entirely (files that are not part
        of the instance, such as a ``policy.toml``, are removed too).
    also
        More files to write into the folder with the tables (name → bytes),
        such as the generator's ``generator.json``.

    Raises
    ------
    FileExistsError
        When ``path`` is a file, or a non-empty folder and ``overwrite`` is false.
    ValueError
        When ``fmt`` is unknown, or a list entry contains ``|`` or ``;``.
    """
    if fmt not in ("csv", "parquet"):
        raise ValueError(f"unknown format {fmt!r}: use 'csv' or 'parquet'")
    target = Path(path)
    if target.exists():
        if not target.is_dir():
            raise FileExistsError(f"{str(target)!r} exists and is not a folder")
        if any(target.iterdir()) and not overwrite:
            raise FileExistsError(
                f"{str(target)!r} is not empty; pass overwrite=True to replace it"
            )
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.parent / f".{target.name}.{uuid.uuid4().hex}.tmp"
    staging.mkdir()
    try:
        write = _write_csv if fmt == "csv" else _write_parquet
        for spec, records in _tables_to_write(instance):
            write(staging / f"{spec.stem}.{fmt}", spec, records)
        for name, data in (also or {}).items():
            (staging / name).write_bytes(data)
        if target.exists():
            retired = target.parent / f".{target.name}.{uuid.uuid4().hex}.old"
            os.replace(target, retired)
            try:
                os.replace(staging, target)
            except BaseException:
                os.replace(retired, target)
                raise
            shutil.rmtree(retired)
        else:
            os.replace(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
