"""The checker fixture with decisions between two matches, and a hand-made valid result.

:func:`rounds_instance` is :func:`tests.support.checker_fixtures.valid_instance`
with ``decisions.csv`` (docs/model.md, "Rounds"):

* confirmed: st01 at X_far in P1 (75 min, beyond its 60: exempt from the travel
  limit), st03 at VB in P1 (eligible; guided, under supervisor S1 and company
  C1), st09 at X_crebo in P1 (crebo 23200 only: exempt from the crebo rule),
  st12 at VC in P1 (a duo vacancy: the last of three by id, so a paying duo
  partner);
* declined: st02 declines VA (by the student), C4 declines st08 at VH (by the
  company, a vacancy), C1 declines st06 (by the company, the company: VA and
  VB), st08 declines C2 (by the student, a company: VC and VI);
* withdrawn: st10 (dated).

:class:`RoundsResult` is the valid result: the checker fixture's, with st01
moved to X_far, st09 placed on X_crebo, st10 (withdrawn) listed unplaced as
``withdrawn``, and the column ``confirmed``. Costs (default policy):

  st01 X_far P1: 75 (the st01 -> X_far row)             = 75
  st02 VB P1: 25 + 10 (C1, its 2nd wish) + 15 (P1 2nd)  = 50
  st03 VB P1: 30 (3512 -> VB)                           = 30
  VC P1 (2 duo places): st04 20, st05 20 (duo), st12 20 + 30 (duo, pays)
  st06 VD P2 20, st07 VE P2 ST07_MINUTES, st08 VG P1 20, st09 X_crebo P1 20

Weights: st01 and st03 are priority (3), the other eight 2.
"""

from __future__ import annotations

import copy
from datetime import date

from matcher.verify.checker import CONFIRMED_COLUMN, PLACEMENT_COLUMNS
from models.instance import Decision, Instance
from tests.support.checker_fixtures import ST07_MINUTES, Result, _placement, valid_instance

CONFIRMED = {"st01": ("X_far", "P1"), "st03": ("VB", "P1"), "st09": ("X_crebo", "P1"), "st12": ("VC", "P1")}
WITHDRAWN_ON = date(2025, 9, 15)


def rounds_decisions() -> tuple[Decision, ...]:
    """The fixture's decisions (see the module docstring)."""
    confirmed = tuple(Decision(student_id=s, vacancy_id=v, period_id=p, decision="confirmed")
                      for s, (v, p) in CONFIRMED.items())
    return confirmed + (
        Decision(student_id="st02", vacancy_id="VA", decision="declined_by_student"),
        Decision(student_id="st08", vacancy_id="VH", decision="declined_by_company"),
        Decision(student_id="st06", company_id="C1", decision="declined_by_company"),
        Decision(student_id="st08", company_id="C2", decision="declined_by_student"),
        Decision(student_id="st10", decision="withdrawn", decided_on=WITHDRAWN_ON),
    )


def rounds_instance(**tables) -> Instance:
    """The checker fixture instance with the decisions (and ``tables`` replaced)."""
    return valid_instance().model_copy(update={"decisions": rounds_decisions(), **tables})


ROUNDS_WEIGHTED_PLACED = 3 + 3 + 8 * 2
ROUNDS_SECONDARY_COST = 75 + 50 + 30 + 20 + 20 + 50 + 20 + ST07_MINUTES + 20 + 20


def _row(*values, confirmed: bool) -> dict:
    return {**_placement(*values), CONFIRMED_COLUMN: "true" if confirmed else "false"}


_PLACEMENTS = [
    _row("st01", "SA", "X_far", "CX", "", "P1", 75, False, "", 75, confirmed=True),
    _row("st02", "SA", "VB", "C1", "S1", "P1", 25, False, "2", 50, confirmed=False),
    _row("st03", "SB", "VB", "C1", "S1", "P1", 30, False, "", 30, confirmed=True),
    _row("st04", "SA", "VC", "C2", "", "P1", 20, False, "", 20, confirmed=False),
    _row("st05", "SB", "VC", "C2", "", "P1", 20, True, "", 20, confirmed=False),
    _row("st06", "SA", "VD", "C3", "", "P2", 20, False, "", 20, confirmed=False),
    _row("st07", "SA", "VE", "C3", "", "P2", ST07_MINUTES, False, "", ST07_MINUTES, confirmed=False),
    _row("st08", "SA", "VG", "C4", "", "P1", 20, False, "", 20, confirmed=False),
    _row("st09", "SA", "X_crebo", "CX", "", "P1", 20, False, "", 20, confirmed=True),
    _row("st12", "SA", "VC", "C2", "", "P1", 20, True, "", 50, confirmed=True),
]
_UNPLACED = [{"student_id": "st10", "school_id": "SA", "reason": "withdrawn",
              "detail": f"withdrawn on {WITHDRAWN_ON.isoformat()}"}]


class RoundsResult(Result):
    """The valid result of :func:`rounds_instance`, with the ``confirmed`` column."""

    placement_columns = (*PLACEMENT_COLUMNS, CONFIRMED_COLUMN)

    def __init__(self):
        super().__init__()
        self.placements = copy.deepcopy(_PLACEMENTS)
        self.unplaced = copy.deepcopy(_UNPLACED)
        self.summary = {"objective": {"weighted_placed": ROUNDS_WEIGHTED_PLACED,
                                      "secondary_cost": ROUNDS_SECONDARY_COST}}

    def unplace(self, student_id: str, reason: str, weight: int) -> None:
        """Move the student's row from placements.csv to unplaced.csv, and out of the objective."""
        row = self.placement(student_id)
        self.placements.remove(row)
        self.unplaced.append({"student_id": student_id, "school_id": row["school_id"], "reason": reason,
                              "detail": ""})
        self.unplaced.sort(key=lambda r: r["student_id"])
        self.add_to_objective(-weight, -int(row["cost"]))
