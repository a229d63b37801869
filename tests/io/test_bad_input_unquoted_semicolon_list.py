"""A ';'-separated list left unquoted in a semicolon-separated file spills into extra cells."""

from tests.support.io_fixtures import expect_input_error, set_cell, valid_tables, write_tables

from matcher.io import read_instance


def test_unquoted_list_spills_into_extra_cells(tmp_path):
    tables = valid_tables()
    write_tables(tmp_path, tables, delimiter=";")
    path = tmp_path / "students.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    # Row 2 has periods "P1|P2"; write it the way a hand-edited file would.
    lines[1] = lines[1].replace("P1|P2", "P1;P2")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    expect_input_error(tmp_path, file="students.csv", row=2, column=None,
                       says=("cells but the header has", "in quotes", "'|'"))


def test_quoted_list_in_semicolon_file_is_fine(tmp_path):
    tables = valid_tables()
    set_cell(tables, "students", 2, "periods", "P1;P2")
    write_tables(tmp_path, tables, delimiter=";")
    assert '"P1;P2"' in (tmp_path / "students.csv").read_text(encoding="utf-8")
    assert read_instance(tmp_path).students[0].periods == ("P1", "P2")
