"""Matches and reports for the report tests, and readers of a report's tables.

:func:`match_and_report` runs ``stagematch match`` and ``stagematch report``
on an instance folder; :func:`small_school_instance` is a hand-made instance
in which one school has 3 students and some crebos have 1–4, so that
small-count protection has work to do. The session fixtures of
``tests/report/conftest.py`` match and report it and a generated AM13
instance once per test session. Also readers for the report's tables (from
the workbook and from the HTML page) that share no code with the report.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pandas as pd
from typer.testing import CliRunner

from matcher.app.cli import app
from tests.support.builders import UTRECHT, UTRECHT_EAST, instance, student, vacancy

runner = CliRunner()


@dataclass(frozen=True)
class MatchedReport:
    """Folders of one instance, its match and its report."""

    instance_dir: Path
    result_dir: Path
    report_dir: Path

    @property
    def html(self) -> str:
        return (self.report_dir / "report.html").read_text(encoding="utf-8")

    @property
    def workbook_path(self) -> Path:
        return self.report_dir / "report.xlsx"


def match_and_report(instance_dir: Path, root: Path, *match_options: str,
                     lang: str | None = "en") -> MatchedReport:
    """Run ``stagematch match`` and ``stagematch report`` (``--lang lang``; None: the default) on an
    instance folder."""
    result_dir, report_dir = root / "result", root / "report"
    matched = runner.invoke(app, ["match", str(instance_dir), "--out", str(result_dir), "-q", *match_options])
    assert matched.exit_code == 0, matched.output
    reported = runner.invoke(app, ["report", str(result_dir), "--out", str(report_dir),
                                   *(["--lang", lang] if lang else [])])
    assert reported.exit_code == 0, reported.output
    return MatchedReport(instance_dir, result_dir, report_dir)


SMALL_SCHOOL = "school-small"


def small_school_instance():
    """Two schools (3 and 24 students) and crebos with 2, 4, 6 and 15 students.

    Six places for crebo 25655 near Utrecht, none for 25038 (so its students
    are all unplaced), one far-away place for 25029.
    """
    crebo_sizes = {"25655": 15, "25029": 6, "25038": 4, "25047": 2}
    students = []
    for crebo, size in crebo_sizes.items():
        for k in range(size):
            students.append(student(f"pupil-{crebo}-{k:02d}", crebo=crebo, school_id="school-big",
                                    pc4=UTRECHT if k % 2 else UTRECHT_EAST))
    # The small school's 3 students: two placeable (25655), one not (25038).
    small = [("pupil-small-a", "25655"), ("pupil-small-b", "25655"), ("pupil-small-c", "25038")]
    students += [student(sid, crebo=crebo, school_id=SMALL_SCHOOL) for sid, crebo in small]
    vacancies = [vacancy(f"vac-{k}", places=1) for k in range(6)]
    vacancies.append(vacancy("vac-far", crebos=("25029",), pc4="9711", places=2))
    vacancies.append(vacancy("vac-047", crebos=("25047",), places=3))
    return instance(students, vacancies)


def workbook_table(path: Path, sheet: str) -> pd.DataFrame:
    """A table sheet of the workbook: header in row 1, cells as openpyxl reads them."""
    workbook = openpyxl.load_workbook(path, read_only=True)
    rows = list(workbook[sheet].iter_rows(values_only=True))
    workbook.close()
    return pd.DataFrame(rows[1:], columns=rows[0], dtype=object)


class _TableParser(HTMLParser):
    """Collects every ``<table id=...>`` as a header row and text rows."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._current: list[list[str]] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._current = self.tables.setdefault(dict(attrs).get("id", ""), [])
        elif tag == "tr" and self._current is not None:
            self._current.append([])
        elif tag in ("td", "th") and self._current is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._current[-1].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "table":
            self._current = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def html_table(html: str, table_id: str) -> pd.DataFrame:
    """A table of the HTML page by id, every cell as its text ("1,234" or "1.234", "<5", "x", "–")."""
    parser = _TableParser()
    parser.feed(html)
    rows = parser.tables[table_id]
    return pd.DataFrame(rows[1:], columns=rows[0], dtype=object)


def workbook_xml_text(path: Path) -> str:
    """All XML parts of the .xlsx, concatenated (every string the workbook holds)."""
    with zipfile.ZipFile(path) as archive:
        return "\n".join(archive.read(name).decode("utf-8") for name in archive.namelist()
                         if name.endswith(".xml") or name.endswith(".rels"))
