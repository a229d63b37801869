"""Seeded random small instances exercising every feature of the model.

Periods, duo places, extra-guidance limits, zero capacities, supervisors,
company room, wishes, equivalences, accessibility and travel overrides, all in
a 15 km patch around Utrecht so that travel limits bind for some pairs.
"""

from __future__ import annotations

import numpy as np

from models import Company, Equivalence, Instance, Period, Student, Supervisor, TravelTime, Vacancy

PC4S = ["3511", "3512", "3521", "3544", "3562", "3581", "3584", "3431", "3701", "3991", "3451", "3705"]
CREBOS = ["25655", "25498", "25607"]


def random_instance(seed: int, n_students: int = 14, n_vacancies: int = 8) -> Instance:
    """A random instance; same seed, same instance."""
    rng = np.random.default_rng(seed)
    periods = tuple(Period(period_id=f"P{i}") for i in range(1, 1 + int(rng.integers(1, 4))))
    period_ids = [p.period_id for p in periods]

    companies, supervisors, vacancies = [], [], []
    n_companies = max(2, n_vacancies // 2)
    for c in range(n_companies):
        companies.append(Company(
            company_id=f"c{c}", sector="Zorg/welzijn/sport",
            max_students=int(rng.integers(0, 5)) if rng.random() < 0.3 else None,
        ))
        for k in range(int(rng.integers(1, 3))):
            if rng.random() < 0.7:
                supervisors.append(Supervisor(
                    supervisor_id=f"c{c}-sup{k}", company_id=f"c{c}", capacity=int(rng.integers(0, 4))
                ))
    sup_by_company = {}
    for s in supervisors:
        sup_by_company.setdefault(s.company_id, []).append(s.supervisor_id)
    for v in range(n_vacancies):
        company = f"c{int(rng.integers(n_companies))}"
        sups = sup_by_company.get(company, [])
        places = int(rng.integers(0, 4))
        duo = bool(rng.random() < 0.3)
        offered = [p for p in period_ids if rng.random() < 0.7]
        vacancies.append(Vacancy(
            vacancy_id=f"v{v}", company_id=company,
            supervisor_id=sups[int(rng.integers(len(sups)))] if sups and rng.random() < 0.8 else None,
            crebos=tuple(sorted(set(rng.choice(CREBOS, size=int(rng.integers(1, 3))).tolist()))),
            pathways=(("BOL",), ("BBL",), ("BOL", "BBL"))[int(rng.integers(3))],
            pc4=str(rng.choice(PC4S)), places=places,
            periods=tuple(offered),
            min_level=int(rng.integers(1, 3)), max_level=int(rng.integers(3, 5)),
            extra_guidance_places=int(rng.integers(0, places + 1)) if rng.random() < 0.5 else None,
            duo=duo, accessible=bool(rng.random() < 0.5),
        ))

    students = []
    for s in range(n_students):
        wishes = []
        if rng.random() < 0.4:
            pool = [v.vacancy_id for v in vacancies] + [c.company_id for c in companies]
            wishes = list(dict.fromkeys(rng.choice(pool, size=int(rng.integers(1, 4))).tolist()))
        own_periods = [p for p in period_ids if rng.random() < 0.6]
        rng.shuffle(own_periods)
        students.append(Student(
            student_id=f"s{s:03d}", school_id=f"school{int(rng.integers(2))}",
            crebo=str(rng.choice(CREBOS)), level=int(rng.integers(1, 5)),
            pathway=("BOL", "BBL")[int(rng.random() < 0.3)], year=int(rng.integers(1, 4)),
            pc4=str(rng.choice(PC4S)),
            mode=(None, "bike", "public_transport", "car")[int(rng.integers(4))],
            max_travel_min=(None, 30, 45, 60)[int(rng.integers(4))],
            periods=tuple(own_periods), preferences=tuple(wishes),
            needs_accessible=bool(rng.random() < 0.15),
        ))
    equivalences = (Equivalence(crebo="25498", equivalent_crebo="25655"),) if rng.random() < 0.5 else ()
    overrides = []
    if rng.random() < 0.5:
        overrides.append(TravelTime(origin=students[0].student_id, destination=vacancies[0].vacancy_id,
                                    minutes=int(rng.integers(5, 90))))
        overrides.append(TravelTime(origin=str(rng.choice(PC4S)), destination=str(rng.choice(PC4S)),
                                    minutes=int(rng.integers(5, 90))))
    return Instance(
        name=f"random-{seed}", students=tuple(students), vacancies=tuple(vacancies),
        supervisors=tuple(supervisors), companies=tuple(companies), periods=periods,
        equivalences=equivalences, travel_times=tuple(overrides),
    )
