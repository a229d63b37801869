"""A student needing extra guidance on a vacancy with no such places is reported."""

from __future__ import annotations

from tests.support.checker_fixtures import Result, check


def test_guided_student_on_vacancy_without_guidance_places(tmp_path):
    result = Result()
    result.move("st01", "X_guidance", "CX", travel=20)  # st01 is year 1: needs guidance
    report = check(tmp_path, result)
    assert "extra_guidance" in report.kinds()
    # The same student also exceeds the vacancy-period's 0 guidance places.
    assert report.kinds() <= {"extra_guidance", "extra_guidance_places"}
    assert [v.subject for v in report.violations if v.kind == "extra_guidance"] == ["st01"]


def test_unguided_student_may_take_such_a_vacancy(tmp_path):
    result = Result()
    result.move("st10", "X_guidance", "CX", travel=20)  # level 3, year 2: no guidance
    assert check(tmp_path, result).ok
