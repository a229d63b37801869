"""A verified change's gains, re-optimised from the optimum by successive shortest paths, equal a solve of
the changed components from scratch (OR-Tools max flows and min-cost flow), for every capacity of random
instances and of a generated region: students, weighted students and secondary cost alike. The cases
include changes that alter the network's shape (solved from scratch by both) and changes that place more
students, that place none and that only change the secondary cost."""

import numpy as np
import pytest

from matcher.engine.solve import solve_in_detail
from matcher.errors import ModelError
from matcher.explain.advice import CapacityChange, apply_change, raised_capacities, solve_change, verify_change
from matcher.explain.residual import capacity_arcs
from matcher.generator.synth import generate_instance
from models import Policy
from models.policy import Costs, Weights
from tests.support.random_instances import random_instance


def compare_every_change(solved, limit=None):
    """Per kind of outcome, how many changes had it; fails on the first gain that differs."""
    owners = capacity_arcs(solved)
    part_of = np.full(solved.network.n_arcs, -1, dtype=np.int64)
    for i, part in enumerate(solved.parts):
        part_of[part.arcs] = i
    owners["part"] = part_of[owners["arc"].to_numpy()]
    seen = {"re-optimised": 0, "reshaped": 0, "more placed": 0, "cost only": 0, "nothing": 0}
    for row in owners[["kind", "index"]].drop_duplicates().head(limit).itertuples():
        change = CapacityChange(row.kind, int(row.index))
        try:
            problem = apply_change(solved.problem, change)
        except ModelError:  # no limit to raise
            continue
        owned = (owners["kind"] == row.kind).to_numpy() & (owners["index"] == row.index).to_numpy()
        parts = np.unique(owners["part"].to_numpy()[owned])
        found = verify_change(solved, change, parts)
        assert found == solve_change(solved, problem, parts), row
        reshaped = any(raised_capacities(solved, problem, int(i)) is None for i in parts)
        seen["reshaped" if reshaped else "re-optimised"] += 1
        if found["extra_weighted"] > 0:
            seen["more placed"] += 1
        elif found["extra_secondary_cost"] != 0:
            seen["cost only"] += 1
        else:
            seen["nothing"] += 1
    return seen


@pytest.mark.parametrize("seed", range(12))
def test_random_instances(seed):
    policy = Policy(weights=Weights(priority=7, regular=2), costs=Costs(duo_partner=5)) if seed % 2 else Policy()
    compare_every_change(solve_in_detail(random_instance(seed, n_students=14, n_vacancies=8), policy))


def test_the_cases_cover_every_outcome():
    seen = {}
    for seed in range(12):
        for name, count in compare_every_change(
                solve_in_detail(random_instance(seed, n_students=14, n_vacancies=8), Policy())).items():
            seen[name] = seen.get(name, 0) + count
    assert all(seen.values()), seen


def test_generated_region():
    seen = compare_every_change(solve_in_detail(generate_instance(region="AM13", students=1500, seed=3), Policy()),
                                limit=400)
    assert seen["re-optimised"] > 300 and seen["more placed"] > 0, seen
