"""A small hand-made instance and a hand-made valid result for the checker tests.

The result is valid (every hard rule holds, every column is right) but not
claimed optimal: the checker judges validity and bookkeeping, the LP judges
optimality. Each case of ``tests/verify/test_checker_catches.py`` copies the
result, breaks one thing and checks that the checker names it.

Travel: students live in PC4 3512 and vacancies sit in PC4 3511; the row
(3512 -> 3511) of travel_times gives 20 minutes, more specific rows override it
for st02, st03 and st01 -> X_far. Only st07 -> VE (coordinates on both sides,
no PC4) uses the estimate, computed here by a different formula (3-D chord
length) than the checker's haversine.
"""

from __future__ import annotations

import copy
import csv
import json
import math
from pathlib import Path

from matcher.verify.checker import PLACEMENT_COLUMNS, UNPLACED_COLUMNS, CheckReport, check_result
from models.instance import (
    Company,
    Equivalence,
    Instance,
    Period,
    Student,
    Supervisor,
    TravelTime,
    Vacancy,
)
from models.policy import Policy

POLICY = Policy()

ST07_HOME = (52.1300, 5.0500)
VE_SITE = (52.0907, 5.1214)


def chord_estimate_minutes(a, b, base_min, km_per_hour, detour=1.3, radius_km=6371.0) -> int:
    """Estimated travel minutes via the chord between two points on the sphere."""
    def unit(lat, lon):
        phi, lam = math.radians(lat), math.radians(lon)
        return (math.cos(phi) * math.cos(lam), math.cos(phi) * math.sin(lam), math.sin(phi))

    chord = math.dist(unit(*a), unit(*b))
    km = radius_km * 2 * math.asin(chord / 2)
    minutes = base_min + 60 * km * detour / km_per_hour
    # Keep the fixture away from a rounding boundary so both formulas agree.
    assert abs(minutes - round(minutes)) > 1e-3, minutes
    return math.ceil(minutes)


# st07 cycles (bike: no base time, 15 km/h); about 6.6 km -> about 35 min.
ST07_MINUTES = chord_estimate_minutes(ST07_HOME, VE_SITE, base_min=0, km_per_hour=15)


def _student(sid, crebo="25180", level=4, pathway="BOL", year=2, school="SA", **kw):
    location = {} if "lat" in kw else {"pc4": "3512"}
    return Student(student_id=sid, school_id=school, crebo=crebo, level=level,
                   pathway=pathway, year=year, **location, **kw)


def _vacancy(vid, company, crebos=("25180",), pathways=("BOL",), places=1, **kw):
    location = {} if "lat" in kw else {"pc4": "3511"}
    kw.setdefault("accessible", True)
    return Vacancy(vacancy_id=vid, company_id=company, crebos=crebos, pathways=pathways,
                   places=places, **location, **kw)


def valid_instance() -> Instance:
    """The checker fixture instance (see the module docstring)."""
    students = (
        # Year 1 -> needs extra guidance -> priority weight 3; needs accessibility.
        _student("st01", level=3, year=1, needs_accessible=True, periods=("P1",)),
        _student("st02", periods=("P2", "P1"), preferences=("VE", "C1")),
        # Level 2 -> extra guidance, weight 3.
        _student("st03", level=2, pathway="BBL", year=3, school="SB"),
        _student("st04", crebo="25655", level=3),
        # Placed on VC (25655) through the equivalence 23099 -> 25655.
        _student("st05", crebo="23099", year=3, school="SB"),
        _student("st06", level=3, pathway="BBL"),
        _student("st07", year=4, mode="bike", lat=ST07_HOME[0], lon=ST07_HOME[1]),
        _student("st08"),
        _student("st09", level=3),
        _student("st10", level=3),
        _student("st12", crebo="25655", level=3),
    )
    vacancies = (
        _vacancy("VA", "C1", supervisor_id="S1"),
        _vacancy("VB", "C1", supervisor_id="S1", pathways=("BBL", "BOL"), places=3,
                 extra_guidance_places=1),
        _vacancy("VC", "C2", crebos=("25655",), places=2, duo=True, min_level=3),
        _vacancy("VD", "C3", crebos=("25180", "25655"), pathways=("BBL",), places=2,
                 extra_guidance_places=0, min_level=3, periods=("P2",)),
        _vacancy("VE", "C3", lat=VE_SITE[0], lon=VE_SITE[1]),
        _vacancy("VG", "C4"),
        _vacancy("VH", "C4"),
        _vacancy("VI", "C2"),
        # Decoys: like VA for st01 except in one rule each.
        _vacancy("X_crebo", "CX", crebos=("23200",), places=5),
        _vacancy("X_pathway", "CX", pathways=("BBL",), places=5),
        _vacancy("X_level", "CX", min_level=4, places=5),
        _vacancy("X_access", "CX", accessible=False, places=5),
        _vacancy("X_period", "CX", periods=("P2",), places=5),
        _vacancy("X_guidance", "CX", extra_guidance_places=0, places=5),
        _vacancy("X_far", "CX", places=5),
    )
    return Instance(
        name="checker-fixture",
        students=students,
        vacancies=vacancies,
        supervisors=(Supervisor(supervisor_id="S1", company_id="C1", capacity=3),),
        companies=(
            Company(company_id="C1", max_students=4),
            Company(company_id="C2"),
            Company(company_id="C3"),
            Company(company_id="C4", max_students=1),
            Company(company_id="CX"),
        ),
        periods=(Period(period_id="P1"), Period(period_id="P2")),
        equivalences=(Equivalence(crebo="23099", equivalent_crebo="25655"),),
        travel_times=(
            TravelTime(origin="3512", destination="3511", minutes=20),
            TravelTime(origin="st02", destination="3511", minutes=25),
            TravelTime(origin="3512", destination="VB", minutes=30),
            TravelTime(origin="st01", destination="X_far", minutes=75),
        ),
    )


def _placement(sid, school, vacancy, company, supervisor, period, travel, duo, wish, cost):
    values = (sid, school, vacancy, company, supervisor, period, str(travel),
              "true" if duo else "false", wish, str(cost))
    return dict(zip(PLACEMENT_COLUMNS, values))


# Hand-worked valid result. Costs (default policy):
#   st01 VA P1: 20 min (PC4 row)                                           = 20
#   st02 VB P1: 25 min (st02 -> 3511 beats 3512 -> VB), wish C1 is its 2nd
#               (10), P1 is 2nd in its periods (15)                         = 50
#   st03 VB P1: 30 min (3512 -> VB beats 3512 -> 3511)                      = 30
#   VC P1 (2 places, duo) holds st04, st05, st12: n - places = 1, so the
#   last 2 by id (st05, st12) are duo and the last one (st12) pays 30:
#   st04 = 20, st05 = 20, st12 = 20 + 30 = 50
#   st06 VD P2 = 20, st07 VE P2 = ST07_MINUTES, st08 VG P1 = 20, st10 VI P1 = 20
# Weights: st01 (year 1) and st03 (level 2) are priority (3), the other 8 are 2.
VALID_WEIGHTED_PLACED = 3 + 3 + 8 * 2
VALID_SECONDARY_COST = 20 + 50 + 30 + 20 + 20 + 50 + 20 + ST07_MINUTES + 20 + 20

_PLACEMENTS = [
    _placement("st01", "SA", "VA", "C1", "S1", "P1", 20, False, "", 20),
    _placement("st02", "SA", "VB", "C1", "S1", "P1", 25, False, "2", 50),
    _placement("st03", "SB", "VB", "C1", "S1", "P1", 30, False, "", 30),
    _placement("st04", "SA", "VC", "C2", "", "P1", 20, False, "", 20),
    _placement("st05", "SB", "VC", "C2", "", "P1", 20, True, "", 20),
    _placement("st06", "SA", "VD", "C3", "", "P2", 20, False, "", 20),
    _placement("st07", "SA", "VE", "C3", "", "P2", ST07_MINUTES, False, "", ST07_MINUTES),
    _placement("st08", "SA", "VG", "C4", "", "P1", 20, False, "", 20),
    _placement("st10", "SA", "VI", "C2", "", "P1", 20, False, "", 20),
    _placement("st12", "SA", "VC", "C2", "", "P1", 20, True, "", 50),
]
_UNPLACED = [dict(zip(UNPLACED_COLUMNS, ("st09", "SA", "capacity_taken", "")))]


class Result:
    """A mutable copy of a result folder's content, written on demand."""

    placement_columns: tuple[str, ...] = PLACEMENT_COLUMNS

    def __init__(self):
        self.placements = copy.deepcopy(_PLACEMENTS)
        self.unplaced = copy.deepcopy(_UNPLACED)
        self.summary = {"objective": {"weighted_placed": VALID_WEIGHTED_PLACED,
                                      "secondary_cost": VALID_SECONDARY_COST}}

    def placement(self, student_id: str) -> dict:
        """The placement row of ``student_id`` (to edit in place)."""
        return next(r for r in self.placements if r["student_id"] == student_id)

    def move(self, student_id: str, vacancy_id: str, company_id: str, travel: int) -> None:
        """Move a placed student to another vacancy without a supervisor (no wish, no duo)."""
        row = self.placement(student_id)
        row.update(vacancy_id=vacancy_id, company_id=company_id, supervisor_id="",
                   travel_min=str(travel), cost=str(travel))

    def place_st09(self, vacancy_id, company_id, supervisor_id, travel, period="P1") -> None:
        """Place the unplaced st09 (weight 2, no wishes or periods: cost = travel)."""
        self.unplaced = [r for r in self.unplaced if r["student_id"] != "st09"]
        self.placements.append(_placement("st09", "SA", vacancy_id, company_id, supervisor_id,
                                          period, travel, False, "", travel))
        self.placements.sort(key=lambda r: r["student_id"])
        self.add_to_objective(2, travel)

    def add_to_objective(self, weight: int, cost: int) -> None:
        """Keep summary.json consistent with a deliberate change elsewhere."""
        self.summary["objective"]["weighted_placed"] += weight
        self.summary["objective"]["secondary_cost"] += cost

    def write(self, folder: Path) -> Path:
        """Write placements.csv, unplaced.csv and summary.json into ``folder``."""
        folder.mkdir(parents=True, exist_ok=True)
        for name, columns, rows in (("placements.csv", self.placement_columns, self.placements),
                                    ("unplaced.csv", UNPLACED_COLUMNS, self.unplaced)):
            with (folder / name).open("w", encoding="utf-8", newline="") as fh:
                writer = csv.DictWriter(fh, fieldnames=columns, lineterminator="\n")
                writer.writeheader()
                writer.writerows(rows)
        (folder / "summary.json").write_text(json.dumps(self.summary, indent=2), encoding="utf-8")
        return folder


def check(tmp_path: Path, result: Result, instance: Instance | None = None) -> CheckReport:
    """Write ``result`` under ``tmp_path`` and check it against the fixture instance."""
    folder = result.write(tmp_path / "result")
    return check_result(instance or valid_instance(), folder, POLICY)
