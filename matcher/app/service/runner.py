"""Where jobs run: a local pool of processes (the default) or a Dask cluster, and the queue in front.

The web process only queues, watches and records: each job runs in a process
of its own (:func:`~matcher.app.service.worker.run_job_in_process`, started
with ``spawn``, so that no thread or database connection of the server is
copied into it) or as a Dask task, at most ``workers`` at a time, so a
national match does not slow the API. Cancelling a queued job drops it; a
running one gets a cancel file, and a local process is also terminated.
"""

from __future__ import annotations

import logging
import multiprocessing
import queue
import threading
from pathlib import Path
from typing import Any, Callable, Protocol

from matcher.app.service.store import CANCEL_FILE, ERROR_FILE, write_json_atomically
from matcher.app.service.worker import CANCELLED, FAILED, INTERRUPTED, outcome_of_exit, run_job, run_job_in_process

log = logging.getLogger("stagematch.service")


class Running(Protocol):
    def wait(self) -> str:
        """Block until the job ends; its outcome (``done``, ``failed``, ``cancelled`` or ``interrupted``)."""

    def stop(self) -> None:
        """Stop the job as soon as it can be."""


class _LocalRunning:
    def __init__(self, process) -> None:
        self._process, self._stopped = process, False

    def wait(self) -> str:
        self._process.join()
        return CANCELLED if self._stopped else outcome_of_exit(self._process.exitcode)

    def stop(self) -> None:
        self._stopped = True
        self._process.terminate()


class LocalExecutor:
    """Each job in a new process of this machine."""

    name = "local"

    def __init__(self) -> None:
        self._context = multiprocessing.get_context("spawn")

    def start(self, spec: dict[str, Any]) -> Running:
        process = self._context.Process(target=run_job_in_process, args=(spec,), name=f"job-{spec['id']}")
        # Not a daemon, so that the engine may start its own processes (a job also stops with the server).
        process.start()
        return _LocalRunning(process)

    def close(self) -> None:
        pass


class _DaskRunning:
    def __init__(self, future) -> None:
        self._future = future

    def wait(self) -> str:
        try:
            return self._future.result()
        except Exception as error:  # noqa: BLE001 - a lost worker, a cancelled future
            log.warning("dask job ended: %r", error)
            if self._future.cancelled():
                return CANCELLED
            return INTERRUPTED if type(error).__name__ == "KilledWorker" else FAILED

    def stop(self) -> None:  # the cancel file stops a running task at its next progress call
        self._future.cancel()


class DaskExecutor:
    """Each job as a task on a Dask cluster (``address``), or on a local cluster of ``workers`` processes.

    The cluster's workers must see the store at the same path (one machine, or a shared file system).
    """

    name = "dask"

    def __init__(self, workers: int, address: str | None = None) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise ImportError("--executor dask needs Dask: pip install 'stagematch[distributed]'") from None
        self._cluster = None
        if address is None:
            self._cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                         dashboard_address=None)
            address = self._cluster.scheduler_address
        self._client = Client(address)

    def start(self, spec: dict[str, Any]) -> Running:
        return _DaskRunning(self._client.submit(run_job, spec, pure=False, key=f"stagematch-job-{spec['id']}"))

    def close(self) -> None:
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()


class Runner:
    """The queue in front of an executor: at most ``workers`` jobs run at once, in the order submitted.

    ``started(job_id)`` and ``ended(job_id, outcome)`` are called from the
    runner's threads, to record the job's state.
    """

    def __init__(self, executor, workers: int, started: Callable[[str], bool],
                 ended: Callable[[str, str], None]) -> None:
        self._executor, self._started, self._ended = executor, started, ended
        self._queue: queue.Queue = queue.Queue()
        self._slots = threading.Semaphore(workers)
        self._running: dict[str, Running] = {}
        self._lock = threading.Lock()
        self._closed = False
        self._thread = threading.Thread(target=self._dispatch, daemon=True, name="job-dispatch")
        self._thread.start()

    def submit(self, spec: dict[str, Any]) -> None:
        self._queue.put(spec)

    def cancel(self, job_id: str, folder) -> None:
        """Stop a running job (a queued one is skipped when ``started`` says so)."""
        (folder / CANCEL_FILE).touch()
        with self._lock:
            running = self._running.get(job_id)
        if running is not None:
            running.stop()

    def _dispatch(self) -> None:
        while True:
            spec = self._queue.get()
            if spec is None:
                return
            self._slots.acquire()
            try:
                go = not self._closed and self._started(spec["id"])
            except Exception:  # noqa: BLE001 - a database hiccup must not stop the queue
                log.exception("could not start job %s", spec["id"])
                go = False
            if not go:
                self._slots.release()
                continue
            try:
                running = self._executor.start(spec)
            except Exception:  # noqa: BLE001 - no process (no memory, no file handles): that job fails, not the queue
                log.exception("could not start job %s", spec["id"])
                self._slots.release()
                self._not_started(spec)
                continue
            with self._lock:
                self._running[spec["id"]] = running
            threading.Thread(target=self._watch, args=(spec["id"], running), daemon=True,
                             name=f"job-watch-{spec['id']}").start()

    def _not_started(self, spec: dict[str, Any]) -> None:
        try:
            write_json_atomically(Path(spec["folder"]) / ERROR_FILE,
                                  {"message": "the job could not be started; the operator's log has the details"})
            self._ended(spec["id"], FAILED)
        except Exception:  # noqa: BLE001 - recorded as interrupted at the next start, at worst
            log.exception("could not record that job %s did not start", spec["id"])

    def _watch(self, job_id: str, running: Running) -> None:
        try:
            outcome = running.wait()
        finally:
            with self._lock:
                self._running.pop(job_id, None)
            self._slots.release()
        if not self._closed:
            self._ended(job_id, outcome)

    def close(self) -> None:
        """Stop every running job (the server is shutting down: they show as interrupted)."""
        self._closed = True
        self._queue.put(None)
        with self._lock:
            running = list(self._running.values())
        for job in running:
            job.stop()
        self._executor.close()
