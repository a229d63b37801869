"""The allowed-periods file: where a planner allows cohorts to move.

A CSV file (comma or semicolon, like the instance files) with one row per
rule::

    school_id,crebo,year,periods
    S-AM13-05,25174,3,P2|P3|P4      one cohort: its internships within P2–P4
    S-AM13-01,,,P1|P2               every cohort of school S-AM13-01 within P1–P2
    ,25498,,P3|P4                   every cohort of crebo 25498, any school
    S-AM13-02,25137,2,              empty periods: this cohort stays as today

An empty key cell matches any value. What the rules allow each cohort is
worked out by :func:`matcher.plan.allowed.allowed_offsets`.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from matcher.errors import InputError
from matcher.io.read import read_csv_cells
from models import Instance

if TYPE_CHECKING:  # only for annotations: reading the file needs nothing of the planner
    from matcher.plan.cohorts import Cohort

KEY_COLUMNS = ("school_id", "crebo", "year")
REQUIRED_COLUMNS = ("school_id", "crebo", "year", "periods")


@dataclass(frozen=True)
class AllowedRule:
    """One row of the allowed-periods file; ``None`` keys match anything,
    ``periods`` empty keeps the cohort as today."""

    school_id: str | None
    crebo: str | None
    year: int | None
    periods: frozenset[str]
    row: int

    @property
    def specificity(self) -> int:
        """How many of school, crebo and year the rule names."""
        return sum(key is not None for key in (self.school_id, self.crebo, self.year))

    def matches(self, cohort: Cohort) -> bool:
        """Whether the rule applies to ``cohort``."""
        return ((self.school_id is None or self.school_id == cohort.school_id)
                and (self.crebo is None or self.crebo == cohort.crebo)
                and (self.year is None or self.year == cohort.year))


def read_allowed(path: str | os.PathLike, instance: Instance) -> list[AllowedRule]:
    """Read an allowed-periods file, checking its periods against ``instance``.

    Raises
    ------
    InputError
        Naming file, row and column: a missing column, a year that is not a
        whole number, or a period the instance does not have.
    """
    file = Path(path).name
    if not Path(path).is_file():
        raise InputError("the allowed-periods file does not exist", file=str(path))
    columns, rows = read_csv_cells(path)
    for name in REQUIRED_COLUMNS:
        if name not in columns:
            raise InputError(f"the column {name!r} is missing (columns: {', '.join(REQUIRED_COLUMNS)})",
                             file=file, row=1, column=name)
    known = set(instance.period_ids)
    rules = []
    for i, row in enumerate(rows):
        cell = {name: columns[name][i].strip() for name in REQUIRED_COLUMNS}
        year = None
        if cell["year"]:
            if not cell["year"].isdigit():
                raise InputError(f"{cell['year']!r} is not a year of study (1–4)", file=file, row=row,
                                 column="year")
            year = int(cell["year"])
        periods = frozenset(p for p in (q.strip() for q in re.split(r"[|;]", cell["periods"])) if p)
        unknown = sorted(periods - known)
        if unknown:
            raise InputError(f"period {unknown[0]!r} is not a period of the instance "
                             f"({', '.join(instance.period_ids)})", file=file, row=row, column="periods")
        rules.append(AllowedRule(cell["school_id"] or None, cell["crebo"] or None, year, periods, row))
    return rules
