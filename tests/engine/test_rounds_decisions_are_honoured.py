"""Rounds (docs/model.md): a confirmed placement stays, uses its capacities and is not re-optimised, even where
moving it would place more students; a declined pair never returns, whatever equivalent crebo or duo place
would allow; a withdrawn student is neither placed nor seeking. The proof covers what the flow does not carry."""

from __future__ import annotations

import pytest

from matcher import solve
from matcher.errors import InputError
from models import Decision, Equivalence
from tests.support.builders import instance, student, vacancy


def _placed_at(result) -> dict[str, str]:
    return dict(zip(result.placements["student_id"], result.placements["vacancy_id"]))


def test_confirmed_placements_stay_where_moving_them_would_place_two_more():
    # a1 and a2 could go to B and C, leaving A's two places to x1 and x2, who fit nowhere else.
    students = [student(s) for s in ("a1", "a2", "x1", "x2")]
    vacancies = [vacancy("A", places=2), vacancy("B", crebos=("25000",)), vacancy("C", crebos=("25000",))]
    # a1 and a2 are of a crebo B and C also accept (by equivalence); x1 and x2 fit A only.
    students[0] = student("a1", crebo="25001")
    students[1] = student("a2", crebo="25001")
    vacancies[0] = vacancy("A", places=2, crebos=("25655", "25001"))
    equivalences = (Equivalence(crebo="25001", equivalent_crebo="25000"),)
    free = instance(students, vacancies, equivalences=equivalences)
    assert len(solve(free).placements) == 4
    confirmed = free.model_copy(update={"decisions": tuple(
        Decision(student_id=s, vacancy_id="A", decision="confirmed") for s in ("a1", "a2"))})
    result = solve(confirmed)
    assert _placed_at(result) == {"a1": "A", "a2": "A"}
    assert list(result.placements["confirmed"]) == ["true", "true"]
    assert set(result.unplaced["student_id"]) == {"x1", "x2"}
    assert set(result.unplaced["reason"]) == {"capacity_taken"}
    proof = result.summary["proof"]
    assert proof["proven_optimal"] and proof["weighted_placed"] == result.weighted_placed
    assert proof["secondary_cost"] == result.secondary_cost == int(result.placements["cost"].sum())


def test_a_declined_pair_never_returns_through_an_equivalent_crebo_or_a_duo_place():
    # V is recognised for s's crebo and its equivalent and shares its place (duo): s declined it all the same.
    s = student("s", crebo="25001")
    others = [student("t")]
    v = vacancy("V", crebos=("25655", "25000"), duo=True)  # s reaches it only by the equivalence
    equivalences = (Equivalence(crebo="25001", equivalent_crebo="25000"),)
    for decline in (Decision(student_id="s", vacancy_id="V", decision="declined_by_student"),
                    Decision(student_id="s", company_id="co-V", decision="declined_by_company")):
        declined = instance([s, *others], [v], equivalences=equivalences, decisions=(decline,))
        result = solve(declined)
        assert _placed_at(result) == {"t": "V"}
        row = result.unplaced.set_index("student_id").loc["s"]
        assert row["reason"] == "declined" and "declined" in row["detail"]


def test_a_withdrawn_student_is_neither_placed_nor_seeking():
    withdrawn = instance([student("w"), student("s")], [vacancy("V", places=2)],
                         decisions=(Decision(student_id="w", decision="withdrawn", decided_on="2026-11-30"),))
    result = solve(withdrawn)
    assert _placed_at(result) == {"s": "V"}
    row = result.unplaced.set_index("student_id").loc["w"]
    assert row["reason"] == "withdrawn" and "2026-11-30" in row["detail"]
    counts = result.summary["counts"]
    assert (counts["withdrawn"], counts["unplaced"], counts["placed"]) == (1, 0, 1)


def test_a_confirmed_duo_partner_pays_the_duo_cost_and_leaves_the_rest_to_the_flow():
    # One duo place (two students): two confirmed fill it; a third student finds no room.
    students = [student(s) for s in ("c1", "c2", "n")]
    duo = instance(students, [vacancy("D", duo=True)], decisions=tuple(
        Decision(student_id=s, vacancy_id="D", decision="confirmed") for s in ("c1", "c2")))
    result = solve(duo)
    assert _placed_at(result) == {"c1": "D", "c2": "D"}
    assert list(result.placements["duo"]) == ["true", "true"]
    assert result.summary["proof"]["secondary_cost"] == result.secondary_cost
    assert result.unplaced.set_index("student_id").loc["n", "reason"] == "capacity_taken"


def test_more_confirmed_students_than_places_are_refused():
    over = instance([student("c1"), student("c2")], [vacancy("V")], decisions=tuple(
        Decision(student_id=s, vacancy_id="V", decision="confirmed") for s in ("c1", "c2")))
    with pytest.raises(InputError, match="more confirmed students than places at vacancy V"):
        solve(over)
