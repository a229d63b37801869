"""A count that is not a whole number."""

import pytest

from tests.support.io_fixtures import expect_input_error, set_cell, valid_tables, write_tables


@pytest.mark.parametrize("value", ["2.5", "twee", "2,0"])
def test_non_integer_places(tmp_path, value):
    tables = valid_tables()
    set_cell(tables, "vacancies", 2, "places", value)
    write_tables(tmp_path, tables)
    expect_input_error(tmp_path, file="vacancies.csv", row=2, column="places",
                       says=(repr(value), "not a whole number"))
