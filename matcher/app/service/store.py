"""The service's files: datasets under their content hash, and each job's folder.

::

    store/datasets/<content hash>/<name>/  the instance files as uploaded (immutable); the folder's
                                       name is the dataset's, which results record as the instance's
    store/schools/<content hash>.json  school id -> its students' ids (who may see whom)
    store/jobs/<job id>/               progress.json, cancel, error.json, and the job's inputs
    store/jobs/<job id>/result/        the job's output files, moved in whole when complete
    store/jobs/<job id>/.partial/      the outputs while they are written, and work/, an advice job's
                                       copy of its match's result (removed when the job ends)

Every file and folder is written beside its place and renamed into it, so a
crash leaves either nothing or the whole thing, and the database only names a
job's files once its result folder is in place. What a job killed, cancelled
or cut off by a crash leaves in ``.partial`` and ``work`` is removed when its
end is recorded, or when the next server starts.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
from functools import lru_cache
from pathlib import Path
from typing import Any

PROGRESS_FILE = "progress.json"
CANCEL_FILE = "cancel"
ERROR_FILE = "error.json"
RESULT_FOLDER = "result"
PARTIAL_FOLDER = ".partial"
WORK_FOLDER = "work"
# Rounds: in a match job's folder, the decisions it ran with (from the match before it), and those together
# with the answers posted to it, for the match of the next round.
DECISIONS_USED = "decisions.csv"
DECISIONS_NEXT = "decisions-next.csv"


def content_hash(files: dict[str, bytes]) -> str:
    """SHA-256 over the files' names and bytes, in name order."""
    digest = hashlib.sha256()
    for name in sorted(files):
        data = files[name]
        digest.update(f"{name}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


def write_json_atomically(path: Path, value: Any) -> None:
    """Write ``value`` as JSON to ``path`` by a rename, so a reader sees the old or the new file whole."""
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, prefix=f".{path.name}.",
                                     delete=False) as handle:
        json.dump(value, handle, sort_keys=True)
    os.replace(handle.name, path)


def read_json(path: Path) -> Any:
    """The JSON in ``path``, or ``None`` when it is missing or (being replaced) unreadable."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


class Store:
    """The folders of one service (see the module)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root).resolve()
        for folder in ("datasets", "schools", "jobs", "incoming"):
            (self.root / folder).mkdir(parents=True, exist_ok=True)

    def dataset(self, digest: str, name: str) -> Path:
        return self.root / "datasets" / digest / name

    def job(self, job_id: str) -> Path:
        return self.root / "jobs" / job_id

    def result(self, job_id: str) -> Path:
        return self.job(job_id) / RESULT_FOLDER

    def incoming(self) -> Path:
        """A new empty folder for an upload being checked (removed by the caller)."""
        return Path(tempfile.mkdtemp(dir=self.root / "incoming"))

    def keep_dataset(self, folder: Path, digest: str, name: str, schools: dict[str, list[str]]) -> Path:
        """Move a checked upload into place under its hash and name (once: the same bytes are stored once)."""
        index = self.root / "schools" / f"{digest}.json"
        if not index.is_file():
            write_json_atomically(index, schools)
        target = self.dataset(digest, name)
        target.parent.mkdir(exist_ok=True)
        if target.is_dir():
            shutil.rmtree(folder, ignore_errors=True)
        else:
            os.replace(folder, target)
        return target

    def schools(self, digest: str) -> dict[str, frozenset[str]]:
        """The dataset's school ids, each with its students' ids."""
        return _schools(self.root / "schools" / f"{digest}.json")

    def clean_incoming(self) -> None:
        """Remove uploads that a crash left half-checked."""
        for folder in (self.root / "incoming").iterdir():
            shutil.rmtree(folder, ignore_errors=True)

    def discard_scratch(self, job_id: str) -> None:
        """Remove what a job that has ended left half-written (its result, when it has one, stays)."""
        for name in (PARTIAL_FOLDER, WORK_FOLDER):
            shutil.rmtree(self.job(job_id) / name, ignore_errors=True)

    def clean_jobs(self) -> None:
        """Remove what jobs that a crash or a shutdown cut off left half-written (before any job runs)."""
        for folder in (self.root / "jobs").iterdir():
            self.discard_scratch(folder.name)


@lru_cache(maxsize=16)
def _schools(path: Path) -> dict[str, frozenset[str]]:  # a dataset never changes: read its index once
    return {school: frozenset(ids) for school, ids in (read_json(path) or {}).items()}


class ProgressFile:
    """A job's :class:`~matcher.app.pipelines.Progress`, written to its folder for the server to read.

    Also where a job learns that it is cancelled: each call looks for the
    cancel file and raises :class:`Cancelled` (a Dask worker cannot be killed
    from outside; a local one is also terminated).
    """

    def __init__(self, folder: Path, every: float = 0.2) -> None:
        self._path, self._cancel, self._every = folder / PROGRESS_FILE, folder / CANCEL_FILE, every
        self._stage, self._stage_started, self._written, self._stages = None, time.time(), 0.0, []
        self._done = self._total = 0

    def _check_cancel(self) -> None:
        if self._cancel.exists():
            raise Cancelled()

    def _write(self, force: bool = False) -> None:
        now = time.time()
        if force or now - self._written >= self._every:
            self._written = now
            write_json_atomically(self._path, {"stage": self._stage, "stages": self._stages, "done": self._done,
                                               "total": self._total, "stage_started": self._stage_started,
                                               "at": now})

    def stage(self, name: str) -> None:
        self._check_cancel()
        self._stage, self._stage_started, self._done, self._total = name, time.time(), 0, 0
        self._stages.append(name)
        self._write(force=True)

    def advance(self, done: int, total: int) -> None:
        self._check_cancel()
        self._done, self._total = done, total
        self._write()

    def input_read(self, report) -> None:
        self._check_cancel()


class Cancelled(Exception):
    """The job was cancelled while it ran."""
