"""Why a student is unplaced: the first filter stage that left nothing (SPEC order).

SPEC's codes, with one added where SPEC's would not be true:
``no_places_offered`` (eligible vacancies within reach exist, but every one
offers 0 places) comes before ``capacity_taken``, which says that places
were taken by others. With decisions (rounds), ``declined`` (the places that
fit were all declined) and ``withdrawn`` (the student left the search).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from matcher.engine.candidates import (
    EXCLUDED_BY_ACCESSIBILITY,
    EXCLUDED_BY_GUIDANCE,
    EXCLUDED_BY_LEVEL,
    Candidates,
)
from matcher.engine.problem import UNLIMITED, Problem
from matcher.geo.travel import MODES

REASONS: tuple[str, ...] = (
    "no_recognised_vacancy",
    "out_of_reach",
    "no_period",
    "level_or_guidance",
    "no_places_offered",
    "capacity_taken",
    "supervision_full",
    "declined",  # rounds (docs/model.md): every place that fits was declined
    "withdrawn",  # rounds: the student left the search
)
ROUNDS_REASONS = REASONS[-2:]  # only with decisions


def reported_reasons(codes) -> tuple[str, ...]:
    """The reason codes a table or chart lists for the unplaced students' ``codes``: the rounds' codes
    only when some student has one (a match without decisions reads as it always did)."""
    present = set(codes)
    return tuple(r for r in REASONS if r not in ROUNDS_REASONS or r in present)

(_NO_RECOGNISED, _OUT_OF_REACH, _NO_PERIOD, _LEVEL_OR_GUIDANCE, _NO_PLACES, _TAKEN, _SUPERVISION, _DECLINED,
 _WITHDRAWN) = range(9)

# What excludes a reachable vacancy, per bit of Candidates.excluded_by: (plural, singular).
_EXCLUSIONS = (
    (EXCLUDED_BY_LEVEL, "do not accept level {level}", "does not accept level {level}"),
    (EXCLUDED_BY_ACCESSIBILITY, "are not accessible, which the student needs",
     "is not accessible, which the student needs"),
    (EXCLUDED_BY_GUIDANCE, "have no extra-guidance place, which the student needs",
     "has no extra-guidance place, which the student needs"),
)


def excluded_detail(excluded_by: int, level: int) -> str:
    """The ``level_or_guidance`` detail: which of level, accessibility and extra
    guidance exclude the student's reachable vacancies.

    Parameters
    ----------
    excluded_by
        Or-ed ``EXCLUDED_BY_*`` bits (:class:`matcher.engine.candidates.Candidates`).
    level
        The student's level.
    """
    rules = [(plural, singular) for bit, plural, singular in _EXCLUSIONS if excluded_by & bit]
    where = "recognised vacanc{} within reach in the student's periods"
    if len(rules) == 1:
        return f"the {where.format('ies')} {rules[0][0].format(level=level)}"
    said = [singular.format(level=level) for _, singular in rules]
    return f"each {where.format('y')} {', '.join(said[:-1])} or {said[-1]}"


@dataclass(frozen=True, eq=False)
class Loads:
    """Students placed per vacancy-period, per supervisor-period and per company-period."""

    vp: np.ndarray
    vp_guided: np.ndarray
    supervisor: np.ndarray
    company: np.ndarray


def count_loads(problem: Problem, student: np.ndarray, vacancy: np.ndarray, period: np.ndarray) -> Loads:
    """Count the placed students at every capacity, as dense (entity × period) arrays."""
    n_p = problem.n_periods
    vp = np.zeros((problem.n_vacancies, n_p), dtype=np.int64)
    guided = np.zeros_like(vp)
    np.add.at(vp, (vacancy, period), 1)
    np.add.at(guided, (vacancy[problem.s_guidance[student]], period[problem.s_guidance[student]]), 1)
    sup = np.zeros((len(problem.supervisor_ids), n_p), dtype=np.int64)
    has_sup = problem.v_supervisor[vacancy] >= 0
    np.add.at(sup, (problem.v_supervisor[vacancy][has_sup], period[has_sup]), 1)
    comp = np.zeros((len(problem.company_ids), n_p), dtype=np.int64)
    np.add.at(comp, (problem.v_company[vacancy], period), 1)
    return Loads(vp, guided, sup, comp)


def unplaced_reasons(
    problem: Problem, candidates: Candidates, unplaced: np.ndarray, loads: Loads
) -> tuple[np.ndarray, list[str]]:
    """Reason index (into :data:`REASONS`) and a detail text per unplaced student.

    Parameters
    ----------
    problem, candidates
        The problem and its eligible arcs.
    unplaced
        Indices of the unplaced students, ascending.
    loads
        Placed students per capacity, from the optimal matching.
    """
    reason = np.full(len(unplaced), _TAKEN, dtype=np.int8)
    reason[~candidates.has_places[unplaced]] = _NO_PLACES
    reason[~candidates.has_eligible[unplaced]] = _LEVEL_OR_GUIDANCE
    reason[~candidates.has_period[unplaced]] = _NO_PERIOD
    reason[~candidates.has_reachable[unplaced]] = _OUT_OF_REACH
    reason[~candidates.has_recognised[unplaced]] = _NO_RECOGNISED
    decided = problem.decided
    if decided is not None:
        # Places fit but the student has no arc left: the decisions took them all.
        no_arc = np.bincount(candidates.student, minlength=problem.n_students)[unplaced] == 0
        reason[(reason == _TAKEN) & no_arc] = _DECLINED
        reason[decided.withdrawn[unplaced]] = _WITHDRAWN

    # Among students with arcs: is some vacancy-period free at the vacancy level?
    arc_of = np.isin(candidates.student, unplaced[reason == _TAKEN])
    s, v, p = candidates.student[arc_of], candidates.vacancy[arc_of], candidates.period[arc_of]
    cap = np.where(problem.v_duo[v], 2 * problem.v_places[v], problem.v_places[v])
    free = (loads.vp[v, p] < cap) & (
        ~problem.s_guidance[s] | (loads.vp_guided[v, p] < problem.v_guidance_places[v])
    )
    free_students, first = np.unique(s[free], return_index=True)
    first_free = dict(zip(free_students.tolist(), zip(v[free][first].tolist(), p[free][first].tolist())))

    details = []
    for k, student in enumerate(unplaced):
        code = reason[k]
        crebo = problem.crebos[problem.s_crebo[student]]
        pathway = "BOL" if problem.s_pathway_bit[student] == 1 else "BBL"
        if code == _NO_RECOGNISED:
            text = f"no vacancy anywhere is recognised for crebo {crebo} ({pathway})"
        elif code == _OUT_OF_REACH:
            mode = MODES[problem.s_mode[student]].value
            text = f"no recognised vacancy within {problem.s_limit[student]} min by {mode}"
        elif code == _NO_PERIOD:
            text = "recognised vacancies within reach offer none of the student's periods"
        elif code == _LEVEL_OR_GUIDANCE:
            text = excluded_detail(int(candidates.excluded_by[student]), int(problem.s_level[student]))
        elif code == _NO_PLACES:
            text = ("the vacancies within reach that the student could take (crebo, pathway, period, "
                    "level, accessibility, extra guidance) all offer 0 places")
        elif code == _DECLINED:
            text = "every place that fits the student was declined, by the student or by the company"
        elif code == _WITHDRAWN:
            on = problem.decided.withdrawn_on[student]
            text = f"withdrew from the search on {on}" if on else "withdrew from the search"
        elif int(student) in first_free:
            reason[k] = _SUPERVISION
            vac, per = first_free[int(student)]
            sup = problem.v_supervisor[vac]
            comp = problem.v_company[vac]
            if sup >= 0 and problem.supervisor_capacity[sup] != UNLIMITED and (
                loads.supervisor[sup, per] >= problem.supervisor_capacity[sup]
            ):
                who = f"supervisor {problem.supervisor_ids[sup]}"
            else:
                who = f"company {problem.company_ids[comp]}"
            text = (
                f"vacancy {problem.vacancy_ids[vac]} has a free place in period "
                f"{problem.period_ids[per]} but {who} is full"
            )
        else:
            text = "every eligible place within reach is taken by other students"
        details.append(text)
    return reason, details
