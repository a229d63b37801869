"""The synthetic instance generator: calibration, consistency, determinism."""

from __future__ import annotations

from collections import Counter, defaultdict
from math import asin, ceil, cos, radians, sin, sqrt

import numpy as np
import pytest

from matcher.generator import calibration as cal
from matcher.generator.synth import generate_instance, load_catalogue, student_crebo_shares
from matcher.geo import tables
from models.instance import cross_reference_problems
from models.policy import Policy

CARE = "Zorg/welzijn/sport"
TECHNIQUE = "Techniek/gebouwde omgeving"


@pytest.fixture(scope="module")
def big():
    """A 20,000-student region: large enough for shares, small enough to be fast."""
    return generate_instance(region="AM22", students=20_000, seed=7)


@pytest.fixture(scope="module")
def small():
    return generate_instance(region="AM13", students=1_500, seed=3)


def _catalogue():
    table = load_catalogue()
    return dict(zip(table["crebo"], table["level"])), dict(zip(table["crebo"], table["sector"]))


def _home_region(item) -> str:
    table = tables.pc4_table()
    if item.pc4 is not None:
        return table.loc[item.pc4, "amr_code_approx"]
    d2 = (table["lat"] - item.lat) ** 2 + ((table["lon"] - item.lon) * cos(radians(item.lat))) ** 2
    return table.loc[d2.idxmin(), "amr_code_approx"]


def test_level_shares_follow_the_renormalised_duo_figures(big):
    total = sum(cal.LEVEL_SHARES.values())
    counts = Counter(s.level for s in big.students)
    for level, share in cal.LEVEL_SHARES.items():
        assert counts[level] / len(big.students) == pytest.approx(share / total, abs=0.01)


def test_bbl_share_is_calibrated_and_higher_in_care_and_technique(big):
    _, sector = _catalogue()
    bbl = [s.pathway == "BBL" for s in big.students]
    assert np.mean(bbl) == pytest.approx(cal.BBL_SHARE, abs=0.015)
    by_sector = defaultdict(list)
    for s, is_bbl in zip(big.students, bbl):
        by_sector[sector[s.crebo]].append(is_bbl)
    assert np.mean(by_sector[CARE]) > np.mean(bbl)
    assert np.mean(by_sector[TECHNIQUE]) > np.mean(bbl)
    assert np.mean(by_sector["ICT/creatief"]) < np.mean(bbl)


def test_care_is_the_largest_sector(big):
    _, sector = _catalogue()
    counts = Counter(sector[s.crebo] for s in big.students)
    assert counts.most_common(1)[0][0] == CARE


def test_every_student_has_the_level_of_its_qualification(big):
    level, _ = _catalogue()
    assert all(level[s.crebo] == s.level for s in big.students)


def test_years_stay_within_the_programme_length(big):
    assert all(1 <= s.year <= cal.MAX_YEAR_BY_LEVEL[s.level] for s in big.students)
    assert {s.year for s in big.students if s.level == 4} == {1, 2, 3, 4}


def test_every_vacancy_names_catalogue_crebos_of_one_sector(big):
    _, sector = _catalogue()
    companies = {c.company_id: c for c in big.companies}
    for v in big.vacancies:
        assert v.crebos and all(c in sector for c in v.crebos)
        assert {sector[c] for c in v.crebos} == {companies[v.company_id].sector}


def test_about_forty_percent_of_vacancies_have_several_places(big):
    multi = np.mean([v.places > 1 for v in big.vacancies])
    assert multi == pytest.approx(cal.MULTI_PLACE_SHARE, abs=0.04)
    assert max(v.places for v in big.vacancies) <= max(cal.MULTI_PLACE_WEIGHTS)


def test_place_totals_scale_with_the_number_of_students(big):
    expected = round(cal.NATIONAL_BOL_PLACES * 20_000 / cal.NATIONAL_STUDENTS) + round(
        cal.NATIONAL_BBL_PLACES * 20_000 / cal.NATIONAL_STUDENTS)
    assert sum(v.places for v in big.vacancies) == expected


def test_region_run_keeps_everybody_in_the_region(small):
    assert len(small.students) == 1_500
    assert all(_home_region(s) == "AM13" for s in small.students)
    assert all(_home_region(v) == "AM13" for v in small.vacancies)
    assert {c.region for c in small.companies} == {"AM13"}
    assert all(s.school_id.startswith("S-AM13-") for s in small.students)


def test_coordinates_are_rounded_jittered_pc4_centres(big):
    located = [s for s in big.students if s.lat is not None]
    assert len(located) / len(big.students) == pytest.approx(cal.COORDINATE_SHARE, abs=0.01)
    for s in located[:200]:
        assert s.pc4 is None
        assert round(s.lat, 5) == s.lat and round(s.lon, 5) == s.lon
        assert _home_region(s) == "AM22"


def test_same_arguments_give_the_same_instance_and_another_seed_another():
    first = generate_instance(region="AM34", students=800, seed=11)
    again = generate_instance(region="AM34", students=800, seed=11)
    other = generate_instance(region="AM34", students=800, seed=12)
    assert first == again
    assert first.students != other.students


def test_instance_cross_references_resolve(big):
    assert cross_reference_problems(big) == []
    supervisors = {s.supervisor_id: s for s in big.supervisors}
    companies = {c.company_id for c in big.companies}
    for v in big.vacancies:
        assert supervisors[v.supervisor_id].company_id == v.company_id
        assert v.company_id in companies
    per_company = Counter(s.company_id for s in big.supervisors)
    assert set(per_company.values()) <= {1, 2, 3}
    assert all(1 <= s.capacity <= 4 for s in big.supervisors)


def test_ids_are_pseudonymous_and_ordered(big):
    ids = [s.student_id for s in big.students]
    assert ids == sorted(ids) and ids[0] == "st-AM22-000001"
    assert all(c.name.startswith("Bedrijf ") and c.name[8:].isdigit() for c in big.companies)


def test_periods_are_four_ordered_blocks_and_cohorts_share_their_first_period(big):
    assert [p.period_id for p in big.periods] == ["P1", "P2", "P3", "P4"]
    assert all(a.end < b.start for a, b in zip(big.periods, big.periods[1:]))
    first = defaultdict(set)
    for s in big.students:
        assert 1 <= len(s.periods) <= 2
        first[(s.school_id, s.crebo, s.year)].add(s.periods[0])
    assert all(len(p) == 1 for p in first.values())
    offered = Counter(len(v.periods) for v in big.vacancies)
    assert offered[4] / len(big.vacancies) > 0.5
    assert offered[1] > 0 and offered[2] > 0 and offered[3] > 0


def _sector_totals(instance):
    sector = {c.company_id: c.sector for c in instance.companies}
    places, guidance, capacity = Counter(), Counter(), Counter()
    for v in instance.vacancies:
        places[sector[v.company_id]] += v.places
        guidance[sector[v.company_id]] += v.extra_guidance_places
    for s in instance.supervisors:
        capacity[sector[s.company_id]] += s.capacity
    return places, guidance, capacity


def test_care_is_supervision_limited_and_technique_in_surplus(big):
    places, guidance, capacity = _sector_totals(big)
    _, sector = _catalogue()
    students = Counter(sector[s.crebo] for s in big.students)
    assert capacity[CARE] / places[CARE] < capacity[TECHNIQUE] / places[TECHNIQUE]
    assert guidance[CARE] / places[CARE] < guidance[TECHNIQUE] / places[TECHNIQUE]
    assert places[TECHNIQUE] > students[TECHNIQUE]
    assert places[CARE] < students[CARE]
    # Entree has the fewest places per student (the highest relative shortage).
    ratio = {s: places[s] / students[s] for s in students}
    assert min(ratio, key=ratio.get) == "Entree"


def test_wishes_name_suitable_vacancies_or_their_companies(big):
    vacancies = {v.vacancy_id: v for v in big.vacancies}
    by_company = defaultdict(list)
    for v in big.vacancies:
        by_company[v.company_id].append(v)
    wishing = [s for s in big.students if s.preferences]
    assert len(wishing) / len(big.students) == pytest.approx(cal.PREFERENCE_SHARE, abs=0.03)
    for s in wishing:
        assert 1 <= len(s.preferences) <= 3
        for w in s.preferences:
            named = [vacancies[w]] if w in vacancies else by_company[w]
            assert any(s.crebo in v.crebos and s.pathway in v.pathways for v in named)


def test_travel_fields_mostly_left_to_the_policy(big):
    n = len(big.students)
    assert sum(s.max_travel_min is None for s in big.students) / n == pytest.approx(0.80, abs=0.02)
    assert {s.max_travel_min for s in big.students} == {None, 30, 45, 90}
    assert sum(s.extra_guidance is not None for s in big.students) / n < 0.05
    assert sum(s.needs_accessible for s in big.students) / n == pytest.approx(0.02, abs=0.01)


def test_national_preset_covers_every_region_in_proportion():
    inst = generate_instance(preset="national", students=7_000, seed=2)
    assert len(inst.students) == 7_000
    regions = Counter(s.student_id.split("-")[1] for s in inst.students)
    assert set(regions) == set(tables.regions().index)
    table = tables.pc4_table()
    share = table.groupby("amr_code_approx")["n_pc6"].sum() / table["n_pc6"].sum()
    for code, count in regions.items():
        assert abs(count - 7_000 * share[code]) <= 1
    assert sum(v.places for v in inst.vacancies) == round(100_000 * 7_000 / 250_000) + round(
        70_000 * 7_000 / 250_000)
    assert cross_reference_problems(inst) == []


@pytest.mark.parametrize(("kwargs", "message"), [
    ({}, r"give a region \(e\.g\. 'AM13'\) or preset='national'"),
    ({"region": "AM99"}, r"unknown region 'AM99': expected one of AM01, "),
    ({"region": "AM13", "preset": "national"}, r"preset 'national' covers every region; do not give a region"),
    ({"region": "AM13", "students": 0}, r"students must be at least 1, got 0"),
    ({"region": "AM13", "preset": "city"}, r"unknown preset 'city': use 'region' or 'national'"),
])
def test_bad_arguments_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):  # each for its own reason, not any ValueError
        generate_instance(**kwargs)


def _minutes(a, b, mode: str, policy: Policy) -> int:
    lat1, lon1, lat2, lon2 = map(radians, (*a, *b))
    h = sin((lat2 - lat1) / 2) ** 2 + cos(lat1) * cos(lat2) * sin((lon2 - lon1) / 2) ** 2
    km = 2 * policy.travel.earth_radius_km * asin(sqrt(h))
    speed = getattr(policy.travel, mode)
    return ceil(speed.base_min + 60 * km * policy.travel.detour_factor / speed.km_per_hour - 1e-9)


def test_arc_count_matches_a_brute_force_count():
    inst = generate_instance(region="AM34", students=300, seed=5)
    policy = Policy()
    table = tables.pc4_table()

    def where(x):
        return (x.lat, x.lon) if x.lat is not None else tuple(table.loc[x.pc4, ["lat", "lon"]])

    everything = [p.period_id for p in inst.periods]
    expected = []
    for s in inst.students:
        guided = s.extra_guidance if s.extra_guidance is not None else (s.level <= 2 or s.year == 1)
        mode = (s.mode or policy.travel.default_mode).value
        limit = s.max_travel_min or policy.travel.default_max_min
        arcs = 0
        for v in inst.vacancies:
            if s.crebo not in v.crebos or s.pathway not in v.pathways:
                continue
            if not v.min_level <= s.level <= v.max_level:
                continue
            if s.needs_accessible and not v.accessible:
                continue
            if guided and v.extra_guidance_places == 0:
                continue
            if _minutes(where(s), where(v), mode, policy) > limit or v.places == 0:
                continue
            arcs += len(set(s.periods or everything) & set(v.periods or everything))
        expected.append(arcs)
    counted = _engine_arcs_per_student(inst, policy)
    assert [counted.get(s.student_id, 0) for s in inst.students] == expected
    assert sum(expected) > 0


def _engine_arcs_per_student(inst, policy) -> dict[str, int]:
    """Candidate arcs per student id, as the engine generates them."""
    from matcher.engine.candidates import generate_candidates
    from matcher.engine.problem import build_problem

    problem = build_problem(inst, policy)
    counts = np.bincount(generate_candidates(problem, policy).student, minlength=problem.n_students)
    return dict(zip(problem.student_ids, counts.tolist()))


def test_arc_count_follows_equivalences_once_and_skips_unreachable_limits():
    from models.instance import Equivalence, Instance, Student, Vacancy

    def student(sid, **kw):
        return Student(student_id=sid, school_id="S", crebo="25498", level=3, pathway="BOL",
                       year=2, pc4="3511", **kw)

    def vacancy(vid, crebos):
        return Vacancy(vacancy_id=vid, company_id="c", crebos=crebos, pathways=("BOL",),
                       pc4="3512", places=1)

    inst = Instance(
        students=(student("near"), student("limit-below-base", max_travel_min=5)),
        vacancies=(vacancy("v-equivalent", ("25491",)), vacancy("v-both", ("25491", "25498")),
                   vacancy("v-unrelated", ("25655",))),
        equivalences=(Equivalence(crebo="25498", equivalent_crebo="25491"),),
    )
    counted = _engine_arcs_per_student(inst, Policy())
    # One period ("year"); v-both is recognised twice over but is one arc.
    assert [counted.get(sid, 0) for sid in ("near", "limit-below-base")] == [2, 0]


def test_expected_crebo_shares_match_the_calibration():
    shares = student_crebo_shares()
    assert shares["share"].sum() == pytest.approx(1.0)
    assert (shares["share"] * shares["bbl_share"]).sum() == pytest.approx(cal.BBL_SHARE)
    by_level = shares.groupby("level")["share"].sum()
    total = sum(cal.LEVEL_SHARES.values())
    for level, share in cal.LEVEL_SHARES.items():
        assert by_level[level] == pytest.approx(share / total, abs=1e-6)
