"""Hard constraint 1: the student's level lies within [min_level, max_level]."""

import pytest

from matcher import solve
from tests.support.builders import instance, student, vacancy


@pytest.mark.parametrize("level, min_level, max_level", [(2, 3, 4), (4, 1, 3)])
def test_level_outside_range_is_unplaced(level, min_level, max_level):
    inst = instance(
        [student("s1", level=level, crebo="25655", extra_guidance=False)],
        [vacancy("v1", min_level=min_level, max_level=max_level)],
    )
    result = solve(inst)
    assert result.n_placed == 0
    assert result.unplaced["reason"].tolist() == ["level_or_guidance"]


def test_level_on_the_boundary_is_placed():
    inst = instance([student("s1", level=3)], [vacancy("v1", min_level=3, max_level=3)])
    assert solve(inst).n_placed == 1
