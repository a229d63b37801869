"""Where a planner allows cohorts to move: the offsets the allowed-periods rules leave.

The rules are the rows of the allowed-periods file (:mod:`matcher.io.allowed_file`
reads it and describes its format). A cohort follows the most specific rule
that matches it (the one naming the most of school, crebo and year); two
equally specific rules for one cohort are an error, and so is a rule that
matches no cohort (a typo, most likely). A cohort may shift by an offset when
every period of every student's shifted list is in the rule's ``periods``;
staying as today (offset 0) is always allowed. Cohorts no rule matches may
shift anywhere within the school year, or stay as today with ``only_listed``.
"""

from __future__ import annotations

from matcher.errors import InputError
from matcher.io.allowed_file import AllowedRule
from matcher.plan.cohorts import Cohort, cohort_members, shift_range, student_periods
from models import Instance


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
