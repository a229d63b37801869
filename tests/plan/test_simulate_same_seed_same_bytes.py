"""The same instance, scenario file and seed give byte-identical output files (all but
timings.json), whatever the number of processes; another seed gives other dropout runs."""

import json

import pytest
from typer.testing import CliRunner

from matcher.app.cli import app
from matcher.io import read_instance
from tests.support.simulate_fixtures import random_scenarios, write_generated

runner = CliRunner()


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    folder = write_generated(tmp_path_factory.mktemp("inst") / "am13")
    scenario = folder.parent / "scenarios.toml"
    scenario.write_text(random_scenarios(read_instance(folder)), encoding="utf-8")
    return folder, scenario


def _simulate(instance, scenario, out, *extra):
    ran = runner.invoke(app, ["simulate", str(instance), str(scenario), "--out", str(out),
                              "--runs", "4", "-q", *extra])
    assert ran.exit_code == 0, ran.output
    return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.name != "timings.json"}


def test_same_seed_same_bytes_with_one_or_two_processes(generated, tmp_path):
    instance, scenario = generated
    one = _simulate(instance, scenario, tmp_path / "one", "--jobs", "1")
    two = _simulate(instance, scenario, tmp_path / "two", "--jobs", "2")
    assert set(one) == {"summary.json", "scenarios.csv", "shortages.csv", "diff.csv", "summary.html",
                        "demand_capacity.png", "shortage_by_period.png"}
    for name in one:
        assert one[name] == two[name], name

    dropout = json.loads(one["summary.json"])["scenarios"][3]
    assert dropout["runs"] == 4 and dropout["random"]
    # The runs really differ: the dice are drawn, not fixed.
    assert dropout["placed"]["low"] < dropout["placed"]["high"]


def test_another_seed_gives_other_runs(generated, tmp_path):
    instance, scenario = generated
    first = _simulate(instance, scenario, tmp_path / "first", "--jobs", "1")
    other = scenario.parent / "other_seed.toml"
    other.write_text(scenario.read_text().replace("seed = 11", "seed = 12"), encoding="utf-8")
    second = _simulate(instance, other, tmp_path / "second", "--jobs", "1")
    first_runs = json.loads(first["summary.json"])["scenarios"]
    second_runs = json.loads(second["summary.json"])["scenarios"]
    # Deterministic scenarios do not depend on the seed; dropout does.
    assert first_runs[:3] == second_runs[:3]
    assert first_runs[3]["placed"] != second_runs[3]["placed"]
