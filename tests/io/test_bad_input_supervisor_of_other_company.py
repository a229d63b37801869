"""A vacancy names a supervisor who works for another company."""

from tests.support.io_fixtures import expect_input_error, set_cell, valid_tables, write_tables


def test_supervisor_of_other_company(tmp_path):
    tables = valid_tables()
    set_cell(tables, "vacancies", 2, "supervisor_id", "SUP2")
    write_tables(tmp_path, tables)
    expect_input_error(tmp_path, file="vacancies.csv", row=2, column="supervisor_id",
                       says=("'SUP2'", "belongs to company 'C2'", "not to 'C1'"))
