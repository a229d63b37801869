"""Every endpoint × every role × its own and another organisation's data.

A school sees its own students only: never another school's student id (not
in a list, a file, a count or a message), and asking for one by id gives the
very answer an id that exists nowhere gives. Another region's adviser office
and a planner not given the dataset see nothing of it; a revoked token and no
token are refused everywhere.
"""

from __future__ import annotations

import re

from tests.support.paths import TINY
from tests.support.service import bearer, world

OTHER_SCHOOLS_STUDENT = "t05"  # of school-groningen; the rest of tiny is school-utrecht's
OWN_STUDENT = "t01"


def _prepare(w):
    upload = w.upload(TINY)
    assert upload.status_code == 201, upload.text
    dataset = upload.json()["id"]
    assert w.client.post(f"/datasets/{dataset}/grants", json={"organisation": "Planbureau"},
                         headers=w.headers("adviser")).status_code == 204
    jobs = {"match": w.run("match", dataset, remedies=True)["id"],
            "suggest": w.run("suggest", dataset, role="school", school="school-utrecht")["id"],
            "calendar": w.run("calendar", dataset, role="planner", max_moves=1)["id"]}
    jobs["report"] = w.run("report", dataset, match_job=jobs["match"])["id"]
    return dataset, jobs


def _matrix(dataset: int, jobs: dict[str, str]):
    """(method, path, body, {role: status}); roles left out expect 404, and revoked and anonymous 401."""
    m, s, c, r = jobs["match"], jobs["suggest"], jobs["calendar"], jobs["report"]
    everyone = dict.fromkeys(("adviser", "adviser_elsewhere", "school", "other_school", "planner", "other_planner"),
                             200)
    return [
        ("GET", "/me", None, everyone),
        ("GET", "/datasets", None, everyone),
        ("GET", f"/datasets/{dataset}", None, {"adviser": 200, "school": 200, "other_school": 200, "planner": 200}),
        ("GET", f"/datasets/{dataset}/files/students.csv", None, {"adviser": 200}),
        ("POST", f"/datasets/{dataset}/grants", {"organisation": "Planbureau"},
         {"adviser": 204, "school": 403, "other_school": 403, "planner": 403, "other_planner": 403}),
        ("POST", "/jobs", {"kind": "match", "dataset": dataset},
         {"adviser": 202, "adviser_elsewhere": 404, "school": 403, "other_school": 403, "planner": 403,
          "other_planner": 403}),
        ("POST", "/jobs", {"kind": "suggest", "dataset": dataset, "options": {"school": "school-utrecht"}},
         {"adviser": 202, "adviser_elsewhere": 404, "school": 202, "other_school": 403, "planner": 403,
          "other_planner": 403}),
        ("POST", "/jobs", {"kind": "suggest", "dataset": dataset,
                           "options": {"school": "school-utrecht", "student": OTHER_SCHOOLS_STUDENT}},
         {"adviser_elsewhere": 404, "other_school": 403, "planner": 403, "other_planner": 403}),
        ("POST", "/jobs", {"kind": "calendar", "dataset": dataset, "options": {"max_moves": 1}},
         {"adviser": 202, "adviser_elsewhere": 404, "school": 403, "other_school": 403, "planner": 202}),
        ("POST", "/jobs", {"kind": "report", "dataset": dataset, "options": {"match_job": m}},
         {"adviser": 202, "adviser_elsewhere": 404, "school": 403, "other_school": 403, "planner": 403,
          "other_planner": 403}),
        ("GET", "/jobs", None, everyone),
        ("GET", f"/jobs/{m}", None, {"adviser": 200, "school": 200, "other_school": 200}),
        ("GET", f"/jobs/{m}/files/placements.csv", None, {"adviser": 200, "school": 200, "other_school": 200}),
        ("GET", f"/jobs/{m}/files/unplaced.csv", None, {"adviser": 200, "school": 200, "other_school": 200}),
        ("GET", f"/jobs/{m}/files/summary.json", None, {"adviser": 200}),
        ("GET", f"/jobs/{m}/files/instance.json", None, {}),
        ("GET", f"/jobs/{m}/students/{OWN_STUDENT}", None, {"adviser": 200, "school": 200}),
        ("GET", f"/jobs/{m}/students/{OTHER_SCHOOLS_STUDENT}", None, {"adviser": 200, "other_school": 200}),
        ("PUT", f"/jobs/{m}/answers/{OWN_STUDENT}", {"decision": "confirmed"},
         {"school": 200, "adviser": 403, "adviser_elsewhere": 403, "planner": 403, "other_planner": 403}),
        ("PUT", f"/jobs/{m}/answers/{OTHER_SCHOOLS_STUDENT}", {"decision": "confirmed"},
         {"adviser": 403, "adviser_elsewhere": 403, "planner": 403, "other_planner": 403}),
        ("GET", f"/jobs/{m}/answers", None, {"adviser": 200, "school": 200, "other_school": 200}),
        ("GET", f"/jobs/{s}", None, {"adviser": 200, "school": 200}),
        ("GET", f"/jobs/{s}/files/shortlists.csv", None, {"adviser": 200, "school": 200}),
        ("GET", f"/jobs/{c}", None, {"adviser": 200, "planner": 200}),
        ("GET", f"/jobs/{c}/files/calendar.csv", None, {"adviser": 200, "planner": 200}),
        ("GET", f"/jobs/{c}/files/students.csv", None, {"adviser": 200}),
        # The report and its map on their own are an adviser office's only.
        ("GET", f"/jobs/{r}", None, {"adviser": 200}),
        ("GET", f"/jobs/{r}/files/report.html", None, {"adviser": 200}),
        ("GET", f"/jobs/{r}/files/map.png", None, {"adviser": 200}),
        ("DELETE", f"/jobs/{m}", None, {"adviser": 200, "school": 403, "other_school": 403}),
        ("DELETE", f"/jobs/{s}", None, {"adviser": 200, "school": 200}),
        ("DELETE", f"/jobs/{c}", None, {"adviser": 200, "planner": 200}),
    ]


def test_every_endpoint_answers_each_role_as_the_table_says(database_url, tmp_path):
    with world(database_url, tmp_path) as w:
        dataset, jobs = _prepare(w)
        wrong, seen_by_school = [], []
        for method, path, body, expected in _matrix(dataset, jobs):
            for role in (*w.tokens, "revoked", "anonymous"):
                headers = {} if role == "anonymous" else w.headers(role)
                response = w.client.request(method, path, json=body, headers=headers)
                want = 401 if role in ("revoked", "anonymous") else expected.get(role, 404)
                if response.status_code != want:
                    wrong.append(f"{method} {path} as {role}: {response.status_code}, expected {want}: "
                                 f"{response.text[:200]}")
                if role == "school" and OTHER_SCHOOLS_STUDENT not in f"{path}{body}":  # not its own echo
                    seen_by_school.append(response.text)
        assert not wrong, "\n".join(wrong)
        # Nothing the school received names another school's student.
        assert not [text for text in seen_by_school if re.search(rf"\b{OTHER_SCHOOLS_STUDENT}\b", text)]


def test_a_school_cannot_tell_another_schools_student_from_no_student(database_url, tmp_path):
    with world(database_url, tmp_path) as w:
        dataset, jobs = _prepare(w)
        school = w.headers("school")
        match = jobs["match"]

        def answer(student_id: str):
            response = w.client.get(f"/jobs/{match}/students/{student_id}", headers=school)
            return response.status_code, response.text.replace(student_id, "<id>")

        assert answer(OTHER_SCHOOLS_STUDENT) == answer("t99-nobody") == (404, answer("t99-nobody")[1])
        shortlist = {"kind": "suggest", "dataset": dataset, "options": {"school": "school-utrecht"}}

        def asked(student_id: str):
            body = {**shortlist, "options": {**shortlist["options"], "student": student_id}}
            response = w.client.post("/jobs", json=body, headers=school)
            return response.status_code, response.text.replace(student_id, "<id>")

        assert asked(OTHER_SCHOOLS_STUDENT) == asked("t99-nobody")
        assert asked(OTHER_SCHOOLS_STUDENT)[0] == 404
        # Its own rows only, in both files of the match; its count is its own students'.
        for name in ("placements.csv", "unplaced.csv"):
            rows = w.client.get(f"/jobs/{match}/files/{name}", headers=school).text.splitlines()[1:]
            assert all(",school-utrecht," in row for row in rows)
        listed = w.client.get("/datasets", headers=school).json()
        assert [d["students"] for d in listed] == [4]
        assert listed[0]["files"] is None and listed[0]["content_hash"] is None


def test_a_token_works_until_it_is_revoked(database_url, tmp_path):
    with world(database_url, tmp_path) as w:
        from matcher.app.service.core import Service

        service = Service(w.settings)
        token_id, token = service.create_token("ROC Utrecht", label="laptop")
        assert w.client.get("/me", headers=bearer(token)).json()["organisation"] == "ROC Utrecht"
        service.revoke_token(token_id)
        assert w.client.get("/me", headers=bearer(token)).status_code == 401
        # Only the token's hash is stored.
        with service.engine.connect() as connection:
            stored = " ".join(str(row) for row in connection.exec_driver_sql("SELECT * FROM tokens"))
        assert token not in stored and token[3:] not in stored
        service.engine.dispose()
