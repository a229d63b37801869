"""Instances and scenario files for the planner's simulation tests."""

from __future__ import annotations

from pathlib import Path

from matcher.generator.synth import generate_instance
from matcher.io import write_instance
from models import Instance
from tests.support.builders import Company, Period, instance, student, vacancy

PERIODS = (Period(period_id="P1"), Period(period_id="P2"))


def crowded_instance() -> Instance:
    """Cohort school-A/25655/year 2 (6 students) all want P1, which has 2 places;
    P2 has 6 free places. One student of school-B also wants P1."""
    students = [student(f"a{i}", school_id="school-A", year=2, periods=("P1",)) for i in range(6)]
    students.append(student("b0", school_id="school-B", year=3, periods=("P1",)))
    vacancies = [vacancy("v-p1", company_id="co-1", places=2, periods=("P1",)),
                 vacancy("v-p2", company_id="co-2", places=6, periods=("P2",))]
    companies = [Company(company_id="co-1", sector="Zorg/welzijn/sport", region="AM13"),
                 Company(company_id="co-2", sector="Zorg/welzijn/sport", region="AM13")]
    return instance(students, vacancies, periods=PERIODS, companies=tuple(companies))


def write_generated(folder: Path, students: int = 300, seed: int = 2) -> Path:
    """A generated region instance (AM13) written as CSV into ``folder``."""
    write_instance(generate_instance(region="AM13", students=students, seed=seed), folder)
    return folder


def random_scenarios(instance: Instance, seed: int = 11, rate: float = 0.2) -> str:
    """A scenario file with a cohort move, a place change, a duo sector and a dropout
    scenario, for ``instance`` (its largest cohort is moved or opened)."""
    from matcher.plan.cohorts import cohort_members

    members = cohort_members(instance)
    cohort = max(members, key=lambda c: (len(members[c]), c))
    return f"""
seed = {seed}

[[scenario]]
name = "open the largest cohort"
[[scenario.move]]
school = "{cohort.school_id}"
crebo = "{cohort.crebo}"
year = {cohort.year}
any = true

[[scenario]]
name = "more care places in P2, duo in care"
[[scenario.places]]
sector = "Zorg/welzijn/sport"
period = "P2"
change = 15
[[scenario.duo]]
sector = "Zorg/welzijn/sport"

[[scenario]]
name = "companies drop out"
[scenario.dropout]
rate = {rate}
"""
