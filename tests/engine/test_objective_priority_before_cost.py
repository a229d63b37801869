"""Objective: weighted placements first (lexicographic), secondary costs only then."""

from matcher import solve
from tests.support.builders import instance, student, vacancy


def test_far_priority_student_beats_near_regular_student():
    # The Entree student's placement costs 55 travel minutes more, yet weight 3 > 2.
    inst = instance(
        [student("regular", pc4="3584"), student("entree", crebo="25655", level=1, pc4="3451",
                                                 max_travel_min=90)],
        [vacancy("v1", pc4="3584")],
    )
    assert solve(inst).placements["student_id"].tolist() == ["entree"]


def test_priority_student_displaces_one_regular_and_leaves_no_place_empty():
    # p can go to v1 or v2; r1 only to v1, r2 only to v2. Placing r1 + r2 (weight 4)
    # is beaten by p + one regular (weight 5): by the exchange property of the
    # matroid of placeable sets, priority never empties a place.
    inst = instance(
        [student("p", level=2), student("r1", crebo="25607"), student("r2", pathway="BBL")],
        [vacancy("v1", crebos=("25655", "25607")), vacancy("v2", pathways=("BOL", "BBL"))],
    )
    result = solve(inst)
    assert result.n_placed == 2 and "p" in set(result.placements["student_id"])
    assert result.weighted_placed == 5


def test_big_secondary_costs_never_outweigh_one_placement():
    # Wish costs far above any single arc's travel: the lexicographic weight M
    # must still make placing the student win.
    from models import Policy
    from models.policy import Costs

    policy = Policy(costs=Costs(no_wish_met=100_000, travel_minute=1_000))
    inst = instance([student("s1", preferences=("elsewhere",))],
                    [vacancy("v1"), vacancy("elsewhere", places=0)])
    result = solve(inst, policy)
    assert result.n_placed == 1
    assert result.secondary_cost > 100_000


def test_a_level_2_student_without_extra_guidance_is_in_the_priority_tier():
    # Priority is level <= 2 or extra guidance: a level-2 student needing none still outweighs a nearer regular.
    inst = instance(
        [student("regular", pc4="3584"), student("level2", level=2, extra_guidance=False, pc4="3451",
                                                 max_travel_min=90)],
        [vacancy("v1", pc4="3584")],
    )
    result = solve(inst)
    assert result.placements["student_id"].tolist() == ["level2"]
    assert result.weighted_placed == 3
