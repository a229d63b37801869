"""Excel workbooks (``.xlsx``) as instance tables (SPEC v2, "Files users really have").

Read with python-calamine (Rust's calamine): it reads the cell values of a
sheet in one pass, several times faster than openpyxl's read-only mode, which
matters for a national instance's 250,000 student rows. A workbook is opened
once and its sheets are read when asked for; formulas give their cached values.
This module only reads values; :mod:`matcher.io.read` turns them into text and
validates them like a CSV file's cells.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from matcher.errors import InputError


class Workbook:
    """An open ``.xlsx`` file: its sheet names, and the values of a sheet."""

    def __init__(self, path: Path) -> None:
        from python_calamine import CalamineError, CalamineWorkbook

        self.path = path
        self._errors = (CalamineError, OSError, ValueError)
        try:
            self._book = CalamineWorkbook.from_path(str(path))
            self.sheet_names: list[str] = list(self._book.sheet_names)
        except self._errors as exc:
            raise InputError(f"not a readable Excel workbook (.xlsx): {exc}", file=path.name) \
                from None

    def close(self) -> None:
        """Let go of the file."""
        self._book.close()

    def rows(self, sheet: str) -> list[list[Any]]:
        """The values of ``sheet``, one list per spreadsheet row from row 1 and
        column A on (``rows[i]`` is row ``i + 1``), all rows padded to one width.

        An empty cell is ``""``; a number is a ``float`` (or ``int``), a date
        a ``date`` or ``datetime``, a yes/no cell a ``bool``.
        """
        try:
            return self._book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
        except self._errors as exc:
            raise InputError(f"cannot read this sheet: {exc}", file=self.path.name,
                             sheet=sheet) from None
