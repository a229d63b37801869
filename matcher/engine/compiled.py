"""Loops compiled by numba, their machine code cached on disk where a cache can be written.

numba's ``cache=True`` refuses at import time when no cache location is writable (``RuntimeError: cannot
cache function ...``): a read-only install with no writable home, as in a locked-down service container.
Then each process compiles the loops itself, the first time they run, instead of refusing to start.
"""

from __future__ import annotations

from collections.abc import Callable

from numba import njit


def compiled(function: Callable) -> Callable:
    """``function`` compiled by numba in nopython mode, cached on disk when numba can write a cache.

    Parameters
    ----------
    function
        A function numba compiles (numpy arrays and scalars in, no Python objects).

    Returns
    -------
    Callable
        The numba dispatcher: compiled on its first call, or loaded from the cache.
    """
    try:
        return njit(cache=True)(function)
    except RuntimeError as error:
        if "cannot cache" not in str(error):
            raise
        return njit(function)
