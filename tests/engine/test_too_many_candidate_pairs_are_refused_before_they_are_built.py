"""An instance whose pairs within reach would not fit in memory is refused before they are
built: a clean message (exit 2) with the number of pairs, the memory they need against the
limit, and what to do. The limit is the memory available, or STAGEMATCH_MEMORY_LIMIT (here
a tiny one, so that the small tiny instance trips it)."""

import pytest
from typer.testing import CliRunner

from matcher import read_instance, solve
from matcher.engine.candidates import BYTES_PER_PAIR, generate_candidates, student_keys, vacancy_keys
from matcher.engine.memory import MEMORY_LIMIT_ENV, memory_limit, parse_size
from matcher.engine.problem import build_problem
from matcher.errors import ModelError
from matcher.geo.travel import great_circle_km, reach_km
from models import Policy
from tests.support.paths import TINY

runner = CliRunner()


def _pairs_within_reach_of_tiny() -> int:
    """(student, vacancy) pairs of one (crebo, pathway) key within the student's reach, counted pair
    by pair (once per key they share), as the refusal counts them."""
    policy = Policy()
    problem = build_problem(read_instance(TINY), policy)
    s_of, s_key = student_keys(problem)
    v_of, v_key = vacancy_keys(problem)
    km = great_circle_km(problem.s_lat[s_of][:, None], problem.s_lon[s_of][:, None],
                         problem.v_lat[v_of][None, :], problem.v_lon[v_of][None, :], policy.travel.earth_radius_km)
    reach = reach_km(problem.s_limit, problem.s_mode, policy)[s_of][:, None]
    return int(((s_key[:, None] == v_key[None, :]) & (km <= reach)).sum())


def test_match_exits_2_with_the_count_and_what_to_do(tmp_path, monkeypatch):
    from matcher.app.cli import app

    monkeypatch.setenv(MEMORY_LIMIT_ENV, "100")
    out = tmp_path / "result"
    ran = runner.invoke(app, ["match", str(TINY), "--out", str(out), "-q"])
    assert ran.exit_code == 2, ran.output
    said = " ".join(ran.output.split())
    pairs = _pairs_within_reach_of_tiny()
    assert pairs * BYTES_PER_PAIR > 100
    assert f"{pairs:,} (student, vacancy) pairs are within reach" in said
    assert "100 bytes" in said and "max_travel_min" in said and "--region" in said
    assert "Traceback" not in ran.output
    assert not out.exists()


def test_the_pairs_are_counted_not_built_when_the_bound_is_too_high(monkeypatch):
    # Between the real count and the students × vacancies bound, the count decides: no refusal.
    pairs = _pairs_within_reach_of_tiny()
    monkeypatch.setenv(MEMORY_LIMIT_ENV, str(pairs * BYTES_PER_PAIR))
    instance = read_instance(TINY)
    assert solve(instance, Policy()).n_placed > 0
    monkeypatch.setenv(MEMORY_LIMIT_ENV, str(pairs * BYTES_PER_PAIR - 1))
    with pytest.raises(ModelError, match="too large to build"):
        generate_candidates(build_problem(instance, Policy()), Policy())


def test_the_limit_is_the_memory_available_unless_set(monkeypatch):
    monkeypatch.delenv(MEMORY_LIMIT_ENV, raising=False)
    limit, _source = memory_limit()
    assert limit is None or limit > 0
    monkeypatch.setenv(MEMORY_LIMIT_ENV, "1.5G")
    assert memory_limit()[0] == int(1.5 * 1024**3)
    assert parse_size("512k") == 512 * 1024 and parse_size("1000") == 1000


def test_a_bad_limit_is_a_clean_error(tmp_path, monkeypatch):
    from matcher.app.cli import app

    monkeypatch.setenv(MEMORY_LIMIT_ENV, "lots")
    ran = runner.invoke(app, ["match", str(TINY), "--out", str(tmp_path / "r"), "-q"])
    assert ran.exit_code == 2, ran.output
    assert MEMORY_LIMIT_ENV in ran.output and "Traceback" not in ran.output


def test_advise_refuses_cleanly_too(tmp_path, monkeypatch):
    from matcher.app.cli import app

    out = tmp_path / "result"
    assert runner.invoke(app, ["match", str(TINY), "--out", str(out), "-q"]).exit_code == 0
    monkeypatch.setenv(MEMORY_LIMIT_ENV, "100")
    ran = runner.invoke(app, ["advise", str(out)])
    assert ran.exit_code == 2, ran.output
    assert "too large to build" in ran.output
