"""The LP reference reaches optima worked out by hand, and matches exhaustive search.

Each tiny instance below fixes every travel time with a (student_id, vacancy_id)
row of travel_times, so costs are plain numbers; the default policy applies
(weights 3 priority / 2 regular, 1 per travel minute, duo partner 30, period
step 15, limit 60 min).
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from matcher.verify.lp import lexicographic_lp
from models.instance import (
    Company,
    Instance,
    Period,
    Student,
    Supervisor,
    TravelTime,
    Vacancy,
)
from models.policy import Policy
from tests.support.reference import brute_force_candidates, reference_optimum

POLICY = Policy()


def student(sid: str, level: int = 4, **kw) -> Student:
    return Student(student_id=sid, school_id="SCH1", crebo="25180", level=level,
                   pathway="BOL", year=kw.pop("year", 2), pc4="3512", **kw)


def vacancy(vid: str, company: str = "C1", places: int = 1, **kw) -> Vacancy:
    return Vacancy(vacancy_id=vid, company_id=company, crebos=("25180",), pathways=("BOL",),
                   pc4="3511", places=places, **kw)


def times(**minutes: int) -> tuple[TravelTime, ...]:
    """``times(s1__V1=10)`` -> a travel_times row s1 -> V1 of 10 minutes."""
    rows = []
    for key, value in minutes.items():
        origin, destination = key.split("__")
        rows.append(TravelTime(origin=origin, destination=destination, minutes=value))
    return tuple(rows)


def test_priority_student_wins_the_only_place():
    # s1 is level 2 (priority, weight 3) at 40 min; s2 level 4 (weight 2) at
    # 10 min. One place: placing s1 gives 3 > 2, so the optimum is (3, 40)
    # although s2 would be cheaper.
    instance = Instance(
        students=(student("s1", level=2), student("s2", level=4)),
        vacancies=(vacancy("V1", places=1),),
        travel_times=times(s1__V1=40, s2__V1=10),
    )
    assert reference_optimum(instance, POLICY) == (3, 40)


def test_duo_place_takes_both_students_at_duo_cost():
    # One duo place: both regular students fit (2 <= 2 x 1 places), weight 2 + 2
    # = 4; cost 10 + 15 travel plus 30 for the one student beyond `places`.
    instance = Instance(
        students=(student("s1"), student("s2")),
        vacancies=(vacancy("V1", places=1, duo=True),),
        travel_times=times(s1__V1=10, s2__V1=15),
    )
    assert reference_optimum(instance, POLICY) == (4, 55)
    # Without duo only one fits: the cheaper one, (2, 10).
    single = instance.model_copy(update={"vacancies": (vacancy("V1", places=1),)})
    assert reference_optimum(single, POLICY) == (2, 10)


def test_supervisor_capacity_one_across_two_vacancies():
    # VA and VB (company C1) share supervisor S1 of capacity 1; VC is at C2.
    # s1 reaches VA and VB (10 min each), VC is out of reach (90 > 60).
    # s2 reaches VA (20) and VC (50), VB is out of reach.
    # Places alone would allow s1 at VB and s2 at VA (cost 30), but S1 takes
    # only one student, so the only way to place both (weight 4) is s1 on VA or
    # VB and s2 on VC: cost 10 + 50 = 60.
    instance = Instance(
        students=(student("s1"), student("s2")),
        vacancies=(
            vacancy("VA", supervisor_id="S1"),
            vacancy("VB", supervisor_id="S1"),
            vacancy("VC", company="C2"),
        ),
        supervisors=(Supervisor(supervisor_id="S1", company_id="C1", capacity=1),),
        travel_times=times(s1__VA=10, s1__VB=10, s1__VC=90, s2__VA=20, s2__VB=90, s2__VC=50),
    )
    assert reference_optimum(instance, POLICY) == (4, 60)
    # With capacity 2 the cheaper pairing s1-VB, s2-VA (10 + 20) is allowed.
    roomy = instance.model_copy(update={
        "supervisors": (Supervisor(supervisor_id="S1", company_id="C1", capacity=2),)})
    assert reference_optimum(roomy, POLICY) == (4, 30)


def test_company_room_pushes_one_student_to_the_later_period():
    # Company C1 has room for 1 student per period; its vacancy has 2 places in
    # each of P1, P2. Both students list (P1, P2), 10 min away. Both are placed
    # (weight 4) only if one takes P2, one step down its list: 10 + 10 + 15 = 35.
    instance = Instance(
        students=(student("s1", periods=("P1", "P2")), student("s2", periods=("P1", "P2"))),
        vacancies=(vacancy("V1", places=2),),
        companies=(Company(company_id="C1", max_students=1),),
        periods=(Period(period_id="P1"), Period(period_id="P2")),
        travel_times=times(s1__V1=10, s2__V1=10),
    )
    assert reference_optimum(instance, POLICY) == (4, 35)


def test_extra_guidance_places_limit_guided_students():
    # Two places, one of them for extra guidance. s1 and s2 are level 2 (need
    # guidance, weight 3), s3 level 4 (weight 2). Two guided students would be
    # worth 6 but only one guidance place exists, so the best is one guided +
    # s3: weight 5, cost min(10, 20) + 5 = 15.
    instance = Instance(
        students=(student("s1", level=2), student("s2", level=2), student("s3")),
        vacancies=(vacancy("V1", places=2, extra_guidance_places=1),),
        travel_times=times(s1__V1=10, s2__V1=20, s3__V1=5),
    )
    assert reference_optimum(instance, POLICY) == (5, 15)


def test_brute_force_candidates_drop_ineligible_pairs():
    # s2 is 90 min away (limit 60): only s1's pair is a candidate.
    instance = Instance(
        students=(student("s1"), student("s2")),
        vacancies=(vacancy("V1"),),
        travel_times=times(s1__V1=10, s2__V1=90),
    )
    table = brute_force_candidates(instance, POLICY)
    assert table.lp_arrays["cand_student"].tolist() == [0]
    assert table.lp_arrays["cand_cost"].tolist() == [10]


# --- Exhaustive search on random small tables --------------------------------


def _exhaustive(arrays: dict, forced: tuple[int, ...] = ()) -> tuple[int, int] | None:
    """Best (weight, cost) over every integer assignment that makes the ``forced``
    placements, by enumeration (None when none is feasible)."""
    n_students = arrays["weight"].size
    options = [[None] + [c for c in range(arrays["cand_student"].size)
                         if arrays["cand_student"][c] == s] for s in range(n_students)]
    for c in forced:
        options[arrays["cand_student"][c]] = [c]
    best = None
    for choice in itertools.product(*options):
        chosen = [c for c in choice if c is not None]
        vp = arrays["cand_vp"][chosen]
        n_at = np.bincount(vp, minlength=arrays["vp_places"].size)
        limit = np.where(arrays["vp_duo"], 2, 1) * arrays["vp_places"]
        if (n_at > limit).any():
            continue
        guided = np.bincount(vp[arrays["cand_needs_guidance"][chosen]],
                             minlength=arrays["vp_places"].size)
        if (guided > arrays["vp_guidance_places"]).any():
            continue
        feasible = True
        for group_key, cap_key in (("vp_supervisor_group", "supervisor_group_capacity"),
                                   ("vp_company_group", "company_group_capacity")):
            groups = arrays[group_key][vp]
            counts = np.bincount(groups[groups >= 0], minlength=arrays[cap_key].size)
            feasible &= bool((counts <= arrays[cap_key]).all())
        if not feasible:
            continue
        weight = int(arrays["weight"][arrays["cand_student"][chosen]].sum())
        cost = int(arrays["cand_cost"][chosen].sum()
                   + arrays["duo_cost"] * np.maximum(0, n_at - arrays["vp_places"]).sum())
        if best is None or weight > best[0] or (weight == best[0] and cost < best[1]):
            best = (weight, cost)
    return best


def _random_table(rng: np.random.Generator) -> dict:
    n_students, n_vp = 5, 4
    cand_student, cand_vp = [], []
    for s in range(n_students):
        for vp in rng.choice(n_vp, size=rng.integers(0, 4), replace=False):
            cand_student.append(s)
            cand_vp.append(int(vp))
    guided_student = rng.random(n_students) < 0.4
    places = rng.integers(0, 3, n_vp)
    # Groups nest as in real data: vps 0-1 share a supervisor, vps 0-2 a company.
    return dict(
        cand_student=np.array(cand_student, dtype=np.int64),
        cand_vp=np.array(cand_vp, dtype=np.int64),
        cand_cost=rng.integers(0, 60, len(cand_student)),
        cand_needs_guidance=guided_student[np.array(cand_student, dtype=np.int64)],
        weight=np.where(guided_student, 3, 2),
        vp_places=places,
        vp_guidance_places=np.minimum(places, rng.integers(0, 3, n_vp)),
        vp_duo=rng.random(n_vp) < 0.5,
        vp_supervisor_group=np.array([0, 0, -1, -1]),
        supervisor_group_capacity=rng.integers(0, 4, 1),
        vp_company_group=np.array([0, 0, 0, -1]),
        company_group_capacity=rng.integers(1, 5, 1),
        duo_cost=int(rng.integers(0, 50)),
    )


@pytest.mark.parametrize("seed", range(40))
def test_lp_equals_exhaustive_search_on_random_tables(seed):
    arrays = _random_table(np.random.default_rng(seed))
    result = lexicographic_lp(**arrays)
    assert result.status == "optimal"
    weight, cost = _exhaustive(arrays)
    assert result.weighted_placed == pytest.approx(weight, abs=1e-6)
    assert result.secondary_cost == pytest.approx(cost, abs=1e-4)


@pytest.mark.parametrize("seed", range(40))
def test_lp_with_forced_placements_equals_exhaustive_search(seed):
    # Forced candidates are how the confirmed placements of a round enter the LP
    # (matcher/verify/lp.py): they count in every row, the duo cost included.
    rng = np.random.default_rng(1000 + seed)
    arrays = _random_table(rng)
    students = np.unique(arrays["cand_student"])
    chosen = rng.choice(students, size=min(len(students), int(rng.integers(1, 4))), replace=False)
    forced = tuple(int(rng.choice(np.flatnonzero(arrays["cand_student"] == s))) for s in chosen)
    result = lexicographic_lp(**arrays, forced=np.array(forced, dtype=np.int64))
    best = _exhaustive(arrays, forced)
    if best is None:
        assert result.status != "optimal"
        return
    assert result.status == "optimal"
    assert result.weighted_placed == pytest.approx(best[0], abs=1e-6)
    assert result.secondary_cost == pytest.approx(best[1], abs=1e-4)
