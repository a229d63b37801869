"""Latitude and longitude entered the wrong way round."""

from tests.support.io_fixtures import expect_input_error, set_cell, valid_tables, write_tables


def test_swapped_lat_lon(tmp_path):
    tables = valid_tables()
    set_cell(tables, "vacancies", 3, "lat", "4.9041")
    set_cell(tables, "vacancies", 3, "lon", "52.3676")
    write_tables(tmp_path, tables)
    expect_input_error(tmp_path, file="vacancies.csv", row=3, column="lat",
                       says=("swapped",))
