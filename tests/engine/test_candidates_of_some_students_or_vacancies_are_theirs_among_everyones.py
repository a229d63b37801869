"""``generate_candidates(..., students=, vacancies=)`` gives exactly the arcs of those students, or into those
vacancies, that the generation for everyone gives (the remedies widen the arcs of the unplaced students only):
same arcs, same travel, costs and ranks, with decisions and travel overrides of every kind."""

import numpy as np
import pytest

from matcher.engine.candidates import generate_candidates
from matcher.engine.problem import build_problem
from tests.support.random_instances import random_decisions, random_policy, random_varied_instance

COLUMNS = ("student", "vacancy", "period", "travel_min", "wish_rank", "period_rank", "cost")


def _arcs(candidates, keep=None):
    keep = np.ones(len(candidates.student), dtype=bool) if keep is None else keep
    return {name: getattr(candidates, name)[keep].tolist() for name in COLUMNS}


@pytest.mark.parametrize("seed", range(30))
def test_a_subset_gives_its_arcs_among_everyones(seed):
    policy = random_policy(seed)
    instance = random_varied_instance(seed, n_students=30, n_vacancies=12)
    if seed % 2:
        instance = random_decisions(instance, seed, policy)
    problem = build_problem(instance, policy)
    everyone = generate_candidates(problem, policy)
    rng = np.random.default_rng(seed)
    students = np.flatnonzero(rng.random(problem.n_students) < 0.4)
    vacancies = np.flatnonzero(rng.random(problem.n_vacancies) < 0.4)
    assert len(everyone.student) > 0
    for subset, keep in (
        ({"students": students}, np.isin(everyone.student, students)),
        ({"vacancies": vacancies}, np.isin(everyone.vacancy, vacancies)),
        ({"students": students, "vacancies": vacancies},
         np.isin(everyone.student, students) & np.isin(everyone.vacancy, vacancies)),
    ):
        assert _arcs(generate_candidates(problem, policy, **subset)) == _arcs(everyone, keep), subset
