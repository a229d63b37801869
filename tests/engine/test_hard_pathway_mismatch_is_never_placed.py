"""Hard constraint 1: the pathway (BOL/BBL) must match."""

from matcher import solve
from tests.support.builders import instance, student, vacancy


def test_bbl_student_is_not_placed_on_a_bol_only_vacancy():
    result = solve(instance([student("s1", pathway="BBL")], [vacancy("v1", pathways=("BOL",))]))
    assert result.n_placed == 0
    assert result.unplaced["reason"].tolist() == ["no_recognised_vacancy"]


def test_vacancy_for_both_pathways_takes_either():
    inst = instance(
        [student("s1", pathway="BBL"), student("s2", pathway="BOL")],
        [vacancy("v1", pathways=("BOL", "BBL"), places=2)],
    )
    assert solve(inst).n_placed == 2
