"""The project's writers put an apostrophe before a text cell that a
spreadsheet would run as a formula (=, +, -, @, tab, CR). Reading such a file
back (a calendar's students.csv, say) must give the original ids, in CSV and
in a workbook; an apostrophe a person typed ('t Hoekje) stays as it is."""

import openpyxl

from matcher.io import read_instance
from matcher.io.safe_cells import defuse
from tests.support.io_fixtures import set_cell, valid_tables, write_tables

_IDS = {"S1": "=S1", "S2": "+31-2", "S3": "@home"}


def _odd_ids(tables):
    for row in tables["students"]:
        row["student_id"] = _IDS[row["student_id"]]
    set_cell(tables, "students", 2, "school_id", "-SCH1")
    set_cell(tables, "companies", 2, "name", "'t Hoekje")
    set_cell(tables, "companies", 3, "name", "'=quoted on purpose")
    return tables


def _defused(tables):
    return {name: [{c: defuse(v) for c, v in row.items()} for row in rows]
            for name, rows in tables.items()}


def test_defused_csv_cells_read_back_as_the_original(tmp_path):
    plain = _odd_ids(valid_tables())
    written = _defused(plain)
    assert written["students"][0]["student_id"] == "'=S1"
    assert written["companies"][0]["name"] == "''t Hoekje"  # so that restore is its inverse
    assert written["companies"][1]["name"] == "''=quoted on purpose"
    instance = read_instance(write_tables(tmp_path / "csv", written), name="x")
    assert [s.student_id for s in instance.students] == ["=S1", "+31-2", "@home"]
    assert instance.students[0].school_id == "-SCH1"
    assert [c.name for c in instance.companies] == ["'t Hoekje", "'=quoted on purpose"]
    semicolons = write_tables(tmp_path / "semicolons", written, delimiter=";")
    assert read_instance(semicolons, name="x") == instance


def test_apostrophes_typed_by_a_person_stay(tmp_path):
    tables = valid_tables()
    set_cell(tables, "companies", 2, "name", "'t Hoekje")
    instance = read_instance(write_tables(tmp_path, tables))
    assert instance.companies[0].name == "'t Hoekje"


def test_defused_workbook_cells_read_back_as_the_original(tmp_path):
    plain = _odd_ids(valid_tables())
    expected = read_instance(write_tables(tmp_path / "csv", _defused(plain)), name="x")
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in _defused(plain).items():
        sheet = book.create_sheet(name)
        sheet.append(list(rows[0]))
        for row in rows:
            sheet.append([v or None for v in row.values()])
    folder = tmp_path / "xlsx"
    folder.mkdir()
    book.save(folder / "instance.xlsx")
    assert read_instance(folder, name="x") == expected
