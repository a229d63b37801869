"""Small-count protection: students are personal data.

In every per-school and per-crebo table a count of 1–4 students is shown as
``"<5"`` (0 is shown: it names no one). Cells from which such a count could be
worked out are withheld as ``"x"``:

- within a row, ``total = part + rest`` (students seeking = placed +
  unplaced; places offered = occupied + free): when one of the three is small
  the other two parts are withheld, and when the total is small the whole row
  is;
- down a column, the table's total (and any other margin the report shows,
  such as a sector's total over its crebos) minus the visible cells gives the
  hidden ones: when exactly one cell of a column is hidden within a margin, the
  smallest other cell of at least 5 is withheld as well (a hidden 0 would give
  the small one away, since ``"x"`` means "not 1–4");
- rates are withheld with the split they are made of, and a mean over fewer
  than 5 students is withheld.

Places are company data, not personal: their counts are never shown as
``"<5"``. Only where places left free beside places offered would tell a
hidden count of placed students are they withheld (:mod:`matcher.report.tables`).
The map has its own rule (see :mod:`matcher.report.pc4map`); the words that
explain all this to readers are in :mod:`matcher.report.texts`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

SMALL = 5
SMALL_CELL = "<5"
WITHHELD = "x"

def is_small(counts) -> np.ndarray:
    """Whether each count is 1–4 (0 is not small: it identifies no one)."""
    counts = np.asarray(counts)
    return (counts > 0) & (counts < SMALL)


def _lone_hidden_partners(groups: np.ndarray, hidden: np.ndarray, order_value: np.ndarray,
                          candidate: np.ndarray) -> np.ndarray:
    """Rows to withhold so that no group has exactly one hidden row.

    In each group with a single hidden row, the candidate row of least
    ``order_value`` (ties: first row) is chosen.
    """
    n_hidden = np.bincount(groups, weights=hidden.astype(np.int64), minlength=groups.max(initial=-1) + 1)
    wanted = (n_hidden == 1)[groups] & candidate & ~hidden
    extra = np.zeros(len(groups), dtype=bool)
    if not wanted.any():
        return extra
    rows = np.flatnonzero(wanted)
    rows = rows[np.lexsort((rows, order_value[rows], groups[rows]))]
    first = np.r_[True, groups[rows][1:] != groups[rows][:-1]]
    extra[rows[first]] = True
    return extra


def withheld_split(total, part, rest, margins: Sequence = ()) -> tuple[np.ndarray, np.ndarray]:
    """Which rows of a ``total = part + rest`` count to hide.

    Parameters
    ----------
    total, part, rest
        Counts per row, with ``total == part + rest``.
    margins
        Row labels of further margins the report shows (e.g. the sector of
        each crebo row); the whole table is always one margin.

    Returns
    -------
    hide_total, hide_split
        Per row: whether the total is hidden, and whether part and rest are
        (``hide_split`` includes ``hide_total``).
    """
    total, part, rest = (np.asarray(a, dtype=np.int64) for a in (total, part, rest))
    n = len(total)
    group_sets = [np.zeros(n, dtype=np.int64)]
    group_sets += [pd.factorize(pd.Series(np.asarray(m, dtype=object)), sort=True)[0] for m in margins]
    hide_total = is_small(total)
    hide_split = hide_total | is_small(part) | is_small(rest)
    # Hiding only grows, so this ends after at most n rounds (in practice one or two).
    while True:
        before = (hide_total.sum(), hide_split.sum())
        for groups in group_sets:
            hide_total |= _lone_hidden_partners(groups, hide_total, total, total >= SMALL)
            hide_split |= hide_total
            hide_split |= _lone_hidden_partners(groups, hide_split, total,
                                                (part >= SMALL) & (rest >= SMALL))
        if (hide_total.sum(), hide_split.sum()) == before:
            return hide_total, hide_split


def shown_counts(counts, withheld) -> np.ndarray:
    """Counts as cells: ``"<5"`` when small, ``"x"`` when withheld, else the int."""
    counts = np.asarray(counts, dtype=np.int64)
    cells = counts.astype(object)
    cells[np.asarray(withheld)] = WITHHELD
    cells[is_small(counts)] = SMALL_CELL
    return cells


def shown_values(values, withheld) -> np.ndarray:
    """Derived values (rates, means) as cells: None when undefined (NaN), ``"x"`` when withheld."""
    values = np.asarray(values, dtype=float)
    cells = values.astype(object)
    cells[np.asarray(withheld)] = WITHHELD
    cells[np.isnan(values)] = None
    return cells
