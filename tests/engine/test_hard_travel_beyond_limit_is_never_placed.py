"""Hard constraint 2: travel time within the student's limit (estimate or override)."""

import math

from matcher import solve
from tests.support.builders import AMSTERDAM, TravelTime, instance, student, vacancy


def test_far_vacancy_is_out_of_reach_by_public_transport():
    # Utrecht -> Amsterdam centre: ~35 km great-circle, ~88 min by public transport.
    result = solve(instance([student("s1")], [vacancy("v1", pc4=AMSTERDAM)]))
    assert result.n_placed == 0
    assert result.unplaced["reason"].tolist() == ["out_of_reach"]


def test_a_longer_limit_reaches_it_and_the_time_is_within_the_limit():
    result = solve(instance([student("s1", max_travel_min=100)], [vacancy("v1", pc4=AMSTERDAM)]))
    assert result.n_placed == 1
    assert 60 < result.placements["travel_min"].iloc[0] <= 100


def test_override_by_student_and_vacancy_wins_over_the_estimate():
    inst = instance(
        [student("s1")], [vacancy("v1", pc4=AMSTERDAM)],
        travel_times=(TravelTime(origin="s1", destination="v1", minutes=42),),
    )
    result = solve(inst)
    assert result.placements["travel_min"].tolist() == [42]


def test_override_can_forbid_a_near_vacancy():
    inst = instance(
        [student("s1")], [vacancy("v1")],
        travel_times=(TravelTime(origin="3511", destination="v1", minutes=75),),
    )
    assert solve(inst).n_placed == 0


def test_student_specific_override_beats_a_pc4_row():
    inst = instance(
        [student("s1")], [vacancy("v1")],
        travel_times=(
            TravelTime(origin="3511", destination="v1", minutes=75),
            TravelTime(origin="s1", destination="3584", minutes=20),
        ),
    )
    assert solve(inst).placements["travel_min"].tolist() == [20]


def test_a_student_and_vacancy_row_beats_a_student_and_vacancy_postcode_row():
    inst = instance(
        [student("s1")], [vacancy("v1")],  # v1 lies in 3584
        travel_times=(TravelTime(origin="s1", destination="v1", minutes=20),
                      TravelTime(origin="s1", destination="3584", minutes=75)),
    )
    assert solve(inst).placements["travel_min"].tolist() == [20]


def _estimate(origin: str, destination: str) -> float:
    """Public transport minutes between two PC4 centres, by docs/model.md's formula, before rounding."""
    from matcher.geo.tables import pc4_table

    table = pc4_table()
    lat1, lon1, lat2, lon2 = map(math.radians, (*table.loc[origin, ["lat", "lon"]], *table.loc[destination,
                                                                                              ["lat", "lon"]]))
    a = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    km = 2 * 6371.0 * math.asin(math.sqrt(a))
    return 10 + 60 * km * 1.3 / 35


def test_minutes_are_rounded_up_so_a_fraction_over_the_limit_is_out_of_reach():
    from matcher.geo.tables import pc4_table

    # The first PC4 (in the table's order) whose estimate from Utrecht has a fraction below one half: there
    # rounding to the nearest minute and rounding up differ.
    destination, minutes = next((code, t) for code in pc4_table().index[:400]
                                if 0.05 < (t := _estimate("3511", code)) % 1 < 0.45 and 20 < t < 200)
    limit = math.floor(minutes)
    beyond = solve(instance([student("s1", max_travel_min=limit)], [vacancy("v1", pc4=destination)]))
    assert beyond.n_placed == 0 and beyond.unplaced["reason"].tolist() == ["out_of_reach"]
    within = solve(instance([student("s1", max_travel_min=limit + 1)], [vacancy("v1", pc4=destination)]))
    assert within.placements["travel_min"].tolist() == [math.ceil(minutes)]
