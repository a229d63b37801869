"""Harmless anomalies stopped the whole batch: a wish list naming a vacancy
twice, a wish naming a vacancy or company no longer listed. SPEC's rule is
applied (the first entry counts; what names nothing is dropped) and each is a
warning (file, row, column, what was done), as is a vacancy's supervisor_id
without a row in supervisors.csv. The warnings are printed by
``stagematch match`` (at most 10 lines) and kept in summary.json."""

import json

from typer.testing import CliRunner

from matcher.app.cli import app
from matcher.io import read_instance, read_instance_with_report
from tests.support.io_fixtures import set_cell, valid_tables, write_tables


def test_a_wish_named_twice_counts_once(tmp_path):
    tables = valid_tables()
    set_cell(tables, "students", 3, "preferences", "C2|V1|C2|V1|V2")
    write_tables(tmp_path, tables)
    instance, report = read_instance_with_report(tmp_path)
    assert instance.students[1].preferences == ("C2", "V1", "V2")
    (warning,) = report.warnings
    assert (warning.file, warning.row, warning.column) == ("students.csv", 3, "preferences")
    assert "'C2' and 'V1' are named more than once" in warning.message
    assert "the first counts" in warning.message


def test_a_wish_naming_nothing_is_dropped(tmp_path):
    tables = valid_tables()
    set_cell(tables, "students", 2, "preferences", "V9|V1|C7")
    write_tables(tmp_path, tables)
    instance, report = read_instance_with_report(tmp_path)
    assert instance.students[0].preferences == ("V1",)
    (warning,) = report.warnings
    assert (warning.file, warning.row, warning.column) == ("students.csv", 2, "preferences")
    assert "'V9', 'C7'" in warning.message and "dropped" in warning.message


def test_dropped_wishes_give_the_instance_without_them(tmp_path):
    tables = valid_tables()
    clean = read_instance(write_tables(tmp_path / "clean", tables), name="x")
    set_cell(tables, "students", 2, "preferences", "V1|gone|V1")
    assert read_instance(write_tables(tmp_path / "odd", tables), name="x") == clean


def test_a_supervisor_without_a_row_is_a_warning(tmp_path):
    tables = valid_tables()
    set_cell(tables, "vacancies", 3, "supervisor_id", "SUP-2")
    write_tables(tmp_path, tables)
    instance, report = read_instance_with_report(tmp_path)
    assert instance.vacancies[1].supervisor_id == "SUP-2"
    (warning,) = report.warnings
    assert (warning.file, warning.row, warning.column) == ("vacancies.csv", 3, "supervisor_id")
    assert "'SUP-2' has no row in supervisors.csv" in warning.message


def test_without_a_supervisors_file_there_is_no_warning(tmp_path):
    tables = valid_tables()
    del tables["supervisors"]
    write_tables(tmp_path, tables)
    assert read_instance_with_report(tmp_path)[1].warnings == ()


def test_warnings_are_in_file_and_row_order(tmp_path):
    tables = valid_tables()
    set_cell(tables, "vacancies", 2, "supervisor_id", "nobody")
    set_cell(tables, "students", 4, "preferences", "x|x")
    set_cell(tables, "students", 2, "preferences", "V1|V1")
    write_tables(tmp_path, tables)
    report = read_instance_with_report(tmp_path)[1]
    assert [(w.file, w.row) for w in report.warnings] == [
        ("students.csv", 2), ("students.csv", 4), ("students.csv", 4), ("vacancies.csv", 2)]


def test_match_prints_ten_and_keeps_all_in_summary_json(tmp_path):
    tables = valid_tables()
    for row in tables["students"]:
        row["preferences"] = "|".join(f"gone{k}" for k in range(3))
    for i in range(12):
        tables["students"].append({**tables["students"][0], "student_id": f"extra{i}"})
    write_tables(tmp_path / "in", tables)
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["match", str(tmp_path / "in"), "--out", str(out), "-q"])
    assert result.exit_code == 0, result.output
    assert result.output.count("warning: students.csv, row ") == 10
    assert "and 5 more warnings in summary.json" in result.output
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    warnings = summary["input"]["warnings"]
    assert len(warnings) == 15
    assert warnings[0] == {"file": "students.csv", "sheet": None, "row": 2,
                           "column": "preferences",
                           "message": "wishes 'gone0', 'gone1', 'gone2' name no listed vacancy "
                                      "or company: dropped from the wishes"}


def test_warnings_of_per_table_workbooks_keep_the_table_order(tmp_path):
    import openpyxl

    tables = valid_tables()
    set_cell(tables, "vacancies", 2, "supervisor_id", "nobody")
    set_cell(tables, "students", 3, "preferences", "V1|V1")
    write_tables(tmp_path, tables)
    for stem in ("students", "vacancies"):
        rows = tables[stem]
        book = openpyxl.Workbook()
        book.active.title = "Blad1"
        book.active.append(list(rows[0]))
        for row in rows:
            book.active.append(list(row.values()))
        book.save(tmp_path / f"{stem}.xlsx")
        (tmp_path / f"{stem}.csv").unlink()
    report = read_instance_with_report(tmp_path)[1]
    assert [(w.file, w.sheet, w.row) for w in report.warnings] == [
        ("students.xlsx", "Blad1", 3), ("vacancies.xlsx", "Blad1", 2)]
