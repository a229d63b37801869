"""A vacancy with a negative number of places."""

from tests.support.io_fixtures import expect_input_error, set_cell, valid_tables, write_tables


def test_negative_places(tmp_path):
    tables = valid_tables()
    set_cell(tables, "vacancies", 3, "places", "-1")
    write_tables(tmp_path, tables)
    expect_input_error(tmp_path, file="vacancies.csv", row=3, column="places",
                       says=("places -1", "negative"))
