"""A school answers the proposals of a finished match for its own students (``PUT /jobs/{id}/answers/{student}``:
confirmed, declined by the student or by the company); the next round (``previous_job``) runs with those answers
beside the adviser office's decisions file. Another school's student gets the very answer an id that exists nowhere
gets; an answer after the next round started, or for a student the adviser office decided, is refused."""

from __future__ import annotations

import csv
import io

from tests.support.paths import TINY
from tests.support.service import world

OTHER_SCHOOLS_STUDENT = "t05"  # of school-groningen; the rest of tiny is school-utrecht's


def _rows(w, job: str, name: str, role: str = "adviser") -> dict[str, dict]:
    response = w.client.get(f"/jobs/{job}/files/{name}", headers=w.headers(role))
    assert response.status_code == 200, response.text
    return {row["student_id"]: row for row in csv.DictReader(io.StringIO(response.text))}


def _answer(w, job: str, student: str, decision: str, role: str = "school"):
    return w.client.put(f"/jobs/{job}/answers/{student}", json={"decision": decision}, headers=w.headers(role))


def test_a_schools_answers_are_kept_by_the_next_round(database_url, tmp_path):
    with world(database_url, tmp_path) as w:
        dataset = w.upload(TINY).json()["id"]
        first = w.run("match", dataset)["id"]
        own = _rows(w, first, "placements.csv", role="school")
        confirmed, declined, changed_mind = sorted(own)[:3]

        assert _answer(w, first, confirmed, "confirmed").json()["period_id"] == own[confirmed]["period_id"]
        assert _answer(w, first, declined, "declined_by_company").status_code == 200
        assert _answer(w, first, changed_mind, "declined_by_student").status_code == 200
        assert _answer(w, first, changed_mind, "confirmed").status_code == 200  # the last answer stands
        listed = w.client.get(f"/jobs/{first}/answers", headers=w.headers("adviser")).json()
        assert {(a["student_id"], a["decision"]) for a in listed} == {
            (confirmed, "confirmed"), (declined, "declined_by_company"), (changed_mind, "confirmed")}
        second = w.run("match", dataset, previous_job=first)["id"]
        placed = _rows(w, second, "placements.csv")
        assert placed[confirmed]["confirmed"] == "true" and placed[changed_mind]["confirmed"] == "true"
        assert placed[confirmed]["vacancy_id"] == own[confirmed]["vacancy_id"]
        assert placed.get(declined, {}).get("vacancy_id") != own[declined]["vacancy_id"]
        changes = _rows(w, second, "changes.csv")
        assert changes[declined]["reason"] == "declined_by_company"

        late = _answer(w, first, sorted(own)[3], "confirmed")
        assert late.status_code == 409 and "next round" in late.json()["detail"]


def test_another_schools_student_is_answered_as_one_that_does_not_exist(database_url, tmp_path):
    with world(database_url, tmp_path) as w:
        dataset = w.upload(TINY).json()["id"]
        first = w.run("match", dataset)["id"]
        placed = _rows(w, first, "placements.csv")
        student = sorted(placed)[0]  # school-utrecht's, with a proposal: the refusal is not for want of one
        other = _answer(w, first, student, "confirmed", role="other_school")
        nowhere = _answer(w, first, "no-such-student", "confirmed", role="other_school")
        assert other.status_code == nowhere.status_code == 404
        assert other.json()["detail"].replace(student, "X") == nowhere.json()["detail"].replace("no-such-student", "X")
        unplaced = _answer(w, first, OTHER_SCHOOLS_STUDENT, "confirmed", role="other_school")
        assert unplaced.status_code == 404  # its own student, without a proposal to answer
        assert _answer(w, first, student, "confirmed", role="adviser").status_code == 403
        assert _answer(w, first, student, "confirmed", role="planner").status_code == 403
        assert _answer(w, first, student, "maybe").status_code == 422
        assert w.client.get(f"/jobs/{first}/answers", headers=w.headers("planner")).status_code == 404
        assert _answer(w, first, student, "confirmed").status_code == 200
        assert w.client.get(f"/jobs/{first}/answers", headers=w.headers("other_school")).json() == []


def test_the_adviser_offices_file_and_a_schools_answer_never_both_decide_a_student(database_url, tmp_path):
    with world(database_url, tmp_path) as w:
        dataset = w.upload(TINY).json()["id"]
        first = w.run("match", dataset)["id"]
        own = _rows(w, first, "placements.csv", role="school")
        answered, decided = sorted(own)[:2]
        assert _answer(w, first, answered, "confirmed").status_code == 200
        both = (f"student_id,vacancy_id,period_id,decision\n"
                f"{answered},{own[answered]['vacancy_id']},,declined_by_student\n")
        refused = w.client.post(f"/jobs/{first}/decisions", content=both.encode(),
                                headers={**w.headers("adviser"), "Content-Type": "text/csv"})
        assert refused.status_code == 409 and answered in refused.json()["detail"]
        posted = w.client.post(f"/jobs/{first}/decisions", headers={**w.headers("adviser"), "Content-Type": "text/csv"},
                               content=f"student_id,vacancy_id,period_id,decision\n{decided},"
                                       f"{own[decided]['vacancy_id']},,declined_by_student\n".encode())
        assert posted.status_code == 201, posted.text
        after = _answer(w, first, decided, "confirmed")
        assert after.status_code == 409 and "adviser office" in after.json()["detail"]
