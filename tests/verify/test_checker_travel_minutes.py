"""The checker's own travel recomputation: override precedence and the PC4-centre
estimate, against a chord formula independent of the checker's haversine."""

from __future__ import annotations

from matcher.geo.tables import pc4_table
from matcher.verify.checker import travel_minutes
from models.instance import Student, Vacancy
from tests.support.checker_fixtures import POLICY, ST07_HOME, ST07_MINUTES, VE_SITE, chord_estimate_minutes


def _pair():
    student = Student(student_id="s1", school_id="SA", crebo="25180", level=3,
                      pathway="BOL", pc4="3512")
    vacancy = Vacancy(vacancy_id="V1", company_id="C1", crebos=("25180",),
                      pathways=("BOL",), places=1, pc4="1012")
    return student, vacancy


def test_most_specific_override_wins():
    student, vacancy = _pair()
    rows = {("s1", "V1"): 11, ("s1", "1012"): 22, ("3512", "V1"): 33, ("3512", "1012"): 44}
    for expected, key in ((11, ("s1", "V1")), (22, ("s1", "1012")), (33, ("3512", "V1")),
                          (44, ("3512", "1012"))):
        assert travel_minutes(student, vacancy, POLICY, rows) == expected
        rows = {k: v for k, v in rows.items() if k != key}


def test_pc4_centre_estimate_without_overrides():
    # Utrecht 3512 to Amsterdam 1012, public transport: 10 min + 1.3 x distance at 35 km/h.
    student, vacancy = _pair()
    table = pc4_table()
    home = tuple(table.loc["3512", ["lat", "lon"]])
    work = tuple(table.loc["1012", ["lat", "lon"]])
    expected = chord_estimate_minutes(home, work, base_min=10, km_per_hour=35)
    assert 70 < expected < 100  # about 35 km apart: a sanity bound on the formula
    assert travel_minutes(student, vacancy, POLICY, {}) == expected


def test_coordinates_beat_the_pc4_centre_but_the_pc4_still_selects_overrides():
    # A student giving both: the estimate starts at the coordinates, while a
    # (student pc4, vacancy) row still applies to it.
    student = Student(student_id="s1", school_id="SA", crebo="25180", level=3, pathway="BOL",
                      pc4="3512", lat=ST07_HOME[0], lon=ST07_HOME[1], mode="bike")
    vacancy = Vacancy(vacancy_id="V1", company_id="C1", crebos=("25180",), pathways=("BOL",),
                      places=1, pc4="3511", lat=VE_SITE[0], lon=VE_SITE[1])
    assert travel_minutes(student, vacancy, POLICY, {}) == ST07_MINUTES
    assert travel_minutes(student, vacancy, POLICY, {("3512", "V1"): 7}) == 7
