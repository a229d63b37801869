"""Hard constraint 2: travel time within the student's limit (estimate or override)."""

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
