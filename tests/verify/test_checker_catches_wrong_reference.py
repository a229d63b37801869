"""Unknown vacancies and company/supervisor columns that do not match the vacancy."""

from __future__ import annotations

import pytest

from tests.support.checker_fixtures import Result, check


@pytest.mark.parametrize("column, value", [
    ("company_id", "C2"),      # VB belongs to C1
    ("supervisor_id", ""),     # VB names supervisor S1
    ("supervisor_id", "S2"),
])
def test_columns_not_matching_the_vacancy(tmp_path, column, value):
    result = Result()
    result.placement("st02")[column] = value
    report = check(tmp_path, result)
    assert report.kinds() == {"wrong_reference"}
    assert [v.subject for v in report.violations] == ["st02"]


def test_unknown_vacancy(tmp_path):
    result = Result()
    result.placement("st10")["vacancy_id"] = "VZ"
    result.add_to_objective(0, -20)  # a row on no known vacancy costs nothing
    report = check(tmp_path, result)
    assert report.kinds() == {"wrong_reference"}
