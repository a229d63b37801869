"""Index ranges over arrays sorted by a key (arcs by tail or head, candidates by student): where each key's
run starts, and the indices of many runs at once, vectorised; and the distinct values of an index array.
The engine, the explanations and the planner share them."""

from __future__ import annotations

import numpy as np


def first_of_each(sorted_keys: np.ndarray, n_keys: int) -> np.ndarray:
    """Per key ``0 … n_keys``, where its run starts in ``sorted_keys`` (``n_keys + 1`` offsets, CSR style).

    The keys are searched in the array's own dtype: a searchsorted with other integers casts the whole
    array first, a pass over the national arcs each time.
    """
    return np.searchsorted(sorted_keys, np.arange(n_keys + 1, dtype=sorted_keys.dtype))


def ranges(starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """``starts[i], ..., starts[i] + counts[i] - 1`` for every ``i``, concatenated."""
    return np.repeat(starts - np.cumsum(counts) + counts, counts) + np.arange(int(counts.sum()))


def rows(first: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """The indices of the runs of ``keys``, given the offsets ``first`` of :func:`first_of_each`."""
    starts = first[keys]
    return ranges(starts, first[keys + 1] - starts)


def distinct(values) -> np.ndarray:
    """The sorted distinct values of an integer array (flattened): ``np.unique(values)``, by a sort.

    numpy 2's ``np.unique`` without ``return_*`` hashes instead, and on integer arrays of many distinct
    values the hash is far slower (measured with numpy 2.4: 13 million node numbers 19 s against 0.18 s;
    a frontier of 2,000 nodes 143 µs against 12 µs, which the explanations' searches call by the
    hundred thousand).
    """
    values = np.sort(np.asarray(values).ravel())
    if len(values) < 2:
        return values
    keep = np.empty(len(values), dtype=bool)
    keep[0] = True
    np.not_equal(values[1:], values[:-1], out=keep[1:])
    return values[keep]
