"""Hard constraint 5: students needing extra guidance <= extra_guidance_places."""

from matcher import solve
from tests.support.builders import instance, student, vacancy


def test_one_guidance_place_takes_one_guided_student_and_a_regular_one():
    inst = instance(
        [student("g1", level=2), student("g2", level=2), student("r1", level=4, year=2)],
        [vacancy("v1", places=3, extra_guidance_places=1)],
    )
    result = solve(inst)
    placed = set(result.placements["student_id"])
    assert len(placed & {"g1", "g2"}) == 1 and "r1" in placed
    assert result.unplaced["reason"].tolist() == ["capacity_taken"]


def test_no_guidance_places_excludes_guided_students():
    inst = instance([student("g1", year=1)], [vacancy("v1", extra_guidance_places=0)])
    result = solve(inst)
    assert result.unplaced["reason"].tolist() == ["level_or_guidance"]


def test_explicit_extra_guidance_column_overrides_the_rule():
    inst = instance([student("s1", level=2, extra_guidance=False)], [vacancy("v1", extra_guidance_places=0)])
    assert solve(inst).n_placed == 1


def test_a_duo_place_doubles_the_places_but_not_the_guidance_places():
    # places 1 with duo takes two students, but extra_guidance_places (default = places = 1) one guided student.
    inst = instance([student("g1", level=2), student("g2", level=2)], [vacancy("v1", places=1, duo=True)])
    result = solve(inst)
    assert result.n_placed == 1
    assert result.unplaced["reason"].tolist() == ["capacity_taken"]
    assert result.placements["duo"].tolist() == ["false"]
