"""Shortlists are ranked by (weighted placements lost, extra secondary cost),
hold at most k places per student with ranks 1, 2, ..., put the current place
first, and are byte-identical for the same input."""

import pandas as pd
import pytest
from typer.testing import CliRunner

from matcher.app.cli import app
from matcher.engine.solve import solve_in_detail
from matcher.explain.suggest import shortlists
from tests.support.regions import written_region

SCHOOL = "S-AM13-02"
runner = CliRunner()


@pytest.fixture(scope="module")
def region(tmp_path_factory):
    return written_region(tmp_path_factory, "ranks", 1500, 11)


def run(folder, out, k):
    result = runner.invoke(app, ["suggest", str(folder), "--school", SCHOOL, "-k", str(k), "--out", str(out),
                                 "--jobs", "1"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return pd.read_csv(out, dtype={"student_id": str, "vacancy_id": str, "period_id": str})


def test_ranks_follow_the_worsening_and_stop_at_k(region, tmp_path):
    folder, _ = region
    table = run(folder, tmp_path / "k3.csv", 3)
    assert len(table)
    for _, rows in table.groupby("student_id", sort=False):
        assert len(rows) <= 3
        assert rows["rank"].tolist() == list(range(1, len(rows) + 1))
        worsening = list(zip(rows["lost_weighted_placements"], rows["extra_secondary_cost"]))
        assert worsening == sorted(worsening)
        current = rows[rows["in_current_optimum"]]
        assert len(current) <= 1
        if len(current):
            assert current["rank"].tolist() == [1] and worsening[0] == (0, 0)
    # Some students have more than 3 places, so the cut at k was made.
    assert (table.groupby("student_id").size() == 3).any()


def test_a_shorter_list_is_the_head_of_a_longer_one(region):
    _, instance = region
    solved = solve_in_detail(instance)
    short, long = shortlists(solved, SCHOOL, k=2).table, shortlists(solved, SCHOOL, k=6).table
    head = long[long["rank"] <= 2].reset_index(drop=True)
    pd.testing.assert_frame_equal(short, head)
    assert (long.groupby("student_id").size() > 2).any()


def test_same_input_same_bytes(region, tmp_path):
    folder, _ = region
    run(folder, tmp_path / "a.csv", 5)
    run(folder, tmp_path / "b.csv", 5)
    first, second = (tmp_path / "a.csv").read_bytes(), (tmp_path / "b.csv").read_bytes()
    assert first == second and len(first) > 1000
    # Nothing in the output depends on the number of processes either.
    result = runner.invoke(app, ["suggest", str(folder), "--school", SCHOOL, "--out", str(tmp_path / "c.csv"),
                                 "--jobs", "2"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert (tmp_path / "c.csv").read_bytes() == first
