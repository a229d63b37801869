"""What reading an instance folder found: which file gave each table, and warnings.

SPEC v2 "Files users really have": the run records which encoding it read, and
harmless anomalies (a wish named twice, a wish naming nothing, a supervisor
without a row) are applied by SPEC's rules and reported as warnings. The report
is kept apart from :class:`models.Instance`, whose equality and hash describe
the data only, not the files it came from.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict


def located(message: str, *, file: str | None = None, sheet: str | None = None,
            row: int | None = None, column: str | None = None) -> str:
    """``message`` behind where it applies: ``"students.csv, row 7, column 'crebo': ..."``.

    The one wording of a place in an input file, for warnings and errors alike.
    """
    where = [file] if file else []
    if sheet:
        where.append(f"sheet {sheet!r}")
    if row is not None:
        where.append(f"row {row}")
    if column:
        where.append(f"column {column!r}")
    return f"{', '.join(where)}: {message}" if where else message


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class InputFile(_Frozen):
    """The file (and worksheet) one table of the instance was read from.

    ``encoding`` is the Python codec that decoded a CSV file (``utf-8``,
    ``utf-8-sig`` for UTF-8 with a byte-order mark, or ``cp1252`` for
    Windows-1252); ``None`` for Parquet and workbooks, which carry their own.
    """

    table: str
    file: str
    format: Literal["csv", "parquet", "xlsx"]
    encoding: str | None = None
    sheet: str | None = None


class InputWarning(_Frozen):
    """A harmless anomaly, where it is (as an :class:`~matcher.errors.InputError`
    would name it) and what was done about it."""

    file: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    message: str

    def __str__(self) -> str:
        return located(self.message, file=self.file, sheet=self.sheet, row=self.row, column=self.column)


class InputReport(_Frozen):
    """The files read, in table order, and the warnings, in file and row order."""

    files: tuple[InputFile, ...] = ()
    warnings: tuple[InputWarning, ...] = ()
