"""Each remedy, applied alone to the instance, places its student in a full
re-solve; the remedies are found by re-solving only the touched components,
so this also checks that those re-solves are the full one's."""

import pytest

from matcher import solve
from matcher.engine.solve import solve_in_detail
from matcher.explain.remedy import MAX_EXTRA_TRAVEL_MIN, find_remedies
from matcher.generator.synth import generate_instance
from models import Company, Vacancy
from random_instances import random_instance


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


@pytest.mark.parametrize("seed", range(25))
def test_every_remedy_places_its_student_on_random_instances(seed):
    check_remedies(random_instance(seed, n_students=24, n_vacancies=8))


def test_remedies_place_their_students_on_a_generated_region():
    kinds = check_remedies(generate_instance(region="AM13", students=700, seed=5), limit=6)
    # The generated region exercises most kinds of remedy.
    assert {"travel", "period", "recruit"} <= set(kinds)
    assert len(set(kinds) & {"duo", "guidance", "supervision", "place", "company"}) >= 2


def test_travel_remedy_is_the_fewest_extra_minutes():
    instance = generate_instance(region="AM13", students=700, seed=6)
    solved = solve_in_detail(instance, certificate=False)
    remedies = find_remedies(solved)
    travel = remedies[remedies["remedy"] == "travel"].head(5)
    assert len(travel)
    for row in travel.itertuples():
        minutes = int(row.change_value)
        fewer = solve(remedied(instance, row.student_id, "travel", "", str(minutes - 1)), certificate=False)
        assert row.student_id not in set(fewer.placements["student_id"])
        assert minutes - int(row.remedy_detail.split("limit ")[1].split(" instead of ")[1].rstrip(")")) \
            <= MAX_EXTRA_TRAVEL_MIN


def test_every_unplaced_student_has_a_remedy_or_the_reason_none_exists():
    instance = generate_instance(region="AM13", students=700, seed=8)
    solved = solve_in_detail(instance, certificate=False)
    remedies = find_remedies(solved, jobs=2)
    assert list(remedies["student_id"]) == sorted(solved.result.unplaced["student_id"])
    kinds = {"travel", "period", "duo", "guidance", "supervision", "company", "place", "recruit", "none"}
    assert set(remedies["remedy"]) <= kinds
    assert (remedies["remedy_detail"].str.len() >= 10).all()
    # A company recruited at the student's home can always be given enough places.
    assert (remedies["remedy"] != "none").all()
    # The same remedies with one process.
    assert remedies.equals(find_remedies(solved, jobs=1))
