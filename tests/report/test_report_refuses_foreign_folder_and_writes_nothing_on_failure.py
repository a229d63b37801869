"""`stagematch report` writes atomically: a folder holding other files is refused and left
alone, a failure half-way leaves nothing, and an earlier report is replaced."""


import pytest
from typer.testing import CliRunner

import matcher.report
from matcher.app.cli import app
from matcher.io.matched import load_match
from matcher.report import write_report
from tests.support.paths import TINY

runner = CliRunner()


@pytest.fixture(scope="module")
def tiny_result(tmp_path_factory):
    out = tmp_path_factory.mktemp("tiny") / "result"
    assert runner.invoke(app, ["match", str(TINY), "--out", str(out), "-q"]).exit_code == 0
    return out


def test_a_folder_with_foreign_files_is_refused_and_left_alone(tiny_result, tmp_path):
    out = tmp_path / "report"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    reported = runner.invoke(app, ["report", str(tiny_result), "--out", str(out)])
    assert reported.exit_code == 2
    assert "notes.txt" in reported.output
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt"]
    assert (out / "notes.txt").read_text() == "mine"


def test_a_failure_half_way_leaves_nothing(tiny_result, tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(matcher.report, "workbook_bytes", broken)
    out = tmp_path / "report"
    with pytest.raises(RuntimeError):
        write_report(load_match(tiny_result), out)
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []     # no staging folder left behind


def test_an_earlier_report_is_replaced_only_with_overwrite(tiny_result, tmp_path):
    out = tmp_path / "report"
    out.mkdir()
    (out / "report.html").write_text("old")
    refused = runner.invoke(app, ["report", str(tiny_result), "--out", str(out)])
    assert refused.exit_code == 2 and "--overwrite" in refused.output
    assert (out / "report.html").read_text() == "old"
    assert runner.invoke(app, ["report", str(tiny_result), "--out", str(out), "--overwrite"]).exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == ["map.png", "report.html", "report.xlsx"]
    assert (out / "report.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_a_result_without_its_instance_is_refused(tiny_result, tmp_path):
    reported = runner.invoke(app, ["report", str(tiny_result), "--out", str(tmp_path / "r"),
                                   "--instance", str(tmp_path / "nowhere")])
    assert reported.exit_code == 2
    assert "does not exist" in " ".join(reported.output.split())   # rich wraps long lines
    assert not (tmp_path / "r").exists()
