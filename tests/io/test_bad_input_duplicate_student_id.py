"""Two students share an id."""

from tests.support.io_fixtures import expect_input_error, set_cell, valid_tables, write_tables


def test_duplicate_student_id_points_at_second_row(tmp_path):
    tables = valid_tables()
    set_cell(tables, "students", 4, "student_id", "S1")
    write_tables(tmp_path, tables)
    expect_input_error(tmp_path, file="students.csv", row=4, column="student_id",
                       says=("duplicate", "'S1'", "first on row 2"))
