"""A vacancy or supervisor names a company that companies.csv does not list."""

from tests.support.io_fixtures import expect_input_error, set_cell, valid_tables, write_tables

from matcher.io import read_instance


def test_vacancy_with_unknown_company(tmp_path):
    tables = valid_tables()
    set_cell(tables, "vacancies", 3, "company_id", "C99")
    set_cell(tables, "vacancies", 3, "supervisor_id", "")
    write_tables(tmp_path, tables)
    expect_input_error(tmp_path, file="vacancies.csv", row=3, column="company_id",
                       says=("unknown company_id", "'C99'", "companies.csv"))


def test_supervisor_with_unknown_company(tmp_path):
    tables = valid_tables()
    set_cell(tables, "supervisors", 3, "company_id", "C42")
    write_tables(tmp_path, tables)
    expect_input_error(tmp_path, file="supervisors.csv", row=3, column="company_id",
                       says=("unknown company_id", "'C42'"))


def test_without_companies_file_any_company_id_is_accepted(tmp_path):
    tables = valid_tables()
    del tables["companies"]
    set_cell(tables, "vacancies", 3, "company_id", "C99")
    set_cell(tables, "vacancies", 3, "supervisor_id", "")
    write_tables(tmp_path, tables)
    assert read_instance(tmp_path).vacancies[1].company_id == "C99"
