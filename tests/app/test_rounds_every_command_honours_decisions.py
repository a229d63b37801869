"""With decisions.csv (rounds), every command honours them: the match keeps the confirmed placement and lists
the withdrawn student as withdrawn with no remedy; the report and advice run on it; shortlists leave out the
confirmed and withdrawn students; the calendar's max flows and full solves agree; a scenario that takes a
confirmed placement's place away loses that placement instead of failing."""

from __future__ import annotations

import csv
import shutil

from typer.testing import CliRunner

from matcher.app import pipelines
from matcher.app.cli import app
from matcher.io import read_instance
from matcher.io.matched import load_match
from matcher.plan.scenario import apply_dropout, without_lost_confirmations
from matcher.report.facts import collect_facts
from models.scenario import Dropout
from tests.support.paths import TINY

DECISIONS = ("student_id,vacancy_id,period_id,decision,date\n"
             "t01,v-care,P1,bevestigd,20-11-2026\n"       # Dutch words and dates are read too
             "t02,v-hosp,,declined_by_student,\n"
             "t03,,,withdrawn,2026-11-30\n")


def _rounds_instance(tmp_path):
    folder = tmp_path / "tiny"
    shutil.copytree(TINY, folder)
    (folder / "decisions.csv").write_text(DECISIONS, encoding="utf-8")
    return folder


def _rows(path):
    with open(path, encoding="utf-8", newline="") as handle:
        return {row["student_id"]: row for row in csv.DictReader(handle)}


def test_every_command_honours_the_decisions(tmp_path):
    instance = _rounds_instance(tmp_path)
    run = pipelines.match(instance, tmp_path / "match", remedies=True)
    assert run.check.ok, run.check
    placed, unplaced = _rows(tmp_path / "match" / "placements.csv"), _rows(tmp_path / "match" / "unplaced.csv")
    assert (placed["t01"]["vacancy_id"], placed["t01"]["period_id"], placed["t01"]["confirmed"]) == (
        "v-care", "P1", "true")
    assert placed["t02"]["vacancy_id"] != "v-hosp"
    assert unplaced["t03"]["reason"] == "withdrawn" and unplaced["t03"]["remedy"] == ""
    assert run.result.summary["counts"]["withdrawn"] == 1

    written = pipelines.report(tmp_path / "match", tmp_path / "report", lang="en")
    page = (tmp_path / "report" / "report.html").read_text(encoding="utf-8")
    assert "withdrawn from the search (not counted above)" in page and written
    facts = collect_facts(load_match(tmp_path / "match"))
    assert facts.withdrawn == 1 and len(facts.students) == run.result.summary["counts"]["students"] - 1
    assert "withdrawn" not in set(facts.students["reason"])  # the report's unplaced tables count the seeking
    pipelines.advise(tmp_path / "match")
    assert (tmp_path / "match" / "advice.csv").is_file()

    lists = pipelines.suggest(instance, "school-utrecht")
    assert set(lists.table["student_id"]) <= {"t02", "t04"}
    refused = CliRunner().invoke(app, ["suggest", str(instance), "--school", "school-utrecht", "--student", "t01"])
    assert refused.exit_code == 2 and "confirmed" in refused.output

    shown = CliRunner().invoke(app, ["match", str(instance), "--out", str(tmp_path / "again"), "-q"])
    assert shown.exit_code == 0 and "1 confirmed placement kept, 1 student withdrawn" in shown.output

    calendar = pipelines.calendar(instance, tmp_path / "calendar", max_moves=2)  # raises if flows and solves differ
    assert calendar.today.weighted_placed == run.result.weighted_placed


def test_a_scenario_that_takes_the_place_away_loses_the_confirmed_placement(tmp_path):
    instance = read_instance(_rounds_instance(tmp_path))
    assert without_lost_confirmations(instance) is instance  # nothing lost: the same instance
    everyone_drops, _ = apply_dropout(instance, Dropout(rate=1.0), seed=1, run=0)
    assert not [d for d in everyone_drops.decisions if d.decision == "confirmed"]
    assert len(everyone_drops.decisions) == len(instance.decisions) - 1
