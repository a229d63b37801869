"""``stagematch calendar``: writes the calendar folder, the same bytes for the
same input whatever --jobs, a students.csv that matches to the proposed value,
and clean errors."""

import json

import pandas as pd
from typer.testing import CliRunner

from matcher.app.cli import app
from matcher.engine.solve import solve
from matcher.generator.synth import generate_instance
from matcher.io import read_instance, write_instance
from matcher.plan.calendar_files import CALENDAR_COLUMNS

runner = CliRunner()


def test_calendar_folder_is_complete_deterministic_and_matchable(tmp_path):
    instance_dir = tmp_path / "am13"
    write_instance(generate_instance(region="AM13", students=800, seed=7), instance_dir)
    outs = []
    for jobs in (1, 2):
        out = tmp_path / f"calendar-{jobs}"
        result = runner.invoke(app, ["calendar", str(instance_dir), "--max-moves", "3", "--jobs", str(jobs),
                                     "--out", str(out), "--quiet"], env={"COLUMNS": "200"})
        assert result.exit_code == 0, result.output
        outs.append(out)
    assert "Proposed calendar" in result.output and "Today" in result.output
    for name in ("calendar.csv", "summary.json", "students.csv"):
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes(), name
    assert (outs[0] / "timings.json").is_file()

    summary = json.loads((outs[0] / "summary.json").read_text())
    table = pd.read_csv(outs[0] / "calendar.csv", dtype={"crebo": str})
    assert tuple(table.columns) == CALENDAR_COLUMNS
    moved = table[table["shift"] != 0]
    assert len(moved) == summary["proposed"]["cohorts_moved"] <= 3
    assert table["gain"].sum() == summary["gain"]["weighted_placed"]
    assert table["students"].sum() == summary["today"]["placed"] + summary["today"]["unplaced"]
    bound = summary["bound"]
    assert summary["proposed"]["weighted_placed"] <= bound["weighted_placed"]
    assert bound["proven_optimal"] == (bound["gap"] == 0)

    # The moved students table, in place of the instance's own, matches to the proposed value.
    (instance_dir / "students.csv").write_bytes((outs[0] / "students.csv").read_bytes())
    assert solve(read_instance(instance_dir)).weighted_placed == summary["proposed"]["weighted_placed"]


def test_calendar_errors_are_clean(tmp_path):
    instance_dir = tmp_path / "am13"
    write_instance(generate_instance(region="AM13", students=200, seed=3), instance_dir)
    allowed = tmp_path / "allowed.csv"
    allowed.write_text("school_id,crebo,year,periods\nno-such-school,,,P1\n", encoding="utf-8")
    out = tmp_path / "calendar"
    result = runner.invoke(app, ["calendar", str(instance_dir), "--allowed", str(allowed), "--out", str(out),
                                 "--quiet"], env={"COLUMNS": "200"})
    assert result.exit_code == 2 and "allowed.csv, row 2" in result.output and "no cohort" in result.output
    assert not out.exists()
    result = runner.invoke(app, ["calendar", str(instance_dir), "--only-listed", "--out", str(out), "--quiet"])
    assert result.exit_code == 2 and "--allowed" in result.output
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep me")
    result = runner.invoke(app, ["calendar", str(instance_dir), "--out", str(foreign), "--quiet"])
    assert result.exit_code == 2 and (foreign / "notes.txt").read_text() == "keep me"
