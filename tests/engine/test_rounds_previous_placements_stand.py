"""Rounds with the previous round's result (docs/model.md, "Rounds"): ``never_move`` keeps a previous placement
unless its place is gone, even where moving it would place one more student; ``fewest_moves`` keeps the most
that the weighted placements allow, over a cheaper place; ``off`` ignores them. ``changes.csv`` says why."""

from __future__ import annotations

from matcher import solve
from models import Decision, Policy, PreviousPlacement
from tests.support.builders import UTRECHT, TravelTime, instance, student, vacancy

NEVER_MOVE, FEWEST_MOVES, OFF = (Policy(keep_previous=k) for k in ("never_move", "fewest_moves", "off"))


def _placed_at(result) -> dict[str, str]:
    return dict(zip(result.placements["student_id"], result.placements["vacancy_id"]))


def _changes(result) -> dict[str, tuple[str, str]]:
    rows = result.changes.set_index("student_id")
    return {sid: (row["change"], row["reason"]) for sid, row in rows.iterrows()}


def previous(**placed: str) -> tuple[PreviousPlacement, ...]:
    return tuple(PreviousPlacement(student_id=s, vacancy_id=v, period_id="year") for s, v in placed.items())


def _squeeze():
    # s1 reaches A and B, s2 only A (it is of a crebo B does not recognise); s1 was placed at A before.
    return instance([student("s1"), student("s2", crebo="25001")],
                    [vacancy("A", crebos=("25655", "25001")), vacancy("B")], previous=previous(s1="A"))


def test_never_move_keeps_a_placement_even_where_moving_it_would_place_one_more():
    result = solve(_squeeze(), NEVER_MOVE)
    assert _placed_at(result) == {"s1": "A"}
    assert _changes(result) == {"s1": ("kept", ""), "s2": ("unplaced", "")}
    assert result.summary["proof"]["proven_optimal"]


def test_fewest_moves_moves_a_placement_only_for_more_weighted_placements():
    result = solve(_squeeze(), FEWEST_MOVES)
    assert _placed_at(result) == {"s1": "B", "s2": "A"}
    assert _changes(result) == {"s1": ("moved", "room_for_others"), "s2": ("new", "freed")}
    assert result.summary["objective"]["previous_not_kept"] == 1
    assert result.summary["counts"]["changes"] == {"kept": 0, "moved": 1, "lost": 0, "new": 1, "unplaced": 0}


def test_fewest_moves_keeps_a_dearer_placement_that_off_gives_up():
    # s was placed at FAR (40 min) before; NEAR (10 min) is free. Keeping comes before travel.
    times = (TravelTime(origin="s", destination="FAR", minutes=40),
             TravelTime(origin="s", destination="NEAR", minutes=10))
    round_two = instance([student("s")], [vacancy("FAR"), vacancy("NEAR")], travel_times=times,
                         previous=previous(s="FAR"))
    keeping, ignoring = solve(round_two, FEWEST_MOVES), solve(round_two, OFF)
    assert _placed_at(keeping) == {"s": "FAR"} and keeping.secondary_cost == 40
    assert keeping.summary["proof"]["max_kept_previous"] == 1
    assert _placed_at(ignoring) == {"s": "NEAR"} and ignoring.secondary_cost == 10
    assert _changes(ignoring) == {"s": ("moved", "not_kept")}


def test_never_move_gives_up_a_place_that_is_gone_or_declined():
    students = [student(s) for s in ("a", "b", "c", "d")]
    vacancies = [vacancy("KEEP", places=2), vacancy("SPARE", places=2)]
    decisions = (Decision(student_id="c", vacancy_id="KEEP", decision="declined_by_company"),)
    # a and b stay at KEEP; c's place was declined, d's vacancy is no longer listed.
    round_two = instance(students, vacancies, decisions=decisions,
                         previous=previous(a="KEEP", b="KEEP", c="KEEP", d="GONE"))
    result = solve(round_two, NEVER_MOVE)
    assert _placed_at(result) == {"a": "KEEP", "b": "KEEP", "c": "SPARE", "d": "SPARE"}
    changes = _changes(result)
    assert changes["c"] == ("moved", "declined_by_company") and changes["d"] == ("moved", "vacancy_gone")
    assert list(result.placements["confirmed"]) == ["false"] * 4  # held, not confirmed


def test_never_move_keeps_the_first_by_student_id_where_fewer_places_are_left():
    students = [student(s) for s in ("a", "b", "c")]
    round_two = instance(students, [vacancy("V", places=2), vacancy("W", pc4=UTRECHT)],
                         previous=previous(c="V", b="V", a="V"))
    result = solve(round_two, NEVER_MOVE)
    assert _placed_at(result) == {"a": "V", "b": "V", "c": "W"}
    assert _changes(result)["c"] == ("moved", "fewer_places")


def test_an_unchanged_input_reproduces_the_previous_placements_byte_for_byte(tmp_path):
    from tests.support.random_instances import random_instance

    first = solve(random_instance(3, n_students=40, n_vacancies=20))
    first.write(tmp_path / "round-1")
    placed = first.placements
    again = random_instance(3, n_students=40, n_vacancies=20).model_copy(update={"previous": tuple(
        PreviousPlacement(student_id=s, vacancy_id=v, period_id=p)
        for s, v, p in zip(placed["student_id"], placed["vacancy_id"], placed["period_id"]))})
    assert len(placed) > 10
    for policy in (NEVER_MOVE, FEWEST_MOVES):
        out = solve(again, policy).write(tmp_path / policy.keep_previous)
        for name in ("placements.csv", "unplaced.csv"):
            assert (out / name).read_bytes() == (tmp_path / "round-1" / name).read_bytes(), (policy, name)
        changes = solve(again, policy).changes
        assert set(changes["change"]) <= {"kept", "unplaced"}
