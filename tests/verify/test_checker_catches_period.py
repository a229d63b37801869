"""A period the student does not accept, or the vacancy does not offer, is reported."""

from __future__ import annotations

from tests.support.checker_fixtures import Result, check


def test_period_not_offered_by_the_vacancy(tmp_path):
    result = Result()
    result.move("st01", "X_period", "CX", travel=20)  # X_period offers P2 only
    report = check(tmp_path, result)
    assert report.kinds() == {"period"}
    assert [v.subject for v in report.violations] == ["st01"]


def test_period_not_acceptable_to_the_student(tmp_path):
    # st01 accepts P1 only; VA is offered in every period.
    result = Result()
    result.placement("st01")["period_id"] = "P2"
    report = check(tmp_path, result)
    assert report.kinds() == {"period"}
    assert [v.subject for v in report.violations] == ["st01"]
