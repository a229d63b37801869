"""A student needing an accessible workplace on an inaccessible vacancy is reported."""

from __future__ import annotations

from tests.support.checker_fixtures import Result, check


def test_inaccessible_vacancy_for_student_needing_access(tmp_path):
    result = Result()
    result.move("st01", "X_access", "CX", travel=20)
    report = check(tmp_path, result)
    assert report.kinds() == {"accessibility"}
    assert [v.subject for v in report.violations] == ["st01"]


def test_inaccessible_vacancy_is_fine_without_the_need(tmp_path):
    # st10 does not need access: moving it to X_access breaks nothing.
    result = Result()
    result.move("st10", "X_access", "CX", travel=20)
    assert check(tmp_path, result).ok
