"""A job run from Python (``matcher.app.pipelines``) and from the command line writes the same bytes.

The defect: the command line patched the result after the engine had made it
(``summary.json`` got ``region``, ``seed`` and ``remedies`` from the CLI, and
``timings.json`` was written twice), so ``solve()`` from Python and
``stagematch match`` gave different summaries.
"""

from __future__ import annotations

import json

from typer.testing import CliRunner

from matcher.app import pipelines
from matcher.app.cli import app
from matcher.generator.synth import generate_instance
from matcher.io import write_instance
from matcher.report import REPORT_FILES
from tests.support.paths import TINY

runner = CliRunner()


def test_match_with_remedies_and_report_are_the_same_from_python_and_the_cli(tmp_path):
    instance = tmp_path / "am13"
    write_instance(generate_instance(region="AM13", students=400, seed=9), instance,
                   also={"generator.json": json.dumps({"seed": 9}).encode()})
    python_run = pipelines.match(instance, tmp_path / "python", region="AM13", remedies=True)
    cli = runner.invoke(app, ["match", str(instance), "--out", str(tmp_path / "cli"), "--region", "AM13",
                              "--remedies", "-q"])
    assert cli.exit_code == 0, cli.output
    for name in ("placements.csv", "unplaced.csv", "summary.json", "instance.json"):
        assert (tmp_path / "python" / name).read_bytes() == (tmp_path / "cli" / name).read_bytes(), name
    summary = json.loads((tmp_path / "python" / "summary.json").read_text())
    assert summary["region"] == "AM13" and summary["seed"] == 9 and "remedies" in summary
    assert python_run.check.ok and python_run.result.summary == summary

    pipelines.report(tmp_path / "python", tmp_path / "python-report")
    assert runner.invoke(app, ["report", str(tmp_path / "cli"), "--out", str(tmp_path / "cli-report")]).exit_code == 0
    for name in REPORT_FILES:
        python_bytes = (tmp_path / "python-report" / name).read_bytes()
        assert python_bytes == (tmp_path / "cli-report" / name).read_bytes(), name


def test_timings_are_written_once_with_the_write_stage(tmp_path):
    run = pipelines.match(TINY, tmp_path / "r")
    timings = json.loads((tmp_path / "r" / "timings.json").read_text())
    assert list(timings)[0] == "read" and list(timings)[-1] == "write"
    assert timings == run.result.timings
