"""More students at a vacancy-period than its places (2 x places when duo)."""

from __future__ import annotations

from models.instance import Vacancy
from tests.support.checker_fixtures import Result, check, valid_instance


def test_second_student_on_a_single_place(tmp_path):
    result = Result()
    result.place_st09("VI", "C2", "", travel=20)  # VI: 1 place, held by st10
    report = check(tmp_path, result)
    assert report.kinds() == {"places"}
    assert [v.subject for v in report.violations] == ["VI@P1"]


def test_duo_vacancy_over_twice_its_places(tmp_path):
    # VC has 2 duo places and 3 students; recognised for 25180 too, it can take
    # st10 (4 <= 4) and st09 (5 > 4).
    instance = valid_instance()
    vacancies = tuple(
        Vacancy(**{**v.model_dump(), "crebos": ("25180", "25655")}) if v.vacancy_id == "VC"
        else v
        for v in instance.vacancies
    )
    instance = instance.model_copy(update={"vacancies": vacancies})
    result = Result()
    row = result.placement("st10")
    row.update(vacancy_id="VC", company_id="C2")
    result.place_st09("VC", "C2", "", travel=20)
    # The solver's labels for 5 students on 2 places: 3 beyond, all 5 share and
    # the last 3 by id (st09, st10, st12) pay the duo cost.
    for sid in ("st04", "st05", "st09", "st10", "st12"):
        result.placement(sid)["duo"] = "true"
    for sid in ("st09", "st10"):
        result.placement(sid)["cost"] = "50"
    result.add_to_objective(0, 2 * 30)
    report = check(tmp_path, result, instance)
    assert report.kinds() == {"places"}
    assert [v.subject for v in report.violations] == ["VC@P1"]
