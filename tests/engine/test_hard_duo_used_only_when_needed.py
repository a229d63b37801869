"""Hard constraint 4 (duo): a second student joins a place only beyond ``places``."""

from matcher import solve
from tests.support.builders import TravelTime, instance, student, vacancy


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


def test_sharing_a_nearer_duo_place_costs_the_partner_more_than_a_farther_solo_place():
    # Sharing the duo place costs 10 + 10 + duo_partner 30 = 50; one of them at the solo place costs 10 + 25
    # = 35. Without the partner's cost on the duo arc (the bug) sharing would cost 20 and win.
    times = tuple(TravelTime(origin=s, destination=v, minutes=m)
                  for s in ("s1", "s2") for v, m in (("duo", 10), ("solo", 25)))
    inst = instance([student("s1"), student("s2")],
                    [vacancy("duo", places=1, duo=True), vacancy("solo", places=1)], travel_times=times)
    result = solve(inst)
    assert sorted(result.placements["vacancy_id"]) == ["duo", "solo"]
    assert result.placements["duo"].tolist() == ["false", "false"]
    assert result.summary["objective"]["secondary_cost"] == 35


def test_two_students_on_one_duo_place_pay_the_partner_cost_once():
    result = solve(instance([student("s1"), student("s2")], [vacancy("duo", places=1, duo=True)]))
    assert result.placements["duo"].tolist() == ["true", "true"]
    assert result.summary["objective"]["parts"]["duo"] == 30  # the default duo_partner cost, once
    assert result.summary["proof"]["secondary_cost"] == result.summary["objective"]["secondary_cost"]
