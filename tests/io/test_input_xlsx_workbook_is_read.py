"""An instance given as Excel workbooks was told "required file missing: give
students.csv". One workbook with a sheet per table, or one workbook per table,
is read with the same validation; numbers, dates and yes/no cells read as the
CSV text; errors name workbook, sheet, row and column."""

from datetime import date

import openpyxl
import pytest

from matcher.errors import InputError
from matcher.io import read_instance, read_instance_with_report
from tests.support.io_fixtures import expect_input_error, valid_tables, write_tables

_NUMBERS = {"level", "year", "places", "min_level", "max_level", "extra_guidance_places",
            "capacity", "max_students", "minutes", "lat", "lon", "pc4"}
_BOOLEANS = {"needs_accessible", "duo", "accessible", "extra_guidance"}


def _typed(column: str, text: str):
    """A cell as someone typing into Excel would leave it: numbers as numbers..."""
    if text == "":
        return None
    if column in _NUMBERS:
        return float(text)
    if column in _BOOLEANS:
        return text == "true"
    if column in ("start", "end"):
        return date.fromisoformat(text)
    return text


def _sheet(book, name, rows, *, typed=True):
    sheet = book.create_sheet(name)
    columns = list(dict.fromkeys(c for row in rows for c in row))
    sheet.append(columns)
    for row in rows:
        sheet.append([_typed(c, row.get(c, "")) if typed else row.get(c, "") for c in columns])
    return sheet


def _workbook(path, tables, **kwargs):
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in tables.items():
        _sheet(book, name, rows, **kwargs)
    book.save(path)


@pytest.fixture
def csv_instance(tmp_path):
    return read_instance(write_tables(tmp_path / "csv", valid_tables()), name="x")


@pytest.mark.parametrize("typed", [True, False])
def test_one_workbook_with_a_sheet_per_table(tmp_path, csv_instance, typed):
    folder = tmp_path / "xlsx"
    folder.mkdir()
    _workbook(folder / "regio utrecht.xlsx", valid_tables(), typed=typed)
    instance, report = read_instance_with_report(folder, name="x")
    assert instance == csv_instance
    assert [(f.table, f.file, f.format, f.sheet, f.encoding) for f in report.files] == [
        (stem, "regio utrecht.xlsx", "xlsx", stem, None)
        for stem in ("students", "vacancies", "supervisors", "companies", "periods")]


def test_one_workbook_per_table(tmp_path, csv_instance):
    folder = tmp_path / "xlsx"
    folder.mkdir()
    for name, rows in valid_tables().items():
        book = openpyxl.Workbook()
        book.active.title = "Blad1"  # Dutch Excel's default name: the only sheet counts
        for row in [list(rows[0])] + [[_typed(c, v) for c, v in r.items()] for r in rows]:
            book.active.append(row)
        book.save(folder / f"{name}.xlsx")
    (folder / "~$students.xlsx").write_bytes(b"Excel's lock file while the workbook is open")
    assert read_instance(folder, name="x") == csv_instance


def test_errors_name_workbook_sheet_row_and_column(tmp_path):
    tables = valid_tables()
    tables["students"][1]["level"] = "7"
    _workbook(tmp_path / "instance.xlsx", tables)
    error = expect_input_error(tmp_path, file="instance.xlsx", row=3, column="level",
                               says=("level 7 is not one of 1-4",))
    assert error.sheet == "students"
    assert str(error).startswith("instance.xlsx, sheet 'students', row 3, column 'level': ")


def test_blank_rows_are_skipped_and_rows_keep_their_numbers(tmp_path):
    book = openpyxl.Workbook()
    book.remove(book.active)
    tables = valid_tables()
    for name, rows in tables.items():
        _sheet(book, name, rows)
    students = book["students"]
    students.insert_rows(3, amount=2)  # two blank rows after the first student
    students.cell(row=6, column=3).value = 1234.0  # crebo typed as a number: leading zero lost
    book.save(tmp_path / "instance.xlsx")
    expect_input_error(tmp_path, file="instance.xlsx", row=6, column="crebo",
                       says=("crebo '1234' has 4 digits", "'01234'"))


def test_header_below_a_title_row(tmp_path, csv_instance):
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in valid_tables().items():
        _sheet(book, name, rows)
    book["vacancies"].insert_rows(1, amount=2)
    book["vacancies"]["B1"] = "Vacatures regio Utrecht"
    book.save(tmp_path / "instance.xlsx")
    # The title row is taken for the header: it lacks every required column.
    with pytest.raises(InputError) as caught:
        read_instance(tmp_path, name="x")
    assert (caught.value.sheet, caught.value.row) == ("vacancies", 1)
    book["vacancies"].delete_rows(1)
    book.save(tmp_path / "instance.xlsx")  # now the first row is blank, the header in row 2
    assert read_instance(tmp_path, name="x") == csv_instance


def test_csv_and_sheet_of_the_same_table_are_refused(tmp_path):
    write_tables(tmp_path, valid_tables())
    _workbook(tmp_path / "instance.xlsx", {"periods": valid_tables()["periods"]})
    expect_input_error(tmp_path, file="instance.xlsx", row=None, column=None,
                       says=("instance.xlsx (sheet 'periods') and periods.csv",
                             "same table", "keep only one"))


def test_two_workbooks_with_the_same_table_are_refused(tmp_path):
    _workbook(tmp_path / "a.xlsx", valid_tables())
    _workbook(tmp_path / "b.xlsx", {"companies": valid_tables()["companies"]})
    expect_input_error(tmp_path, file="a.xlsx", row=None, column=None,
                       says=("a.xlsx (sheet 'companies') and b.xlsx (sheet 'companies')",))


def test_a_table_workbook_with_unnamed_sheets_is_refused(tmp_path):
    write_tables(tmp_path, valid_tables())
    (tmp_path / "periods.csv").unlink()
    book = openpyxl.Workbook()
    book.create_sheet("Blad2")
    book.save(tmp_path / "periods.xlsx")
    expect_input_error(tmp_path, file="periods.xlsx", row=None, column=None,
                       says=("none is named 'periods'", "'Sheet', 'Blad2'"))


def test_workbook_without_the_required_table(tmp_path):
    tables = valid_tables()
    tables["Studenten"] = tables.pop("students")
    _workbook(tmp_path / "instance.xlsx", tables)
    expect_input_error(tmp_path, file="students.csv", row=None, column=None,
                       says=("required file missing", "students.xlsx", "sheet 'students'",
                             "instance.xlsx has the sheets 'vacancies'", "'Studenten'"))


def test_broken_workbook(tmp_path):
    write_tables(tmp_path, valid_tables())
    (tmp_path / "equivalences.xlsx").write_bytes(b"not a zip file")
    expect_input_error(tmp_path, file="equivalences.xlsx", row=None, column=None,
                       says=("not a readable Excel workbook",))
