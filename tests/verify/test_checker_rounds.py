"""The checker with decisions between two matches (docs/model.md, "Rounds").

Each case changes the hand-made valid result of :mod:`tests.support.rounds_fixtures`
(or its instance) so that one rule breaks, and names the kind of violation the
checker must report: a row per defect, its id naming the defect. A confirmed
placement is exempt from the eligibility rules and counts towards every
capacity; results without decisions are checked as before.
"""

from __future__ import annotations

import pytest

from matcher.verify.checker import format_report
from models.instance import Company, Student, Supervisor, Vacancy
from tests.support.checker_fixtures import POLICY, Result, check, valid_instance
from tests.support.reference import reference_optimum
from tests.support.rounds_fixtures import (
    ROUNDS_SECONDARY_COST,
    ROUNDS_WEIGHTED_PLACED,
    RoundsResult,
    rounds_instance,
)


def cells(student_id: str, **columns: str):
    """Set ``columns`` of the student's row in placements.csv."""
    return lambda result: result.placement(student_id).update(columns)


def objective(weight: int, cost: int):
    """Add to summary.json's objective parts."""
    return lambda result: result.add_to_objective(weight, cost)


def unplace(student_id: str, reason: str, weight: int):
    """Move the student to unplaced.csv (see :meth:`RoundsResult.unplace`)."""
    return lambda result: result.unplace(student_id, reason, weight)


def place_withdrawn_st10(result: RoundsResult) -> None:
    """Place st10 (withdrawn; weight 2) back on VI in P1, where the first round had it."""
    result.unplaced = [r for r in result.unplaced if r["student_id"] != "st10"]
    result.placements.append({"student_id": "st10", "school_id": "SA", "vacancy_id": "VI", "company_id": "C2",
                              "supervisor_id": "", "period_id": "P1", "travel_min": "20", "duo": "false",
                              "wish_rank": "", "cost": "20", "confirmed": "false"})
    result.placements.sort(key=lambda r: r["student_id"])
    result.add_to_objective(2, 20)


def unplaced_reason(student_id: str, reason: str):
    """Set the reason of the student's row in unplaced.csv."""
    return lambda result: next(r for r in result.unplaced if r["student_id"] == student_id).update(reason=reason)


def st12_in_p2(result: RoundsResult) -> None:
    """Confirmed st12 (VC, P1) moved to VC in P2: VC P1 keeps st04 and st05 on its 2 places (no
    duo), st12 is alone in P2 and no longer pays the duo cost (30)."""
    result.placement("st12").update(period_id="P2", duo="false", cost="20")
    result.placement("st05").update(duo="false")
    result.add_to_objective(0, -30)


def replace_vacancy(vacancy_id: str, **fields):
    instance = rounds_instance()
    return tuple(Vacancy(**{**v.model_dump(), **fields}) if v.vacancy_id == vacancy_id else v
                 for v in instance.vacancies)


def replace_student(student_id: str, **fields):
    instance = rounds_instance()
    return tuple(Student(**{**s.model_dump(), **fields}) if s.student_id == student_id else s
                 for s in instance.students)


def replace_company(company_id: str, **fields):
    instance = rounds_instance()
    return tuple(Company(**{**c.model_dump(), **fields}) if c.company_id == company_id else c
                 for c in instance.companies)


def caught(id: str, *changes, kind: str, subjects: list[str] | None, **tables):
    """One case: ``changes`` to the valid result, checked against the rounds instance with
    ``tables`` replaced, make the checker report ``kind`` and no other kind, about ``subjects``."""
    return pytest.param(changes, tables, kind, subjects, id=id)


CAUGHT = [
    # confirmed_moved. st09 is confirmed at X_crebo in P1; VA (C1, S1) would take it (S1 then has 3 of 3).
    caught("confirmed_placement_moved_to_another_vacancy",
           cells("st09", vacancy_id="VA", company_id="C1", supervisor_id="S1"),
           kind="confirmed_moved", subjects=["st09"]),
    caught("confirmed_placement_in_another_period", st12_in_p2, kind="confirmed_moved", subjects=["st12"]),
    caught("confirmed_student_left_unplaced", unplace("st09", "capacity_taken", weight=2),
           kind="confirmed_moved", subjects=["st09"]),
    caught("confirmed_placement_marked_false", cells("st03", confirmed="false"),
           kind="confirmed_moved", subjects=["st03"]),
    caught("unconfirmed_placement_marked_true", cells("st05", confirmed="true"),
           kind="confirmed_moved", subjects=["st05"]),
    # declined_proposed. st02 declined VA; VA (C1, its 2nd wish, S1) costs it what VB does.
    caught("vacancy_the_student_declined", cells("st02", vacancy_id="VA"),
           kind="declined_proposed", subjects=["st02"]),
    # C4 declined st08 at VH (VG, at C4 too, is not declined).
    caught("vacancy_whose_company_declined_the_student", cells("st08", vacancy_id="VH"),
           kind="declined_proposed", subjects=["st08"]),
    # A decline holds in every period, not only in the one the proposal was for.
    caught("declined_vacancy_in_another_period", cells("st08", vacancy_id="VH", period_id="P2"),
           kind="declined_proposed", subjects=["st08"]),
    # C1 declined st06 (a company_id): VB (C1, BBL too, 3512 -> VB 30 min) is one of its vacancies.
    caught("any_vacancy_of_a_company_that_declined_the_student",
           cells("st06", vacancy_id="VB", company_id="C1", supervisor_id="S1", travel_min="30", cost="30"),
           objective(0, 10), kind="declined_proposed", subjects=["st06"]),
    # st08 declined C2: VI (C2) is free since st10 withdrew.
    caught("any_vacancy_of_a_company_the_student_declined", cells("st08", vacancy_id="VI", company_id="C2"),
           kind="declined_proposed", subjects=["st08"]),
    # withdrawn_placed.
    caught("withdrawn_student_placed", place_withdrawn_st10, kind="withdrawn_placed", subjects=["st10"]),
    caught("withdrawn_student_unplaced_for_another_reason", unplaced_reason("st10", "capacity_taken"),
           kind="withdrawn_placed", subjects=["st10"]),
    caught("withdrawn_reason_for_a_student_who_did_not_withdraw", unplace("st08", "withdrawn", weight=2),
           kind="bad_reason", subjects=["st08"]),
    caught("confirmed_column_not_a_boolean", cells("st05", confirmed="yes"), kind="bad_format", subjects=["st05"]),
    # Confirmed placements count towards every capacity: without st03 (confirmed at VB, guided, S1, C1)
    # each of these would hold.
    caught("confirmed_student_not_counted_in_places", kind="places", subjects=["VB@P1"],
           vacancies=replace_vacancy("VB", places=1)),
    caught("confirmed_student_not_counted_in_guidance_places", objective(1, 0),  # st02 guided: weight 3
           kind="extra_guidance_places", subjects=["VB@P1"], students=replace_student("st02", extra_guidance=True)),
    caught("confirmed_student_not_counted_for_the_supervisor", kind="supervisor_capacity", subjects=["S1@P1"],
           supervisors=(Supervisor(supervisor_id="S1", company_id="C1", capacity=1),)),
    caught("confirmed_student_not_counted_for_the_company", kind="company_capacity", subjects=["C1@P1"],
           companies=replace_company("C1", max_students=1)),
    # Their columns are recomputed as any placement's: st12, confirmed, is VC's paying duo partner.
    caught("confirmed_duo_partner_without_the_duo_cost", cells("st12", cost="20"),
           kind="cost_mismatch", subjects=["st12"]),
    caught("confirmed_duo_partner_not_labelled_duo", cells("st12", duo="false"),
           kind="duo_label", subjects=["VC@P1"]),
    caught("confirmed_travel_capped_at_the_limit", cells("st01", travel_min="60"),
           kind="travel_mismatch", subjects=["st01"]),
    caught("confirmed_placements_left_out_of_the_objective", objective(-(3 + 3 + 2 + 2), -(75 + 30 + 20 + 50)),
           kind="objective_mismatch", subjects=["secondary_cost", "weighted_placed"]),
]


@pytest.mark.parametrize(("changes", "tables", "kind", "subjects"), CAUGHT)
def test_checker_catches_in_rounds(tmp_path, changes, tables, kind, subjects):
    result = RoundsResult()
    for change in changes:
        change(result)
    report = check(tmp_path, result, rounds_instance(**tables))
    assert report.kinds() == {kind}, format_report(report)
    if subjects is not None:
        assert [v.subject for v in report.violations] == subjects


def test_valid_rounds_result_is_accepted(tmp_path):
    report = check(tmp_path, RoundsResult(), rounds_instance())
    assert report.ok, format_report(report)
    assert (report.n_placed, report.n_unplaced) == (10, 1)
    assert (report.weighted_placed, report.secondary_cost) == (ROUNDS_WEIGHTED_PLACED, ROUNDS_SECONDARY_COST)


def test_valid_rounds_result_is_accepted_whatever_the_row_order(tmp_path):
    result = RoundsResult()
    result.placements.reverse()
    assert check(tmp_path, result, rounds_instance()).ok


def test_exemptions_come_from_the_confirmations(tmp_path):
    # The same result without the decisions: st01 is beyond its travel limit on X_far, st09 on a
    # vacancy of another crebo, and st10 did not withdraw.
    report = check(tmp_path, RoundsResult(), rounds_instance(decisions=()))
    assert {(v.kind, v.subject) for v in report.violations} == {
        ("travel_limit", "st01"), ("crebo", "st09"), ("bad_reason", "st10")}


def test_exemption_holds_only_at_the_confirmed_place(tmp_path):
    # st01 is confirmed at X_far in P1; in P2 it is moved, and no longer exempt: it accepts P1 only,
    # and X_far is 75 minutes away.
    result = RoundsResult()
    result.placement("st01")["period_id"] = "P2"
    report = check(tmp_path, result, rounds_instance())
    assert {(v.kind, v.subject) for v in report.violations} == {
        ("confirmed_moved", "st01"), ("period", "st01"), ("travel_limit", "st01")}


def test_confirmed_student_in_no_file(tmp_path):
    result = RoundsResult()
    result.placements = [r for r in result.placements if r["student_id"] != "st09"]
    result.add_to_objective(-2, -20)
    report = check(tmp_path, result, rounds_instance())
    assert {(v.kind, v.subject) for v in report.violations} == {
        ("confirmed_moved", "st09"), ("student_missing", "st09")}


def test_confirmed_column_missing_with_decisions(tmp_path):
    result = RoundsResult()
    result.placement_columns = Result.placement_columns
    for row in result.placements:
        del row["confirmed"]
    report = check(tmp_path, result, rounds_instance())
    assert ("bad_format", "placements.csv") in {(v.kind, v.subject) for v in report.violations}


def test_confirmed_column_ignored_without_decisions(tmp_path):
    # Results without decisions are checked as before; a confirmed column there changes nothing.
    result = Result()
    result.placement_columns = RoundsResult.placement_columns
    for row in result.placements:
        row["confirmed"] = "true"
    assert check(tmp_path, result, valid_instance()).ok


def test_withdrawn_reason_without_decisions(tmp_path):
    result = Result()
    result.unplaced[0]["reason"] = "withdrawn"
    report = check(tmp_path, result, valid_instance())
    assert [(v.kind, v.subject) for v in report.violations] == [("bad_reason", "st09")]


def test_valid_rounds_result_does_not_beat_the_lp_bound():
    # A valid result is feasible for the rounds model, so the reference optimum is at least as good.
    best_weight, best_cost = reference_optimum(rounds_instance(), POLICY)
    assert best_weight >= ROUNDS_WEIGHTED_PLACED
    if best_weight == ROUNDS_WEIGHTED_PLACED:
        assert best_cost <= ROUNDS_SECONDARY_COST


def test_check_catches_a_changes_file_that_does_not_say_what_changed(tmp_path):
    """changes.csv must follow from the previous round and placements.csv (docs/model.md, "Rounds")."""
    import csv as csv_module

    from matcher import solve
    from matcher.verify.checker import check_result
    from models import Policy, PreviousPlacement
    from tests.support.random_instances import random_instance

    base = random_instance(5, n_students=30, n_vacancies=15)
    first = solve(base).placements
    previous = tuple(PreviousPlacement(student_id=s, vacancy_id=v, period_id=p)
                     for s, v, p in zip(first["student_id"], first["vacancy_id"], first["period_id"]))
    instance = base.model_copy(update={"previous": previous})
    out = solve(instance, Policy(keep_previous="off")).write(tmp_path / "round-2")
    assert check_result(instance, out, Policy(keep_previous="off")).ok
    path = out / "changes.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv_module.DictReader(handle))
    fields = list(rows[0])
    kept = next(i for i, row in enumerate(rows) if row["change"] == "kept")
    rows[kept]["change"] = "moved"           # a kept placement called moved
    dropped = rows.pop(-1)                    # a student left out
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv_module.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    found = {(v.kind, v.subject) for v in check_result(instance, out, Policy(keep_previous="off")).violations}
    assert ("changes_mismatch", rows[kept]["student_id"]) in found
    assert ("changes_mismatch", dropped["student_id"]) in found
