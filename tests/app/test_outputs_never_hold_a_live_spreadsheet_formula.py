"""Ids that look like spreadsheet formulas never come out live (SPEC v2, "Outputs safe to open").

The defect: a school id ``=HYPERLINK("http://x","y")`` became a live formula in
``report.xlsx``, an instance folder named ``=1+1`` in its summary sheet, and
every CSV output wrote ids beginning with ``=``, ``+``, ``-`` or ``@`` as they
are; an id given with a leading tab (the usual defused form) was trimmed and
came out live. Every command's outputs are opened here with the csv module and
openpyxl, as a spreadsheet would, and none may hold a formula; the project's
own checker must still read the ids back as they were.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from matcher.app.cli import app
from matcher.generator.synth import generate_instance
from matcher.io import write_instance

runner = CliRunner()
FORMULA_START = set("=+-@\t\r")
NUMBER = re.compile(r"[+-]?[0-9]+([.,][0-9]*)?([eE][+-]?[0-9]+)?")
HOSTILE_SCHOOL = '=HYPERLINK("http://x","y")'


def _hostile(kind: str, value: str, index: int) -> str:
    if kind == "school":
        return HOSTILE_SCHOOL if index == 0 else ("\t=1+1" if index == 1 else "@" + value)
    prefix = {"student": "=+-@"[index % 4], "vacancy": "-", "company": "@", "supervisor": "="}[kind]
    return prefix + value


def _write_hostile_instance(folder: Path) -> None:
    """A generated region whose ids start with formula characters, written as a user's CSVs."""
    clean = folder.parent / "clean"
    write_instance(generate_instance(region="AM13", students=300, seed=3), clean)
    ids: dict[str, str] = {}
    for stem, column, kind in (("students", "student_id", "student"), ("students", "school_id", "school"),
                               ("vacancies", "vacancy_id", "vacancy"), ("companies", "company_id", "company"),
                               ("supervisors", "supervisor_id", "supervisor")):
        with open(clean / f"{stem}.csv", newline="", encoding="utf-8") as fh:
            values = sorted({row[column] for row in csv.DictReader(fh)})
        ids.update({v: _hostile(kind, v, i) for i, v in enumerate(values)})
    folder.mkdir()
    for path in sorted(clean.glob("*.csv")):
        with open(path, newline="", encoding="utf-8") as fh:
            rows = list(csv.reader(fh))
        with open(folder / path.name, "w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(rows[0])
            for row in rows[1:]:
                writer.writerow(["|".join(ids.get(item, item) for item in cell.split("|")) for cell in row])


def _live_cells(path: Path) -> list[str]:
    with open(path, newline="", encoding="utf-8") as fh:
        return [cell for row in csv.reader(fh) for cell in row
                if cell[:1] in FORMULA_START and not NUMBER.fullmatch(cell)]


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("hostile")
    instance = root / "=1+1"
    _write_hostile_instance(instance)
    scenario = root / "scenario.toml"
    scenario.write_text('seed = 1\n[[scenario]]\nname = "=2+2"\n[scenario.dropout]\nrate = 0.1\n',
                        encoding="utf-8")
    folders = {name: root / name for name in ("result", "report", "calendar", "simulation")}
    shortlist = root / "shortlists.csv"
    commands = [
        ["match", str(instance), "--out", str(folders["result"]), "-q", "--remedies", "--jobs", "1"],
        ["advise", str(folders["result"]), "--verify", "2"],
        ["report", str(folders["result"]), "--out", str(folders["report"])],
        ["suggest", str(instance), "--school", HOSTILE_SCHOOL, "--out", str(shortlist), "--jobs", "1"],
        ["calendar", str(instance), "--out", str(folders["calendar"]), "--max-moves", "2", "-q"],
        ["simulate", str(instance), str(scenario), "--out", str(folders["simulation"]), "--runs", "2",
         "--jobs", "1", "-q"],
    ]
    for command in commands:
        done = runner.invoke(app, command)
        assert done.exit_code == 0, (command[0], done.output)
    return {"instance": instance, "shortlist": shortlist, **folders}


def test_every_csv_output_holds_no_live_formula(outputs):
    written = sorted(p for name, folder in outputs.items() if name != "instance"
                     for p in ([folder] if folder.suffix == ".csv" else folder.glob("*.csv")))
    names = {p.name for p in written}
    assert {"placements.csv", "unplaced.csv", "advice.csv", "advice_cells.csv", "shortlists.csv",
            "calendar.csv", "students.csv", "scenarios.csv", "diff.csv"} <= names
    for path in written:
        assert _live_cells(path) == [], path


def test_hostile_ids_are_written_defused_and_the_checker_reads_them_back(outputs):
    with open(outputs["result"] / "placements.csv", newline="", encoding="utf-8") as fh:
        schools = {row["school_id"] for row in csv.DictReader(fh)}
    with open(outputs["result"] / "unplaced.csv", newline="", encoding="utf-8") as fh:
        schools |= {row["school_id"] for row in csv.DictReader(fh)}
    assert "'" + HOSTILE_SCHOOL in schools
    assert "'=1+1" in schools  # the tab-defused id is trimmed by the reader, then defused again
    checked = runner.invoke(app, ["check", str(outputs["instance"]), str(outputs["result"])])
    assert checked.exit_code == 0, checked.output


def test_report_workbook_has_no_formula_cell(outputs):
    workbook = openpyxl.load_workbook(outputs["report"] / "report.xlsx")
    texts = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    texts.append(cell.value)
    assert HOSTILE_SCHOOL in texts  # shown as the text it is
    assert any(text.startswith("=1+1") or "=1+1" in text for text in texts)  # the instance folder's name
