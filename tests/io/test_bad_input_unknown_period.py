"""A student or vacancy names a period that periods.csv does not list."""

from tests.support.io_fixtures import expect_input_error, set_cell, valid_tables, write_tables


def test_student_with_unknown_period(tmp_path):
    tables = valid_tables()
    set_cell(tables, "students", 4, "periods", "P2|P9")
    write_tables(tmp_path, tables)
    expect_input_error(tmp_path, file="students.csv", row=4, column="periods",
                       says=("unknown period", "'P9'", "periods.csv"))


def test_vacancy_period_without_periods_file(tmp_path):
    tables = valid_tables()
    del tables["periods"]
    for row in (2, 4):
        set_cell(tables, "students", row, "periods", "")
    set_cell(tables, "vacancies", 2, "periods", "Q1")
    write_tables(tmp_path, tables)
    expect_input_error(tmp_path, file="vacancies.csv", row=2, column="periods",
                       says=("unknown period", "'Q1'", "only period is 'year'"))
