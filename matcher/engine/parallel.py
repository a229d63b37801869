"""How many worker processes (or threads) a parallel step may start, and the process pool.

Every pool in stagematch asks :func:`worker_count`: never more workers than
cores this process may use, nor than tasks to share out. ``--jobs 10000``
therefore starts as many processes as there are cores, and ``--jobs 50`` on
four components starts at most four. Results never depend on the count.

:func:`process_map` is the one process pool (the engine's parts, the
remedies' students, the local simulation executor's runs): forked workers
that inherit the shared read-only data, results in task order.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from typing import Any


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


# A worker's copy of the shared data of :func:`process_map`, set once per process.
_SHARED: Any = None


def _install_shared(shared: Any) -> None:
    global _SHARED
    _SHARED = shared


def _call_with_shared(fn: Callable[[Any, Any], Any], task: Any) -> Any:
    return fn(_SHARED, task)


def process_map(fn: Callable[[Any, Any], Any], tasks: Sequence, shared: Any = None, *, jobs: int | None = 1,
                on_done: Callable[[int, Any], None] | None = None) -> list:
    """``[fn(shared, task) for task in tasks]``, shared out over worker processes.

    Results come in the order of ``tasks`` whatever order they finish in, so
    they do not depend on ``jobs`` as long as ``fn`` is deterministic.
    ``shared`` is read-only data every task needs (the parts of a network, a
    solved match): forked workers inherit it instead of unpickling it; where
    processes cannot fork, it is pickled once per worker, never per task.
    ``fn`` and the tasks are pickled, so ``fn`` must be a module-level function.

    Parameters
    ----------
    fn
        Called as ``fn(shared, task)``.
    tasks
        The tasks.
    shared
        Data for every task.
    jobs
        Processes asked for (``None``: every usable core); :func:`worker_count`
        decides how many start. With one, the tasks run in this process.
    on_done
        Called with (task index, result) as each task finishes.

    Returns
    -------
    list
        One result per task, in task order.
    """
    tasks = list(tasks)
    workers = worker_count(jobs, len(tasks))
    results: list = [None] * len(tasks)
    if workers <= 1:
        for i, task in enumerate(tasks):
            results[i] = fn(shared, task)
            if on_done is not None:
                on_done(i, results[i])
        return results
    context = multiprocessing.get_context("fork") if "fork" in multiprocessing.get_all_start_methods() else None
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_install_shared,
                             initargs=(shared,)) as pool:
        pending = {pool.submit(_call_with_shared, fn, task): i for i, task in enumerate(tasks)}
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                i = pending.pop(future)
                results[i] = future.result()
                if on_done is not None:
                    on_done(i, results[i])
    return results
