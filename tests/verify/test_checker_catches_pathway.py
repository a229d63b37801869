"""A BOL student on a BBL-only vacancy is reported."""

from __future__ import annotations

from tests.support.checker_fixtures import Result, check


def test_vacancy_for_another_pathway(tmp_path):
    result = Result()
    result.move("st01", "X_pathway", "CX", travel=20)  # st01 is BOL, X_pathway BBL only
    report = check(tmp_path, result)
    assert report.kinds() == {"pathway"}
    assert [v.subject for v in report.violations] == ["st01"]
