"""The checker names each broken rule of docs/model.md in a result folder, and whom it concerns.

Each case changes the hand-made valid result of :mod:`tests.support.checker_fixtures`
(or its instance) so that one rule breaks, and names the kind of violation the
checker must report: a table row per defect, its id naming the defect. Changes
that look alike but break nothing must pass. Cases that report several kinds at
once, and broken files, follow as tests of their own.
"""

from __future__ import annotations

import pytest

from matcher.verify.checker import CheckReport, Violation, check_result, format_report
from models.instance import Equivalence, Instance, Student, Supervisor, Vacancy
from tests.support.checker_fixtures import POLICY, ST07_MINUTES, Result, check, valid_instance

# Changes to the valid result, each a function that changes a Result in place.


def cells(student_id: str, **columns: str):
    """Set ``columns`` of the student's row in placements.csv."""
    return lambda result: result.placement(student_id).update(columns)


def move(student_id: str, vacancy_id: str, company_id: str, travel: int):
    """Move a placed student to another vacancy (see :meth:`Result.move`)."""
    return lambda result: result.move(student_id, vacancy_id, company_id, travel=travel)


def place_st09(vacancy_id: str, company_id: str, supervisor_id: str, travel: int, period: str = "P1"):
    """Place the unplaced st09 (see :meth:`Result.place_st09`)."""
    return lambda result: result.place_st09(vacancy_id, company_id, supervisor_id, travel=travel, period=period)


def objective(weight: int, cost: int):
    """Add to summary.json's objective parts (see :meth:`Result.add_to_objective`)."""
    return lambda result: result.add_to_objective(weight, cost)


def set_objective(**parts: int):
    """Set summary.json's objective parts."""
    return lambda result: result.summary["objective"].update(parts)


def unplaced_cells(**columns: str):
    """Set ``columns`` of st09's row in unplaced.csv."""
    return lambda result: result.unplaced[0].update(columns)


def add_unplaced(student_id: str, school_id: str, reason: str):
    """Add a row to unplaced.csv."""
    row = {"student_id": student_id, "school_id": school_id, "reason": reason, "detail": ""}
    return lambda result: result.unplaced.append(dict(row))


def drop_placement(student_id: str):
    """Remove the student's row from placements.csv."""
    def drop(result):
        result.placements = [r for r in result.placements if r["student_id"] != student_id]
    return drop


def drop_unplaced():
    """Empty unplaced.csv."""
    def drop(result):
        result.unplaced = []
    return drop


def summary(content: dict):
    """Replace summary.json."""
    def replace(result):
        result.summary = dict(content)
    return replace


# Changes to the instance.


def with_vacancy(vacancy_id: str, **fields) -> Instance:
    instance = valid_instance()
    vacancies = tuple(Vacancy(**{**v.model_dump(), **fields}) if v.vacancy_id == vacancy_id else v
                      for v in instance.vacancies)
    return instance.model_copy(update={"vacancies": vacancies})


def with_student(student_id: str, **fields) -> Instance:
    instance = valid_instance()
    students = tuple(Student(**{**s.model_dump(), **fields}) if s.student_id == student_id else s
                     for s in instance.students)
    return instance.model_copy(update={"students": students})


def with_tables(**tables) -> Instance:
    return valid_instance().model_copy(update=tables)


def caught(id: str, *changes, kind: str, subjects: list[str] | None, instance: Instance | None = None):
    """One case: ``changes`` to the valid result (checked against ``instance``, the
    fixture's when None) make the checker report ``kind`` and no other kind, about
    ``subjects`` in this order (None: whom is not pinned)."""
    return pytest.param(changes, instance, kind, subjects, id=id)


CAUGHT = [
    caught("inaccessible_vacancy_for_a_student_needing_access", move("st01", "X_access", "CX", travel=20),
           kind="accessibility", subjects=["st01"]),
    *(caught(f"bad_reason_{name}", unplaced_cells(reason=reason), kind="bad_reason", subjects=["st09"])
      for name, reason in [("no_room", "no_room"), ("empty", ""), ("capitalised", "Capacity_taken")]),
    # C4 (max_students 1) has VG (st08) and VH in P1; st09 on VH makes 2.
    caught("company_over_max_students", place_st09("VH", "C4", "", travel=20),
           kind="company_capacity", subjects=["C4@P1"]),
    # X_crebo: crebo 23200 only.
    caught("vacancy_for_another_crebo", move("st01", "X_crebo", "CX", travel=20), kind="crebo", subjects=["st01"]),
    # st05 (crebo 23099) sits on VC (25655) thanks to 23099 -> 25655. Without it, with only the
    # reverse row, or with an equivalence to a crebo VC does not have, the placement is not recognised.
    caught("crebo_without_the_equivalence", kind="crebo", subjects=["st05"], instance=with_tables(equivalences=())),
    caught("crebo_with_only_the_reverse_equivalence", kind="crebo", subjects=["st05"],
           instance=with_tables(equivalences=(Equivalence(crebo="25655", equivalent_crebo="23099"),))),
    caught("crebo_equivalent_to_another_crebo", kind="crebo", subjects=["st05"],
           instance=with_tables(equivalences=(Equivalence(crebo="23099", equivalent_crebo="23200"),))),
    # Alone on VG's one place.
    caught("duo_label_within_the_places", cells("st08", duo="true"), kind="duo_label", subjects=["VG@P1"]),
    # VB has 3 places, 1 for extra guidance, taken by st03 (level 2) in P1. Moving st01 (year 1,
    # guided) from VA to VB keeps VB at 3 <= 3 students and supervisor S1 at 3, but makes 2 guided
    # students on 1 guidance place (3512 -> VB is 30 min).
    caught("second_guided_student_on_one_guidance_place",
           cells("st01", vacancy_id="VB", travel_min="30", cost="30"), objective(0, 30 - 20),
           kind="extra_guidance_places", subjects=["VB@P1"]),
    # st01 level 3, X_level min 4.
    caught("level_below_min_level", move("st01", "X_level", "CX", travel=20), kind="level", subjects=["st01"]),
    # VC accepts levels 3-4; capping it at 3 excludes st05 (level 4).
    caught("level_above_max_level", kind="level", subjects=["st05"], instance=with_vacancy("VC", max_level=3)),
    caught("weighted_placed_one_short", objective(-1, 0), kind="objective_mismatch", subjects=["weighted_placed"]),
    caught("weighted_placed_two_over", objective(2, 0), kind="objective_mismatch", subjects=["weighted_placed"]),
    caught("secondary_cost_one_over", objective(0, 1), kind="objective_mismatch", subjects=["secondary_cost"]),
    # E.g. the duo cost left out of the sum.
    caught("secondary_cost_30_short", objective(0, -30), kind="objective_mismatch", subjects=["secondary_cost"]),
    # 10 placed students, but weighted_placed is 22 (two priority students x 3).
    caught("unweighted_count_as_the_objective", set_objective(weighted_placed=10 * 2),
           kind="objective_mismatch", subjects=None),
    # st01 is BOL, X_pathway BBL only.
    caught("vacancy_for_another_pathway", move("st01", "X_pathway", "CX", travel=20),
           kind="pathway", subjects=["st01"]),
    # X_period offers P2 only.
    caught("period_not_offered_by_the_vacancy", move("st01", "X_period", "CX", travel=20),
           kind="period", subjects=["st01"]),
    # st01 accepts P1 only; VA is offered in every period.
    caught("period_not_acceptable_to_the_student", cells("st01", period_id="P2"), kind="period", subjects=["st01"]),
    # VI: 1 place, held by st10.
    caught("second_student_on_a_single_place", place_st09("VI", "C2", "", travel=20),
           kind="places", subjects=["VI@P1"]),
    caught("student_left_out_of_unplaced", drop_unplaced(), kind="student_missing", subjects=["st09"]),
    caught("student_left_out_of_placements", drop_placement("st08"), objective(-2, -20),
           kind="student_missing", subjects=["st08"]),
    caught("placed_student_also_listed_unplaced", add_unplaced("st08", "SA", "capacity_taken"),
           kind="student_twice", subjects=["st08"]),
    caught("unplaced_student_listed_twice", add_unplaced("st09", "SA", "capacity_taken"),
           kind="student_twice", subjects=["st09"]),
    # S1 (capacity 3) guides VA (st01) and VB (st02, st03) in P1. VB has a third place, but st09
    # there makes 4 students for S1 (company C1 allows 4).
    caught("supervisor_over_capacity_across_two_vacancies", place_st09("VB", "C1", "S1", travel=30),
           kind="supervisor_capacity", subjects=["S1@P1"]),
    # Capacity 2 is exceeded in P1 (3 students) - the P2 placements do not count.
    caught("supervisor_capacity_counts_per_period", kind="supervisor_capacity", subjects=["S1@P1"],
           instance=with_tables(supervisors=(Supervisor(supervisor_id="S1", company_id="C1", capacity=2),))),
    # travel_times gives st01 -> X_far 75 min; the default limit is 60.
    caught("beyond_the_default_travel_limit", move("st01", "X_far", "CX", travel=75), objective(0, 75 - 20),
           kind="travel_limit", subjects=["st01"]),
    # st07 cycles ST07_MINUTES (about 35) to VE; a personal limit just below fails.
    caught("beyond_the_students_own_travel_limit", kind="travel_limit", subjects=["st07"],
           instance=with_student("st07", max_travel_min=ST07_MINUTES - 1)),
    # The cost column is right for the true travel time, so only travel is off.
    caught("travel_not_the_pc4_row", cells("st01", travel_min="21"), kind="travel_mismatch", subjects=["st01"]),
    # (st02, 3511) = 25 beats (3512, 3511) = 20.
    caught("travel_of_a_less_specific_student_override", cells("st02", travel_min="20"),
           kind="travel_mismatch", subjects=["st02"]),
    # (3512, VB) = 30 beats (3512, 3511) = 20.
    caught("travel_of_a_less_specific_vacancy_override", cells("st03", travel_min="20"),
           kind="travel_mismatch", subjects=["st03"]),
    caught("travel_estimate_rounded_up_twice", cells("st07", travel_min=str(ST07_MINUTES + 1)),
           kind="travel_mismatch", subjects=["st07"]),
    caught("travel_estimate_rounded_down", cells("st07", travel_min=str(ST07_MINUTES - 1)),
           kind="travel_mismatch", subjects=["st07"]),
    caught("travel_not_a_number", cells("st08", travel_min="twenty"), kind="travel_mismatch", subjects=["st08"]),
    caught("unknown_student_in_unplaced", add_unplaced("st99", "SA", "out_of_reach"),
           kind="unknown_student", subjects=["st99"]),
    # st02 wishes (VE, C1): VB is at C1, the 2nd wish.
    caught("wish_rank_of_the_wrong_wish", cells("st02", wish_rank="1"), kind="wish_mismatch", subjects=["st02"]),
    caught("wish_rank_left_out", cells("st02", wish_rank=""), kind="wish_mismatch", subjects=["st02"]),
    # st01 made no wishes.
    caught("wish_rank_without_wishes", cells("st01", wish_rank="1"), kind="wish_mismatch", subjects=["st01"]),
    # VB belongs to C1 and names supervisor S1.
    caught("company_not_the_vacancys", cells("st02", company_id="C2"), kind="wrong_reference", subjects=["st02"]),
    caught("supervisor_left_out", cells("st02", supervisor_id=""), kind="wrong_reference", subjects=["st02"]),
    caught("supervisor_not_the_vacancys", cells("st02", supervisor_id="S2"),
           kind="wrong_reference", subjects=["st02"]),
    # A row on no known vacancy costs nothing.
    caught("unknown_vacancy", cells("st10", vacancy_id="VZ"), objective(0, -20), kind="wrong_reference", subjects=None),
    # st03 is at school SB, st09 at school SA.
    caught("placement_with_another_school", cells("st03", school_id="SA"), kind="wrong_school", subjects=["st03"]),
    caught("unplaced_with_another_school", unplaced_cells(school_id="SB"), kind="wrong_school", subjects=None),
    caught("summary_without_objective", summary({"placed": 10}), kind="bad_format", subjects=None),
]


@pytest.mark.parametrize(("changes", "instance", "kind", "subjects"), CAUGHT)
def test_checker_catches(tmp_path, changes, instance, kind, subjects):
    result = Result()
    for change in changes:
        change(result)
    report = check(tmp_path, result, instance)
    assert report.kinds() == {kind}
    if subjects is not None:
        assert [v.subject for v in report.violations] == subjects


def beside(id: str, *changes, kind: str, besides: set[str], subjects: list[str]):
    """A case in which ``kind`` may come with the kinds ``besides`` (but no other);
    ``subjects`` are those of ``kind``."""
    return pytest.param(changes, kind, besides, subjects, id=id)


CAUGHT_BESIDE_ANOTHER_KIND = [
    # st01 is year 1: needs guidance. It also exceeds the vacancy-period's 0 guidance places.
    beside("guided_student_on_a_vacancy_without_guidance_places", move("st01", "X_guidance", "CX", travel=20),
           kind="extra_guidance", besides={"extra_guidance_places"}, subjects=["st01"]),
    # The row cannot be costed, so the summary's cost no longer adds up.
    beside("placement_in_an_unknown_period", cells("st08", period_id="P3"),
           kind="unknown_period", besides={"objective_mismatch"}, subjects=["st08"]),
    # Duo labels that break docs/model.md's rule (by student_id, the last 2(n - places)). VC: 2
    # places, st04, st05, st12 -> expected duo false, true, true.
    beside("one_duo_student_instead_of_2", cells("st05", duo="false"),
           kind="duo_label", besides={"bad_format"}, subjects=["VC@P1"]),
    beside("three_duo_students_instead_of_2", cells("st04", duo="true"),
           kind="duo_label", besides={"bad_format"}, subjects=["VC@P1"]),
    beside("duo_students_not_the_last_2_by_id", cells("st04", duo="true"), cells("st05", duo="false"),
           kind="duo_label", besides={"bad_format"}, subjects=["VC@P1"]),
    # Not a boolean as written by the engine.
    beside("duo_label_not_a_boolean", cells("st05", duo="yes"),
           kind="duo_label", besides={"bad_format"}, subjects=["VC@P1"]),
]


@pytest.mark.parametrize(("changes", "kind", "besides", "subjects"), CAUGHT_BESIDE_ANOTHER_KIND)
def test_checker_catches_beside_another_kind(tmp_path, changes, kind, besides, subjects):
    result = Result()
    for change in changes:
        change(result)
    report = check(tmp_path, result)
    assert kind in report.kinds()
    assert report.kinds() <= {kind, *besides}
    assert [v.subject for v in report.violations if v.kind == kind] == subjects


def valid(id: str, *changes, instance: Instance | None = None):
    """A change that breaks no rule."""
    return pytest.param(changes, instance, id=id)


@pytest.mark.parametrize(("changes", "instance"), [
    # st10 does not need access: moving it to X_access breaks nothing.
    valid("inaccessible_vacancy_without_the_need", move("st10", "X_access", "CX", travel=20)),
    # st09 on VH in P2 instead: one C4 student per period.
    valid("company_room_is_per_period", place_st09("VH", "C4", "", travel=20, period="P2")),
    # st10 is level 3, year 2: no guidance.
    valid("unguided_student_on_a_vacancy_without_guidance_places", move("st10", "X_guidance", "CX", travel=20)),
    # Without supervisors.csv, st09 as S1's 4th student in P1 is valid.
    valid("supervisor_without_a_row_limits_nothing", place_st09("VB", "C1", "S1", travel=30),
          instance=with_tables(supervisors=())),
    # The vocabulary: SPEC's codes and no_places_offered (docs/model.md).
    *(valid(f"reason_{reason}", unplaced_cells(reason=reason))
      for reason in ["no_recognised_vacancy", "out_of_reach", "no_period", "level_or_guidance",
                     "no_places_offered", "capacity_taken", "supervision_full"]),
])
def test_checker_accepts(tmp_path, changes, instance):
    result = Result()
    for change in changes:
        change(result)
    assert check(tmp_path, result, instance).ok


@pytest.mark.parametrize("changes", [
    pytest.param({"st12": "20"}, id="duo_partner_cost_forgotten"),
    pytest.param({"st05": "50", "st12": "20"}, id="duo_cost_on_the_wrong_student"),  # the sum unchanged
    pytest.param({"st02": "40"}, id="period_step_forgotten"),  # 25 + 10 + 15 = 50
    pytest.param({"st02": "35"}, id="wish_step_forgotten"),
    pytest.param({"st03": "20"}, id="travel_of_the_less_specific_override"),
    pytest.param({"st07": ""}, id="cost_left_out"),
])
def test_cost_column_differs(tmp_path, changes):
    result = Result()
    for sid, cost in changes.items():
        result.placement(sid)["cost"] = cost
    report = check(tmp_path, result)
    assert report.kinds() == {"cost_mismatch"}
    assert sorted(v.subject for v in report.violations) == sorted(changes)


def test_no_wish_met_costs_sixty(tmp_path):
    # st02 wishes (VE, C1); on X_access (company CX) neither is met: 60, not 0.
    result = Result()
    row = result.placement("st02")
    row.update(vacancy_id="X_access", company_id="CX", supervisor_id="", travel_min="25",
               wish_rank="", cost=str(25 + 15))
    result.add_to_objective(0, 40 - 50)
    report = check(tmp_path, result)
    assert report.kinds() == {"cost_mismatch", "objective_mismatch"}
    assert [v.subject for v in report.violations if v.kind == "cost_mismatch"] == ["st02"]


def test_duo_vacancy_over_twice_its_places(tmp_path):
    # VC has 2 duo places and 3 students; recognised for 25180 too, it can take
    # st10 (4 <= 4) and st09 (5 > 4).
    instance = with_vacancy("VC", crebos=("25180", "25655"))
    result = Result()
    row = result.placement("st10")
    row.update(vacancy_id="VC", company_id="C2")
    result.place_st09("VC", "C2", "", travel=20)
    # The solver's labels for 5 students on 2 places: 3 beyond, all 5 share and
    # the last 3 by id (st09, st10, st12) pay the duo cost.
    for sid in ("st04", "st05", "st09", "st10", "st12"):
        result.placement(sid)["duo"] = "true"
    for sid in ("st09", "st10"):
        result.placement(sid)["cost"] = "50"
    result.add_to_objective(0, 2 * 30)
    report = check(tmp_path, result, instance)
    assert report.kinds() == {"places"}
    assert [v.subject for v in report.violations] == ["VC@P1"]


def test_unknown_student_in_placements(tmp_path):
    result = Result()
    result.placement("st10")["student_id"] = "st11"
    result.add_to_objective(-2, -20)  # the unknown row counts for nothing
    report = check(tmp_path, result)
    # st10 has vanished and st11 does not exist.
    assert report.kinds() == {"unknown_student", "student_missing"}
    assert {(v.kind, v.subject) for v in report.violations} == {
        ("unknown_student", "st11"), ("student_missing", "st10")}


# Missing files and columns are reported, not crashed on.


@pytest.mark.parametrize("name", [
    pytest.param("placements.csv", id="missing_placements_csv"),
    pytest.param("unplaced.csv", id="missing_unplaced_csv"),
    pytest.param("summary.json", id="missing_summary_json"),
])
def test_missing_file(tmp_path, name):
    folder = Result().write(tmp_path / "result")
    (folder / name).unlink()
    report = check_result(valid_instance(), folder, POLICY)
    assert "bad_format" in report.kinds()
    assert name in {v.subject for v in report.violations if v.kind == "bad_format"}


def test_missing_column(tmp_path):
    folder = Result().write(tmp_path / "result")
    path = folder / "placements.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(line.rsplit(",", 1)[0] for line in lines) + "\n",
                    encoding="utf-8")  # drop the last column, cost
    report = check_result(valid_instance(), folder, POLICY)
    assert ("bad_format", "placements.csv") in {(v.kind, v.subject) for v in report.violations}


def test_long_listing_is_cut_after_fifty_lines():
    violations = tuple(Violation("student_missing", f"s{i:03d}", "in neither file")
                       for i in range(60))
    text = format_report(CheckReport(violations, 0, 0, 0, 0))
    assert text.startswith("INVALID: 60 violations (student_missing 60)")
    assert "s049" in text and "s050" not in text
    assert text.rstrip().endswith("... and 10 more")
