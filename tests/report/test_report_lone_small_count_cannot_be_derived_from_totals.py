"""Small-count protection withholds the cells that would give a hidden count away: the rest
of its row, and a second cell of its column within every margin the report shows."""

import numpy as np

from matcher.report.privacy import shown_counts, withheld_split


def test_a_small_part_hides_the_other_part_of_its_row_and_of_one_more_row():
    hide_total, hide_split = withheld_split([50, 60, 70], [47, 50, 60], [3, 10, 10])
    # Row 0: placed 47 would give unplaced 50 − 47 = 3 away, so it is withheld; and then the
    # total placed minus rows 1 and 2 would give 47: the smallest other split is withheld too.
    assert not hide_total.any()
    assert list(hide_split) == [True, True, False]
    assert list(shown_counts([47, 50, 60], hide_split)) == ["x", "x", 60]
    assert list(shown_counts([3, 10, 10], hide_split)) == ["<5", "x", 10]


def test_a_lone_small_total_gets_a_partner_in_its_column():
    total = np.array([3, 40, 9])
    hide_total, hide_split = withheld_split(total, total - 1, np.ones(3, int))
    assert list(hide_total) == [True, False, True]      # the smallest total of at least 5
    assert hide_split.all()                             # every row has a small part (1)
    assert list(shown_counts(total, hide_total)) == ["<5", 40, "x"]


def test_no_partner_is_a_zero_which_would_reveal_the_small_one():
    total = np.array([3, 0, 12])
    hide_total, _ = withheld_split(total, total, np.zeros(3, int))
    assert list(hide_total) == [True, False, True]


def test_margins_get_their_own_partner():
    # Sectors: rows 0–1 are sector A, rows 2–3 sector B. Row 0 is small; hiding row 2 would
    # satisfy the grand total but not sector A's total.
    total = np.array([3, 30, 8, 50])
    hide_total, _ = withheld_split(total, total, np.zeros(4, int), margins=(["A", "A", "B", "B"],))
    assert hide_total[0] and hide_total[1]
    for members in ([0, 1], [2, 3]):
        assert hide_total[members].sum() != 1
    assert hide_total.sum() != 1


def test_rows_without_small_counts_stay_visible():
    hide_total, hide_split = withheld_split([10, 20], [5, 10], [5, 10])
    assert not hide_total.any() and not hide_split.any()
