"""More students needing extra guidance at a vacancy-period than such places."""

from __future__ import annotations

from tests.support.checker_fixtures import Result, check


def test_second_guided_student_on_one_guidance_place(tmp_path):
    # VB has 3 places, 1 for extra guidance, taken by st03 (level 2) in P1.
    # Moving st01 (year 1, guided) from VA to VB keeps VB at 3 <= 3 students and
    # supervisor S1 at 3, but makes 2 guided students on 1 guidance place.
    result = Result()
    row = result.placement("st01")
    row.update(vacancy_id="VB", travel_min="30", cost="30")  # 3512 -> VB is 30 min
    result.add_to_objective(0, 30 - 20)
    report = check(tmp_path, result)
    assert report.kinds() == {"extra_guidance_places"}
    assert [v.subject for v in report.violations] == ["VB@P1"]
