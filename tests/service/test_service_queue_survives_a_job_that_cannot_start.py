"""A job whose process cannot be started (no memory, too many open files) fails on its own: the exception ended
the runner's dispatching thread, so that job stayed ``running`` and every job submitted after it ``queued``, for
good, with a slot of the pool taken."""

from __future__ import annotations

import threading

from matcher.app.service.runner import Runner
from matcher.app.service.store import ERROR_FILE, read_json
from matcher.app.service.worker import DONE, FAILED


class _Finished:
    def wait(self) -> str:
        return DONE

    def stop(self) -> None:
        pass


class _FailsFirst:
    """An executor whose first start raises, as ``Process.start`` does when the machine is out of resources."""

    def __init__(self) -> None:
        self.started = []

    def start(self, spec):
        self.started.append(spec["id"])
        if len(self.started) == 1:
            raise OSError(24, "Too many open files")
        return _Finished()

    def close(self) -> None:
        pass


def test_the_job_after_one_that_cannot_start_still_runs(tmp_path):
    """Two jobs through a runner of one slot whose executor cannot start the first.

    Checks
    ------
    - the first ends ``failed``, with a message in its ``error.json``;
    - the second is started and ends ``done``.
    """
    ended, both = {}, threading.Event()

    def on_end(job_id: str, outcome: str) -> None:
        ended[job_id] = outcome
        if len(ended) == 2:
            both.set()

    executor = _FailsFirst()
    runner = Runner(executor, 1, lambda job_id: True, on_end)
    try:
        for job_id in ("first", "second"):
            (tmp_path / job_id).mkdir()
            runner.submit({"id": job_id, "folder": str(tmp_path / job_id)})
        assert both.wait(120), ended
    finally:
        runner.close()
    assert executor.started == ["first", "second"]
    assert ended == {"first": FAILED, "second": DONE}
    assert "could not be started" in read_json(tmp_path / "first" / ERROR_FILE)["message"]
