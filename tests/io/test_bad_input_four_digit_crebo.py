"""A crebo that lost its leading zero (or a digit)."""

import pyarrow as pa
import pyarrow.parquet as pq

from tests.support.io_fixtures import expect_input_error, set_cell, valid_tables, write_tables


def test_four_digit_student_crebo(tmp_path):
    tables = valid_tables()
    set_cell(tables, "students", 3, "crebo", "1234")
    write_tables(tmp_path, tables)
    expect_input_error(tmp_path, file="students.csv", row=3, column="crebo",
                       says=("'1234'", "crebo has 5 digits", "leading zeros count"))


def test_four_digit_crebo_in_vacancy_list(tmp_path):
    tables = valid_tables()
    set_cell(tables, "vacancies", 3, "crebo", "25029|5038")
    write_tables(tmp_path, tables)
    expect_input_error(tmp_path, file="vacancies.csv", row=3, column="crebo",
                       says=("'5038'", "crebo has 5 digits"))


def test_integer_typed_parquet_crebo_loses_leading_zero(tmp_path):
    tables = valid_tables()
    set_cell(tables, "students", 2, "crebo", "01234")
    write_tables(tmp_path, tables)
    # A spreadsheet tool that typed the column as a number stores 1234.
    (tmp_path / "students.csv").unlink()
    rows = tables["students"]
    columns = {c: [r[c] or None for r in rows] for c in rows[0]}
    columns["crebo"] = [int(r["crebo"]) for r in rows]
    pq.write_table(pa.table(columns), tmp_path / "students.parquet")
    expect_input_error(tmp_path, file="students.parquet", row=2, column="crebo",
                       says=("'1234'", "leading zeros count"))
