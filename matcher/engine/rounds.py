"""Decisions between two rounds as arrays: confirmed placements, declined pairs, withdrawn students.

``docs/model.md`` ("Rounds") fixes the meaning. In the engine a confirmed
placement is a candidate arc of capacity 0 that the result always takes: it
is costed, labelled and counted like any placement, while the network's
capacities are what the confirmed students leave (:func:`confirmed_loads`).
Declined pairs and withdrawn students get no arc.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from matcher.errors import InputError
from models import DecisionKind, Instance

DECLINES = (DecisionKind.DECLINED_BY_STUDENT, DecisionKind.DECLINED_BY_COMPANY)


@dataclass(frozen=True, eq=False)
class Decided:
    """Per student: confirmed at ``confirmed_vacancy``/``confirmed_period`` (-1: not confirmed), withdrawn
    (with its date, or ``""``); and the declined pairs as sorted :func:`pair_keys` (which stay valid when an
    analysis appends vacancies, as remedies do for recruited ones)."""

    confirmed_vacancy: np.ndarray
    confirmed_period: np.ndarray
    withdrawn: np.ndarray
    withdrawn_on: np.ndarray
    declined: np.ndarray

    @property
    def confirmed(self) -> np.ndarray:
        """Per student: whether it is confirmed."""
        return self.confirmed_vacancy >= 0

    def without_arc(self, s: np.ndarray, v: np.ndarray) -> np.ndarray:
        """Per pair: the match may not propose it (its student is confirmed or withdrawn, or it is declined)."""
        declined = np.isin(pair_keys(s, v), self.declined) if len(self.declined) else False
        return self.confirmed[s] | self.withdrawn[s] | declined


def pair_keys(s: np.ndarray, v: np.ndarray) -> np.ndarray:
    """One int64 per (student, vacancy) pair."""
    return (np.asarray(s, dtype=np.int64) << 32) | np.asarray(v, dtype=np.int64)


def decided_arrays(instance: Instance, student_index: dict[str, int], vacancy_index: dict[str, int],
                   period_index: dict[str, int], company_index: dict[str, int],
                   vacancy_company: np.ndarray) -> Decided | None:
    """The decisions of ``instance`` as index arrays; ``None`` without decisions (the match is as it was)."""
    if not instance.decisions:
        return None
    n_s = len(student_index)
    vacancy = np.full(n_s, -1, dtype=np.int64)
    period = np.full(n_s, -1, dtype=np.int64)
    withdrawn = np.zeros(n_s, dtype=bool)
    withdrawn_on = np.full(n_s, "", dtype=object)
    declined: list[np.ndarray] = []
    only_period = next(iter(period_index)) if len(period_index) == 1 else None
    for d in instance.decisions:
        s = student_index[d.student_id]
        if d.decision == DecisionKind.CONFIRMED:
            vacancy[s] = vacancy_index[d.vacancy_id]
            period[s] = period_index[d.period_id or only_period]
        elif d.decision == DecisionKind.WITHDRAWN:
            withdrawn[s] = True
            withdrawn_on[s] = d.decided_on.isoformat() if d.decided_on else ""
        elif d.vacancy_id is not None:
            declined.append(pair_keys([s], [vacancy_index[d.vacancy_id]]))
        else:
            at_company = np.flatnonzero(vacancy_company == company_index[d.company_id])
            declined.append(pair_keys(np.full(len(at_company), s), at_company))
    keys = np.unique(np.concatenate(declined)) if declined else np.zeros(0, dtype=np.int64)
    return Decided(vacancy, period, withdrawn, withdrawn_on, keys)


def check_confirmed_fit(problem) -> None:
    """Refuse confirmed placements that alone exceed a capacity: no match can honour them.

    Raises
    ------
    InputError
        Naming the vacancy (or supervisor, company) and the period.
    """
    decided = problem.decided
    if decided is None or not decided.confirmed.any():
        return
    s = np.flatnonzero(decided.confirmed)
    v, p = decided.confirmed_vacancy[s], decided.confirmed_period[s]
    from matcher.engine.reasons import count_loads  # reasons imports problem, which imports this module

    loads = count_loads(problem, s, v, p)
    cap = np.where(problem.v_duo, 2 * problem.v_places, problem.v_places)[:, None]
    checks = [(loads.vp > cap, "places at vacancy", problem.vacancy_ids),
              (loads.vp_guided > problem.v_guidance_places[:, None], "extra-guidance places at vacancy",
               problem.vacancy_ids)]
    limited = problem.supervisor_capacity >= 0
    checks.append((limited[:, None] & (loads.supervisor > problem.supervisor_capacity[:, None]),
                   "students of supervisor", problem.supervisor_ids))
    limited = problem.company_max_students >= 0
    checks.append((limited[:, None] & (loads.company > problem.company_max_students[:, None]),
                   "students at company", problem.company_ids))
    for over, what, ids in checks:
        if over.any():
            entity, per = map(int, np.argwhere(over)[0])
            raise InputError(f"more confirmed students than {what} {ids[entity]} allows in period "
                             f"{problem.period_ids[per]}: no match can keep them all", file="decisions.csv")

