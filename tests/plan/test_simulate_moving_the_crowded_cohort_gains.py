"""Moving the most crowded cohort to an emptier period places more students, and the
simulation shows it: in the totals, per student and per period."""

import json

from typer.testing import CliRunner

from matcher.app.cli import app
from matcher.engine.solve import solve
from matcher.io import write_instance
from matcher.plan.cohorts import cohort_members
from matcher.plan.simulate import Simulation, simulate
from models import Policy
from models.scenario import ScenarioFile
from tests.support.simulate_fixtures import crowded_instance


def _most_crowded_cohort(instance):
    """The cohort with the most students the baseline leaves unplaced."""
    unplaced = set(solve(instance).unplaced["student_id"])
    members = cohort_members(instance)
    return max(members, key=lambda c: sum(instance.students[i].student_id in unplaced
                                          for i in members[c]))


def test_moving_the_most_crowded_cohort_to_the_empty_period_gains():
    instance = crowded_instance()
    cohort = _most_crowded_cohort(instance)
    assert (cohort.school_id, cohort.crebo, cohort.year) == ("school-A", "25655", 2)
    scenarios = ScenarioFile.model_validate({"seed": 1, "scenario": [{
        "name": "A to P2", "move": [{"school": cohort.school_id, "crebo": cohort.crebo,
                                     "year": cohort.year, "shift": 1}]}]})
    result = simulate(Simulation(instance, Policy(), scenarios), runs=5)

    rows = result.scenarios.set_index("scenario")
    assert rows.loc["baseline", "placed_mean"] == 2
    assert rows.loc["A to P2", "placed_mean"] == 7
    assert rows.loc["A to P2", "placed_change_mean"] == 5
    assert rows.loc["A to P2", "runs"] == 1  # deterministic: one run, whatever --runs says
    assert rows.loc["A to P2", "students_losing"] == 0

    gains = result.diff[result.diff["change"] == "gains"]
    assert len(gains) == 5 and set(gains["student_id"]) <= {f"a{i}" for i in range(6)} | {"b0"}

    periods = result.by_period.set_index(["scenario", "period"])
    assert periods.loc[("baseline", "P1"), "unplaced_mean"] == 5
    assert periods.loc[("A to P2", "P1"), "unplaced_mean"] == 0
    assert periods.loc[("A to P2", "P2"), "seeking"] == 6


def test_the_cli_writes_the_gain(tmp_path):
    write_instance(crowded_instance(), tmp_path / "inst")
    (tmp_path / "move.toml").write_text(
        '[[scenario]]\nname = "A to P2"\n[[scenario.move]]\nschool = "school-A"\n'
        'crebo = "25655"\nyear = 2\nshift = 1\n', encoding="utf-8")
    out = tmp_path / "sim"
    ran = CliRunner().invoke(app, ["simulate", str(tmp_path / "inst"), str(tmp_path / "move.toml"),
                                   "--out", str(out), "--runs", "3", "--jobs", "1", "-q"])
    assert ran.exit_code == 0, ran.output
    summary = json.loads((out / "summary.json").read_text())
    moved = summary["scenarios"][1]
    assert moved["name"] == "A to P2"
    assert moved["placed_change_vs_baseline"]["mean"] == 5
    assert moved["applied"]["students_moved"] == 6
    assert moved["unplaced_by_first_period"]["P1"]["mean"] == 0
    assert "exact" in ran.output
