"""``stagematch suggest`` refuses a student of another school and an unknown
school with a clear error, before solving, and without telling which school a
refused student belongs to."""

import pytest
from typer.testing import CliRunner

from matcher.app.cli import app
from tests.support.regions import written_region

runner = CliRunner()


@pytest.fixture(scope="module")
def region(tmp_path_factory):
    return written_region(tmp_path_factory, "refuse", 300, 2)


def test_student_of_another_school_is_refused(region):
    folder, instance = region
    other = next(s for s in instance.students if s.school_id != "S-AM13-01")
    result = runner.invoke(app, ["suggest", str(folder), "--school", "S-AM13-01", "--student", other.student_id],
                           env={"COLUMNS": "200"})
    assert result.exit_code == 2
    assert f"student '{other.student_id}' is not a student of school 'S-AM13-01'" in result.output
    assert other.school_id not in result.output


def test_unknown_student_is_refused_the_same_way(region):
    folder, _ = region
    result = runner.invoke(app, ["suggest", str(folder), "--school", "S-AM13-01", "--student", "st-nobody"],
                           env={"COLUMNS": "200"})
    assert result.exit_code == 2
    assert "student 'st-nobody' is not a student of school 'S-AM13-01'" in result.output


def test_unknown_school_is_refused(region):
    folder, _ = region
    result = runner.invoke(app, ["suggest", str(folder), "--school", "S-NOWHERE"], env={"COLUMNS": "200"})
    assert result.exit_code == 2
    assert "school 'S-NOWHERE' has no students in this instance" in result.output


def test_school_without_students_in_the_region_is_refused(region):
    folder, _ = region
    result = runner.invoke(app, ["suggest", str(folder), "--school", "S-AM13-01", "--region", "AM01"],
                           env={"COLUMNS": "200"})
    assert result.exit_code == 2
    assert "school 'S-AM13-01' has no students in this instance" in result.output
