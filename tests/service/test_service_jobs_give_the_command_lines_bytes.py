"""Every kind of job gives, for an adviser office, the same bytes as the command line gives for the same
dataset and options (``timings.json`` aside: seconds differ from run to run)."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from matcher.app.cli import app
from tests.support.paths import TINY
from tests.support.service import world

SCENARIOS = """seed = 3

[[scenario]]
name = "utrecht cohort any period"
[[scenario.move]]
school = "school-utrecht"
crebo = "25498"
year = 1
any = true

[[scenario]]
name = "a fifth of companies drop out"
[scenario.dropout]
rate = 0.2
"""


def _cli(*args: str) -> None:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output


def _same_files(served: dict[str, bytes], folder: Path) -> None:
    expected = {p.name: p.read_bytes() for p in folder.iterdir() if p.name not in ("timings.json", "instance.json")}
    got = {name: data for name, data in served.items() if name != "timings.json"}
    assert got == expected


def test_every_job_kind_gives_the_command_lines_bytes(database_url, tmp_path):
    # The dataset is named like the CLI's instance folder: a result records its instance's name.
    instance = tmp_path / "cli" / "tiny"
    instance.parent.mkdir()
    instance.mkdir()
    for path in TINY.iterdir():
        (instance / path.name).write_bytes(path.read_bytes())
    (tmp_path / "scenarios.toml").write_text(SCENARIOS, encoding="utf-8")
    cli = tmp_path / "cli"
    _cli("match", str(instance), "--out", str(cli / "match"), "--remedies", "-q")
    _cli("report", str(cli / "match"), "--out", str(cli / "report"), "--lang", "en")
    _cli("suggest", str(instance), "--school", "school-utrecht", "-k", "3", "--out", str(cli / "shortlists.csv"))
    _cli("calendar", str(instance), "--out", str(cli / "calendar"), "--max-moves", "2", "-q")
    _cli("simulate", str(instance), str(tmp_path / "scenarios.toml"), "--out", str(cli / "simulate"), "--runs", "3",
         "--jobs", "1", "-q")
    _cli("advise", str(cli / "match"))

    with world(database_url, tmp_path) as w:
        dataset = w.upload(TINY).json()["id"]

        def files(job: dict) -> dict[str, bytes]:
            return {name: w.client.get(f"/jobs/{job['id']}/files/{name}", headers=w.headers("adviser")).content
                    for name in job["files"]}

        match = w.run("match", dataset, remedies=True)
        assert "instance.json" not in match["files"]  # where the server keeps datasets is nobody's business
        match_files = files(match)
        _same_files(match_files, _without(cli / "match", "advice.csv", "advice_cells.csv"))
        _same_files(files(w.run("report", dataset, match_job=match["id"], lang="en")), cli / "report")
        shortlists = files(w.run("suggest", dataset, school="school-utrecht", k=3))
        assert shortlists == {"shortlists.csv": (cli / "shortlists.csv").read_bytes()}
        _same_files(files(w.run("calendar", dataset, max_moves=2)), cli / "calendar")
        _same_files(files(w.run("simulate", dataset, scenarios=SCENARIOS, runs=3)), cli / "simulate")
        advice = files(w.run("advise", dataset, match_job=match["id"]))
        assert advice == {name: (cli / "match" / name).read_bytes() for name in ("advice.csv", "advice_cells.csv")}
        # The match's own files are untouched by the advice job that read them.
        assert files(w.client.get(f"/jobs/{match['id']}", headers=w.headers("adviser")).json()) == match_files


def _without(folder: Path, *names: str) -> Path:
    """A copy of ``folder`` without ``names`` (what the match wrote before advise added its files)."""
    copy = folder.parent / f"{folder.name}-without-advice"
    copy.mkdir(exist_ok=True)
    for path in folder.iterdir():
        if path.name not in names:
            (copy / path.name).write_bytes(path.read_bytes())
    return copy
