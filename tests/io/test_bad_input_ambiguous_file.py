"""The same table is present twice: as CSV and Parquet, or in two spellings of its name."""

import pytest

from tests.support.io_fixtures import expect_input_error, valid_tables, write_tables

from matcher.io import read_instance, write_instance


def test_csv_and_parquet_of_the_same_table(tmp_path):
    instance = read_instance(write_tables(tmp_path / "csv", valid_tables()))
    write_instance(instance, tmp_path / "pq", fmt="parquet")
    folder = write_tables(tmp_path / "both", valid_tables())
    parquet = (tmp_path / "pq" / "companies.parquet").read_bytes()
    (folder / "companies.parquet").write_bytes(parquet)
    expect_input_error(folder, file="companies.csv", row=None, column=None,
                       says=("companies.csv and companies.parquet", "keep only one"))


def test_same_table_in_two_spellings(tmp_path):
    folder = write_tables(tmp_path, valid_tables())
    (folder / "Periods.CSV").write_bytes((folder / "periods.csv").read_bytes())
    if len([p for p in folder.iterdir() if p.name.lower() == "periods.csv"]) < 2:
        pytest.skip("the file system ignores case")
    expect_input_error(folder, file="Periods.CSV", row=None, column=None,
                       says=("Periods.CSV and periods.csv",))
