"""A company's sector was not checked: 'Zorg' for 'Zorg/welzijn/sport' was
accepted and split the statistics. An unknown sector is refused with the known
names and a hint; another case or spacing reads as the catalogue's name, with
a warning."""

import pytest

from matcher.geo.catalogue import sectors
from matcher.io import read_instance_with_report
from tests.support.io_fixtures import expect_input_error, set_cell, valid_tables, write_tables


@pytest.mark.parametrize(
    ("given", "hint"),
    [("Zorg", "'Zorg/welzijn/sport'"), ("ICT", "'ICT/creatief'"),
     ("Techniek/gebouwde omgevng", "'Techniek/gebouwde omgeving'"), ("Bakkerij", None)],
)
def test_unknown_sector(tmp_path, given, hint):
    tables = valid_tables()
    set_cell(tables, "companies", 3, "sector", given)
    write_tables(tmp_path, tables)
    error = expect_input_error(tmp_path, file="companies.csv", row=3, column="sector",
                               says=(f"unknown sector {given!r}", *sectors()))
    assert ("did you mean" in error.message) == (hint is not None)
    if hint:
        assert f"did you mean {hint}" in error.message


def test_other_case_and_spacing_read_as_the_catalogue_name(tmp_path):
    tables = valid_tables()
    set_cell(tables, "companies", 2, "sector", "voedsel / groen / gastvrijheid")
    set_cell(tables, "companies", 3, "sector", "TECHNIEK/gebouwde omgeving ")
    write_tables(tmp_path, tables)
    instance, report = read_instance_with_report(tmp_path)
    assert [c.sector for c in instance.companies] == ["Voedsel/groen/gastvrijheid",
                                                      "Techniek/gebouwde omgeving"]
    assert [(w.file, w.row, w.column) for w in report.warnings] == [
        ("companies.csv", 2, "sector"), ("companies.csv", 3, "sector")]
    assert "read as 'Voedsel/groen/gastvrijheid'" in report.warnings[0].message


def test_empty_sector_is_not_given(tmp_path):
    tables = valid_tables()
    set_cell(tables, "companies", 2, "sector", "")
    write_tables(tmp_path, tables)
    instance, report = read_instance_with_report(tmp_path)
    assert instance.companies[0].sector is None and report.warnings == ()
