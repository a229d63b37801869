"""A second round from the command line: ``match --previous ROUND1 --decisions FILE`` writes changes.csv and
previous.csv beside the result, passes the independent check, and the commands that re-solve a result (advise,
report) reproduce it from what the folder records. Bad round inputs are refused with exit 2, nothing written."""

from __future__ import annotations

import csv
import json
import shutil

from typer.testing import CliRunner

from matcher.app.cli import app
from tests.support.paths import TINY

RUNNER = CliRunner()


def _rows(path):
    with open(path, encoding="utf-8", newline="") as handle:
        return {row["student_id"]: row for row in csv.DictReader(handle)}


def _invoke(*args):
    return RUNNER.invoke(app, [str(a) for a in args])


def test_a_second_round_keeps_what_stands_and_says_what_changed(tmp_path):
    instance = tmp_path / "tiny"
    shutil.copytree(TINY, instance)
    first = _invoke("match", instance, "--out", tmp_path / "round-1", "-q")
    assert first.exit_code == 0, first.output
    placed = _rows(tmp_path / "round-1" / "placements.csv")
    declined, confirmed = sorted(placed)[:2]
    decisions = tmp_path / "besluiten.csv"  # outside the instance folder, Dutch words
    decisions.write_text("student_id,vacancy_id,period_id,besluit,datum\n"
                         f"{declined},{placed[declined]['vacancy_id']},,afgewezen_door_bedrijf,01-12-2026\n"
                         f"{confirmed},{placed[confirmed]['vacancy_id']},{placed[confirmed]['period_id']},"
                         "bevestigd,01-12-2026\n", encoding="utf-8")
    second = _invoke("match", instance, "--out", tmp_path / "round-2", "--previous", tmp_path / "round-1",
                     "--decisions", decisions, "-q")
    assert second.exit_code == 0, second.output
    out = tmp_path / "round-2"
    changes = _rows(out / "changes.csv")
    assert changes[declined]["change"] in ("moved", "lost")
    assert changes[declined]["reason"] == "declined_by_company"
    assert (changes[confirmed]["change"], changes[confirmed]["reason"]) == ("kept", "confirmed")
    others = set(placed) - {declined, confirmed}
    assert all(changes[s]["change"] == "kept" for s in others)  # fewest_moves: nothing else moves
    assert set(_rows(out / "previous.csv")) == set(placed)
    assert json.loads((out / "instance.json").read_text(encoding="utf-8"))["decisions"] == str(decisions.resolve())
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["policy"]["keep_previous"] == "fewest_moves"
    assert summary["counts"]["changes"]["kept"] == len(placed) - 1

    checked = _invoke("check", instance, out)  # finds the decisions file through instance.json
    assert checked.exit_code == 0, checked.output
    advised = _invoke("advise", out)  # re-solves: the previous placements are read from previous.csv
    assert advised.exit_code == 0, advised.output
    reported = _invoke("report", out, "--out", tmp_path / "report")
    assert reported.exit_code == 0, reported.output

    never = _invoke("match", instance, "--out", tmp_path / "never", "--previous", out, "--decisions", decisions,
                    "--keep-previous", "never_move", "-q")
    assert never.exit_code == 0, never.output
    assert set(c["change"] for c in _rows(tmp_path / "never" / "changes.csv").values()) <= {"kept", "unplaced"}


def test_bad_round_inputs_are_refused_before_anything_is_written(tmp_path):
    first = _invoke("match", TINY, "--out", tmp_path / "round-1", "-q")
    assert first.exit_code == 0, first.output
    (tmp_path / "not-a-result").mkdir()
    cases = [
        (["--previous", tmp_path / "not-a-result"], "not a stagematch result"),
        (["--keep-previous", "never_move"], "--keep-previous needs --previous"),
        (["--decisions", tmp_path / "missing.csv"], "does not exist"),
        (["--previous", tmp_path / "round-1", "--keep-previous", "sometimes"], "sometimes"),
    ]
    for options, message in cases:
        refused = _invoke("match", TINY, "--out", tmp_path / "round-2", "-q", *options)
        assert refused.exit_code == 2, (options, refused.output)
        assert message in " ".join(refused.output.split()), (options, refused.output)  # rich wraps lines
        assert not (tmp_path / "round-2").exists()
    same = _invoke("match", TINY, "--out", tmp_path / "round-1", "--previous", tmp_path / "round-1",
                   "--overwrite", "-q")
    assert same.exit_code == 2 and "--previous is the --out folder" in " ".join(same.output.split())
    assert (tmp_path / "round-1" / "placements.csv").is_file()


def test_remedies_of_an_unchanged_round_place_the_same_students(tmp_path, tmp_path_factory):
    # Keeping the previous placements changes neither who is placed nor why the others are not; each student
    # left over gets a remedy in both. The remedies may ask less in the round (a recruited place is surely the
    # student's when the placed students keep theirs rather than move to it), so they are not compared.
    import pandas as pd

    from tests.support.regions import written_region

    instance, _ = written_region(tmp_path_factory, "round", 400, 3)  # students left over, remedies to find
    assert _invoke("match", instance, "--out", tmp_path / "round-1", "--remedies", "-q").exit_code == 0
    first = pd.read_csv(tmp_path / "round-1" / "unplaced.csv", dtype=str, keep_default_na=False)
    assert len(first) > 20
    for keep in ("fewest_moves", "never_move"):
        again = _invoke("match", instance, "--out", tmp_path / keep, "--previous", tmp_path / "round-1",
                        "--keep-previous", keep, "--remedies", "-q")
        assert again.exit_code == 0, again.output
        assert (tmp_path / keep / "placements.csv").read_bytes() == (
            tmp_path / "round-1" / "placements.csv").read_bytes(), keep
        unplaced = pd.read_csv(tmp_path / keep / "unplaced.csv", dtype=str, keep_default_na=False)
        columns = ["student_id", "school_id", "reason", "detail"]
        assert unplaced[columns].equals(first[columns]), keep
        assert (unplaced["remedy"] != "").sum() == (first["remedy"] != "").sum(), keep
