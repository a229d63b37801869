"""A required column is absent from the header."""

import pytest

from tests.support.io_fixtures import drop_column, expect_input_error, valid_tables, write_tables


@pytest.mark.parametrize(
    ("file", "column"),
    [("students", "crebo"), ("students", "level"), ("vacancies", "places"),
     ("supervisors", "capacity")],
)
def test_missing_required_column_is_named(tmp_path, file, column):
    tables = valid_tables()
    drop_column(tables, file, column)
    write_tables(tmp_path, tables)
    expect_input_error(tmp_path, file=f"{file}.csv", row=1, column=column,
                       says=("missing required column",))


def test_location_needs_pc4_or_lat_and_lon(tmp_path):
    tables = valid_tables()
    for column in ("pc4", "lon"):
        drop_column(tables, "vacancies", column)
    write_tables(tmp_path, tables)
    expect_input_error(tmp_path, file="vacancies.csv", row=1, column="lon",
                       says=("missing required column",))
