"""Hard constraint 1: a vacancy must be recognised for the student's crebo (or an equivalent)."""

from matcher import solve
from models import Equivalence
from tests.support.builders import instance, student, vacancy


def test_unrecognised_crebo_is_not_placed_and_says_so():
    inst = instance([student("s1", crebo="25655")], [vacancy("v1", crebos=("25498",))])
    result = solve(inst)
    assert result.n_placed == 0
    assert result.unplaced["reason"].tolist() == ["no_recognised_vacancy"]


def test_equivalence_lets_the_student_in():
    inst = instance(
        [student("s1", crebo="25655")],
        [vacancy("v1", crebos=("25498",))],
        equivalences=(Equivalence(crebo="25655", equivalent_crebo="25498"),),
    )
    assert solve(inst).placements["vacancy_id"].tolist() == ["v1"]


def test_equivalence_is_not_symmetric():
    inst = instance(
        [student("s1", crebo="25498", level=4)],
        [vacancy("v1", crebos=("25655",))],
        equivalences=(Equivalence(crebo="25655", equivalent_crebo="25498"),),
    )
    assert solve(inst).n_placed == 0


def test_one_of_several_crebos_suffices():
    inst = instance([student("s1", crebo="25655")], [vacancy("v1", crebos=("25498", "25655"))])
    assert solve(inst).n_placed == 1
