"""Hard constraint 4 (duo): a second student joins a place only beyond ``places``."""

from matcher import solve
from tests.support.builders import instance, student, vacancy


def test_two_duo_places_two_students_share_nothing():
    result = solve(instance([student("s1"), student("s2")], [vacancy("v1", places=2, duo=True)]))
    assert result.placements["duo"].tolist() == ["false", "false"]
    assert result.summary["objective"]["parts"]["duo"] == 0


def test_a_free_solo_place_is_preferred_over_sharing():
    inst = instance(
        [student("s1"), student("s2")],
        [vacancy("duo", places=1, duo=True), vacancy("solo", places=1, pc4="3581")],
    )
    result = solve(inst)
    assert sorted(result.placements["vacancy_id"]) == ["duo", "solo"]
    assert result.summary["objective"]["parts"]["duo"] == 0
