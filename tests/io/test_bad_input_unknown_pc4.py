"""A PC4 with the right shape that names no postcode area."""

from tests.support.io_fixtures import expect_input_error, set_cell, valid_tables, write_tables

from matcher.geo import tables


def _unused_pc4() -> str:
    known = tables.known_pc4()
    return next(str(code) for code in range(1000, 10_000) if str(code) not in known)


def test_unknown_pc4(tmp_path):
    missing = _unused_pc4()
    tables = valid_tables()
    set_cell(tables, "students", 3, "pc4", missing)
    write_tables(tmp_path, tables)
    expect_input_error(tmp_path, file="students.csv", row=3, column="pc4",
                       says=(missing, "does not exist"))


def test_malformed_pc4(tmp_path):
    tables = valid_tables()
    set_cell(tables, "vacancies", 2, "pc4", "3511AB")
    write_tables(tmp_path, tables)
    expect_input_error(tmp_path, file="vacancies.csv", row=2, column="pc4",
                       says=("'3511AB'", "4 digits"))
