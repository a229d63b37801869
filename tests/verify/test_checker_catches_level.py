"""A student below the vacancy's min_level (or above max_level) is reported."""

from __future__ import annotations

from models.instance import Vacancy
from tests.support.checker_fixtures import Result, check, valid_instance


def test_level_below_min_level(tmp_path):
    result = Result()
    result.move("st01", "X_level", "CX", travel=20)  # st01 level 3, X_level min 4
    report = check(tmp_path, result)
    assert report.kinds() == {"level"}
    assert [v.subject for v in report.violations] == ["st01"]


def test_level_above_max_level(tmp_path):
    # VC accepts levels 3-4; capping it at 3 excludes st05 (level 4).
    instance = valid_instance()
    vacancies = tuple(
        Vacancy(**{**v.model_dump(), "max_level": 3}) if v.vacancy_id == "VC" else v
        for v in instance.vacancies
    )
    report = check(tmp_path, Result(), instance.model_copy(update={"vacancies": vacancies}))
    assert report.kinds() == {"level"}
    assert [v.subject for v in report.violations] == ["st05"]
