"""No command writes over an input file, or over an existing file without
``--overwrite``; every refusal comes before the work (SPEC v2, "Outputs safe to open").

The defects: ``stagematch suggest … --out base/students.csv`` overwrote the
instance's own students file (exit 0), ``--out`` silently replaced any existing
file, and ``--out DIR`` failed with a raw ``[Errno 21]`` after the whole
computation. The refusals are shown to come first by giving work that would
fail (an unknown school, a missing instance): the output's message is the one
printed.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from matcher.app.cli import app
from tests.support.paths import TINY

runner = CliRunner()
SCHOOL = "school-utrecht"


def _said(result) -> str:
    return " ".join(result.output.split())  # rich wraps long lines


@pytest.fixture
def tiny(tmp_path) -> Path:
    folder = tmp_path / "tiny"
    shutil.copytree(TINY, folder)
    return folder


def test_suggest_never_writes_over_the_instances_own_students_file(tiny):
    before = (tiny / "students.csv").read_bytes()
    for extra in ([], ["--overwrite"]):
        done = runner.invoke(app, ["suggest", str(tiny), "--school", SCHOOL,
                                   "--out", str(tiny / "students.csv"), *extra])
        assert done.exit_code == 2, done.output
        assert "inputs" in _said(done)
    assert (tiny / "students.csv").read_bytes() == before


def test_suggest_replaces_an_existing_file_only_with_overwrite(tiny, tmp_path):
    out = tmp_path / "mine.csv"
    out.write_text("my own notes\n")
    refused = runner.invoke(app, ["suggest", str(tiny), "--school", SCHOOL, "--out", str(out)])
    assert refused.exit_code == 2 and "--overwrite" in _said(refused)
    assert out.read_text() == "my own notes\n"
    done = runner.invoke(app, ["suggest", str(tiny), "--school", SCHOOL, "--out", str(out), "--overwrite"])
    assert done.exit_code == 0, done.output
    assert out.read_text().startswith("student_id,rank,")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no staging file left


def test_suggest_out_folder_is_refused_before_the_work(tiny, tmp_path):
    folder = tmp_path / "shortlists"
    folder.mkdir()
    done = runner.invoke(app, ["suggest", str(tiny), "--school", "no-such-school", "--out", str(folder)])
    assert done.exit_code == 2
    assert "is a folder" in _said(done) and "no-such-school" not in _said(done)
    assert "Errno" not in done.output and list(folder.iterdir()) == []


@pytest.mark.parametrize("command", ["match", "calendar", "report", "simulate"])
def test_an_earlier_output_folder_is_refused_before_the_work(command, tiny, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    # An earlier output of the command: the only files it would replace with --overwrite.
    earlier = {"match": "placements.csv", "calendar": "calendar.csv", "report": "report.html",
               "simulate": "scenarios.csv"}[command]
    (out / earlier).write_text("earlier\n")
    missing = tmp_path / "nowhere"
    args = {"match": ["match", str(missing)], "calendar": ["calendar", str(missing)],
            "report": ["report", str(missing)], "simulate": ["simulate", str(tiny), str(missing)]}[command]
    done = runner.invoke(app, [*args, "--out", str(out)])
    assert done.exit_code == 2, done.output
    assert "--overwrite" in _said(done) and "nowhere" not in _said(done).replace(str(out), "")
    assert (out / earlier).read_text() == "earlier\n"


def test_match_replaces_an_earlier_result_with_overwrite_but_never_a_foreign_folder(tiny, tmp_path):
    out = tmp_path / "result"
    assert runner.invoke(app, ["match", str(tiny), "--out", str(out), "-q"]).exit_code == 0
    assert runner.invoke(app, ["match", str(tiny), "--out", str(out), "-q"]).exit_code == 2
    assert runner.invoke(app, ["match", str(tiny), "--out", str(out), "-q", "--overwrite"]).exit_code == 0
    # The instance folder itself is never a result folder, whatever --overwrite says.
    before = sorted((p.name, p.read_bytes()) for p in tiny.iterdir())
    done = runner.invoke(app, ["match", str(tiny), "--out", str(tiny), "-q", "--overwrite"])
    assert done.exit_code == 2 and "not a stagematch result" in _said(done)
    assert sorted((p.name, p.read_bytes()) for p in tiny.iterdir()) == before


def test_generate_overwrite_never_removes_files_that_are_not_an_instance(tmp_path):
    out = tmp_path / "gen"
    out.mkdir()
    (out / "policy.toml").write_text("# mine\n")
    done = runner.invoke(app, ["generate", "--region", "AM13", "--students", "50", str(out), "--overwrite"])
    assert done.exit_code == 2 and "policy.toml" in _said(done)
    assert [p.name for p in out.iterdir()] == ["policy.toml"]


@pytest.mark.parametrize("command", ["match", "calendar", "suggest", "generate"])
def test_an_out_path_below_a_file_is_refused_before_the_work(command, tiny, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    out = blocker / "deeper" / ("x.csv" if command == "suggest" else "out")
    args = {"match": ["match", str(tiny), "--out", str(out), "-q"],
            "calendar": ["calendar", str(tiny), "--out", str(out), "-q"],
            "suggest": ["suggest", str(tiny), "--school", "no-such-school", "--out", str(out)],
            "generate": ["generate", "--region", "AM13", "--students", "10", str(out)]}[command]
    done = runner.invoke(app, args)
    assert done.exit_code == 2, done.output
    assert "is a file, not a folder" in _said(done) and "Traceback" not in done.output
