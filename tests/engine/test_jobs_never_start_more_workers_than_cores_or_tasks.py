"""``--jobs`` is capped at the cores and at the tasks to share out.

The defect: ``--jobs 10000`` forked thousands of processes and exhausted
memory, and ``--jobs 50`` on 4 students started over 30. Each pool is watched
as it starts (the real pool then runs, or the test stops it before it forks).
"""

from __future__ import annotations

import concurrent.futures

import pytest
from typer.testing import CliRunner

import matcher.engine.parallel
from matcher.app.cli import app
from matcher.engine.parallel import usable_cores, worker_count
from matcher.engine.solve import solve_in_detail
from matcher.explain.remedy import find_remedies
from matcher.generator.synth import generate_instance
from matcher.plan.executors import LocalExecutor
from tests.support.paths import TINY


@pytest.fixture
def pools(monkeypatch) -> list[int]:
    """The max_workers of every process pool started, refusing one over the cores."""
    started: list[int] = []

    class WatchedPool(concurrent.futures.ProcessPoolExecutor):
        def __init__(self, max_workers=None, *args, **kwargs):
            started.append(max_workers)
            assert max_workers is not None and max_workers <= usable_cores(), max_workers
            super().__init__(max_workers, *args, **kwargs)

    # The engine's parts, the remedies and the local executor all share out their tasks here.
    monkeypatch.setattr(matcher.engine.parallel, "ProcessPoolExecutor", WatchedPool)
    return started


def test_worker_count_is_capped_by_cores_and_tasks():
    assert worker_count(10_000) == usable_cores()
    assert worker_count(50, tasks=4) == min(4, usable_cores())
    assert worker_count(3, tasks=0) == 1 and worker_count(None, tasks=1) == 1


def test_solve_and_remedies_with_ten_thousand_jobs_start_at_most_the_cores(pools):
    instance = generate_instance(region="AM13", students=400, seed=2)
    solved = solve_in_detail(instance, jobs=10_000)
    find_remedies(solved, jobs=10_000)
    assert all(n <= usable_cores() for n in pools)


def _double(common, x):
    return x * 2


def test_local_executor_starts_no_more_workers_than_items(pools):
    assert LocalExecutor(50).map(_double, [1, 2, 3, 4]) == [2, 4, 6, 8]
    assert all(n <= min(4, usable_cores()) for n in pools)


def test_match_with_jobs_10000_on_four_students_runs(pools, tmp_path):
    done = CliRunner().invoke(app, ["match", str(TINY), "--out", str(tmp_path / "r"), "-q", "--jobs", "10000",
                                    "--remedies"])
    assert done.exit_code == 0, done.output
    assert all(n <= usable_cores() for n in pools)
