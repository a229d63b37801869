"""A season of rounds (``[season]`` in the scenario file): confirmed students stay placed, the first round is the
same with and without keeping, ``never_move`` changes no standing proposal while places only arrive, and keeping
(``fewest_moves``) changes fewer proposals than matching anew at the same number placed. Same seed, same bytes."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from matcher.app import pipelines
from matcher.app.cli import app
from matcher.generator.synth import generate_instance
from matcher.io import write_instance
from matcher.plan.season import SeasonTask, run_season
from models import Policy
from models.scenario import Season

SEASON = Season(rounds=4, arriving=0.15, accept_by_tier={"priority": 0.5})


@pytest.fixture(scope="module")
def seasons():
    instance = generate_instance(region="AM13", students=800, seed=2)
    return {keep: run_season(instance, Policy(), SEASON, 3, SeasonTask(keep, 0))
            for keep in ("never_move", "fewest_moves", "off")}


def test_confirmed_students_stay_placed_round_after_round(seasons):
    for keep, table in seasons.items():
        assert table["confirmed"].is_monotonic_increasing, keep
        assert (table["placed"].to_numpy()[1:] >= table["confirmed"].to_numpy()[:-1]).all(), keep
        assert (table["vacancies_listed"].diff().dropna() >= 0).all() and table["vacancies_listed"].nunique() > 1


def test_the_first_round_is_the_same_whatever_keeps_the_next(seasons):
    first = [table.drop(columns="keep_previous").iloc[0].to_dict() for table in seasons.values()]
    assert first[0] == first[1] == first[2]


def test_never_move_changes_no_standing_proposal_while_places_only_arrive(seasons):
    assert seasons["never_move"]["changed"].sum() == 0
    assert seasons["never_move"]["pending"].iloc[:-1].sum() > 0  # there were proposals to keep


def test_keeping_changes_fewer_proposals_than_matching_anew(seasons):
    keeping, anew = seasons["fewest_moves"], seasons["off"]
    assert keeping["changed"].sum() < anew["changed"].sum()
    # Round 2 matches the same input under both (round 1 and its answers are the same): keeping comes after
    # the weighted placements, so as many are placed.
    assert keeping["placed"].iloc[1] == anew["placed"].iloc[1]


SEASON_FILE = """seed = 5
[season]
rounds = 3
accept = 0.5
decline = 0.3
arriving = 0.2
runs = 2
"""


def test_a_season_gives_the_same_bytes_with_one_or_two_processes(tmp_path):
    instance = generate_instance(region="AM13", students=300, seed=4)
    write_instance(instance, tmp_path / "am13")
    (tmp_path / "season.toml").write_text(SEASON_FILE, encoding="utf-8")
    runs = [pipelines.simulate(tmp_path / "am13", tmp_path / "season.toml", tmp_path / f"out-{jobs}", jobs=jobs)
            for jobs in (1, 2)]
    assert runs[0].solves == 1 + 2 * 2 * 3
    for name in ("season.csv", "summary.json"):
        assert (tmp_path / "out-1" / name).read_bytes() == (tmp_path / "out-2" / name).read_bytes(), name
    assert runs[0].result.season["run"].nunique() == 2


@pytest.mark.parametrize("season, message", [
    ("rounds = 2\naccept = 0.9\ndecline = 0.2", "add up to more than 1"),
    ('rounds = 2\naccept_by_sector = { "Nergens" = 0.5 }', "no student of sector 'Nergens'"),
    ("rounds = 0", "season.rounds"),
])
def test_a_season_that_cannot_be_is_refused(tmp_path, season, message):
    (tmp_path / "season.toml").write_text(f"[season]\n{season}\n", encoding="utf-8")
    from tests.support.paths import TINY

    refused = CliRunner().invoke(app, ["simulate", str(TINY), str(tmp_path / "season.toml"), "--out",
                                       str(tmp_path / "out"), "-q"])
    assert refused.exit_code == 2, refused.output
    assert message in " ".join(refused.output.split()), refused.output
    assert not (tmp_path / "out").exists()
