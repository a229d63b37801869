"""How many worker processes (or threads) a parallel step may start.

Every pool in stagematch asks :func:`worker_count`: never more workers than
cores this process may use, nor than tasks to share out. ``--jobs 10000``
therefore starts as many processes as there are cores, and ``--jobs 50`` on
four components starts at most four. Results never depend on the count.
"""

from __future__ import annotations

import os


def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity on Linux), at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def worker_count(requested: int | None, tasks: int | None = None) -> int:
    """Workers to start for ``tasks`` tasks when ``requested`` were asked for.

    Parameters
    ----------
    requested
        The ``--jobs`` asked for; ``None`` means all usable cores.
    tasks
        Tasks to share out, when known.

    Returns
    -------
    int
        At least 1, at most :func:`usable_cores`, ``requested`` and ``tasks``.
    """
    count = usable_cores() if requested is None else min(requested, usable_cores())
    if tasks is not None:
        count = min(count, tasks)
    return max(1, count)
