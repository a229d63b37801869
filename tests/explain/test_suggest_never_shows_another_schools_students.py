"""A school never sees another school's students in ``stagematch suggest``.

Neither the CSV nor the printed table may contain any other school's student
id, and every row belongs to one of the school's own students. The effect
column says what a place does to others in words from a fixed vocabulary,
never naming anyone.
"""

import re

import pandas as pd
import pytest
from typer.testing import CliRunner

from matcher.app.cli import app
from tests.support.regions import written_region

SCHOOL = "S-AM13-04"
EFFECT_PHRASES = re.compile(
    r"the student's place in the optimum|a free place|needs a duo place"
    r"|displaces a student, who is placed elsewhere|moves \d+ other students"
    r"|one student fewer is placed|\d+ fewer students are placed"
    r"|another student loses their place|\d+ other students lose their places"
)
runner = CliRunner()


@pytest.fixture(scope="module")
def region(tmp_path_factory):
    return written_region(tmp_path_factory, "suggest", 1500, 5)


def test_suggest_output_has_only_the_schools_own_students(region, tmp_path):
    folder, instance = region
    own = {s.student_id for s in instance.students if s.school_id == SCHOOL}
    others = {s.student_id for s in instance.students} - own
    out = tmp_path / "shortlists.csv"
    result = runner.invoke(app, ["suggest", str(folder), "--school", SCHOOL, "-k", "4", "--show", "1000",
                                 "--out", str(out), "--jobs", "1"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert len(table) and set(table["student_id"]) <= own
    printed_ids = set(re.findall(r"st-AM13-\d{6}", result.output))
    assert printed_ids and printed_ids <= own
    text = out.read_text(encoding="utf-8") + result.output
    assert not [sid for sid in others if sid in text]
    for effect in table["effect"]:
        assert all(EFFECT_PHRASES.fullmatch(part) for part in effect.split("; ")), effect
    # The effects do speak of other students: the vocabulary is exercised, without names.
    assert table["effect"].str.contains("displaces|moves|fewer|loses").any()


def test_suggest_for_one_student_shows_only_that_student(region, tmp_path):
    folder, instance = region
    student = sorted(s.student_id for s in instance.students if s.school_id == SCHOOL)[3]
    out = tmp_path / "one.csv"
    result = runner.invoke(app, ["suggest", str(folder), "--school", SCHOOL, "--student", student,
                                 "--out", str(out), "--jobs", "1"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert set(table["student_id"]) == {student}
    assert set(re.findall(r"st-AM13-\d{6}", result.output)) == {student}
