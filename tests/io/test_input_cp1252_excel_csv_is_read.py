"""A CSV that Dutch Excel saved as "CSV (gescheiden door lijstscheidingsteken)"
is Windows-1252 with ';' and CRLF; it was refused as "not UTF-8". It is read,
and the encoding read is recorded per file (and in summary.json); bytes that
mean nothing in Windows-1252, NUL bytes and UTF-16 stay clear errors."""

import pytest

from matcher.engine.solve import solve
from matcher.io import read_instance, read_instance_with_report
from tests.support.io_fixtures import expect_input_error, set_cell, valid_tables, write_tables


def _as_dutch_excel(path, text=None):
    """Rewrite a UTF-8 CSV file as Dutch Excel saves it: cp1252, ';', CRLF (or
    write ``text``, already ';'-separated, that way)."""
    if text is None:
        text = path.read_text(encoding="utf-8").replace(",", ";")
    path.write_bytes(("\r\n".join(text.splitlines()) + "\r\n").encode("cp1252"))


def test_cp1252_file_is_read_like_its_utf8_twin(tmp_path):
    tables = valid_tables()
    set_cell(tables, "companies", 3, "name", "Café Zoë (’s-Hertogenbosch) – €")
    utf8 = read_instance(write_tables(tmp_path / "utf8", tables), name="x")
    folder = write_tables(tmp_path / "excel", tables)
    for stem in ("companies", "students"):
        _as_dutch_excel(folder / f"{stem}.csv")
    raw = (folder / "companies.csv").read_bytes()
    assert b"Caf\xe9 Zo\xeb" in raw and b"\x80" in raw and b"\r\n" in raw
    instance, report = read_instance_with_report(folder, name="x")
    assert instance == utf8
    assert instance.companies[1].name == "Café Zoë (’s-Hertogenbosch) – €"
    encodings = {f.table: f.encoding for f in report.files}
    assert encodings == {"students": "utf-8", "vacancies": "utf-8", "supervisors": "utf-8",
                         "companies": "cp1252", "periods": "utf-8"}  # ASCII is UTF-8 too


def test_decimal_commas_in_a_cp1252_file(tmp_path):
    tables = valid_tables()
    folder = write_tables(tmp_path, tables)
    text = (folder / "students.csv").read_text(encoding="utf-8").replace(",", ";")
    text = text.replace("52.0907", "52,0907").replace("5.1214", "5,1214")
    _as_dutch_excel(folder / "students.csv", text.replace("SCH2", "Zoë-school"))
    student = read_instance(folder).students[2]
    assert (student.lat, student.lon, student.school_id) == (52.0907, 5.1214, "Zoë-school")


def test_utf8_with_and_without_bom_is_recorded(tmp_path):
    folder = write_tables(tmp_path, valid_tables())
    path = folder / "periods.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    instance, report = read_instance_with_report(folder)
    assert {f.table: f.encoding for f in report.files}["periods"] == "utf-8-sig"
    assert [p.period_id for p in instance.periods] == ["P1", "P2"]


def test_summary_json_records_the_encodings(tmp_path):
    folder = write_tables(tmp_path, valid_tables())
    text = (folder / "companies.csv").read_text(encoding="utf-8").replace(",", ";")
    _as_dutch_excel(folder / "companies.csv", text.replace("Van", "Vän"))
    instance, report = read_instance_with_report(folder)
    summary = solve(instance, input_report=report).summary
    files = {f["table"]: f for f in summary["input"]["files"]}
    assert files["companies"] == {"table": "companies", "file": "companies.csv",
                                  "format": "csv", "encoding": "cp1252", "sheet": None}
    assert summary["input"]["warnings"] == []
    assert "input" not in solve(instance).summary


@pytest.mark.parametrize("byte", [b"\x81", b"\x8d", b"\x8f", b"\x90", b"\x9d"])
def test_byte_undefined_in_cp1252_is_refused(tmp_path, byte):
    folder = write_tables(tmp_path, valid_tables())
    path = folder / "companies.csv"
    lines = path.read_bytes().split(b"\n")
    lines[2] = lines[2].replace(b"Van", b"V" + byte + b"n")
    path.write_bytes(b"\n".join(lines))
    expect_input_error(folder, file="companies.csv", row=3, column=None,
                       says=("neither UTF-8 nor Windows-1252", f"0x{byte[0]:02X}", "CSV UTF-8"))


def test_nul_byte_is_refused(tmp_path):
    folder = write_tables(tmp_path, valid_tables())
    path = folder / "students.csv"
    lines = path.read_bytes().split(b"\n")
    lines[2] = lines[2].replace(b"SCH1", b"SCH\x001")
    path.write_bytes(b"\n".join(lines))
    expect_input_error(folder, file="students.csv", row=3, column=None,
                       says=("NUL byte", "not CSV text"))


def test_utf16_is_refused(tmp_path):
    folder = write_tables(tmp_path, valid_tables())
    path = folder / "students.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))
    expect_input_error(folder, file="students.csv", row=1, column=None,
                       says=("UTF-16", "CSV UTF-8"))


def test_workbook_saved_under_a_csv_name_is_refused(tmp_path):
    folder = write_tables(tmp_path, valid_tables())
    (folder / "periods.csv").write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    expect_input_error(folder, file="periods.csv", row=None, column=None,
                       says=("workbook", ".xlsx"))
