"""Index ranges over arrays sorted by a key (arcs by tail or head, candidates by student): where each key's
run starts, and the indices of many runs at once, vectorised. The engine and the explanations share them."""

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
