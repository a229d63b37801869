"""Rounds in the service: an adviser office posts the answers to a finished match (``POST /jobs/{id}/decisions``,
checked as the command line checks ``--decisions``), then starts the next round from it (``previous_job``): the
standing placements stay, the decisions apply, ``changes.csv`` says what changed, a school reads its own rows of
it, and the round after carries the decisions on. Whatever cannot be is refused with a message."""

from __future__ import annotations

import csv
import io

from tests.support.paths import TINY
from tests.support.service import world


def _rows(text: str) -> dict[str, dict]:
    return {row["student_id"]: row for row in csv.DictReader(io.StringIO(text))}


def _file(w, job: str, name: str, role: str = "adviser"):
    response = w.client.get(f"/jobs/{job}/files/{name}", headers=w.headers(role))
    assert response.status_code == 200, response.text
    return response.text


def _post(w, job: str, body: bytes, role: str = "adviser"):
    return w.client.post(f"/jobs/{job}/decisions", content=body,
                         headers={**w.headers(role), "Content-Type": "text/csv"})


def test_a_round_posted_to_a_match_is_kept_by_the_next(database_url, tmp_path):
    with world(database_url, tmp_path) as w:
        dataset = w.upload(TINY).json()["id"]
        first = w.run("match", dataset)["id"]
        placed = _rows(_file(w, first, "placements.csv"))
        confirmed, declined = sorted(placed)[:2]
        answers = ("student_id;vacancy_id;period_id;besluit;datum\n"  # a Dutch Excel CSV: ; and Dutch words
                   f"{confirmed};{placed[confirmed]['vacancy_id']};{placed[confirmed]['period_id']};bevestigd;"
                   "01-12-2026\n"
                   f"{declined};{placed[declined]['vacancy_id']};;afgewezen_door_student;01-12-2026\n")
        assert _post(w, first, answers.encode("cp1252"), role="school").status_code == 403
        posted = _post(w, first, answers.encode("cp1252"))
        assert posted.status_code == 201, posted.text
        assert posted.json() == {"job": first, "decisions": 2}
        again = _post(w, first, answers.encode("cp1252"))
        assert again.status_code == 409 and "already" in again.json()["detail"]

        second = w.run("match", dataset, previous_job=first)
        assert "changes.csv" in second["files"]
        changes = _rows(_file(w, second["id"], "changes.csv"))
        assert (changes[confirmed]["change"], changes[confirmed]["reason"]) == ("kept", "confirmed")
        assert changes[declined]["reason"] == "declined_by_student"
        assert all(changes[s]["change"] == "kept" for s in set(placed) - {confirmed, declined})
        own = _rows(_file(w, second["id"], "changes.csv", role="school"))
        assert own and {row["school_id"] for row in own.values()} == {"school-utrecht"}
        assert set(own) < set(changes)

        third = w.run("match", dataset, previous_job=second["id"], keep_previous="never_move")
        carried = _rows(_file(w, third["id"], "placements.csv"))
        assert carried[confirmed]["confirmed"] == "true"  # the decisions go on from round to round
        assert carried.get(declined, {}).get("vacancy_id") != placed[declined]["vacancy_id"]
        assert {row["change"] for row in _rows(_file(w, third["id"], "changes.csv")).values()} <= {
            "kept", "unplaced"}


def test_what_cannot_be_a_round_is_refused(database_url, tmp_path):
    with world(database_url, tmp_path) as w:
        dataset = w.upload(TINY).json()["id"]
        first = w.run("match", dataset)["id"]
        unknown = _post(w, first, b"student_id,decision\nnobody,withdrawn\n")
        assert unknown.status_code == 422
        detail = unknown.json()
        assert "nobody" in detail["detail"] and detail["file"] == "decisions.csv" and detail["row"] == 2
        assert str(tmp_path) not in unknown.text  # never a path of the server
        for options, status in (({"keep_previous": "never_move"}, 422), ({"previous_job": "f" * 32}, 404),
                                ({"previous_job": first, "keep_previous": "sometimes"}, 422)):
            refused = w.start("match", dataset, **options)
            assert refused.status_code == status, (options, refused.text)
        report = w.run("report", dataset, match_job=first)["id"]
        assert w.start("match", dataset, previous_job=report).status_code == 404
        assert _post(w, report, b"student_id,decision\nt01,withdrawn\n").status_code == 409
