"""A yes/no cell holding something else."""

from tests.support.io_fixtures import expect_input_error, set_cell, valid_tables, write_tables


def test_bad_boolean(tmp_path):
    tables = valid_tables()
    set_cell(tables, "students", 3, "needs_accessible", "misschien")
    write_tables(tmp_path, tables)
    expect_input_error(tmp_path, file="students.csv", row=3, column="needs_accessible",
                       says=("'misschien'", "true/false", "ja/nee"))


def test_first_bad_cell_in_file_order_is_reported(tmp_path):
    tables = valid_tables()
    set_cell(tables, "vacancies", 3, "duo", "soms")
    set_cell(tables, "vacancies", 2, "places", "-3")
    write_tables(tmp_path, tables)
    expect_input_error(tmp_path, file="vacancies.csv", row=2, column="places",
                       says=("negative",))
