"""students.csv carries a column with personal data or a protected characteristic."""

import pytest

from tests.support.io_fixtures import add_column, expect_input_error, valid_tables, write_tables

from matcher.io import read_instance


@pytest.mark.parametrize("header", ["naam", "Geboortedatum", "E-mail", "BSN", "gender"])
def test_personal_data_column_is_refused(tmp_path, header):
    tables = valid_tables()
    add_column(tables, "students", header, "x")
    write_tables(tmp_path, tables)
    expect_input_error(tmp_path, file="students.csv", row=1, column=header.lower(),
                       says=("personal data", "pseudonymous ids only"))


def test_name_column_is_fine_for_companies(tmp_path):
    tables = valid_tables()
    write_tables(tmp_path, tables)
    assert read_instance(tmp_path).companies[0].name == "Bakkerij De Korenschoof"
