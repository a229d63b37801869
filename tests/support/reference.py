"""Reference optimum by brute force: the checker's scalar rules feed the LP.

Nothing here uses the engine. Every student x vacancy x period triple is tested
with :func:`matcher.verify.checker.is_eligible`, the eligible ones become candidates,
and :func:`matcher.verify.lp.lexicographic_lp` solves the lexicographic LP, whose
values are the integer optimum (see ``matcher/verify/lp.py``). Quadratic in the
instance size, so for small test instances only.

Decisions between two matches (docs/model.md, "Rounds") as the checker reads
them (:class:`matcher.verify.checker.Decisions`): a withdrawn student has no
candidate; a confirmed student has exactly one, its confirmed (vacancy, period)
whatever the eligibility rules say, fixed to 1 (``forced``), so it counts in
every capacity row and in the duo cost of its vacancy-period like any placed
student; a declined (student, vacancy) or (student, company) pair is no
candidate in any period.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from matcher.verify.checker import (
    Decisions,
    is_eligible,
    needs_extra_guidance,
    secondary_cost,
    student_weight,
    travel_minutes,
    travel_overrides,
)
from matcher.verify.lp import LPResult, lexicographic_lp
from models.instance import Instance
from models.policy import Policy


@dataclass(frozen=True)
class CandidateTable:
    """The arrays :func:`matcher.verify.lp.lexicographic_lp` takes, plus the ids they index."""

    student_ids: tuple[str, ...]
    vp_keys: tuple[tuple[str, str], ...]  # (vacancy_id, period_id) per vacancy-period
    supervisor_groups: tuple[tuple[str, str], ...]  # (supervisor_id, period_id)
    company_groups: tuple[tuple[str, str], ...]  # (company_id, period_id)
    lp_arrays: dict = field(repr=False)
    # The candidates of the confirmed placements, fixed to 1 (empty without decisions).
    confirmed: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64), repr=False)
    # The candidates that repeat a previous placement, to keep the most of (fewest_moves; else empty).
    kept: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64), repr=False)

    def solve(self) -> LPResult:
        """Run the lexicographic LP on this table, the confirmed placements fixed."""
        forced = self.confirmed if self.confirmed.size else None
        return lexicographic_lp(**self.lp_arrays, forced=forced, kept=self.kept if self.kept.size else None)


def brute_force_candidates(instance: Instance, policy: Policy) -> CandidateTable:
    """Enumerate every eligible (student, vacancy, period) with the checker's rules.

    Parameters
    ----------
    instance, policy
        The problem.

    Returns
    -------
    CandidateTable
        Candidates and capacities, indexed as :func:`matcher.verify.lp.lexicographic_lp` expects;
        with decisions, the confirmed candidates to fix (see the module docstring).
    """
    overrides = travel_overrides(instance)
    supervisor_capacity = {s.supervisor_id: s.capacity for s in instance.supervisors}
    company_capacity = {
        c.company_id: c.max_students for c in instance.companies if c.max_students is not None
    }
    vp_keys, places, guidance_places, duo, vp_sup, vp_comp = [], [], [], [], [], []
    sup_groups: dict[tuple[str, str], int] = {}
    comp_groups: dict[tuple[str, str], int] = {}
    for vacancy in instance.vacancies:
        for period_id in instance.period_ids:
            vp_keys.append((vacancy.vacancy_id, period_id))
            places.append(vacancy.places)
            guidance_places.append(
                vacancy.places if vacancy.extra_guidance_places is None
                else vacancy.extra_guidance_places
            )
            duo.append(vacancy.duo)
            sup_key = (vacancy.supervisor_id, period_id)
            vp_sup.append(
                sup_groups.setdefault(sup_key, len(sup_groups))
                if vacancy.supervisor_id in supervisor_capacity else -1
            )
            comp_key = (vacancy.company_id, period_id)
            vp_comp.append(
                comp_groups.setdefault(comp_key, len(comp_groups))
                if vacancy.company_id in company_capacity else -1
            )
    vp_index = {key: i for i, key in enumerate(vp_keys)}
    vacancies = {v.vacancy_id: v for v in instance.vacancies}

    decisions = Decisions.of(instance)

    def candidates_of(student):
        """The (vacancy-period, vacancy, period) a student may be placed at."""
        sid = student.student_id
        if sid in decisions.withdrawn:
            return
        if sid in decisions.confirmed:
            vacancy_id, period_id = decisions.confirmed[sid]
            yield vp_index[(vacancy_id, period_id)], vacancies[vacancy_id], period_id
            return
        for (vacancy_id, period_id), vp in vp_index.items():
            vacancy = vacancies[vacancy_id]
            if decisions.is_declined(sid, vacancy):
                continue
            if is_eligible(student, vacancy, period_id, instance, policy, overrides):
                yield vp, vacancy, period_id

    previous = ({p.student_id: (p.vacancy_id, p.period_id) for p in instance.previous}
                if policy.keep_previous == "fewest_moves" else {})
    cand_student, cand_vp, cand_cost, cand_guidance, confirmed, kept = [], [], [], [], [], []
    for s_index, student in enumerate(instance.students):
        guided = needs_extra_guidance(student, policy)
        for vp, vacancy, period_id in candidates_of(student):
            if student.student_id in decisions.confirmed:
                confirmed.append(len(cand_student))
            elif previous.get(student.student_id) == (vacancy.vacancy_id, period_id):
                kept.append(len(cand_student))
            minutes = travel_minutes(student, vacancy, policy, overrides)
            cand_student.append(s_index)
            cand_vp.append(vp)
            cand_cost.append(secondary_cost(student, vacancy, period_id, minutes, policy))
            cand_guidance.append(guided)

    arrays = dict(
        cand_student=np.array(cand_student, dtype=np.int64),
        cand_vp=np.array(cand_vp, dtype=np.int64),
        cand_cost=np.array(cand_cost, dtype=np.int64),
        cand_needs_guidance=np.array(cand_guidance, dtype=bool),
        weight=np.array([student_weight(s, policy) for s in instance.students], dtype=np.int64),
        vp_places=np.array(places, dtype=np.int64),
        vp_guidance_places=np.array(guidance_places, dtype=np.int64),
        vp_duo=np.array(duo, dtype=bool),
        vp_supervisor_group=np.array(vp_sup, dtype=np.int64),
        supervisor_group_capacity=np.array(
            [supervisor_capacity[s] for s, _ in sup_groups], dtype=np.int64),
        vp_company_group=np.array(vp_comp, dtype=np.int64),
        company_group_capacity=np.array(
            [company_capacity[c] for c, _ in comp_groups], dtype=np.int64),
        duo_cost=policy.costs.duo_partner,
    )
    return CandidateTable(
        student_ids=tuple(s.student_id for s in instance.students),
        vp_keys=tuple(vp_keys),
        supervisor_groups=tuple(sup_groups),
        company_groups=tuple(comp_groups),
        lp_arrays=arrays,
        confirmed=np.array(confirmed, dtype=np.int64),
        kept=np.array(kept, dtype=np.int64),
    )


def reference_optimum(instance: Instance, policy: Policy) -> tuple[int, int]:
    """The optimal (weighted_placed, secondary_cost) of ``instance`` by brute force + LP.

    Raises
    ------
    AssertionError
        When the LP does not solve to optimality or its values are not integral.
    """
    result = brute_force_candidates(instance, policy).solve()
    assert result.status == "optimal", result.status
    weighted, cost = round(result.weighted_placed), round(result.secondary_cost)
    # Total unimodularity makes both values integral; anything else is a bug.
    assert abs(result.secondary_cost - cost) < 1e-4, result.secondary_cost
    return int(weighted), int(cost)
