"""A student whose fitting vacancies all offer 0 places is not told they were taken by
others: the reason is no_places_offered. Where some place exists and others took it, the
reason stays capacity_taken."""

from matcher import solve
from tests.support.builders import instance, student, vacancy


def test_every_place_zero_gives_no_places_offered():
    result = solve(instance([student("s1"), student("s2")],
                            [vacancy("v1", places=0), vacancy("v2", places=0, duo=True)]))
    assert result.unplaced["reason"].tolist() == ["no_places_offered"] * 2
    assert "taken" not in " ".join(result.unplaced["detail"])
    assert all("0 places" in d for d in result.unplaced["detail"])
    assert result.summary["counts"]["unplaced_by_reason"]["no_places_offered"] == 2
    assert result.summary["counts"]["unplaced_by_reason"]["capacity_taken"] == 0


def test_a_place_taken_by_another_student_stays_capacity_taken():
    # s1 takes v1's one place; v2 offers none: s2's places were taken by someone.
    result = solve(instance([student("s1"), student("s2")], [vacancy("v1"), vacancy("v2", places=0)]))
    assert result.unplaced["reason"].tolist() == ["capacity_taken"]
    assert "taken by other students" in result.unplaced["detail"].iloc[0]


def test_level_exclusion_comes_first():
    # The only vacancy with 0 places does not accept the student's level either.
    result = solve(instance([student("s1", level=2)], [vacancy("v1", places=0, min_level=3)]))
    assert result.unplaced["reason"].tolist() == ["level_or_guidance"]
