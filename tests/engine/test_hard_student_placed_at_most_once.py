"""Hard constraint 3: at most one placement per student; everyone appears exactly once."""

from matcher import solve
from tests.support.builders import Period, instance, student, vacancy


def test_many_options_give_one_placement_each():
    periods = (Period(period_id="P1"), Period(period_id="P2"))
    inst = instance(
        [student(f"s{i}") for i in range(3)],
        [vacancy(f"v{i}", places=3) for i in range(4)],
        periods=periods,
    )
    result = solve(inst)
    assert sorted(result.placements["student_id"]) == ["s0", "s1", "s2"]
    assert result.n_unplaced == 0


def test_every_student_appears_in_exactly_one_output():
    inst = instance([student(f"s{i}") for i in range(5)], [vacancy("v1", places=2)])
    result = solve(inst)
    ids = list(result.placements["student_id"]) + list(result.unplaced["student_id"])
    assert sorted(ids) == [f"s{i}" for i in range(5)]
