"""Instances for the calendar tests, and brute force over calendars with full solves."""

from __future__ import annotations

import itertools

from matcher.engine.solve import solve
from matcher.plan.calendar import default_offsets
from matcher.plan.cohorts import shift_cohorts
from tests.support.builders import Period, instance, student, vacancy

PERIODS = tuple(Period(period_id=p) for p in ("P1", "P2", "P3"))


def crowded_period_instance():
    """Two cohorts of one crebo crowd P1, where 3 places are offered; P2 and P3
    offer 3 places each and are empty. The best single move shifts one crowded
    cohort (or the bigger one) out of P1; a third cohort of two students sits in P2|P3."""
    students = (
        [student(f"a{i}", school_id="school-A", year=2, periods=("P1",)) for i in range(4)]
        + [student(f"b{i}", school_id="school-B", year=2, periods=("P1",)) for i in range(3)]
        + [student(f"c{i}", school_id="school-C", year=3, periods=("P2", "P3")) for i in range(2)]
    )
    vacancies = [vacancy("v1", places=3, periods=("P1", "P2", "P3")),
                 vacancy("v2", places=1, periods=("P2",))]
    return instance(students, vacancies, periods=PERIODS)


def weighted_placed(inst, shifts) -> int:
    """Weighted placed students of ``inst`` with ``shifts``, by a full solve."""
    return solve(shift_cohorts(inst, shifts)).weighted_placed


def single_moves(inst, allowed=None):
    """Every single-cohort move (cohort, offset ≠ 0) within ``allowed`` (default: the year)."""
    allowed = default_offsets(inst) if allowed is None else allowed
    return [(c, o) for c, offsets in allowed.items() for o in offsets if o != 0]


def every_calendar(inst, max_moves=None):
    """Every calendar (moved cohorts only) with at most ``max_moves`` cohorts moved."""
    allowed = default_offsets(inst)
    cohorts = list(allowed)
    for offsets in itertools.product(*(allowed[c] for c in cohorts)):
        shifts = {c: o for c, o in zip(cohorts, offsets) if o != 0}
        if max_moves is None or len(shifts) <= max_moves:
            yield shifts


def crowded_calendar_instance(seed: int, n_cohorts: int = 5):
    """Cohorts of 1–4 students, period lists of 1–2 consecutive periods out of 4,
    few places in random periods: periods crowd, so moves gain and interact.
    Two crebos; a vacancy may take both, so cohorts compete across crebos."""
    import numpy as np

    rng = np.random.default_rng(seed)
    periods = tuple(Period(period_id=f"P{i}") for i in range(1, 5))
    crebos = ("25655", "25498")
    students = []
    for c in range(n_cohorts):
        start, length = int(rng.integers(0, 4)), int(rng.integers(1, 3))
        own = tuple(f"P{1 + (start + k) % 4}" for k in range(length) if start + k < 4) or ("P1",)
        for i in range(int(rng.integers(1, 5))):
            level = int(rng.choice([2, 3, 4]))
            students.append(student(f"s{c}-{i}", school_id=f"school-{c % 3}", crebo=crebos[c % 2],
                                    year=1 + c // 3, level=level, periods=own))
    vacancies = []
    for v in range(int(rng.integers(2, 5))):
        offered = tuple(p.period_id for p in periods if rng.random() < 0.5) or ("P2",)
        both = rng.random() < 0.5
        vacancies.append(vacancy(f"v{v}", places=int(rng.integers(1, 3)), periods=offered,
                                 crebos=crebos if both else (crebos[v % 2],)))
    return instance(students, vacancies, periods=periods)


def swap_instance():
    """Cohort A (crebo 25655) fills the only places of vacancy v in P1; cohort B
    (crebo 25498, which v also takes) waits in P2, where only va (25655) has
    places. Neither move gains alone; together (A to P2, B to P1) all 4 are placed."""
    students = ([student(f"a{i}", school_id="school-A", periods=("P1",)) for i in range(2)]
                + [student(f"b{i}", school_id="school-B", crebo="25498", periods=("P2",)) for i in range(2)])
    vacancies = [vacancy("v", places=2, periods=("P1",), crebos=("25655", "25498")),
                 vacancy("va", places=2, periods=("P2",))]
    return instance(students, vacancies, periods=PERIODS[:2])
