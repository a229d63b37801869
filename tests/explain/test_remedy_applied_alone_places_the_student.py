"""Each remedy, applied alone to the instance, places its student in a full
re-solve; the remedies are found by re-solving only the touched components,
so this also checks that those re-solves are the full one's."""

import pytest

from matcher import solve
from matcher.engine.solve import solve_in_detail
from matcher.explain.remedy import MAX_EXTRA_TRAVEL_MIN, find_remedies
from matcher.generator.synth import generate_instance
from tests.support.random_instances import random_instance
from tests.support.remedies import check_remedies, remedied


@pytest.mark.parametrize("seed", range(25))
def test_every_remedy_places_its_student_on_random_instances(seed):
    check_remedies(random_instance(seed, n_students=24, n_vacancies=8))


def test_remedies_place_their_students_on_a_generated_region():
    kinds = check_remedies(generate_instance(region="AM13", students=700, seed=5), limit=6)
    # The generated region exercises most kinds of remedy.
    assert {"travel", "period", "recruit"} <= set(kinds)
    assert len(set(kinds) & {"duo", "guidance", "supervision", "place", "company"}) >= 2


def test_travel_remedy_is_the_fewest_extra_minutes():
    instance = generate_instance(region="AM13", students=700, seed=6)
    solved = solve_in_detail(instance, certificate=False)
    remedies = find_remedies(solved)
    travel = remedies[remedies["remedy"] == "travel"].head(5)
    assert len(travel)
    for row in travel.itertuples():
        minutes = int(row.change_value)
        fewer = solve(remedied(instance, row.student_id, "travel", "", str(minutes - 1)), certificate=False)
        assert row.student_id not in set(fewer.placements["student_id"])
        assert minutes - int(row.remedy_detail.split("limit ")[1].split(" instead of ")[1].rstrip(")")) \
            <= MAX_EXTRA_TRAVEL_MIN


def test_every_unplaced_student_has_a_remedy_or_the_reason_none_exists():
    instance = generate_instance(region="AM13", students=700, seed=8)
    solved = solve_in_detail(instance, certificate=False)
    remedies = find_remedies(solved, jobs=2)
    assert list(remedies["student_id"]) == sorted(solved.result.unplaced["student_id"])
    kinds = {"travel", "period", "duo", "guidance", "supervision", "company", "place", "recruit", "none"}
    assert set(remedies["remedy"]) <= kinds
    assert (remedies["remedy_detail"].str.len() >= 10).all()
    # A company recruited at the student's home can always be given enough places.
    assert (remedies["remedy"] != "none").all()
    # The same remedies with one process.
    assert remedies.equals(find_remedies(solved, jobs=1))
