"""The calendar moves at most max_moves cohorts, only by allowed offsets, and
the allowed-periods file turns into offsets as its docstring says (or fails
naming the row)."""

import pytest

from matcher.errors import InputError
from matcher.io.allowed_file import read_allowed
from matcher.plan.allowed import allowed_offsets
from matcher.plan.calendar import default_offsets, optimise_calendar
from matcher.plan.cohorts import Cohort
from tests.support.calendar_fixtures import crowded_calendar_instance, crowded_period_instance

A, B, C = Cohort("school-A", "25655", 2), Cohort("school-B", "25655", 2), Cohort("school-C", "25655", 3)


def write(tmp_path, text):
    path = tmp_path / "allowed.csv"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("max_moves", [0, 1, 2])
def test_at_most_max_moves_and_only_allowed_offsets(seed, max_moves):
    inst = crowded_calendar_instance(seed, n_cohorts=8)
    # Half the cohorts may move one period later at most (within the year); the others stay.
    allowed = {c: tuple(o for o in offsets if o in (0, 1)) if i % 2 == 0 else (0,)
               for i, (c, offsets) in enumerate(default_offsets(inst).items())}
    plan = optimise_calendar(inst, allowed=allowed, max_moves=max_moves)
    assert len(plan.shifts) <= max_moves
    for cohort, offset in plan.shifts.items():
        assert offset in allowed[cohort] and offset != 0
    assert plan.gain >= 0 and plan.weighted_bound >= plan.weighted_proposed


def test_allowed_file_keeps_the_crowded_cohort_in_its_periods(tmp_path):
    inst = crowded_period_instance()
    # A (4 students) may not leave P1; B (3 students) may go to P3 but not P2.
    path = write(tmp_path, "school_id;crebo;year;periods\nschool-A;25655;2;P1\nschool-B;;;P1|P3\n")
    offsets = allowed_offsets(inst, read_allowed(path, inst))
    assert offsets[A] == (0,) and offsets[B] == (0, 2) and offsets[C] == (-1, 0)
    plan = optimise_calendar(inst, allowed=offsets, max_moves=1)
    assert plan.shifts == {B: 2}
    assert plan.weighted_proposed == 2 * 8  # 3 of A in P1, B's 3 in P3 with C's 2 in P2
    only = allowed_offsets(inst, read_allowed(path, inst), only_listed=True)
    assert only[C] == (0,)


def test_most_specific_rule_wins(tmp_path):
    inst = crowded_period_instance()
    path = write(tmp_path, "school_id,crebo,year,periods\n,25655,,P1|P2|P3\nschool-A,25655,2,\n")
    offsets = allowed_offsets(inst, read_allowed(path, inst))
    assert offsets[A] == (0,) and offsets[B] == (0, 1, 2)


@pytest.mark.parametrize("text, row, words", [
    ("school_id,crebo,year,periods\nschool-A,25655,2,P9\n", 2, "P9"),
    ("school_id,crebo,year,periods\nschool-A,25655,two,P1\n", 2, "year"),
    ("school_id,crebo,year,periods\nschool-Z,,,P1\n", 2, "no cohort"),
    ("school_id,crebo,year,periods\nschool-A,,,P1\n,25655,,P2\n", 3, "alike"),
    ("school_id,crebo,periods\nschool-A,25655,P1\n", 1, "year"),
])
def test_bad_allowed_file_names_the_row(tmp_path, text, row, words):
    inst = crowded_period_instance()
    with pytest.raises(InputError) as error:
        allowed_offsets(inst, read_allowed(write(tmp_path, text), inst))
    assert error.value.row == row and words in str(error.value)
