"""Why a student is unplaced: the first filter stage that left nothing (SPEC order)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from matcher.candidates import Candidates
from matcher.problem import MODES, UNLIMITED, Problem

REASONS: tuple[str, ...] = (
    "no_recognised_vacancy",
    "out_of_reach",
    "no_period",
    "level_or_guidance",
    "capacity_taken",
    "supervision_full",
)


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
    reason = np.full(len(unplaced), 4, dtype=np.int8)
    reason[~candidates.has_eligible[unplaced]] = 3
    reason[~candidates.has_period[unplaced]] = 2
    reason[~candidates.has_reachable[unplaced]] = 1
    reason[~candidates.has_recognised[unplaced]] = 0

    # Among eligible students: is some vacancy-period free at the vacancy level?
    arc_of = np.isin(candidates.student, unplaced[reason == 4])
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
        if code == 0:
            text = f"no vacancy anywhere is recognised for crebo {crebo} ({pathway})"
        elif code == 1:
            mode = MODES[problem.s_mode[student]].value
            text = f"no recognised vacancy within {problem.s_limit[student]} min by {mode}"
        elif code == 2:
            text = "recognised vacancies within reach offer none of the student's periods"
        elif code == 3:
            text = "vacancies within reach exclude the student's level, extra guidance or accessibility need"
        elif int(student) in first_free:
            reason[k] = 5
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
            text = "every eligible place within reach is taken"
        details.append(text)
    return reason, details
