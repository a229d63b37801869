"""Dutch or Stagemarkt-style headers (niveau, leerweg, crebocode, aantal,
postcode, ...) failed one column per run with no hint. The documented aliases
are read; every missing required column is listed at once, with "did you mean"
hints; names and real student numbers are never aliased, and a full postcode
is refused in favour of its PC4."""

import re

import pytest

from matcher.io import read_instance
from matcher.io.read import PERSONAL_DATA_HEADERS, STUDENT_NUMBER_HEADERS, TABLES, header_key
from tests.support.io_fixtures import add_column, expect_input_error, set_cell, valid_tables, write_tables
from tests.support.paths import README


def _rename(tables, file, names):
    tables[file] = [{names.get(k, k): v for k, v in row.items()} for row in tables[file]]


def test_dutch_headers_read_like_the_english_ones(tmp_path):
    plain = read_instance(write_tables(tmp_path / "plain", valid_tables()), name="x")
    tables = valid_tables()
    _rename(tables, "students", {
        "school_id": "Instelling", "crebo": "Crebocode", "level": "Niveau", "pathway": "Leerweg",
        "year": "Leerjaar", "pc4": "Postcode", "periods": "Periodes",
        "extra_guidance": "Extra begeleiding", "preferences": "Voorkeuren",
        "needs_accessible": "toegankelijk_nodig"})
    _rename(tables, "vacancies", {
        "vacancy_id": "Vacature ID", "company_id": "Leerbedrijf ID", "crebo": "crebo_code",
        "pathway": "leerweg", "places": "Aantal plaatsen", "min_level": "min_niveau",
        "max_level": "max_niveau", "accessible": "Toegankelijk"})
    _rename(tables, "supervisors", {"supervisor_id": "praktijkopleider_id",
                                    "capacity": "capaciteit"})
    _rename(tables, "companies", {"company_id": "bedrijf_id", "region": "regio"})
    _rename(tables, "periods", {"period_id": "periode", "start": "begindatum", "end": "einddatum"})
    assert read_instance(write_tables(tmp_path / "dutch", tables), name="x") == plain


def test_headers_match_by_letters_and_digits(tmp_path):
    plain = read_instance(write_tables(tmp_path / "plain", valid_tables()), name="x")
    tables = valid_tables()
    _rename(tables, "students", {"student_id": "Student-ID", "crebo": "CREBO"})
    assert read_instance(write_tables(tmp_path / "odd", tables), name="x") == plain


def test_every_missing_column_is_named_at_once_with_hints(tmp_path):
    tables = valid_tables()
    _rename(tables, "students", {"crebo": "crebo_nr", "level": "nivo", "pathway": "soort"})
    write_tables(tmp_path, tables)
    error = expect_input_error(tmp_path, file="students.csv", row=1, column=None,
                               says=("missing required columns 'crebo', 'level', 'pathway'",))
    assert "did you mean 'crebo_nr' for 'crebo', 'nivo' for 'level'?" in error.message
    assert "'soort'" not in error.message  # too far from 'pathway' or 'leerweg'


def test_missing_columns_and_location_together(tmp_path):
    tables = valid_tables()
    for column in ("places", "pc4", "lat", "lon"):
        for row in tables["vacancies"]:
            del row[column]
    write_tables(tmp_path, tables)
    expect_input_error(tmp_path, file="vacancies.csv", row=1, column=None,
                       says=("missing required columns 'places', 'pc4'",
                             "give pc4, or lat and lon"))


def test_one_missing_column_is_still_named_as_the_column(tmp_path):
    tables = valid_tables()
    _rename(tables, "vacancies", {"places": "plekken"})
    write_tables(tmp_path, tables)
    expect_input_error(tmp_path, file="vacancies.csv", row=1, column="places",
                       says=("missing required column",))


def test_a_column_given_twice_under_two_names_is_refused(tmp_path):
    tables = valid_tables()
    add_column(tables, "students", "niveau", "2")
    write_tables(tmp_path, tables)
    expect_input_error(tmp_path, file="students.csv", row=1, column="niveau",
                       says=("'level' and 'niveau' both give level", "keep only one"))


@pytest.mark.parametrize("header", ["studentnummer", "Leerlingnummer", "student_number", "OV-nummer"])
def test_real_student_numbers_are_refused(tmp_path, header):
    tables = valid_tables()
    add_column(tables, "students", header, "123456")
    write_tables(tmp_path, tables)
    expect_input_error(tmp_path, file="students.csv", row=1, column=header.lower(),
                       says=("student numbers", "personal data", "pseudonymous student_id"))


def test_studentnummer_instead_of_student_id_is_refused_not_aliased(tmp_path):
    tables = valid_tables()
    _rename(tables, "students", {"student_id": "studentnummer"})
    write_tables(tmp_path, tables)
    expect_input_error(tmp_path, file="students.csv", row=1, column="studentnummer",
                       says=("personal data", "pseudonymous student_id"))


@pytest.mark.parametrize("value", ["3511AB", "3511 ab"])
def test_full_postcode_is_refused_in_favour_of_pc4(tmp_path, value):
    tables = valid_tables()
    _rename(tables, "students", {"pc4": "postcode"})
    set_cell(tables, "students", 2, "postcode", value)
    write_tables(tmp_path, tables)
    expect_input_error(tmp_path, file="students.csv", row=2, column="postcode",
                       says=(f"{value!r} is a full postcode", "'3511'", "4 digits"))


def test_aliases_are_unambiguous_and_never_personal():
    for spec in TABLES:
        names = [header_key(n) for c in spec.columns for n in (c.name, *c.aliases)]
        assert len(names) == len(set(names)), spec.stem
        aliases = {header_key(n) for c in spec.columns for n in c.aliases}
        assert not aliases & (PERSONAL_DATA_HEADERS | STUDENT_NUMBER_HEADERS), spec.stem


def test_readme_lists_every_alias():
    text = README.read_text(encoding="utf-8")
    section = text[text.index("Dutch column names"):]
    listed = set(re.findall(r"`([a-z0-9_]+)`", section[:section.index("\n### ")]))
    for spec in TABLES:
        for column in spec.columns:
            for alias in column.aliases:
                assert alias in listed, (spec.stem, column.name, alias)
