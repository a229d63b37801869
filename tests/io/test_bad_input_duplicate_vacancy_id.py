"""Two vacancies share an id."""

from tests.support.io_fixtures import expect_input_error, set_cell, valid_tables, write_tables


def test_duplicate_vacancy_id_points_at_second_row(tmp_path):
    tables = valid_tables()
    set_cell(tables, "vacancies", 3, "vacancy_id", "V1")
    write_tables(tmp_path, tables)
    expect_input_error(tmp_path, file="vacancies.csv", row=3, column="vacancy_id",
                       says=("duplicate", "'V1'", "first on row 2"))
