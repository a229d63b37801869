"""Adding or removing places in one (sector, region, period) changes that period only,
never leaves a vacancy below 0 places, and keeps every other capacity as it was."""

import numpy as np

from matcher.engine.problem import build_problem
from matcher.plan.scenario import apply_scenario, largest_remainder
from models import Policy
from models.scenario import Scenario
from tests.support.builders import Company, Period, instance, student, vacancy

PERIODS = (Period(period_id="P1"), Period(period_id="P2"))


def _care_instance():
    vacancies = [vacancy("v1", company_id="co-1", places=3, periods=("P1", "P2"), supervisor_id=None),
                 vacancy("v2", company_id="co-1", places=1, periods=("P1",)),
                 vacancy("v3", company_id="co-3", places=5, periods=("P1", "P2"))]
    companies = (Company(company_id="co-1", sector="Zorg/welzijn/sport", region="AM13"),
                 Company(company_id="co-3", sector="Handel", region="AM13"))
    return instance([student("s1", periods=("P1", "P2"))], vacancies, periods=PERIODS,
                    companies=companies)


def _places(inst, sector_companies):
    """Places per period (P1, P2) offered by vacancies of the given companies."""
    problem = build_problem(inst, Policy())
    offered = problem.v_places[:, None] * problem.v_period_offered
    mine = np.isin(problem.company_ids[problem.v_company], list(sector_companies))
    return offered[mine].sum(axis=0).tolist()


def _care_companies(inst):
    return {c.company_id for c in inst.companies if c.sector == "Zorg/welzijn/sport"}


def test_adding_places_in_p2_adds_to_p2_only():
    base = _care_instance()
    changed, applied = apply_scenario(base, Scenario.model_validate(
        {"name": "add", "places": [{"sector": "Zorg/welzijn/sport", "period": "P2", "change": 4}]}))
    assert _places(base, _care_companies(base)) == [4, 3]
    assert _places(changed, _care_companies(changed)) == [4, 7]
    assert _places(changed, {"co-3"}) == [5, 5]  # another sector is untouched
    new = [v for v in changed.vacancies if v.vacancy_id not in {"v1", "v2", "v3"}]
    assert new and all(v.periods == ("P2",) and v.supervisor_id is None for v in new)
    assert applied.places_added == 4


def test_removing_places_splits_the_period_off_and_never_goes_below_zero():
    base = _care_instance()
    changed, applied = apply_scenario(base, Scenario.model_validate(
        {"name": "remove", "places": [{"sector": "Zorg/welzijn/sport", "period": "P1", "change": -100}]}))
    assert _places(changed, _care_companies(changed)) == [0, 3]
    assert all(v.places >= 0 for v in changed.vacancies)
    v1 = next(v for v in changed.vacancies if v.vacancy_id == "v1")
    split = next(v for v in changed.vacancies if v.vacancy_id == "v1~P1")
    assert (v1.periods, v1.places) == (("P2",), 3)
    assert (split.periods, split.places, split.company_id) == (("P1",), 0, "co-1")
    assert applied.places_removed == 4 and applied.places_removal_asked == 100
    assert applied.notes and "had 4 places in P1" in applied.notes[0]


def test_removing_some_places_takes_them_in_proportion():
    base = _care_instance()
    changed, _ = apply_scenario(base, Scenario.model_validate(
        {"name": "remove", "places": [{"sector": "Zorg/welzijn/sport", "period": "P1", "change": -2}]}))
    assert _places(changed, _care_companies(changed)) == [2, 3]


def test_a_change_without_period_applies_in_every_period():
    base = _care_instance()
    changed, applied = apply_scenario(base, Scenario.model_validate(
        {"name": "add", "places": [{"sector": "Handel", "change": 2}]}))
    assert _places(changed, {c.company_id for c in changed.companies if c.sector == "Handel"}) == [7, 7]
    assert applied.places_added == 4


def test_largest_remainder_keeps_the_total_and_each_weight():
    shares = largest_remainder(7, np.array([3, 1, 5, 0]), np.array(["a", "b", "c", "d"], dtype=object))
    assert shares.sum() == 7 and (shares <= [3, 1, 5, 0]).all()
