"""Hard constraint 1: the period is acceptable to the student and offered by the vacancy."""

from matcher import solve
from tests.support.builders import Period, instance, student, vacancy

PERIODS = (Period(period_id="P1"), Period(period_id="P2"), Period(period_id="P3"))


def test_no_common_period_is_unplaced_with_reason():
    inst = instance([student("s1", periods=("P1",))], [vacancy("v1", periods=("P2", "P3"))], periods=PERIODS)
    result = solve(inst)
    assert result.n_placed == 0
    assert result.unplaced["reason"].tolist() == ["no_period"]


def test_placement_uses_a_common_period_and_prefers_the_earlier_wish():
    inst = instance(
        [student("s1", periods=("P3", "P2"))], [vacancy("v1", periods=("P2", "P3"))], periods=PERIODS
    )
    placement = solve(inst).placements.iloc[0]
    assert placement["period_id"] == "P3"


def test_capacity_is_per_period():
    # One place, offered in two periods: two students, one in each period.
    inst = instance(
        [student("s1", periods=("P1",)), student("s2", periods=("P2",))],
        [vacancy("v1", periods=("P1", "P2"), places=1)],
        periods=PERIODS,
    )
    result = solve(inst)
    assert sorted(result.placements["period_id"]) == ["P1", "P2"]
