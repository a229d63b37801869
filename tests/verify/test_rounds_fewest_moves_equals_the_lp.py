"""With a previous round and ``keep_previous = "fewest_moves"``, the engine reaches the LP's optimum.

docs/model.md, "Rounds": keeping previous placements is a tier of its own,
after the weighted placements and before the secondary cost. The engine
prices it with a keep bonus in one min-cost flow; the reference is HiGHS'
three-stage LP over the checker's candidates (``matcher/verify/lp.py``, stage
1b), sharing nothing with the engine. The instances carry decisions too.
"""

from __future__ import annotations

import pytest

from matcher import solve
from matcher.verify.checker import check_result, format_report
from models import Policy
from tests.support.random_instances import random_decisions, random_instance, random_previous
from tests.support.reference import brute_force_candidates

SEEDS = range(60)
POLICY = Policy(keep_previous="fewest_moves")


def previous_round_instance(seed: int):
    return random_previous(random_decisions(random_instance(seed, n_students=30, n_vacancies=15), seed), seed)


@pytest.mark.parametrize("seed", SEEDS)
def test_fewest_moves_optimum_equals_the_lp(seed):
    instance = previous_round_instance(seed)
    result = solve(instance, POLICY)
    lp = brute_force_candidates(instance, POLICY).solve()
    assert lp.status == "optimal", lp.status
    proof = result.summary["proof"]
    assert proof["proven_optimal"]
    assert (result.weighted_placed, proof["max_kept_previous"], result.secondary_cost) == (
        round(lp.weighted_placed), round(lp.kept_previous), round(lp.secondary_cost))
    assert proof["max_kept_previous_bound"] == proof["max_kept_previous"]


@pytest.mark.parametrize("seed", SEEDS[:20])
def test_fewest_moves_result_passes_the_checker(tmp_path, seed):
    instance = previous_round_instance(seed)
    solve(instance, POLICY).write(tmp_path / "result")
    report = check_result(instance, tmp_path / "result", POLICY)
    assert report.ok, format_report(report)


def test_the_previous_rounds_are_neither_all_kept_nor_none():
    """Guards the tests above from passing vacuously: across the instances some previous placements
    are kept, some cannot be, and keeping them changes the secondary cost somewhere."""
    kept = not_kept = dearer = 0
    for seed in SEEDS[:20]:
        instance = previous_round_instance(seed)
        keeping, ignoring = solve(instance, POLICY), solve(instance, Policy(keep_previous="off"))
        counts = keeping.summary["counts"]["changes"]
        kept += counts["kept"]
        not_kept += counts["moved"] + counts["lost"]
        dearer += keeping.secondary_cost > ignoring.secondary_cost
        assert keeping.weighted_placed == ignoring.weighted_placed  # the tier comes after the weight
    assert kept > 0 and not_kept > 0 and dearer > 0
