"""The errors stagematch raises on purpose."""

from __future__ import annotations

from models.input_report import located


class InputError(ValueError):
    """Bad input: names the file, the row (as a spreadsheet shows it, header = row 1)
    and the column, so an adviser can fix the cell.

    Parameters
    ----------
    message
        What is wrong, in plain words.
    file, row, column
        Where; each may be ``None`` when it does not apply.
    sheet
        The worksheet, when ``file`` is a workbook (``.xlsx``).
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        row: int | None = None,
        column: str | None = None,
        sheet: str | None = None,
    ) -> None:
        self.message = message
        self.file = file
        self.sheet = sheet
        self.row = row
        self.column = column
        super().__init__(str(self))

    def __str__(self) -> str:
        return located(self.message, file=self.file, sheet=self.sheet, row=self.row, column=self.column)


class ModelError(RuntimeError):
    """The instance cannot be turned into a solvable flow model (e.g. costs would overflow)."""
