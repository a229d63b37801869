"""Decisions between two rounds as arrays: confirmed placements, declined pairs, withdrawn students,
and the placements of the previous round.

``docs/model.md`` ("Rounds") fixes the meaning. In the engine a confirmed
placement is a candidate arc of capacity 0 that the result always takes: it
is costed, labelled and counted like any placement, while the network's
capacities are what the confirmed students leave. Declined pairs and
withdrawn students get no arc. With ``keep_previous = "never_move"`` a
previous placement that is still a candidate and still fits is *held*: from
then on it is fixed exactly as a confirmed one (:func:`hold_previous`). With
``"fewest_moves"`` the network prices keeping one (:func:`keep_bonus`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from matcher.engine.csr import distinct
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
    # The previous round (``--previous``): its vacancy and period per student (-1: none, or gone), and
    # which students :func:`hold_previous` fixed there (their confirmed_* are then the previous place).
    previous_vacancy: np.ndarray
    previous_period: np.ndarray
    held: np.ndarray
    # Whether the instance has decisions: only then do the outputs show them (a confirmed column, counts),
    # so that a round with an earlier result alone writes the files an unchanged match writes.
    decisions_given: bool = True

    @property
    def confirmed(self) -> np.ndarray:
        """Per student: whether it is fixed (confirmed, or a previous placement held by ``never_move``)."""
        return self.confirmed_vacancy >= 0

    @property
    def confirmed_by_decision(self) -> np.ndarray:
        """Per student: whether ``decisions.csv`` confirms it (not a held previous placement)."""
        return self.confirmed & ~self.held

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
    """The decisions and the previous placements of ``instance`` as index arrays; ``None`` without either
    (the match is as it was)."""
    if not instance.decisions and not instance.previous:
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
    keys = distinct(np.concatenate(declined)) if declined else np.zeros(0, dtype=np.int64)
    previous_vacancy = np.full(n_s, -1, dtype=np.int64)
    previous_period = np.full(n_s, -1, dtype=np.int64)
    if instance.previous:  # a student, vacancy or period gone from the input keeps -1
        ids = pd.DataFrame([(p.student_id, p.vacancy_id, p.period_id) for p in instance.previous])
        s, v, p = (pd.Series(ids[k]).map(index).fillna(-1).to_numpy(np.int64)
                   for k, index in enumerate((student_index, vacancy_index, period_index)))
        known = (s >= 0) & (v >= 0) & (p >= 0)
        previous_vacancy[s[known]], previous_period[s[known]] = v[known], p[known]
    return Decided(vacancy, period, withdrawn, withdrawn_on, keys, previous_vacancy, previous_period,
                   np.zeros(n_s, dtype=bool), bool(instance.decisions))


def previous_arcs(decided: Decided | None, candidates) -> np.ndarray:
    """Per candidate arc: whether it is its student's previous placement (and the student is not fixed)."""
    if decided is None:
        return np.zeros(len(candidates), dtype=bool)
    s = candidates.student
    return ((decided.previous_vacancy[s] == candidates.vacancy) & (decided.previous_period[s] == candidates.period)
            & ~decided.confirmed[s])


def keep_bonus(problem, candidates, policy) -> int:
    """What the network takes off the cost of an arc that keeps a previous placement (``fewest_moves``).

    More than any two placements' secondary costs can differ: every placed
    student pays at most the dearest arc plus a duo partner's cost, so with
    the supplies fixed at the most weighted placements the min-cost flow keeps
    the most previous placements first and minimises the secondary cost among
    those (lexicographic, exact). 0 when nothing is to be kept this way.
    """
    decided = problem.decided
    if policy.keep_previous != "fewest_moves" or decided is None or not (decided.previous_vacancy >= 0).any():
        return 0
    dearest = int(candidates.cost.max()) if len(candidates) else 0
    return 1 + problem.n_students * (dearest + policy.costs.duo_partner)


def hold_previous(problem, candidates, policy):
    """With ``keep_previous = "never_move"``: fix every previous placement that is still possible.

    A previous placement is still possible when its arc is a candidate (the
    vacancy and period are there, the pair is eligible and not declined, the
    student is neither confirmed nor withdrawn) and it fits in what the
    confirmed placements leave; where fewer places (or guidance, supervisor,
    company room) are left than previous students, the first by student id
    stay. Held students are fixed like confirmed ones: their other arcs go.

    Returns
    -------
    (Problem, Candidates)
        ``problem`` with the held placements in its decisions, and the arcs left.
    """
    from dataclasses import replace

    decided = problem.decided
    if policy.keep_previous != "never_move" or decided is None:
        return problem, candidates
    arcs = np.flatnonzero(previous_arcs(decided, candidates))  # ascending, so by student id
    arcs = arcs[_fitting(problem, candidates.student[arcs], candidates.vacancy[arcs].astype(np.int64),
                         candidates.period[arcs].astype(np.int64))]
    s = candidates.student[arcs]
    held = np.zeros(problem.n_students, dtype=bool)
    held[s] = True
    keep = ~held[candidates.student]
    keep[arcs] = True
    vacancy, period = decided.confirmed_vacancy.copy(), decided.confirmed_period.copy()
    vacancy[s], period[s] = candidates.vacancy[arcs], candidates.period[arcs]
    problem = replace(problem, decided=replace(decided, confirmed_vacancy=vacancy, confirmed_period=period,
                                               held=held))
    kept = np.flatnonzero(keep)
    fields = {name: getattr(candidates, name)[kept]
              for name in ("student", "vacancy", "period", "travel_min", "wish_rank", "period_rank", "cost")}
    return problem, replace(candidates, **fields)


def _fitting(problem, s: np.ndarray, v: np.ndarray, p: np.ndarray) -> np.ndarray:
    """Which of the placements (s, v, p), sorted by student, fit together, the first ones first, in what the
    confirmed placements leave."""
    from matcher.engine.reasons import count_loads  # reasons imports problem, which imports this module

    decided = problem.decided
    fixed = np.flatnonzero(decided.confirmed)
    loads = count_loads(problem, fixed, decided.confirmed_vacancy[fixed], decided.confirmed_period[fixed])
    n_p = problem.n_periods
    places = np.where(problem.v_duo, 2 * problem.v_places, problem.v_places)[:, None] - loads.vp
    guidance = problem.v_guidance_places[:, None] - loads.vp_guided
    supervisor = problem.v_supervisor[v]
    limited_sup = supervisor >= 0
    limited_sup[limited_sup] = problem.supervisor_capacity[supervisor[limited_sup]] >= 0
    company = problem.v_company[v]
    limited_comp = problem.company_max_students[company] >= 0
    unlimited = np.iinfo(np.int64).max
    rules = [  # (applies, group, room left in the group) per placement
        (np.ones(len(s), bool), v * n_p + p, places.ravel()),
        (problem.s_guidance[s], v * n_p + p, guidance.ravel()),
        (limited_sup, np.where(limited_sup, supervisor, 0) * n_p + p,
         np.where(problem.supervisor_capacity[:, None] >= 0,
                  problem.supervisor_capacity[:, None] - loads.supervisor, unlimited).ravel()),
        (limited_comp, company * n_p + p,
         np.where(problem.company_max_students[:, None] >= 0,
                  problem.company_max_students[:, None] - loads.company, unlimited).ravel()),
    ]
    fits = np.ones(len(s), dtype=bool)
    for applies, group, room in rules:
        counted = np.flatnonzero(fits & applies)
        order = counted[np.argsort(group[counted], kind="stable")]
        keys = group[order]
        starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]]) if len(keys) else np.zeros(0, np.int64)
        rank = np.arange(len(keys)) - np.repeat(starts, np.diff(np.r_[starts, len(keys)]))
        fits[order[rank >= room[keys]]] = False
    return fits


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

