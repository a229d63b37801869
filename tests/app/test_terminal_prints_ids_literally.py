"""Ids on a terminal are printed literally (SPEC v2, "Outputs safe to open").

The defect: a school id ``[link=http://evil.example]S-UTR[/link]`` was read
as rich markup and printed as a clickable link; an escape character in an id
reached the terminal as it was, free to drive it.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

from typer.testing import CliRunner

from matcher.app.cli import app
from matcher.app.terminal import visible
from tests.support.paths import TINY

runner = CliRunner()
LINKED_SCHOOL = "[link=http://evil.example]S-UTR[/link]"
ESCAPING_STUDENT = "t01\x1b]8;;http://evil.example\x1b\\"


def _rename(folder: Path, renames: dict[str, str]) -> None:
    for path in folder.glob("*.csv"):
        with open(path, newline="", encoding="utf-8") as fh:
            rows = list(csv.reader(fh))
        with open(path, "w", newline="", encoding="utf-8") as fh:
            csv.writer(fh).writerows([[renames.get(cell, cell) for cell in row] for row in rows])


def _hostile_tiny(tmp_path: Path) -> Path:
    folder = tmp_path / "tiny"
    shutil.copytree(TINY, folder)
    _rename(folder, {"school-utrecht": LINKED_SCHOOL, "t01": ESCAPING_STUDENT})
    return folder


def test_markup_in_a_school_id_is_printed_as_text(tmp_path):
    folder = _hostile_tiny(tmp_path)
    done = runner.invoke(app, ["suggest", str(folder), "--school", LINKED_SCHOOL], env={"COLUMNS": "200"})
    assert done.exit_code == 0, done.output
    assert f"Shortlists for {LINKED_SCHOOL}" in done.output


def test_an_error_naming_a_hostile_id_prints_it_as_text(tmp_path):
    folder = _hostile_tiny(tmp_path)
    done = runner.invoke(app, ["suggest", str(folder), "--school", "[bold]nobody[/bold]"],
                         env={"COLUMNS": "200"})
    assert done.exit_code == 2
    assert "[bold]nobody[/bold]" in done.output


def test_control_characters_in_an_id_are_shown_as_codes(tmp_path):
    folder = _hostile_tiny(tmp_path)
    done = runner.invoke(app, ["suggest", str(folder), "--school", LINKED_SCHOOL], env={"COLUMNS": "200"})
    assert done.exit_code == 0, done.output
    assert "\x1b" not in done.output
    assert visible(ESCAPING_STUDENT) in done.output and "\\x1b" in visible(ESCAPING_STUDENT)
