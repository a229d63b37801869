"""Small hand-made instances for tests: defaults everywhere, override what matters."""

from __future__ import annotations

from models import Company, Instance, Period, Student, Supervisor, TravelTime, Vacancy

UTRECHT = "3511"        # Utrecht centre
UTRECHT_EAST = "3584"   # De Uithof, about 4 km away
AMSTERDAM = "1012"      # about 35 km from Utrecht
GRONINGEN = "9711"      # far away


def student(sid: str, **fields) -> Student:
    """A BOL level-4 second-year student of crebo 25655 in Utrecht (regular tier)."""
    base = dict(student_id=sid, school_id="school-A", crebo="25655", level=4, pathway="BOL",
                year=2, pc4=UTRECHT)
    base.update(fields)
    return Student(**base)


def vacancy(vid: str, **fields) -> Vacancy:
    """A BOL vacancy for crebo 25655 with one place near Utrecht."""
    base = dict(vacancy_id=vid, company_id=f"co-{vid}", crebos=("25655",), pathways=("BOL",),
                pc4=UTRECHT_EAST, places=1)
    base.update(fields)
    return Vacancy(**base)


def instance(students, vacancies, **tables) -> Instance:
    """An instance of the given students and vacancies (plus optional tables)."""
    return Instance(name="test", students=tuple(students), vacancies=tuple(vacancies), **tables)


__all__ = ["AMSTERDAM", "GRONINGEN", "UTRECHT", "UTRECHT_EAST", "Company", "Period", "Supervisor",
           "TravelTime", "instance", "student", "vacancy"]
