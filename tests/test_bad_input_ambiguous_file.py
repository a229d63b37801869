"""Both a CSV and a Parquet version of the same table are present."""

from io_fixtures import expect_input_error, valid_tables, write_tables

from matcher.io import read_instance, write_instance


def test_csv_and_parquet_of_the_same_table(tmp_path):
    instance = read_instance(write_tables(tmp_path / "csv", valid_tables()))
    write_instance(instance, tmp_path / "pq", fmt="parquet")
    folder = write_tables(tmp_path / "both", valid_tables())
    (folder / "companies.parquet").write_bytes((tmp_path / "pq" / "companies.parquet").read_bytes())
    expect_input_error(folder, file="companies.csv", row=None, column=None,
                       says=("companies.csv and companies.parquet", "keep only one"))
