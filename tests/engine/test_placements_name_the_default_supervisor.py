"""``placements.csv`` names the company's default supervisor, not an empty cell.

The defect: a vacancy without a ``supervisor_id`` (SPEC: guided by the
company's one default supervisor) got an empty supervisor cell, so an adviser
could not tell "the company's own supervisor" from a missing value.
"""

from __future__ import annotations

import csv

from matcher.engine.solve import solve
from matcher.verify.checker import check_result
from models import Policy, Supervisor, default_supervisor_id
from tests.support.builders import instance, student, vacancy


def test_default_supervisor_is_named_and_the_checker_agrees(tmp_path):
    inst = instance(
        [student("s1"), student("s2")],
        [vacancy("v1"), vacancy("v2", supervisor_id="sup-2")],
        supervisors=(Supervisor(supervisor_id="sup-2", company_id="co-v2", capacity=1),),
    )
    out = solve(inst).write(tmp_path / "result")
    with open(out / "placements.csv", newline="", encoding="utf-8") as fh:
        named = {row["vacancy_id"]: row["supervisor_id"] for row in csv.DictReader(fh)}
    assert named == {"v1": default_supervisor_id("co-v1"), "v2": "sup-2"}
    assert check_result(inst, out, Policy()).ok


def test_the_checker_refuses_a_wrong_default_supervisor(tmp_path):
    inst = instance([student("s1")], [vacancy("v1")])
    out = solve(inst).write(tmp_path / "result")
    path = out / "placements.csv"
    path.write_text(path.read_text().replace(default_supervisor_id("co-v1"), "default:someone-else"))
    report = check_result(inst, out, Policy())
    assert [v.kind for v in report.violations] == ["wrong_reference"]
