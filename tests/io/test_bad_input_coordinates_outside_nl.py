"""Coordinates that lie outside the Netherlands (and are not merely swapped)."""

from tests.support.io_fixtures import expect_input_error, set_cell, valid_tables, write_tables


def test_coordinates_in_paris(tmp_path):
    tables = valid_tables()
    set_cell(tables, "students", 4, "lat", "48.8566")
    set_cell(tables, "students", 4, "lon", "2.3522")
    write_tables(tmp_path, tables)
    error = expect_input_error(tmp_path, file="students.csv", row=4, column="lat",
                               says=("outside the netherlands", "48.8566"))
    assert "swapped" not in error.message


def test_only_lat_given(tmp_path):
    tables = valid_tables()
    set_cell(tables, "vacancies", 3, "lon", "")
    write_tables(tmp_path, tables)
    expect_input_error(tmp_path, file="vacancies.csv", row=3, column="lon",
                       says=("both lat and lon",))
