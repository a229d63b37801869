"""How many worker processes (or threads) a parallel step may start, and the process pool.

Every pool in stagematch asks :func:`worker_count`: never more workers than
cores this process may use, nor than tasks to share out. ``--jobs 10000``
therefore starts as many processes as there are cores, and ``--jobs 50`` on
four components starts at most four. Results never depend on the count.

:class:`ProcessPool` is the one process pool (the engine's parts, the
remedies' students, the local simulation executor's runs through
:func:`process_map`; the calendar's moves, round after round): forked workers
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


# A worker's copy of the shared data of :class:`ProcessPool`, set once per process.
_SHARED: Any = None


def _install_shared(shared: Any) -> None:
    global _SHARED
    _SHARED = shared


def _call_with_shared(fn: Callable[[Any, Any], Any], task: Any) -> Any:
    return fn(_SHARED, task)


class ProcessPool:
    """Forked worker processes that hold ``shared`` for several rounds of tasks (:meth:`map`).

    ``shared`` is read-only data every task needs: forked workers inherit it instead of unpickling it;
    where processes cannot fork, it is pickled once per worker, never per task. With one worker (see
    :func:`worker_count`) the tasks run in this process. Used as a context manager; the workers start at
    the first :meth:`map` that needs them and stop on leaving.

    Parameters
    ----------
    shared
        Data for every task.
    workers
        Processes to start (at most; 1: none, the tasks run here).
    """

    def __init__(self, shared: Any, workers: int) -> None:
        self.shared, self.workers = shared, max(1, workers)
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> ProcessPool:
        return self

    def __exit__(self, *_exc) -> None:
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None

    def map(self, fn: Callable[[Any, Any], Any], tasks: Sequence,
            on_done: Callable[[int, Any], None] | None = None) -> list:
        """``[fn(shared, task) for task in tasks]``, in the order of ``tasks`` whatever order they finish
        in; ``on_done(index, result)`` as each finishes. ``fn`` and the tasks are pickled, so ``fn`` must be
        a module-level function."""
        tasks = list(tasks)
        results: list = [None] * len(tasks)
        if self.workers <= 1 or len(tasks) <= 1:
            for i, task in enumerate(tasks):
                results[i] = fn(self.shared, task)
                if on_done is not None:
                    on_done(i, results[i])
            return results
        if self._pool is None:
            context = multiprocessing.get_context("fork") if "fork" in multiprocessing.get_all_start_methods() \
                else None
            self._pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=context,
                                             initializer=_install_shared, initargs=(self.shared,))
        pending = {self._pool.submit(_call_with_shared, fn, task): i for i, task in enumerate(tasks)}
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                i = pending.pop(future)
                results[i] = future.result()
                if on_done is not None:
                    on_done(i, results[i])
        return results


def process_map(fn: Callable[[Any, Any], Any], tasks: Sequence, shared: Any = None, *, jobs: int | None = 1,
                on_done: Callable[[int, Any], None] | None = None) -> list:
    """``[fn(shared, task) for task in tasks]``, shared out over worker processes (one round of
    :class:`ProcessPool`).

    Results come in the order of ``tasks`` whatever order they finish in, so
    they do not depend on ``jobs`` as long as ``fn`` is deterministic.
    ``fn`` and the tasks are pickled, so ``fn`` must be a module-level function.

    Parameters
    ----------
    fn
        Called as ``fn(shared, task)``.
    tasks
        The tasks.
    shared
        Data for every task (see :class:`ProcessPool`).
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
    with ProcessPool(shared, worker_count(jobs, len(tasks))) as pool:
        return pool.map(fn, tasks, on_done)
