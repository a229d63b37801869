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


def sort_order(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A stable ``argsort`` of non-negative integer ``keys`` and the sorted keys.

    Where each key shifted left by the bits of an index still fits in an int64, key and index are packed
    into one number and sorted by value: numpy's value sort is vectorised and several times faster than
    an argsort (5 million keys: 0.05 s against 0.27 s unstable, 0.65 s stable).
    """
    keys = np.asarray(keys, dtype=np.int64)
    n = len(keys)
    bits = max(int(n - 1).bit_length(), 1)
    if n and keys.min() >= 0 and int(keys.max()) < 1 << (62 - bits):
        packed = np.sort((keys << bits) | np.arange(n, dtype=np.int64))
        return packed & ((1 << bits) - 1), packed >> bits
    order = np.argsort(keys, kind="stable")
    return order, keys[order]
