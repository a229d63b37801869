"""The LP reference with decisions between two matches reaches optima worked out by hand.

docs/model.md, "Rounds": confirmed students are placed where they were
confirmed (whatever eligibility says) and use capacities; declined pairs and
withdrawn students are no candidates. Travel times are fixed by
(student_id, vacancy_id) rows; the default policy applies (weight 2 for these
level-4, second-year students, 1 per minute, duo partner 30, limit 60 min).
"""

from __future__ import annotations

from models.instance import Decision, Instance, Period, Supervisor
from models.policy import Policy
from tests.support.reference import brute_force_candidates, reference_optimum
from tests.verify.test_lp_reference import student, times, vacancy

POLICY = Policy()


def confirmed(sid: str, vid: str, period: str | None = None) -> Decision:
    return Decision(student_id=sid, vacancy_id=vid, period_id=period, decision="confirmed")


def test_confirmed_beyond_the_places_of_a_duo_vacancy():
    # V1: 2 duo places (4 students at most). s1, s2, s3 are confirmed there (one
    # beyond the places: 30), so of s4 and s5 only one more fits, as a second duo
    # partner (30): 4 placed, 4 x 10 min + 2 x 30.
    instance = Instance(
        students=tuple(student(f"s{i}") for i in range(1, 6)),
        vacancies=(vacancy("V1", places=2, duo=True),),
        travel_times=times(**{f"s{i}__V1": 10 for i in range(1, 6)}),
        decisions=tuple(confirmed(f"s{i}", "V1") for i in (1, 2, 3)),
    )
    assert reference_optimum(instance, POLICY) == (8, 4 * 10 + 2 * 30)


def test_a_free_student_pays_the_duo_cost_of_the_confirmed_ones():
    # V1: 1 duo place, s1 confirmed there (10 min). s2 may join it for 10 + 30
    # or take V2 at 35: V2. At 45 V1 is cheaper.
    def optimum(minutes_to_v2: int):
        instance = Instance(
            students=(student("s1"), student("s2")),
            vacancies=(vacancy("V1", places=1, duo=True), vacancy("V2", company="C2")),
            travel_times=times(s1__V1=10, s2__V1=10, s1__V2=10, s2__V2=minutes_to_v2),
            decisions=(confirmed("s1", "V1"),),
        )
        return reference_optimum(instance, POLICY)

    assert optimum(35) == (4, 10 + 35)
    assert optimum(45) == (4, 10 + 10 + 30)


def test_confirmed_placement_whatever_eligibility_says():
    # s1 is 90 min from V1 (limit 60), above its levels and needs an accessible
    # place, which V1 is not; it was confirmed there.
    instance = Instance(
        students=(student("s1", needs_accessible=True),),
        vacancies=(vacancy("V1", max_level=3),),
        travel_times=times(s1__V1=90),
        decisions=(confirmed("s1", "V1"),),
    )
    assert reference_optimum(instance, POLICY) == (2, 90)


def test_confirmed_placement_is_not_reoptimised():
    # Two periods; s1 prefers P2 but was confirmed in P1 (one step down its list: 15).
    instance = Instance(
        students=(student("s1", periods=("P2", "P1")),),
        vacancies=(vacancy("V1"),),
        periods=(Period(period_id="P1"), Period(period_id="P2")),
        travel_times=times(s1__V1=10),
        decisions=(confirmed("s1", "V1", "P1"),),
    )
    assert reference_optimum(instance, POLICY) == (2, 10 + 15)


def test_confirmed_student_uses_the_supervisor():
    # S1 (capacity 1) guides VA and VB; s1 is confirmed at VA, so s2 (who reaches
    # VB only) finds no place.
    instance = Instance(
        students=(student("s1"), student("s2")),
        vacancies=(vacancy("VA", supervisor_id="S1"), vacancy("VB", supervisor_id="S1")),
        supervisors=(Supervisor(supervisor_id="S1", company_id="C1", capacity=1),),
        travel_times=times(s1__VA=20, s1__VB=20, s2__VA=90, s2__VB=10),
        decisions=(confirmed("s1", "VA"),),
    )
    assert reference_optimum(instance, POLICY) == (2, 20)
    assert reference_optimum(instance.model_copy(update={"decisions": ()}), POLICY) == (2, 10)


def test_declines_by_vacancy_and_by_company():
    # s1 reaches V1 (C1, 10 min), V2 (C1, 20) and V3 (C2, 40).
    def optimum(*declines: Decision):
        instance = Instance(
            students=(student("s1"),),
            vacancies=(vacancy("V1"), vacancy("V2"), vacancy("V3", company="C2")),
            travel_times=times(s1__V1=10, s1__V2=20, s1__V3=40),
            decisions=declines,
        )
        return reference_optimum(instance, POLICY)

    assert optimum() == (2, 10)
    assert optimum(Decision(student_id="s1", vacancy_id="V1", decision="declined_by_student")) == (2, 20)
    assert optimum(Decision(student_id="s1", vacancy_id="V1", decision="declined_by_company")) == (2, 20)
    assert optimum(Decision(student_id="s1", company_id="C1", decision="declined_by_company")) == (2, 40)
    assert optimum(Decision(student_id="s1", company_id="C1", decision="declined_by_student"),
                   Decision(student_id="s1", vacancy_id="V3", decision="declined_by_student")) == (0, 0)


def test_decline_holds_in_every_period():
    instance = Instance(
        students=(student("s1"),),
        vacancies=(vacancy("V1"),),
        periods=(Period(period_id="P1"), Period(period_id="P2")),
        travel_times=times(s1__V1=10),
        decisions=(Decision(student_id="s1", vacancy_id="V1", decision="declined_by_student"),),
    )
    assert brute_force_candidates(instance, POLICY).lp_arrays["cand_student"].size == 0


def test_withdrawn_student_leaves_the_place_to_another():
    # One place: s1 (10 min) would take it; withdrawn, s2 (30 min) does.
    instance = Instance(
        students=(student("s1"), student("s2")),
        vacancies=(vacancy("V1"),),
        travel_times=times(s1__V1=10, s2__V1=30),
        decisions=(Decision(student_id="s1", decision="withdrawn"),),
    )
    assert reference_optimum(instance, POLICY) == (2, 30)
