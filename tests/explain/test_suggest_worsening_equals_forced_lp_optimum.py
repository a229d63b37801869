"""Each alternative's predicted worsening equals a brute-force re-solve with it forced.

The reference shares nothing with the engine or the shortlist code: the
checker's scalar rules enumerate the eligible (student, vacancy, period)
triples and the HiGHS LP of ``matcher/verify/lp.py`` solves the lexicographic model
with the alternative's variable fixed to 1 (exact: integral bounds keep the
polytope integral); infeasible places must be infeasible for the LP too. The
current place must cost nothing and rank first.
"""

import numpy as np
import pytest

from matcher.engine.solve import solve_in_detail
from matcher.explain.suggest import alternatives
from matcher.verify.lp import lexicographic_lp
from models import Policy
from models.policy import Costs, Weights
from tests.support.random_instances import random_instance
from tests.support.reference import brute_force_candidates

POLICIES = {
    "defaults": Policy(),
    "equal weights, cheap duo": Policy(weights=Weights(priority=2, regular=2), costs=Costs(duo_partner=5)),
    "steep weights, dear wishes": Policy(weights=Weights(priority=7, regular=2), costs=Costs(wish_step=40)),
}
CASES = [(seed, "defaults") for seed in range(10)] + [
    (seed, name) for seed in range(10, 14) for name in ("equal weights, cheap duo", "steep weights, dear wishes")
]


def predicted_and_forced(seed: int, policy: Policy):
    """Pairs of (predicted, brute-force) (lost, extra) per alternative, and the table."""
    instance = random_instance(seed, n_students=14, n_vacancies=8)
    solved = solve_in_detail(instance, policy)
    reference = brute_force_candidates(instance, policy)
    arrays = reference.lp_arrays
    optimum = lexicographic_lp(**arrays)
    assert optimum.status == "optimal"
    triples = {
        (reference.student_ids[s], *reference.vp_keys[vp]): index
        for index, (s, vp) in enumerate(zip(arrays["cand_student"], arrays["cand_vp"]))
    }
    found = alternatives(solved, np.arange(solved.problem.n_students))
    problem, candidates = solved.problem, solved.candidates
    cand = found["candidate"].to_numpy()
    keys = list(zip(problem.student_ids[candidates.student[cand]], problem.vacancy_ids[candidates.vacancy[cand]],
                    np.array(problem.period_ids, dtype=object)[candidates.period[cand]]))
    # The alternatives are the places the checker's rules call eligible; the
    # engine leaves out only vacancies with 0 places, which nobody can take.
    assert set(keys) <= set(triples)
    for key in set(triples) - set(keys):
        assert lexicographic_lp(**arrays, forced=np.array([triples[key]])).status != "optimal", key
    pairs = []
    for key, row in zip(keys, found.itertuples()):
        forced = lexicographic_lp(**arrays, forced=np.array([triples[key]]))
        brute = None
        if forced.status == "optimal":
            brute = (round(optimum.weighted_placed - forced.weighted_placed),
                     round(forced.secondary_cost - optimum.secondary_cost))
        predicted = (row.lost_weighted_placements, row.extra_secondary_cost) if row.feasible else None
        pairs.append((key, predicted, brute))
    return pairs, found


@pytest.mark.parametrize("seed,policy_name", CASES)
def test_worsening_equals_forced_lp_optimum(seed, policy_name):
    pairs, found = predicted_and_forced(seed, POLICIES[policy_name])
    wrong = [(key, predicted, brute) for key, predicted, brute in pairs if predicted != brute]
    assert not wrong, wrong
    current = found[found["current"]]
    assert (current["lost_weighted_placements"] == 0).all() and (current["extra_secondary_cost"] == 0).all()
    assert (current["rank"] == 1).all()


def test_the_random_instances_exercise_every_kind_of_alternative():
    """Guards the test above from passing vacuously: across its instances there
    are infeasible places, places that lose placements, places that cost only
    secondary cost, moves of other students and duo places."""
    seen = {"infeasible": 0, "lost": 0, "extra only": 0, "moves": 0, "duo": 0, "unplaces": 0}
    for seed, name in CASES:
        instance = random_instance(seed, n_students=14, n_vacancies=8)
        solved = solve_in_detail(instance, POLICIES[name])
        found = alternatives(solved, np.arange(solved.problem.n_students))
        feasible = found[found["feasible"]]
        seen["infeasible"] += int((~found["feasible"]).sum())
        seen["lost"] += int((feasible["lost_weighted_placements"] > 0).sum())
        seen["extra only"] += int(((feasible["lost_weighted_placements"] == 0)
                                   & (feasible["extra_secondary_cost"] > 0)).sum())
        seen["moves"] += int((feasible["others_moved"] > 0).sum())
        seen["duo"] += int(feasible["duo"].sum())
        seen["unplaces"] += int((feasible["others_unplaced"] > 0).sum())
    assert all(seen.values()), seen
