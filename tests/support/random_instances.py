"""Seeded random small instances exercising every feature of the model.

Periods, duo places, extra-guidance limits, zero capacities, supervisors,
company room, wishes, equivalences, accessibility and travel overrides, all in
a 15 km patch around Utrecht so that travel limits bind for some pairs.
:func:`random_decisions` adds decisions between two matches (docs/model.md,
"Rounds") to such an instance.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import numpy as np

from matcher.verify.checker import is_eligible, needs_extra_guidance, travel_overrides
from models import (
    Company,
    Equivalence,
    Instance,
    Period,
    PreviousPlacement,
    Student,
    Supervisor,
    TravelTime,
    Vacancy,
)
from models.instance import Decision, DecisionKind
from models.policy import Costs, Policy

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


class _Room:
    """What the confirmed placements chosen so far leave of each capacity (the checker's reading)."""

    def __init__(self, instance: Instance, policy: Policy) -> None:
        self.policy = policy
        self.supervisor_capacity = {s.supervisor_id: s.capacity for s in instance.supervisors}
        self.company_capacity = {c.company_id: c.max_students for c in instance.companies
                                 if c.max_students is not None}
        self.students: Counter = Counter()
        self.guided: Counter = Counter()
        self.supervised: Counter = Counter()
        self.company: Counter = Counter()

    def take(self, student: Student, vacancy: Vacancy, period_id: str) -> bool:
        """Book the placement and return True when every capacity still allows it."""
        vp = (vacancy.vacancy_id, period_id)
        guided = needs_extra_guidance(student, self.policy)
        guidance_places = vacancy.places if vacancy.extra_guidance_places is None else vacancy.extra_guidance_places
        supervisor = (vacancy.supervisor_id, period_id)
        company = (vacancy.company_id, period_id)
        fits = (self.students[vp] < (2 if vacancy.duo else 1) * vacancy.places
                and (not guided or self.guided[vp] < guidance_places)
                and (vacancy.supervisor_id not in self.supervisor_capacity
                     or self.supervised[supervisor] < self.supervisor_capacity[vacancy.supervisor_id])
                and (vacancy.company_id not in self.company_capacity
                     or self.company[company] < self.company_capacity[vacancy.company_id]))
        if fits:
            self.students[vp] += 1
            self.guided[vp] += guided
            self.supervised[supervisor] += 1
            self.company[company] += 1
        return fits


def random_decisions(instance: Instance, seed: int, policy: Policy | None = None) -> Instance:
    """``instance`` with a seeded, valid mix of decisions; same seed, same decisions.

    * confirmed: about a quarter of the students, each where the capacities
      the earlier confirmations leave allow it (so the reader and the engine
      accept them together); most at an eligible (vacancy, period), some
      anywhere (a confirmation overrides eligibility and travel), and now and
      then more students than places on a duo vacancy (confirmed duo partners);
      with one period, some name no period;
    * declined: about a fifth of the others decline, or are declined by, a
      vacancy or a company they are eligible for (so that the decline bites),
      never the confirmed one's;
    * withdrawn: about a tenth of the students not confirmed.

    Decisions are dated now and then. ``policy`` (default: the default policy)
    decides who needs extra guidance and what is eligible.
    """
    policy = policy or Policy()
    rng = np.random.default_rng(seed)
    overrides = travel_overrides(instance)
    period_ids = instance.period_ids
    vps = [(v, p) for v in instance.vacancies for p in period_ids]
    room = _Room(instance, policy)
    eligible = {s.student_id: [(v, p) for v, p in vps if is_eligible(s, v, p, instance, policy, overrides)]
                for s in instance.students}
    order = [instance.students[i] for i in rng.permutation(len(instance.students))]
    confirmed: dict[str, tuple[Vacancy, str]] = {}

    def confirm(student: Student, vacancy: Vacancy, period_id: str) -> None:
        if student.student_id not in confirmed and room.take(student, vacancy, period_id):
            confirmed[student.student_id] = (vacancy, period_id)

    duo = [v for v in instance.vacancies if v.duo and v.places > 0]
    if duo and rng.random() < 0.6:  # more confirmed students than places at a duo vacancy
        vacancy, period_id = duo[int(rng.integers(len(duo)))], period_ids[int(rng.integers(len(period_ids)))]
        for student in order[: vacancy.places + 1 + int(rng.integers(2))]:
            confirm(student, vacancy, period_id)
    for student in order:
        if rng.random() >= 0.25:
            continue
        options = eligible[student.student_id] if rng.random() < 0.7 else vps
        if options:
            vacancy, period_id = options[int(rng.integers(len(options)))]
            confirm(student, vacancy, period_id)

    def dated() -> date | None:
        return date(2025, 9, 1) + timedelta(days=int(rng.integers(60))) if rng.random() < 0.5 else None

    decisions = []
    for sid, (vacancy, period_id) in sorted(confirmed.items()):
        unnamed = len(period_ids) == 1 and rng.random() < 0.5
        decisions.append(Decision(student_id=sid, vacancy_id=vacancy.vacancy_id,
                                  period_id=None if unnamed else period_id,
                                  decision=DecisionKind.CONFIRMED, decided_on=dated()))
    for student in order:
        sid = student.student_id
        if sid not in confirmed and rng.random() < 0.1:
            decisions.append(Decision(student_id=sid, decision=DecisionKind.WITHDRAWN, decided_on=dated()))
            continue
        if rng.random() >= 0.2 or not eligible[sid]:
            continue
        vacancy, _ = eligible[sid][int(rng.integers(len(eligible[sid])))]
        mine = confirmed.get(sid, (None, None))[0]
        if mine is not None and (mine.vacancy_id == vacancy.vacancy_id or mine.company_id == vacancy.company_id):
            continue
        kind = (DecisionKind.DECLINED_BY_STUDENT, DecisionKind.DECLINED_BY_COMPANY)[int(rng.integers(2))]
        target = {"vacancy_id": vacancy.vacancy_id} if rng.random() < 0.6 else {"company_id": vacancy.company_id}
        decisions.append(Decision(student_id=sid, decision=kind, decided_on=dated(), **target))
    rows = [decisions[i] for i in rng.permutation(len(decisions))]
    # Built anew, so that the instance's cross-checks of decisions run on them.
    return Instance(**{**dict(instance), "decisions": tuple(rows)})


def random_previous(instance: Instance, seed: int) -> Instance:
    """``instance`` with a previous round's placements: the optimum of the instance without its decisions
    under other, random costs (so mostly eligible, but not this optimum), a few students moved to a
    random vacancy (eligible or not), and one placed at a vacancy that is gone."""
    from matcher import solve

    rng = np.random.default_rng(10_000 + seed)
    costs = Costs(**{name: int(rng.integers(0, 40)) for name in Costs.model_fields})
    earlier = solve(instance.model_copy(update={"decisions": ()}), Policy(costs=costs), certificate=False)
    placed = dict(zip(earlier.placements["student_id"],
                      zip(earlier.placements["vacancy_id"], earlier.placements["period_id"])))
    vacancies, periods = [v.vacancy_id for v in instance.vacancies], list(instance.period_ids)
    for k, student in enumerate(instance.students):
        if rng.random() < 0.15:
            placed[student.student_id] = (vacancies[int(rng.integers(len(vacancies)))],
                                          periods[int(rng.integers(len(periods)))])
    first = instance.students[0].student_id
    placed[first] = ("GONE", periods[0])
    previous = tuple(PreviousPlacement(student_id=s, vacancy_id=v, period_id=p) for s, (v, p) in sorted(placed.items()))
    return instance.model_copy(update={"previous": previous})


# The kinds of travel_times.csv row (origin, destination): a student or a PC4 to a vacancy or a PC4.
OVERRIDE_KINDS = ("student-vacancy", "student-pc4", "pc4-vacancy", "pc4-pc4")


def override_kind(row: TravelTime, instance: Instance) -> str:
    """Which of :data:`OVERRIDE_KINDS` a travel_times row is."""
    students = {s.student_id for s in instance.students}
    vacancies = {v.vacancy_id for v in instance.vacancies}
    origin = "student" if row.origin in students else "pc4"
    destination = "vacancy" if row.destination in vacancies else "pc4"
    return f"{origin}-{destination}"


def random_policy(seed: int) -> Policy:
    """A random policy: weights, costs, travel speeds and detour, the extra-guidance rule."""
    from models.policy import ExtraGuidanceRule, ModeSpeed, Travel, Weights

    rng = np.random.default_rng(10_000 + seed)
    regular = int(rng.integers(1, 4))
    return Policy(
        weights=Weights(regular=regular, priority=regular + int(rng.integers(0, 4))),
        costs=Costs(travel_minute=int(rng.integers(0, 4)), wish_step=int(rng.integers(0, 40)),
                    no_wish_met=int(rng.integers(0, 200)), period_step=int(rng.integers(0, 50)),
                    duo_partner=int(rng.integers(0, 120))),
        travel=Travel(detour_factor=float(rng.choice([1.0, 1.2, 1.5])),
                      bike=ModeSpeed(base_min=float(rng.integers(0, 5)), km_per_hour=float(rng.integers(10, 25))),
                      public_transport=ModeSpeed(base_min=float(rng.integers(0, 20)),
                                                 km_per_hour=float(rng.integers(20, 60))),
                      car=ModeSpeed(base_min=float(rng.integers(0, 10)), km_per_hour=float(rng.integers(30, 80))),
                      default_max_min=int(rng.choice([30, 45, 60]))),
        extra_guidance=ExtraGuidanceRule(max_level=int(rng.integers(0, 4)), first_year=bool(rng.random() < 0.5)),
    )


def random_varied_instance(seed: int, n_students: int = 16, n_vacancies: int = 9) -> Instance:
    """:func:`random_instance` with what it leaves out: explicit ``extra_guidance``, coordinates (with and
    without a PC4), several equivalence pairs, and travel_times rows of every kind."""
    from matcher.geo.tables import pc4_table

    base = random_instance(seed, n_students, n_vacancies)
    rng = np.random.default_rng(20_000 + seed)
    centres = pc4_table()

    def located(place):
        if rng.random() >= 0.4:
            return {}
        lat, lon = centres.loc[place.pc4, ["lat", "lon"]]
        moved = {"lat": float(lat + rng.normal(0, 0.02)), "lon": float(lon + rng.normal(0, 0.03))}
        return moved | ({"pc4": None} if rng.random() < 0.5 else {})

    students = tuple(s.model_copy(update=located(s) | (
        {"extra_guidance": bool(rng.random() < 0.5)} if rng.random() < 0.4 else {})) for s in base.students)
    vacancies = tuple(v.model_copy(update=located(v)) for v in base.vacancies)
    pairs = [(a, b) for a in CREBOS for b in CREBOS if a != b]
    chosen = rng.choice(len(pairs), size=int(rng.integers(2, 4)), replace=False)
    equivalences = tuple(Equivalence(crebo=pairs[i][0], equivalent_crebo=pairs[i][1]) for i in sorted(chosen))
    with_pc4 = [s for s in students if s.pc4 is not None]
    rows: dict[tuple[str, str], int] = {}
    for _ in range(int(rng.integers(2, 6))):
        for kind in OVERRIDE_KINDS:
            origin = (str(rng.choice([s.student_id for s in students])) if kind.startswith("student")
                      else str(rng.choice([s.pc4 for s in with_pc4] or PC4S)))
            destination = (str(rng.choice([v.vacancy_id for v in vacancies])) if kind.endswith("vacancy")
                           else str(rng.choice([v.pc4 or "3511" for v in vacancies])))
            rows[(origin, destination)] = int(rng.integers(5, 90))
    # Pairs named by rows of several kinds at once: the most specific must win (docs/model.md).
    for _ in range(2):
        student = with_pc4[int(rng.integers(len(with_pc4)))] if with_pc4 else students[0]
        vacancy = next((v for v in rng.permutation(vacancies) if v.pc4 is not None), None)
        if vacancy is None or student.pc4 is None:
            continue
        for origin in (student.student_id, student.pc4):
            for destination in (vacancy.vacancy_id, vacancy.pc4):
                rows[(origin, destination)] = int(rng.integers(5, 90))
    overrides = tuple(TravelTime(origin=o, destination=d, minutes=m) for (o, d), m in sorted(rows.items()))
    return base.model_copy(update={"name": f"varied-{seed}", "students": students, "vacancies": vacancies,
                                   "equivalences": equivalences, "travel_times": overrides})
