"""Cohorts and their internship periods: what a planner moves.

A *cohort* is the students of one school, crebo and year of study
(school × crebo × leerjaar): the unit a school plans its internship periods
for. A cohort's *calendar* is the period lists of its students. Moving a
cohort shifts every student's period list by the same number of periods, so
the cohort keeps its length (how many periods each student accepts) and each
student the order of preference; "any period" lets its students accept every
period, their own first.

Everything here works on a validated :class:`models.Instance` and returns a
new one (instances are frozen), so a moved calendar is solved exactly as an
input file with those periods would be.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from models import Instance, Student


@dataclass(frozen=True, order=True)
class Cohort:
    """Students of one school, crebo and year of study."""

    school_id: str
    crebo: str
    year: int

    def __str__(self) -> str:
        return f"{self.school_id}/{self.crebo}/year {self.year}"


def cohort_of(student: Student) -> Cohort:
    """The cohort ``student`` belongs to."""
    return Cohort(student.school_id, student.crebo, student.year)


def cohort_members(instance: Instance) -> dict[Cohort, np.ndarray]:
    """Per cohort, the positions of its students in ``instance.students``,
    cohorts sorted by (school, crebo, year)."""
    keys = [cohort_of(s) for s in instance.students]
    members: dict[Cohort, list[int]] = {}
    for i, key in enumerate(keys):
        members.setdefault(key, []).append(i)
    return {key: np.asarray(members[key], dtype=np.int64) for key in sorted(members)}


def student_periods(instance: Instance, student: Student) -> tuple[str, ...]:
    """The student's acceptable periods, most preferred first (all when none are listed)."""
    return student.periods or instance.period_ids


def shift_range(instance: Instance, positions: np.ndarray) -> range:
    """Offsets by which the period lists of the students at ``positions``
    can shift while every period stays within the school year."""
    index = {p: i for i, p in enumerate(instance.period_ids)}
    lowest, highest = len(index), -1
    for i in positions.tolist():
        ranks = [index[p] for p in student_periods(instance, instance.students[i])]
        lowest, highest = min(lowest, min(ranks)), max(highest, max(ranks))
    return range(-lowest, len(index) - highest)


def _with_students(instance: Instance, changed: dict[int, Student]) -> Instance:
    students = tuple(changed.get(i, s) for i, s in enumerate(instance.students))
    # Periods are known ids and nothing else changes: skip re-validating the references.
    return instance.model_copy(update={"students": students})


def shift_cohorts(instance: Instance, shifts: dict[Cohort, int]) -> Instance:
    """``instance`` with each cohort's period lists shifted by its offset.

    Raises
    ------
    ValueError
        When a cohort is unknown or a shift moves a period out of the year
        (see :func:`shift_range`).
    """
    members = cohort_members(instance)
    periods = instance.period_ids
    index = {p: i for i, p in enumerate(periods)}
    changed: dict[int, Student] = {}
    for cohort, offset in sorted(shifts.items()):
        if cohort not in members:
            raise ValueError(f"no students in cohort {cohort}")
        if offset == 0:
            continue
        allowed = shift_range(instance, members[cohort])
        if offset not in allowed:
            raise ValueError(f"cohort {cohort} cannot shift by {offset} periods: "
                             f"allowed {allowed.start} to {allowed.stop - 1}")
        for i in members[cohort].tolist():
            student = instance.students[i]
            moved = tuple(periods[index[p] + offset] for p in student_periods(instance, student))
            changed[i] = student.model_copy(update={"periods": moved})
    return _with_students(instance, changed)


def open_cohorts(instance: Instance, cohorts: list[Cohort]) -> Instance:
    """``instance`` with each cohort's students accepting every period: their
    own periods first, then the others in calendar order."""
    members = cohort_members(instance)
    changed: dict[int, Student] = {}
    for cohort in sorted(cohorts):
        if cohort not in members:
            raise ValueError(f"no students in cohort {cohort}")
        for i in members[cohort].tolist():
            student = instance.students[i]
            own = student_periods(instance, student)
            widened = own + tuple(p for p in instance.period_ids if p not in own)
            changed[i] = student.model_copy(update={"periods": widened})
    return _with_students(instance, changed)
