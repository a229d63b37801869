"""`match --remedies` on instances with nothing to place: every place 0, no students, one
student and no vacancies. Each runs to the end (exit 0, checked), lists every student in
unplaced.csv with a remedy, and the remedy applied alone places the student."""

import csv

import pytest
from typer.testing import CliRunner

from matcher.app.cli import app
from matcher.engine.solve import solve_in_detail
from matcher.explain.remedy import find_remedies
from matcher.io import write_instance
from tests.support.builders import instance, student, vacancy
from tests.support.remedies import check_remedies

runner = CliRunner()

CASES = {
    "every place 0": instance([student("s1"), student("s2", level=2)],
                              [vacancy("v1", places=0), vacancy("v2", places=0, duo=True)]),
    "no students": instance([], [vacancy("v1"), vacancy("v2", places=0)]),
    "one student, no vacancies": instance([student("s1")], []),
}


@pytest.mark.parametrize("case", CASES)
def test_match_with_remedies_exits_0_and_lists_every_student(case, tmp_path):
    write_instance(CASES[case], tmp_path / "instance")
    out = tmp_path / "result"
    ran = runner.invoke(app, ["match", str(tmp_path / "instance"), "--out", str(out), "--remedies", "-q"])
    assert ran.exit_code == 0, ran.output
    assert "Independent check: passed" in ran.output
    with open(out / "unplaced.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["student_id"] for r in rows] == sorted(s.student_id for s in CASES[case].students)
    for row in rows:
        assert row["remedy"] == "recruit", row
        assert row["detail"] and row["remedy_detail"], row


@pytest.mark.parametrize("case", CASES)
def test_find_remedies_gives_a_remedy_that_places_the_student(case):
    solved = solve_in_detail(CASES[case], certificate=False)
    found = find_remedies(solved)
    assert list(found["student_id"]) == sorted(s.student_id for s in CASES[case].students)
    check_remedies(CASES[case])
