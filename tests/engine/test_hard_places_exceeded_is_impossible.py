"""Hard constraint 4: students per vacancy and period <= places (2 x places when duo)."""

from matcher import solve
from tests.support.builders import instance, student, vacancy


def test_two_places_take_two_of_three_students():
    result = solve(instance([student(f"s{i}") for i in range(3)], [vacancy("v1", places=2)]))
    assert result.n_placed == 2
    assert result.unplaced["reason"].tolist() == ["capacity_taken"]


def test_zero_places_place_nobody_and_say_no_places_are_offered():
    result = solve(instance([student("s1")], [vacancy("v1", places=0)]))
    assert result.n_placed == 0
    assert result.unplaced["reason"].tolist() == ["no_places_offered"]


def test_duo_place_takes_two_students_and_charges_one_partner():
    inst = instance([student(f"s{i}") for i in range(3)], [vacancy("v1", places=1, duo=True)])
    result = solve(inst)
    placed = result.placements.sort_values("student_id")
    assert len(placed) == 2
    assert placed["duo"].tolist() == ["true", "true"]
    assert result.summary["objective"]["parts"]["duo"] == 30
    # The last student by id is the partner: its cost carries the duo cost.
    assert placed["cost"].iloc[1] - placed["cost"].iloc[0] == 30
