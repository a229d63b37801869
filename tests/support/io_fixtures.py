"""A small valid instance folder as CSV text, and helpers to corrupt one thing in it.

Tables are lists of dicts (column → cell text) so a test can change one cell
(:func:`set_cell`, addressed by spreadsheet row: header = 1, first data row = 2),
drop or add a column, or drop a file (:func:`drop_table`), and then write the folder.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from matcher.errors import InputError
from matcher.io import read_instance

_VALID: dict[str, list[dict[str, str]]] = {
    "students": [
        {"student_id": "S1", "school_id": "SCH1", "crebo": "25029", "level": "3",
         "pathway": "BOL", "year": "2", "pc4": "3511", "lat": "", "lon": "",
         "periods": "P1|P2", "extra_guidance": "", "preferences": "V1",
         "needs_accessible": "false"},
        {"student_id": "S2", "school_id": "SCH1", "crebo": "25038", "level": "2",
         "pathway": "BBL", "year": "1", "pc4": "1011", "lat": "", "lon": "",
         "periods": "", "extra_guidance": "true", "preferences": "",
         "needs_accessible": "false"},
        {"student_id": "S3", "school_id": "SCH2", "crebo": "25029", "level": "4",
         "pathway": "BOL", "year": "3", "pc4": "", "lat": "52.0907", "lon": "5.1214",
         "periods": "P2", "extra_guidance": "", "preferences": "",
         "needs_accessible": "true"},
    ],
    "vacancies": [
        {"vacancy_id": "V1", "company_id": "C1", "supervisor_id": "SUP1", "crebo": "25029",
         "pathway": "BOL", "pc4": "3511", "lat": "", "lon": "", "places": "2",
         "periods": "P1|P2", "min_level": "2", "max_level": "4",
         "extra_guidance_places": "1", "duo": "false", "accessible": "true"},
        {"vacancy_id": "V2", "company_id": "C2", "supervisor_id": "SUP2",
         "crebo": "25029|25038", "pathway": "both", "pc4": "", "lat": "52.3676",
         "lon": "4.9041", "places": "1", "periods": "", "min_level": "", "max_level": "",
         "extra_guidance_places": "", "duo": "true", "accessible": "false"},
    ],
    "supervisors": [
        {"supervisor_id": "SUP1", "company_id": "C1", "capacity": "2"},
        {"supervisor_id": "SUP2", "company_id": "C2", "capacity": "1"},
    ],
    "companies": [
        {"company_id": "C1", "name": "Bakkerij De Korenschoof",
         "sector": "Voedsel/groen/gastvrijheid", "region": "AM13", "max_students": "3"},
        {"company_id": "C2", "name": "Schildersbedrijf Van Dam",
         "sector": "Techniek/gebouwde omgeving", "region": "AM18", "max_students": ""},
    ],
    "periods": [
        {"period_id": "P1", "start": "2025-09-01", "end": "2026-01-31"},
        {"period_id": "P2", "start": "2026-02-01", "end": "2026-06-30"},
    ],
}


def valid_tables() -> dict[str, list[dict[str, str]]]:
    """A fresh, mutable copy of the valid 3-student / 2-vacancy instance."""
    return {name: [dict(row) for row in rows] for name, rows in _VALID.items()}


def set_cell(tables: dict, file: str, row: int, column: str, value: str) -> None:
    """Set the cell at spreadsheet ``row`` (first data row = 2) of ``column`` in ``file``."""
    tables[file][row - 2][column] = value


def drop_column(tables: dict, file: str, column: str) -> None:
    """Remove ``column`` from every row of ``file``."""
    for row in tables[file]:
        del row[column]


def add_column(tables: dict, file: str, column: str, value: str = "x") -> None:
    """Add ``column`` with ``value`` in every row of ``file``."""
    for row in tables[file]:
        row[column] = value


def drop_table(tables: dict, file: str) -> None:
    """Leave ``file`` out of the folder."""
    del tables[file]


def write_tables(folder: Path, tables: dict, *, delimiter: str = ",") -> Path:
    """Write each table as ``<name>.csv`` into ``folder`` (created) and return it."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        with (folder / f"{name}.csv").open("w", encoding="utf-8", newline="") as fh:
            # A column that set_cell added to one row is empty in the others.
            fieldnames = list(dict.fromkeys(column for row in rows for column in row))
            writer = csv.DictWriter(fh, fieldnames=fieldnames, restval="", delimiter=delimiter)
            writer.writeheader()
            writer.writerows(rows)
    return folder


def write_defective(folder: Path, edits) -> Path:
    """The valid tables with ``edits`` applied (``(helper, *arguments)`` each, as the defect lists give
    them), written into ``folder``."""
    tables = valid_tables()
    for helper, *arguments in edits:
        helper(tables, *arguments)
    return write_tables(folder, tables)


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def expect_input_error(
    folder: Path, *, file: str, row: int | None, column: str | None, says: tuple[str, ...]
) -> InputError:
    """Read ``folder``, assert an InputError at (file, row, column) whose message
    contains every fragment of ``says`` (case-insensitive), that the folder
    is unchanged, and that validating row by row (``validate_rows=True``, the
    reader's reference path) refuses it with the very same error; return the error."""
    before = _snapshot(folder)
    with pytest.raises(InputError) as caught:
        read_instance(folder)
    error = caught.value
    with pytest.raises(InputError) as per_row:
        read_instance(folder, validate_rows=True)
    assert str(per_row.value) == str(error)
    assert (per_row.value.sheet, per_row.value.message) == (error.sheet, error.message)
    assert (error.file, error.row, error.column) == (file, row, column), str(error)
    for fragment in says:
        assert fragment.lower() in error.message.lower(), str(error)
    assert _snapshot(folder) == before
    return error
