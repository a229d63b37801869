"""A company with more students in a period than max_students is reported."""

from __future__ import annotations

from tests.support.checker_fixtures import Result, check


def test_company_over_max_students(tmp_path):
    # C4 (max_students 1) has VG (st08) and VH in P1; st09 on VH makes 2.
    result = Result()
    result.place_st09("VH", "C4", "", travel=20)
    report = check(tmp_path, result)
    assert report.kinds() == {"company_capacity"}
    assert [v.subject for v in report.violations] == ["C4@P1"]


def test_company_room_is_per_period(tmp_path):
    # st09 on VH in P2 instead: one C4 student per period, valid.
    result = Result()
    result.place_st09("VH", "C4", "", travel=20, period="P2")
    assert check(tmp_path, result).ok
