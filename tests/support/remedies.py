"""Remedies applied to an instance, on the terms :mod:`matcher.explain.remedy`
documents, and a check that each remedy alone places its student in a full re-solve.

A new kind of remedy needs its change in :func:`remedied`.
"""

from matcher import solve
from matcher.engine.solve import solve_in_detail
from matcher.explain.remedy import find_remedies
from models import Company, Vacancy


def _replace(rows, key, wanted, update):
    rows = list(rows)
    i = next(i for i, r in enumerate(rows) if getattr(r, key) == wanted)
    rows[i] = rows[i].model_copy(update=update(rows[i]))
    return tuple(rows)


def remedied(instance, student_id: str, remedy: str, target: str, value: str):
    """``instance`` with the remedy applied, on the terms the remedy module documents."""
    student = next(s for s in instance.students if s.student_id == student_id)
    if remedy == "travel":
        return instance.model_copy(update={"students": _replace(
            instance.students, "student_id", student_id, lambda s: {"max_travel_min": int(value)})})
    if remedy == "period":
        return instance.model_copy(update={"students": _replace(
            instance.students, "student_id", student_id, lambda s: {"periods": s.periods + (target,)})})
    if remedy == "supervision":
        return instance.model_copy(update={"supervisors": _replace(
            instance.supervisors, "supervisor_id", target, lambda s: {"capacity": s.capacity + 1})})
    if remedy == "company":
        return instance.model_copy(update={"companies": _replace(
            instance.companies, "company_id", target, lambda c: {"max_students": c.max_students + 1})})
    if remedy in ("duo", "guidance", "place"):
        def change(v):
            guidance = v.places if v.extra_guidance_places is None else v.extra_guidance_places
            if remedy == "duo":
                return {"duo": True}
            if remedy == "guidance":
                return {"extra_guidance_places": guidance + 1}
            update = {"places": v.places + 1}
            if v.extra_guidance_places is not None and guidance >= v.places:
                update["extra_guidance_places"] = guidance + 1
            return update
        return instance.model_copy(update={"vacancies": _replace(instance.vacancies, "vacancy_id", target, change)})
    assert remedy == "recruit", remedy
    where = {"pc4": student.pc4} if student.pc4 else {"lat": student.lat, "lon": student.lon}
    company = Company(company_id="zz-recruit-0")
    vacancy = Vacancy(vacancy_id="zz-recruit-0", company_id="zz-recruit-0", crebos=(student.crebo,),
                      pathways=(student.pathway,), places=int(value), periods=(target,),
                      accessible=True, **where)
    return instance.model_copy(update={"companies": instance.companies + (company,),
                                       "vacancies": instance.vacancies + (vacancy,)})


def check_remedies(instance, limit: int | None = None) -> dict[str, int]:
    solved = solve_in_detail(instance, certificate=False)
    remedies = find_remedies(solved)
    assert sorted(remedies["student_id"]) == sorted(solved.result.unplaced["student_id"])
    kinds: dict[str, int] = {}
    for row in remedies.itertuples():
        kinds[row.remedy] = kinds.get(row.remedy, 0) + 1
        if row.remedy == "none" or (limit is not None and kinds[row.remedy] > limit):
            continue
        again = solve(remedied(instance, row.student_id, row.remedy, row.change_target, row.change_value),
                      certificate=False)
        assert row.student_id in set(again.placements["student_id"]), row
    return kinds
