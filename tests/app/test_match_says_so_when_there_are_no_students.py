"""`stagematch match` on an instance (or a region) without students says so in words
instead of printing a placement rate of 0.0 %."""

from typer.testing import CliRunner

from matcher.app.cli import app
from matcher.io import write_instance
from tests.support.builders import instance, student, vacancy

runner = CliRunner()


def test_no_students_prints_a_clear_line_and_no_rate(tmp_path):
    write_instance(instance([], [vacancy("v1")]), tmp_path / "instance")
    ran = runner.invoke(app, ["match", str(tmp_path / "instance"), "--out", str(tmp_path / "r"), "-q"])
    assert ran.exit_code == 0, ran.output
    assert "No students in this instance" in ran.output
    rate_column = [line for line in ran.output.splitlines() if line.startswith("all ")]
    assert rate_column and "0.0" not in rate_column[0] and "–" in rate_column[0]


def test_no_students_in_the_region_names_the_region(tmp_path):
    # The one student lives in Utrecht (AM13); Groningen's region AM01 has none.
    write_instance(instance([student("s1")], [vacancy("v1")]), tmp_path / "instance")
    ran = runner.invoke(app, ["match", str(tmp_path / "instance"), "--out", str(tmp_path / "r"), "-q",
                              "--region", "AM01"])
    assert ran.exit_code == 0, ran.output
    assert "No students in region AM01" in ran.output
