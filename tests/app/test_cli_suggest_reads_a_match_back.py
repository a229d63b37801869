"""``stagematch suggest --result`` ranks against a match read back instead of solving again: the same
bytes as the solve on the same instance; region and policy stay the match's (refused beside it, exit 2);
neither an instance nor a result is refused; a match whose placements were edited into one that is not
optimal is refused, never ranked."""

import pandas as pd
from typer.testing import CliRunner

from matcher.app.cli import app
from tests.support.regions import written_region

SCHOOL = "S-AM13-02"
runner = CliRunner()


def run(*arguments):
    return runner.invoke(app, ["suggest", *map(str, arguments)], env={"COLUMNS": "200"})


def test_a_match_read_back_gives_the_same_shortlists(tmp_path_factory, tmp_path):
    folder, _ = written_region(tmp_path_factory, "read-back", 1500, 11)
    matched = runner.invoke(app, ["match", str(folder), "--out", str(tmp_path / "m"), "--jobs", "1"])
    assert matched.exit_code == 0, matched.output
    solved = run(folder, "--school", SCHOOL, "--out", tmp_path / "solved.csv", "--jobs", "1")
    read = run("--result", tmp_path / "m", "--school", SCHOOL, "--out", tmp_path / "read.csv")
    assert solved.exit_code == 0 and read.exit_code == 0, (solved.output, read.output)
    assert (tmp_path / "solved.csv").read_bytes() == (tmp_path / "read.csv").read_bytes()
    assert len(pd.read_csv(tmp_path / "read.csv"))

    for extra in (["--region", "AM13"], ["--policy", folder / "policy.toml"]):
        refused = run("--result", tmp_path / "m", "--school", SCHOOL, *extra)
        assert refused.exit_code == 2 and "--result" in refused.output
    neither = run("--school", SCHOOL)
    assert neither.exit_code == 2 and "--result" in neither.output

    # Every placement moved to a place nobody else takes would leave the optimum: refused.
    placements = pd.read_csv(tmp_path / "m" / "placements.csv", dtype=str, keep_default_na=False)
    edited = tmp_path / "edited"
    edited.mkdir()
    for name in ("unplaced.csv", "summary.json", "instance.json"):
        (edited / name).write_bytes((tmp_path / "m" / name).read_bytes())
    placements.iloc[len(placements) // 2:].to_csv(edited / "placements.csv", index=False)
    refused = run("--result", edited, "--school", SCHOOL)
    assert refused.exit_code == 2, refused.output
    assert "Traceback" not in refused.output
