"""The report as an Excel workbook (openpyxl): an About sheet, then one sheet per table.

Sheet names and column headers are in the report's language; numbers stay
numbers, so the spreadsheet writes them the reader's way.

Each table sheet has its header in row 1 and one row per group below, so
that it filters and pivots as it is. The workbook is byte-identical for the
same tables: its created/modified properties are fixed and the zip entries
carry a fixed timestamp.
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from matcher.io.safe_cells import needs_defusing
from matcher.report.privacy import SMALL_CELL, WITHHELD
from matcher.report.tables import ReportTable
from matcher.report.texts import Words

FIXED_TIME = datetime(2000, 1, 1)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
HEADER_FILL = PatternFill("solid", fgColor="EDF2F7")
HIDDEN_FONT = Font(italic=True, color="975A16")
MAX_WIDTH = 60


def _cell_value(value):
    """Python scalars only (openpyxl writes them natively); None stays an empty cell."""
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    return value.item() if hasattr(value, "item") else str(value)


def _add_table_sheet(workbook: Workbook, table: ReportTable) -> None:
    sheet = workbook.create_sheet(table.sheet)
    columns = [str(c) for c in table.frame.columns]
    sheet.append(columns)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    widths = [len(c) for c in columns]
    for row in table.frame.itertuples(index=False, name=None):
        values = [_cell_value(v) for v in row]
        sheet.append(values)
        widths = [max(w, len(str(v)) if v is not None else 0) for w, v in zip(widths, values)]
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if cell.value in (SMALL_CELL, WITHHELD):
                cell.font = HIDDEN_FONT
                cell.alignment = Alignment(horizontal="right")
            elif isinstance(cell.value, float):
                cell.number_format = "0.0"
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(width + 2, MAX_WIDTH)
    sheet.freeze_panes = "A2"


def _add_about_sheet(workbook: Workbook, title: str, lead: str, tables: list[ReportTable],
                     words: Words) -> None:
    sheet = workbook.active
    sheet.title = words("about.sheet")
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([lead])
    sheet.append([f"{words('privacy.note')} {words('report.no_ids_workbook')}"])
    sheet.append([])
    sheet.append([words("about.sheet_column"), words("about.table_column"), words("about.note_column")])
    for cell in sheet[5]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    for table in tables:
        sheet.append([table.sheet, table.title, table.note])
    sheet.column_dimensions["A"].width = 20
    sheet.column_dimensions["B"].width = 32
    sheet.column_dimensions["C"].width = 120


def _text_cells_stay_text(workbook: Workbook) -> None:
    """Make every text cell that looks like a formula a text cell (SPEC, "Outputs safe to open").

    openpyxl stores a string that starts with ``=`` as a formula; such a cell
    becomes a string again, and it and every other text starting with ``+``,
    ``-``, ``@`` or a control character gets Excel's quote prefix, so editing
    the cell does not turn it into a formula either.
    """
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and needs_defusing(cell.value):
                    cell.data_type = "s"
                    cell.quotePrefix = True


def workbook_bytes(title: str, lead: str, tables: list[ReportTable], words: Words | None = None) -> bytes:
    """The workbook as .xlsx bytes, identical for identical tables.

    Parameters
    ----------
    title, lead
        Heading and one line about the match, on the About sheet.
    tables
        One sheet each, named by :attr:`ReportTable.sheet`.
    words
        The language of the About sheet (default Dutch); the tables bring their own words.
    """
    words = words or Words()
    workbook = Workbook()
    _add_about_sheet(workbook, title, lead, tables, words)
    for table in tables:
        _add_table_sheet(workbook, table)
    _text_cells_stay_text(workbook)
    workbook.properties.creator = "stagematch"
    workbook.properties.created = FIXED_TIME
    workbook.properties.modified = FIXED_TIME
    # openpyxl's save() stamps "modified" with the current time; ExcelWriter does not.
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(workbook, archive).save()
    # Zip entries carry the time they were written: rewrite them with a fixed one.
    stable = io.BytesIO()
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(stable, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, source.read(info.filename))
    return stable.getvalue()
