"""A required file of the instance folder is absent, or has no header."""

import pytest

from tests.support.io_fixtures import expect_input_error, valid_tables, write_tables


@pytest.mark.parametrize("stem", ["students", "vacancies"])
def test_missing_required_file(tmp_path, stem):
    write_tables(tmp_path, valid_tables())
    (tmp_path / f"{stem}.csv").unlink()
    expect_input_error(tmp_path, file=f"{stem}.csv", row=None, column=None,
                       says=(f"{stem}.csv", "required file missing"))


def test_file_without_header(tmp_path):
    write_tables(tmp_path, valid_tables())
    (tmp_path / "vacancies.csv").write_text("", encoding="utf-8")
    expect_input_error(tmp_path, file="vacancies.csv", row=1, column=None,
                       says=("no header",))
