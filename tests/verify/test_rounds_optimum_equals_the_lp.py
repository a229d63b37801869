"""With decisions between two matches, the engine reaches the LP's optimum and the checker accepts it.

docs/model.md, "Rounds": confirmed students fixed where they were confirmed,
using capacities; declined pairs never proposed; withdrawn students neither
placed nor seeking. The reference shares nothing with the engine: the
checker's scalar rules enumerate the candidates and HiGHS solves the
lexicographic LP (``tests/support/reference.py``, ``matcher/verify/lp.py``).
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from matcher import solve
from matcher.verify.checker import (
    PLACEMENT_COLUMNS,
    UNPLACED_COLUMNS,
    Decisions,
    check_result,
    format_report,
    is_eligible,
    needs_extra_guidance,
    secondary_cost,
    student_weight,
    travel_minutes,
    travel_overrides,
    wish_position,
)
from models import Policy
from tests.support.random_instances import random_decisions, random_instance
from tests.support.reference import brute_force_candidates, reference_optimum

SEEDS = range(60)
POLICY = Policy()


def rounds_instance(seed: int):
    return random_decisions(random_instance(seed, n_students=30, n_vacancies=15), seed)


@pytest.mark.parametrize("seed", SEEDS)
def test_rounds_optimum_equals_the_lp(seed):
    instance = rounds_instance(seed)
    result = solve(instance, POLICY)
    assert (result.weighted_placed, result.secondary_cost) == reference_optimum(instance, POLICY)


@pytest.mark.parametrize("seed", SEEDS)
def test_rounds_result_passes_the_checker(tmp_path, seed):
    instance = rounds_instance(seed)
    solve(instance, POLICY).write(tmp_path / "result")
    report = check_result(instance, tmp_path / "result", POLICY)
    assert report.ok, format_report(report)
    assert report.n_placed + report.n_unplaced == len(instance.students)


@pytest.mark.parametrize("seed", SEEDS[:10])
def test_summary_counts_withdrawn_students_apart(tmp_path, seed):
    # docs/model.md: the summary counts a withdrawn student as withdrawn, not as unplaced.
    instance = rounds_instance(seed)
    result = solve(instance, POLICY)
    withdrawn = Decisions.of(instance).withdrawn
    unplaced = pd.read_csv(result.write(tmp_path / "result") / "unplaced.csv", dtype=str)
    seeking = unplaced[~unplaced["student_id"].isin(withdrawn)]
    assert result.summary["counts"]["unplaced"] == len(seeking)
    assert result.summary["counts"]["placed"] == result.n_placed


def test_the_random_decisions_exercise_every_kind():
    """Guards the test above from passing vacuously: across its instances there are confirmed
    placements that eligibility alone would refuse, duo vacancy-periods with more confirmed
    students than places, confirmations naming no period, guided confirmed students (on guidance
    places), declines of eligible pairs, by vacancy and by company, and withdrawals."""
    seen = {"confirmed": 0, "confirmed ineligible": 0, "confirmed beyond places": 0, "unnamed period": 0,
            "confirmed guided": 0, "declined vacancy": 0, "declined company": 0, "withdrawn": 0}
    for seed in SEEDS:
        instance = rounds_instance(seed)
        overrides = travel_overrides(instance)
        students = {s.student_id: s for s in instance.students}
        vacancies = {v.vacancy_id: v for v in instance.vacancies}
        decisions = Decisions.of(instance)
        at: dict[tuple[str, str], int] = {}
        for sid, (vid, pid) in decisions.confirmed.items():
            seen["confirmed"] += 1
            seen["confirmed ineligible"] += not is_eligible(students[sid], vacancies[vid], pid, instance, POLICY,
                                                            overrides)
            at[(vid, pid)] = at.get((vid, pid), 0) + 1
        seen["confirmed beyond places"] += sum(n > vacancies[vid].places for (vid, _), n in at.items())
        seen["unnamed period"] += sum(d.decision == "confirmed" and d.period_id is None for d in instance.decisions)
        seen["declined vacancy"] += len(decisions.declined_vacancies)
        seen["declined company"] += len(decisions.declined_companies)
        seen["withdrawn"] += len(decisions.withdrawn)
        seen["confirmed guided"] += sum(needs_extra_guidance(students[sid], POLICY) for sid in decisions.confirmed)
    assert all(n >= 5 for n in seen.values()), seen


def write_lp_solution(instance, table, x, folder):
    """The LP's (integral) solution written as a result folder by docs/model.md's output
    conventions, with the checker's scalar rules; unplaced students get a reason of the
    vocabulary (the checker does not judge which)."""
    decisions = Decisions.of(instance)
    students = {s.student_id: s for s in instance.students}
    vacancies = {v.vacancy_id: v for v in instance.vacancies}
    overrides = travel_overrides(instance)
    arrays = table.lp_arrays
    at: dict[tuple[str, str], list[str]] = {}
    for c in np.flatnonzero(np.round(x) == 1):
        at.setdefault(table.vp_keys[arrays["cand_vp"][c]], []).append(table.student_ids[arrays["cand_student"][c]])
    rows = []
    for (vid, pid), members in at.items():
        vacancy, n = vacancies[vid], len(members)
        sharing = min(n, 2 * max(0, n - vacancy.places)) if vacancy.duo else 0
        partners = min(n, max(0, n - vacancy.places)) if vacancy.duo else 0
        for index, sid in enumerate(sorted(members)):
            student = students[sid]
            minutes = travel_minutes(student, vacancy, POLICY, overrides)
            position = wish_position(student, vacancy)
            cost = secondary_cost(student, vacancy, pid, minutes, POLICY)
            rows.append({"student_id": sid, "school_id": student.school_id, "vacancy_id": vid,
                         "company_id": vacancy.company_id, "supervisor_id": vacancy.supervisor_id or "",
                         "period_id": pid, "travel_min": minutes,
                         "duo": "true" if index >= n - sharing else "false",
                         "wish_rank": "" if position is None else position + 1,
                         "cost": cost + (POLICY.costs.duo_partner if index >= n - partners else 0),
                         "confirmed": "true" if decisions.is_confirmed(sid, vid, pid) else "false"})
    placed = {row["student_id"] for row in rows}
    unplaced = [{"student_id": s.student_id, "school_id": s.school_id,
                 "reason": "withdrawn" if s.student_id in decisions.withdrawn else "capacity_taken", "detail": ""}
                for s in instance.students if s.student_id not in placed]
    folder.mkdir(parents=True)
    pd.DataFrame(rows, columns=[*PLACEMENT_COLUMNS, "confirmed"]).sort_values("student_id").to_csv(
        folder / "placements.csv", index=False)
    pd.DataFrame(unplaced, columns=list(UNPLACED_COLUMNS)).to_csv(folder / "unplaced.csv", index=False)
    weighted = sum(student_weight(students[s], POLICY) for s in placed)
    total = sum(row["cost"] for row in rows)
    (folder / "summary.json").write_text(json.dumps({"objective": {"weighted_placed": weighted,
                                                                   "secondary_cost": total}}))
    return weighted, total


@pytest.mark.parametrize("seed", SEEDS[:20])
def test_the_lp_solution_written_as_a_result_passes_the_checker(tmp_path, seed):
    # The LP and the checker read the rounds model alike, without the engine: the LP's optimal
    # solution, written out, is a valid result whose recomputed objective is the LP's.
    instance = rounds_instance(seed)
    table = brute_force_candidates(instance, POLICY)
    solution = table.solve()
    assert solution.status == "optimal"
    assert np.allclose(solution.x, np.round(solution.x), atol=1e-6)  # a vertex of an integral polytope
    written = write_lp_solution(instance, table, solution.x, tmp_path / "result")
    assert written == (round(solution.weighted_placed), round(solution.secondary_cost))
    report = check_result(instance, tmp_path / "result", POLICY)
    assert report.ok, format_report(report)
