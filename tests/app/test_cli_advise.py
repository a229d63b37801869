"""``stagematch advise RESULT``: finds the matched instance, writes the ranked
lists, and refuses an instance that changed since the match."""

import shutil

import pandas as pd
from typer.testing import CliRunner

from matcher.app.cli import app
from matcher.explain.advice import ADVICE_COLUMNS, CELL_COLUMNS
from matcher.generator.synth import generate_instance
from matcher.io import write_instance

runner = CliRunner()


def matched_region(tmp_path):
    instance_dir, out = tmp_path / "am13", tmp_path / "result"
    write_instance(generate_instance(region="AM13", students=800, seed=7), instance_dir)
    result = runner.invoke(app, ["match", str(instance_dir), "--out", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    return instance_dir, out


def test_advise_writes_ranked_capacities_and_cells(tmp_path):
    _, out = matched_region(tmp_path)
    result = runner.invoke(app, ["advise", str(out), "--verify", "3", "--top", "5"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    capacities = pd.read_csv(out / "advice.csv", dtype={"crebos": str})
    cells = pd.read_csv(out / "advice_cells.csv", dtype={"crebo": str})
    assert tuple(capacities.columns) == ADVICE_COLUMNS and tuple(cells.columns) == CELL_COLUMNS
    assert capacities["verified"].head(3).all() and not capacities["verified"].iloc[3:].any()
    assert "re-solved" in result.output and "Where to recruit" in result.output
    # advise never writes over its earlier files without --overwrite, and refuses before the work.
    refused = runner.invoke(app, ["advise", str(out), "--verify", "3"])
    assert refused.exit_code == 2 and "--overwrite" in refused.output
    assert pd.read_csv(out / "advice.csv", dtype={"crebos": str}).equals(capacities)
    # The result folder stays a valid result: match can replace it, when told to.
    again = runner.invoke(app, ["match", str(tmp_path / "am13"), "--out", str(out), "--quiet", "--overwrite"])
    assert again.exit_code == 0, again.output
    assert not (out / "advice.csv").exists()  # the old advice went with the old result


def test_advise_refuses_an_instance_changed_since_the_match(tmp_path):
    instance_dir, out = matched_region(tmp_path)
    students = instance_dir / "students.csv"
    lines = students.read_text().splitlines(keepends=True)
    students.write_text("".join(lines[:-1]))  # one student fewer
    result = runner.invoke(app, ["advise", str(out)])
    assert result.exit_code == 2
    assert "input hash differs" in result.output


def test_advise_without_a_recorded_instance_asks_for_one(tmp_path):
    instance_dir, out = matched_region(tmp_path)
    (out / "instance.json").unlink()
    result = runner.invoke(app, ["advise", str(out)])
    assert result.exit_code == 2 and "--instance" in result.output
    moved = tmp_path / "moved"
    shutil.move(instance_dir, moved)
    result = runner.invoke(app, ["advise", str(out), "--instance", str(moved), "--verify", "1"])
    assert result.exit_code == 0, result.output
