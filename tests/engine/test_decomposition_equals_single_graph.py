"""Solving the connected components separately (in parallel) is exact: the merged
optimum equals the single-graph optimum, and the result does not depend on --jobs."""

import pytest

from matcher import solve
from matcher.generator.synth import generate_instance
from models import Policy
from tests.support.random_instances import random_instance


@pytest.mark.parametrize("region, seed", [("AM13", 1), ("AM02", 2), ("AM22", 3)])
def test_generated_region_same_objective_decomposed_or_whole(region, seed):
    inst = generate_instance(region=region, students=1500, seed=seed)
    policy = Policy(compare_unweighted=True)
    whole = solve(inst, policy, decompose=False)
    parts = solve(inst, policy, decompose=True, jobs=2)
    assert parts.summary["network"]["components"] > 1
    assert (parts.weighted_placed, parts.secondary_cost) == (whole.weighted_placed, whole.secondary_cost)
    # The unweighted optimum's cost and size are unique; which tier its students
    # come from may differ between equally good solutions.
    unique = ("placed_without_priority", "secondary_cost_without_priority")
    assert [parts.summary["price_of_priority"][k] for k in unique] == [
        whole.summary["price_of_priority"][k] for k in unique]
    assert parts.summary["proof"]["proven_optimal"] and whole.summary["proof"]["proven_optimal"]


@pytest.mark.parametrize("seed", range(8))
def test_random_instances_same_objective_decomposed_or_whole(seed):
    inst = random_instance(seed, n_students=40, n_vacancies=20)
    whole = solve(inst, decompose=False)
    parts = solve(inst, decompose=True)
    assert (parts.weighted_placed, parts.secondary_cost) == (whole.weighted_placed, whole.secondary_cost)


def test_result_does_not_depend_on_jobs(tmp_path):
    inst = generate_instance(region="AM13", students=1500, seed=4)
    one = solve(inst, jobs=1)
    two = solve(inst, jobs=2)
    one.write(tmp_path / "one")
    two.write(tmp_path / "two")
    for name in ("placements.csv", "unplaced.csv", "summary.json"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()


def test_weighted_and_unweighted_tasks_split_across_processes_agree(monkeypatch):
    import matcher.engine.flow as flow

    inst = generate_instance(region="AM13", students=1500, seed=5)
    policy = Policy(compare_unweighted=True)
    sequential = solve(inst, policy, jobs=1)
    monkeypatch.setattr(flow, "SPLIT_TASK_ARCS", 1)  # every part splits into two tasks
    split_tasks = solve(inst, policy, jobs=2)
    assert split_tasks.summary["price_of_priority"] == sequential.summary["price_of_priority"]
    assert split_tasks.summary["proof"] == sequential.summary["proof"]
    assert split_tasks.placements.equals(sequential.placements)
