"""Where simulation runs execute: in this process, a local process pool, or Dask.

Every executor has one method, ``map(fn, items, common=..., on_done=...)``,
returning ``[fn(common, item) for item in items]`` in the order of
``items`` whatever order the runs finish in. ``common`` (the instance and the
scenarios) is sent to each worker once, not with every item. Results are
therefore the same on every executor as long as ``fn`` is deterministic,
which the simulation's runs are (each draws its dice from its own seed).

- :class:`LocalExecutor` uses :func:`matcher.engine.parallel.process_map`:
  ``jobs`` forked processes (``jobs=1`` runs inline, with no process at all).
- :class:`DaskExecutor` submits to a Dask ``distributed`` scheduler at
  ``address``, or starts a :class:`distributed.LocalCluster` of ``jobs``
  single-threaded worker processes on this machine. It needs the optional
  extra: ``pip install 'stagematch[distributed]'``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol

from matcher.engine.parallel import process_map, worker_count


class Executor(Protocol):
    """Runs ``fn(common, item)`` for every item and returns the results in order.

    ``inherits_common`` says whether the workers inherit ``common`` as it is in this process (forked, or
    inline), caches included, rather than receiving a pickled copy.
    """

    inherits_common: bool

    def map(self, fn: Callable[[Any, Any], Any], items: Sequence, common: Any = None,
            on_done: Callable[[], None] | None = None) -> list:
        """``[fn(common, item) for item in items]``; ``on_done()`` after each item finishes."""
        ...

    def close(self) -> None:
        """Release workers and clusters the executor started."""
        ...


class LocalExecutor:
    """Runs items in ``jobs`` local processes (inline when ``jobs`` is 1).

    Parameters
    ----------
    jobs
        Number of processes, at least 1.
    """

    inherits_common = True

    def __init__(self, jobs: int = 1) -> None:
        if jobs < 1:
            raise ValueError("jobs must be at least 1")
        self.jobs = jobs

    def map(self, fn, items, common=None, on_done=None) -> list:
        """See :class:`Executor`."""
        items = list(items)
        # Forked workers inherit ``common`` instead of unpickling it; elsewhere it is pickled once per worker.
        return process_map(fn, items, common, jobs=self.jobs,
                           on_done=None if on_done is None else lambda _index, _result: on_done())

    def close(self) -> None:
        """Nothing to release: each :meth:`map` closes its own pool."""

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class DaskExecutor:
    """Runs items on a Dask cluster: the scheduler at ``address``, or a local one.

    Parameters
    ----------
    address
        A ``distributed`` scheduler address (``tcp://host:8786``); ``None``
        starts a :class:`distributed.LocalCluster` on this machine.
    jobs
        Worker processes of the local cluster (one thread each); ignored with
        an ``address``.

    Raises
    ------
    ImportError
        When ``dask[distributed]`` is not installed, saying how to install it.
    """

    inherits_common = False

    def __init__(self, address: str | None = None, jobs: int = 1) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError as error:  # pragma: no cover - depends on the environment
            raise ImportError("the Dask executor needs dask[distributed]: "
                              "pip install 'stagematch[distributed]'") from error
        self._cluster = None
        if address is None:
            self._cluster = LocalCluster(n_workers=worker_count(jobs), threads_per_worker=1, processes=True,
                                         dashboard_address=None, silence_logs=40)
            address = self._cluster.scheduler_address
        self._client = Client(address, set_as_default=False)

    def map(self, fn, items, common=None, on_done=None) -> list:
        """See :class:`Executor`."""
        from distributed import as_completed

        items = list(items)
        if not items:
            return []
        # Sent to every worker once; each task then refers to it by key.
        shared = self._client.scatter(common, broadcast=True, hash=False)
        futures = [self._client.submit(fn, shared, item, pure=False) for item in items]
        for _ in as_completed(futures, loop=self._client.loop):
            if on_done is not None:
                on_done()
        results = self._client.gather(futures)
        del futures, shared
        return results

    def close(self) -> None:
        """Close the client and the local cluster, if this executor started one."""
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def make_executor(kind: str, jobs: int = 1, address: str | None = None) -> LocalExecutor | DaskExecutor:
    """An executor by name: ``"local"`` or ``"dask"``.

    Raises
    ------
    ValueError
        For another name, or a Dask address with the local executor.
    """
    if kind == "local":
        if address is not None:
            raise ValueError("--dask-address needs --executor dask")
        return LocalExecutor(jobs)
    if kind == "dask":
        return DaskExecutor(address, jobs)
    raise ValueError(f"unknown executor {kind!r}; use local or dask")
