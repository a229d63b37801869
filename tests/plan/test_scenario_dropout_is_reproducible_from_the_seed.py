"""Dropout draws depend only on (seed, run, company): the same seed drops the same
companies, another seed or run others, and a higher rate drops a superset."""

import numpy as np

from matcher.plan.scenario import apply_dropout, dropout_draws
from models.scenario import Dropout
from tests.support.random_instances import random_instance


def _dropped(inst, rate, seed, run):
    changed, n = apply_dropout(inst, Dropout(rate=rate), seed, run)
    zeroed = {v.company_id for v, w in zip(inst.vacancies, changed.vacancies) if v.places and not w.places}
    return zeroed, n


def test_same_seed_same_companies_and_nested_rates():
    companies = [f"co-{i:03d}" for i in range(400)]
    first, again = dropout_draws(7, 3, companies), dropout_draws(7, 3, companies)
    assert np.array_equal(first, again)
    assert not np.array_equal(first, dropout_draws(8, 3, companies))
    assert not np.array_equal(first, dropout_draws(7, 4, companies))
    # Independent of the other companies and their order.
    assert dropout_draws(7, 3, companies[::-1])[::-1].tolist() == first.tolist()
    assert 0.4 < first.mean() < 0.6 and ((first >= 0) & (first < 1)).all()
    assert set(np.flatnonzero(first < 0.1)) <= set(np.flatnonzero(first < 0.3))


def test_dropout_zeroes_whole_companies():
    inst = random_instance(5, n_students=10, n_vacancies=30)
    dropped, n = _dropped(inst, 0.5, seed=1, run=0)
    assert dropped and n >= len(dropped)
    changed, _ = apply_dropout(inst, Dropout(rate=0.5), 1, 0)
    for v, w in zip(inst.vacancies, changed.vacancies):
        assert w.vacancy_id == v.vacancy_id
        if v.company_id in dropped:
            assert w.places == 0
    assert _dropped(inst, 0.5, seed=1, run=0) == (dropped, n)
    assert _dropped(inst, 1.0, seed=1, run=0)[0] == {v.company_id for v in inst.vacancies if v.places}
