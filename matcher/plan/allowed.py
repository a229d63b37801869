"""Where a planner allows cohorts to move: the allowed-periods file.

A CSV file (comma or semicolon, like the instance files) with one row per
rule::

    school_id,crebo,year,periods
    S-AM13-05,25174,3,P2|P3|P4      one cohort: its internships within P2–P4
    S-AM13-01,,,P1|P2               every cohort of school S-AM13-01 within P1–P2
    ,25498,,P3|P4                   every cohort of crebo 25498, any school
    S-AM13-02,25137,2,              empty periods: this cohort stays as today

An empty key cell matches any value. A cohort follows the most specific rule
that matches it (the one naming the most of school, crebo and year); two
equally specific rules for one cohort are an error, and so is a rule that
matches no cohort (a typo, most likely). A cohort may shift by an offset when
every period of every student's shifted list is in the rule's ``periods``;
staying as today (offset 0) is always allowed. Cohorts no rule matches may
shift anywhere within the school year, or stay as today with ``only_listed``.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from matcher.errors import InputError
from matcher.io.read import read_csv_cells
from matcher.plan.cohorts import Cohort, cohort_members, shift_range, student_periods
from models import Instance

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


def allowed_offsets(
    instance: Instance, rules: list[AllowedRule], *, only_listed: bool = False, file: str = "allowed"
) -> dict[Cohort, tuple[int, ...]]:
    """Each cohort's allowed offsets under ``rules`` (0 always included).

    Raises
    ------
    InputError
        When a rule matches no cohort, or two equally specific rules match one.
    """
    members = cohort_members(instance)
    index = {p: i for i, p in enumerate(instance.period_ids)}
    used: set[int] = set()
    out: dict[Cohort, tuple[int, ...]] = {}
    for cohort, positions in members.items():
        matching = [r for r in rules if r.matches(cohort)]
        whole_year = tuple(shift_range(instance, positions))
        if not matching:
            out[cohort] = (0,) if only_listed else whole_year
            continue
        top = max(r.specificity for r in matching)
        chosen = [r for r in matching if r.specificity == top]
        if len(chosen) > 1:
            raise InputError(f"cohort {cohort} is matched by rows {chosen[0].row} and {chosen[1].row} "
                             "alike; make one of them more specific", file=file, row=chosen[1].row)
        rule = chosen[0]
        used.add(rule.row)
        lists = [[index[p] for p in student_periods(instance, instance.students[i])]
                 for i in positions.tolist()]
        out[cohort] = tuple(
            o for o in whole_year
            if o == 0 or all(instance.period_ids[q + o] in rule.periods for ranks in lists for q in ranks)
        )
    for rule in rules:
        if rule.row not in used and not any(rule.matches(c) for c in members):
            raise InputError("no cohort of the instance matches this row", file=file, row=rule.row)
    return out
