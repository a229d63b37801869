"""Running one job, outside the web process: in a process of the local pool or on a Dask worker.

:func:`run_job` takes a plain dict (what crosses a process or a network), runs
the job's pipeline with a :class:`~matcher.app.service.store.ProgressFile`, and
moves the outputs into the job's ``result`` folder whole when they are all
written. The outputs are the pipelines' own, so a job gives the same bytes as
the command line for the same dataset and options.
"""

from __future__ import annotations

import os
import shutil
import sys
import threading
import time
import traceback
from pathlib import Path
from typing import Any

from matcher.app import pipelines
from matcher.app.service.store import (
    DECISIONS_USED,
    ERROR_FILE,
    PARTIAL_FOLDER,
    RESULT_FOLDER,
    WORK_FOLDER,
    Cancelled,
    ProgressFile,
    write_json_atomically,
)
from matcher.errors import InputError, ModelError

SHORTLIST_FILE = "shortlists.csv"
SCENARIO_FILE = "scenarios.toml"

# The stages each kind of job passes, in order (what its progress fraction counts).
STAGES: dict[str, tuple[str, ...]] = {
    "match": ("read", "problem", "candidates", "build", "split", "solve", "result", "remedies", "write", "check"),
    "advise": ("solve", "write"),
    "suggest": ("solve",),
    "report": ("write",),
    "calendar": ("read", "relax", "bound", "search", "today", "proposed", "write"),
    "simulate": ("read", "runs"),
}

DONE, FAILED, CANCELLED, INTERRUPTED = "done", "failed", "cancelled", "interrupted"


def _die_with_parent() -> None:
    """Stop this process when the server that started it dies, so no orphan keeps working."""
    parent = os.getppid()

    def watch() -> None:
        while True:
            time.sleep(0.5)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, daemon=True, name="parent-watch").start()


def _run(kind: str, options: dict[str, Any], dataset: Path, folder: Path, partial: Path,
         progress: ProgressFile, match_result: Path | None, jobs: int) -> None:
    if kind == "match":
        # A next round (previous_job): match_result is the previous match's result.
        decisions = folder / DECISIONS_USED
        pipelines.match(dataset, partial, region=options.get("region"), certify=options.get("certify"),
                        remedies=options.get("remedies", False), jobs=jobs, progress=progress,
                        previous=match_result, decisions=decisions if decisions.is_file() else None,
                        keep_previous=options.get("keep_previous"))
    elif kind == "advise":
        work = folder / WORK_FOLDER
        shutil.copytree(match_result, work)
        progress.stage("solve")
        pipelines.advise(work, instance_dir=dataset, verify=options.get("verify", 20), jobs=jobs)
        progress.stage("write")
        partial.mkdir()
        for path in pipelines.advice_files(work):
            os.replace(path, partial / path.name)
        shutil.rmtree(work)
    elif kind == "suggest":
        partial.mkdir()
        progress.stage("solve")
        pipelines.suggest(dataset, options["school"], student=options.get("student"), k=options.get("k", 5),
                          region=options.get("region"), out=partial / SHORTLIST_FILE, jobs=jobs, progress=progress)
    elif kind == "report":
        progress.stage("write")
        pipelines.report(match_result, partial, instance_dir=dataset, lang=options.get("lang", "nl"))
    elif kind == "calendar":
        pipelines.calendar(dataset, partial, max_moves=options.get("max_moves", 10), region=options.get("region"),
                           jobs=jobs, progress=progress)
    elif kind == "simulate":
        scenario = folder / SCENARIO_FILE
        scenario.write_text(options["scenarios"], encoding="utf-8")
        pipelines.simulate(dataset, scenario, partial, runs=options.get("runs", 50), jobs=jobs,
                           lang=options.get("lang", "nl"), progress=progress)
    else:
        raise InputError(f"unknown job kind {kind!r}")


def run_job(spec: dict[str, Any]) -> str:
    """Run the job ``spec`` describes; return ``done``, ``failed`` or ``cancelled``.

    ``spec`` holds ``kind``, ``options``, ``dataset`` (the instance folder),
    ``folder`` (the job's own), ``jobs`` (the engine's processes; outputs do not depend on it) and, for
    advise and report, ``match_result``.
    A failure's message is written to the job's ``error.json``.
    """
    folder = Path(spec["folder"])
    partial = folder / PARTIAL_FOLDER
    shutil.rmtree(partial, ignore_errors=True)
    progress = ProgressFile(folder)
    match_result = Path(spec["match_result"]) if spec.get("match_result") else None
    try:
        _run(spec["kind"], spec["options"], Path(spec["dataset"]), folder, partial, progress, match_result,
             spec.get("jobs", 1))
        os.replace(partial, folder / RESULT_FOLDER)  # the whole result appears at once
        return DONE
    except Cancelled:
        return CANCELLED
    except (InputError, ModelError, ValueError, OSError) as error:
        message = str(error).replace(str(Path(spec["dataset"])) + os.sep, "")  # no server paths in messages
        write_json_atomically(folder / ERROR_FILE, {"message": message})
        return FAILED
    except Exception:  # noqa: BLE001 - an engine defect: logged for the operator, told plainly to the user
        traceback.print_exc()
        write_json_atomically(folder / ERROR_FILE, {"message": "internal error; the operator's log has the details"})
        return FAILED
    finally:
        shutil.rmtree(partial, ignore_errors=True)


def run_job_in_process(spec: dict[str, Any]) -> None:
    """The entry point of a local pool's process: the outcome is its exit code (0, 1, or 3 cancelled)."""
    _die_with_parent()
    outcome = run_job(spec)
    sys.stdout.flush()
    os._exit({DONE: 0, FAILED: 1, CANCELLED: 3}[outcome])


def outcome_of_exit(code: int | None) -> str:
    """The outcome a local process's exit code stands for: killed by a signal (out of memory, an operator)
    is interrupted, to be submitted again."""
    if code is not None and code < 0:
        return INTERRUPTED
    return {0: DONE, 3: CANCELLED}.get(code, FAILED)

