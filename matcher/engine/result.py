"""The result of a match: placements, unplaced students, summary; and writing them."""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from matcher.io.folders import replace_folder
from matcher.io.safe_cells import defuse_frame

PLACEMENT_COLUMNS = (
    "student_id", "school_id", "vacancy_id", "company_id", "supervisor_id",
    "period_id", "travel_min", "duo", "wish_rank", "cost",
)
UNPLACED_COLUMNS = ("student_id", "school_id", "reason", "detail")
# changes.csv with a previous round's result (matcher.engine.changes). Added later: instance.json
# (where the instance was read from) and previous.csv (the previous placements) by ``stagematch
# match``, the advice files by ``stagematch advise``.
RESULT_FILES = ("placements.csv", "unplaced.csv", "changes.csv", "summary.json", "timings.json", "instance.json",
                "previous.csv", "advice.csv", "advice_cells.csv")


@dataclass(frozen=True, eq=False)
class Result:
    """An optimal match, ready to write.

    Attributes
    ----------
    placements
        One row per placed student (columns :data:`PLACEMENT_COLUMNS`).
    unplaced
        One row per unplaced student with a reason code and a detail text.
    summary
        Counts, objective parts, optimality proof, price of priority, input
        hash, policy and versions; identical for identical input and policy.
    timings
        Seconds per stage (kept out of ``summary`` so that the summary is
        byte-identical across runs).
    changes
        With a previous round's placements: per student kept, moved, lost,
        new or unplaced, with the reason (``changes.csv``); else None.
    """

    placements: pd.DataFrame
    unplaced: pd.DataFrame
    summary: dict
    timings: dict[str, float] = field(default_factory=dict)
    changes: pd.DataFrame | None = None

    @property
    def status(self) -> str:
        """Solver status: ``"optimal"`` for every result that is returned."""
        return self.summary["status"]

    @property
    def weighted_placed(self) -> int:
        """First objective: the priority-weighted number of placed students (maximised)."""
        return self.summary["objective"]["weighted_placed"]

    @property
    def secondary_cost(self) -> int:
        """Second objective: travel, wish, period and duo costs (minimised)."""
        return self.summary["objective"]["secondary_cost"]

    @property
    def n_placed(self) -> int:
        """Number of placed students."""
        return len(self.placements)

    @property
    def n_unplaced(self) -> int:
        """Number of unplaced students."""
        return len(self.unplaced)

    def write(self, out_dir: str | os.PathLike, *, overwrite: bool = False,
              also: dict[str, bytes] | None = None) -> Path:
        """Write ``placements.csv``, ``unplaced.csv``, ``summary.json`` and ``timings.json`` (and
        ``changes.csv`` when there are changes).

        The files are written into a temporary folder beside ``out_dir`` and
        moved into place only when all are complete, so a failed run never
        leaves a half-written result. ``timings`` gets the seconds spent
        turning the result into files (``write``) before it is written itself.

        Parameters
        ----------
        out_dir
            The result folder: new, or empty.
        overwrite
            Replace an earlier result in ``out_dir`` (never a folder holding
            other files).
        also
            More files of the result folder (name → bytes), such as ``instance.json``.

        Returns
        -------
        Path
            The result folder.

        Raises
        ------
        FileExistsError
            When ``out_dir`` is not empty and ``overwrite`` is false, or holds
            files that are not a result's.
        """
        out = Path(out_dir)
        start = time.perf_counter()
        files = {
            "placements.csv": csv_bytes(self.placements),
            "unplaced.csv": csv_bytes(self.unplaced),
            **({} if self.changes is None else {"changes.csv": csv_bytes(self.changes)}),
            "summary.json": _json(self.summary).encode("utf-8"),
            **(also or {}),
        }
        self.timings["write"] = round(time.perf_counter() - start, 4)
        files["timings.json"] = _json(self.timings).encode("utf-8")
        replace_folder(out, files, RESULT_FILES, "result", overwrite=overwrite)
        return out


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """A frame as UTF-8 CSV with ``\\n`` line ends (byte-stable), safe to open in a spreadsheet.

    Text cells that a spreadsheet would run as a formula are defused
    (:func:`matcher.io.safe_cells.defuse`); the project's readers restore them.
    """
    return defuse_frame(frame).to_csv(index=False, lineterminator="\n").encode("utf-8")


def _json(data: dict) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False) + "\n"
