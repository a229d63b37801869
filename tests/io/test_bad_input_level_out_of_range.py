"""A level outside 1-4."""

from tests.support.io_fixtures import expect_input_error, set_cell, valid_tables, write_tables


def test_level_7(tmp_path):
    tables = valid_tables()
    set_cell(tables, "students", 3, "level", "7")
    write_tables(tmp_path, tables)
    expect_input_error(tmp_path, file="students.csv", row=3, column="level",
                       says=("level 7", "1-4"))


def test_vacancy_max_level_0(tmp_path):
    tables = valid_tables()
    set_cell(tables, "vacancies", 2, "max_level", "0")
    write_tables(tmp_path, tables)
    expect_input_error(tmp_path, file="vacancies.csv", row=2, column="max_level",
                       says=("max_level 0", "1-4"))


def test_min_level_above_max_level(tmp_path):
    tables = valid_tables()
    set_cell(tables, "vacancies", 2, "min_level", "4")
    set_cell(tables, "vacancies", 2, "max_level", "3")
    write_tables(tmp_path, tables)
    expect_input_error(tmp_path, file="vacancies.csv", row=2, column="min_level",
                       says=("min_level 4 exceeds max_level 3",))
