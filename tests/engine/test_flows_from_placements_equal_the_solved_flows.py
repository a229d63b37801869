"""A match read back gives the engine's own flows: the flows that follow from the placements
(``matcher.engine.network.flows_of``) equal the solve's on every arc, and so do every component's placed
counts and flow cost; advice from the match read back equals advice from a solve, byte for byte. Placements
that do not fit (a student twice, a place over its capacity, a place nobody is eligible for) are refused."""

import numpy as np
import pandas as pd
import pytest

from matcher.engine.solve import solve_in_detail, solved_from_placements
from matcher.errors import ModelError
from matcher.explain.advice import advise
from matcher.generator.synth import generate_instance
from models import Policy
from models.policy import Costs, Weights
from tests.support.random_instances import random_instance

POLICIES = [Policy(), Policy(weights=Weights(priority=7, regular=2), costs=Costs(duo_partner=5))]


def assert_same_solved(solved, again):
    assert np.array_equal(solved.flows, again.flows)
    assert np.array_equal(solved.chosen, again.chosen)
    for before, after in zip(solved.solutions, again.solutions, strict=True):
        # The part's own two source arcs last: the solve leaves them as its last stage does, unused.
        assert np.array_equal(before.flows[:-2], after.flows[:-2])
        assert (before.max_placed, before.max_priority_placed, before.secondary_cost) == (
            after.max_placed, after.max_priority_placed, after.secondary_cost)


@pytest.mark.parametrize("seed", range(10))
def test_random_instances(seed):
    instance = random_instance(seed, n_students=14, n_vacancies=8)
    policy = POLICIES[seed % 2]
    solved = solve_in_detail(instance, policy)
    assert_same_solved(solved, solved_from_placements(instance, policy, solved.result))


def test_generated_region_and_its_advice():
    instance = generate_instance(region="AM13", students=1500, seed=3)
    solved = solve_in_detail(instance, Policy())
    again = solved_from_placements(instance, Policy(), solved.result)
    assert_same_solved(solved, again)
    before, after = advise(solved, verify=8), advise(again, verify=8)
    assert before.capacities.equals(after.capacities) and before.cells.equals(after.cells)


def test_placements_that_do_not_fit_are_refused():
    instance = generate_instance(region="AM13", students=1500, seed=3)
    solved = solve_in_detail(instance, Policy())
    placements = solved.result.placements
    twice = pd.concat([placements, placements.head(1)], ignore_index=True)
    # A placed student moved to a vacancy-period it is eligible for that is already full.
    problem, candidates, network = solved.problem, solved.candidates, solved.network
    taken = np.bincount(network.candidate_vp[solved.chosen], minlength=len(network.vp_vacancy))
    places = problem.v_places[network.vp_vacancy] * np.where(problem.v_duo[network.vp_vacancy], 2, 1)
    full = taken[network.candidate_vp] >= places[network.candidate_vp]
    own = np.zeros(len(candidates.student), dtype=bool)
    own[solved.chosen] = True
    arc = int(np.flatnonzero(full & ~own & solved.placed[candidates.student])[0])
    student = problem.student_ids[candidates.student[arc]]
    crowded = placements.copy()
    row = crowded["student_id"] == student
    crowded.loc[row, "vacancy_id"] = problem.vacancy_ids[candidates.vacancy[arc]]
    crowded.loc[row, "period_id"] = problem.period_ids[int(candidates.period[arc])]
    nowhere = placements.copy()
    nowhere.loc[0, "vacancy_id"] = "no-such-vacancy"
    for bad in (twice, crowded, nowhere):
        with pytest.raises(ModelError):
            solved_from_placements(instance, Policy(), solved.result.__class__(bad, solved.result.unplaced,
                                                                               solved.result.summary))
