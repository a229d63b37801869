"""An upload is untrusted bytes. Each hostile or broken one is refused cleanly: a 4xx (``413`` too large,
``403`` not the caller's to upload, ``422`` otherwise), its reason in ``detail``, and nothing kept: no
dataset, nothing in the store's ``datasets/``, ``schools/`` or ``incoming/``. What users really upload (an
Excel workbook, a Windows-1252 CSV) is accepted and reads as the command line reads it."""

from __future__ import annotations

import csv
import io
import random
import shutil
import stat
import zipfile
from functools import cache
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matcher.app.service.uploads import UploadLimits, UploadRefused, unpack_upload
from matcher.errors import InputError
from matcher.io import read_instance
from models import input_hash
from tests.support.paths import TINY
from tests.support.service import world, zipped


def _zip(members: dict[str | zipfile.ZipInfo, bytes], methods: dict[str, int] | None = None) -> bytes:
    """A zip of ``members``, deflated (or as ``methods`` says for a member)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data, compress_type=(methods or {}).get(name))
    return buffer.getvalue()


def _tiny(**extra: bytes) -> dict[str | zipfile.ZipInfo, bytes]:
    """The files of ``instances/tiny`` as members, with ``extra`` ones."""
    return {**{p.name: p.read_bytes() for p in sorted(TINY.iterdir()) if p.suffix == ".csv"}, **extra}


CENTRAL = b"PK\x01\x02"  # the signature of a member's entry in the central directory


def _patched(data: bytes, offset: int, value: int, size: int = 4, member: str | None = None) -> bytes:
    """``data`` with the little-endian field at ``offset`` of the central entry of ``member`` (of every member
    when ``None``) set to ``value``."""
    out, start = bytearray(data), 0
    while (found := out.find(CENTRAL, start)) >= 0:
        length = int.from_bytes(out[found + 28:found + 30], "little")
        if member is None or out[found + 46:found + 46 + length] == member.encode():
            out[found + offset:found + offset + size] = value.to_bytes(size, "little")
        start = found + 4
    return bytes(out)


def _lying_about_size(method: int) -> bytes:
    """A zip whose students.csv (5 MB of zeros, packed by ``method``) says in both its headers that it
    unpacks to 1000 bytes, within any cap."""
    data = _zip({**_tiny(), "students.csv": b"0" * 5 * 2**20}, {"students.csv": method})
    local = zipfile.ZipFile(io.BytesIO(data)).getinfo("students.csv").header_offset
    data = data[:local + 22] + (1000).to_bytes(4, "little") + data[local + 26:]
    lying = _patched(data, 24, 1000, member="students.csv")
    assert zipfile.ZipFile(io.BytesIO(lying)).getinfo("students.csv").file_size == 1000
    return lying


def _lying_about_packed_size() -> bytes:
    """A zip of 6 KB whose vacancies.csv (5 MB packed to 5 KB, 1000 times) claims 1 MB packed: 200 times
    that is 200 MB."""
    data = _zip({**_tiny(), "vacancies.csv": b"0" * 5 * 2**20})
    return _patched(data, 20, 2**20, member="vacancies.csv")


def _link() -> bytes:
    link = zipfile.ZipInfo("students.csv")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    members = _tiny()
    del members["students.csv"]
    return _zip({**members, link: b"/etc/passwd"})


@cache
def _bomb() -> bytes:
    return _zip({**_tiny(), "vacancies.csv": b"\0" * 50 * 2**20})


def _damaged_deflate() -> bytes:
    data = _zip(_tiny())
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo("students.csv")
    start = info.header_offset + 30 + len(info.filename.encode())
    return data[:start] + b"\xff\xff\xff\xff" + data[start + 4:]  # block type 3: no such deflate block


def _workbook_of_tiny() -> bytes:
    """``instances/tiny`` as one workbook, a sheet per table (as an adviser exports it from Excel)."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for path in sorted(TINY.glob("*.csv")):
        sheet = book.create_sheet(path.stem)
        with open(path, encoding="utf-8", newline="") as handle:
            for row in csv.reader(handle):
                sheet.append([cell or None for cell in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@cache
def _workbook_bomb() -> bytes:
    """A workbook (``[Content_Types].xml`` and all) whose sheet unpacks to 50 MB."""
    real = zipfile.ZipFile(io.BytesIO(_workbook_of_tiny()))
    members = {info.filename: real.read(info) for info in real.infolist()}
    members["xl/worksheets/sheet1.xml"] += b" " * 50 * 2**20
    return _zip(members)


# Each: the upload, a word its refusal must hold.
HOSTILE = {
    "absolute path": (lambda: _zip(_tiny(**{"/etc/cron.d/students.csv": b"x"})), "outside the dataset"),
    "dot-dot path": (lambda: _zip(_tiny(**{"tiny/../../students.csv": b"x"})), "outside the dataset"),
    "drive path": (lambda: _zip(_tiny(**{"C:\\Windows\\students.csv": b"x"})), "outside the dataset"),
    "windows dot-dot path": (lambda: _zip(_tiny(**{"..\\..\\students.csv": b"x"})), "outside the dataset"),
    "link": (_link, "a link"),
    "too many members": (lambda: _zip(_tiny(**{f"notes/{i}.txt": b"x" for i in range(70)})), "entries"),
    "zip bomb": (_bomb, "zip bomb"),
    "header lying about its size": (lambda: _lying_about_size(zipfile.ZIP_DEFLATED), "cannot be unpacked"),
    "header lying about its packed size": (_lying_about_packed_size, "a damaged or forged zip"),
    "bzip2 member lying about its size": (lambda: _lying_about_size(zipfile.ZIP_BZIP2), "bzip2"),
    "workbook bomb": (_workbook_bomb, "zip bomb"),
    "workbook bomb in the zip": (lambda: _zip({"regio utrecht.xlsx": _workbook_bomb()}), "zip bomb"),
    "not a zip": (lambda: (TINY / "students.csv").read_bytes(), "not a zip"),
    "nothing": (lambda: b"", "not a zip"),
    "empty zip": (lambda: _zip({}), "no instance files"),
    "only notes": (lambda: _zip({"README.txt": b"see the attachment"}), "no instance files"),
    "damaged deflate data": (_damaged_deflate, "cannot be unpacked"),
    "unknown zip version": (lambda: _patched(_zip(_tiny()), 6, 100, 2), "not a zip"),
    "member without a name": (lambda: _zip({**_tiny(), zipfile.ZipInfo(""): b"x"}), "without a name"),
    "name too long": (lambda: _zip(_tiny(**{"s" * 300 + ".csv": b"x"})), "too long"),
    "encrypted member": (lambda: _patched(_zip(_tiny()), 8, 1, 2), "encrypted"),
}


def _nothing_kept(w, store: Path) -> None:
    assert w.client.get("/datasets", headers=w.headers("adviser")).json() == []
    for folder in ("datasets", "schools", "incoming"):
        assert list((store / folder).iterdir()) == [], folder


def _post(w, data, name="tiny", region="AM13", role="adviser", content_type="application/zip"):
    return w.client.post("/datasets", params={"name": name, "region": region}, content=data,
                         headers={**w.headers(role), "Content-Type": content_type})


@pytest.mark.parametrize("case", HOSTILE)
def test_a_hostile_upload_is_refused_and_nothing_kept(database_url, tmp_path, case):
    build, reason = HOSTILE[case]
    with world(database_url, tmp_path) as w:
        response = _post(w, build())
        assert response.status_code == 422, response.text
        assert reason in response.json()["detail"]
        _nothing_kept(w, w.store)


def test_an_upload_over_the_size_cap_is_refused_with_413(database_url, tmp_path):
    data = zipped(TINY, extra={"notes.txt": random.Random(1).randbytes(8192)})  # incompressible
    with world(database_url, tmp_path, limits=UploadLimits(upload=4096)) as w:
        declared = _post(w, data)
        streamed = _post(w, (data[i:i + 1000] for i in range(0, len(data), 1000)))  # chunked: no length
        for response in (declared, streamed):
            assert response.status_code == 413, response.text
            assert response.json()["detail"] == "the upload is larger than 4 KB"
        _nothing_kept(w, w.store)
        assert _post(w, zipped(TINY)).status_code == 201  # under the cap: accepted


@pytest.mark.parametrize("role", ["school", "planner"])
def test_only_an_adviser_office_uploads(database_url, tmp_path, role):
    with world(database_url, tmp_path) as w:
        response = _post(w, zipped(TINY), role=role)
        assert response.status_code == 403, response.text
        assert "only an adviser office uploads" in response.json()["detail"]
        _nothing_kept(w, w.store)


def test_an_adviser_office_uploads_for_its_own_regions_only(database_url, tmp_path):
    with world(database_url, tmp_path) as w:
        utrecht = _post(w, zipped(TINY), region="AM01")
        groningen = _post(w, zipped(TINY), region="AM13", role="adviser_elsewhere")
        assert (utrecht.status_code, groningen.status_code) == (403, 403)
        assert utrecht.json()["detail"] == "your office serves AM13, not AM01"
        assert groningen.json()["detail"] == "your office serves AM01, not AM13"
        _nothing_kept(w, w.store)


def _tiny_with_level(tmp_path: Path, level: str) -> tuple[Path, InputError]:
    """A copy of ``instances/tiny`` whose second student (row 3) has ``level``, and the command line's error."""
    folder = tmp_path / "upload" / "tiny"
    shutil.copytree(TINY, folder)
    students = folder / "students.csv"
    text = students.read_text(encoding="utf-8")
    assert "\nt02,school-utrecht,25655,4," in text
    students.write_text(text.replace("\nt02,school-utrecht,25655,4,", f"\nt02,school-utrecht,25655,{level},"),
                        encoding="utf-8")
    with pytest.raises(InputError) as expected:
        read_instance(folder)
    return folder, expected.value


def test_a_bad_cell_is_refused_where_the_command_line_says(database_url, tmp_path):
    folder, error = _tiny_with_level(tmp_path, "vier")
    assert (error.file, error.row, error.column) == ("students.csv", 3, "level")
    with world(database_url, tmp_path) as w:
        response = w.upload(folder)
        assert response.status_code == 422, response.text
        assert response.json() == {"detail": str(error), "file": "students.csv", "row": 3, "column": "level"}
        assert str(tmp_path) not in response.text and "/store" not in response.text
        _nothing_kept(w, w.store)


def test_an_excel_workbook_is_accepted_as_its_tables(database_url, tmp_path):
    workbook = _workbook_of_tiny()
    with world(database_url, tmp_path) as w:
        bare = _post(w, workbook, name="tiny-workbook",
                     content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        in_zip = _post(w, _zip({"regio utrecht.xlsx": workbook}), name="tiny-zipped-workbook")
        for response in (bare, in_zip):
            assert response.status_code == 201, response.text
            dataset = response.json()
            assert dataset["input_hash"] == input_hash(read_instance(TINY))
            assert (dataset["students"], dataset["ignored"]) == (len(read_instance(TINY).students), [])
        assert bare.json()["files"] == ["instance.xlsx"]
        assert in_zip.json()["files"] == ["regio utrecht.xlsx"]
        served = w.client.get(f"/datasets/{bare.json()['id']}/files/instance.xlsx", headers=w.headers("adviser"))
        assert served.content == workbook


def test_a_windows_1252_csv_is_accepted(database_url, tmp_path):
    folder = tmp_path / "upload" / "tiny"
    shutil.copytree(TINY, folder)
    companies = folder / "companies.csv"
    text = companies.read_text(encoding="utf-8").replace("Zorgcentrum (fictief)", "Zorgcentrum Het Wâld (fictief)")
    companies.write_bytes(text.encode("cp1252"))
    with pytest.raises(UnicodeDecodeError):
        companies.read_bytes().decode("utf-8")
    with world(database_url, tmp_path) as w:
        response = w.upload(folder)
        assert response.status_code == 201, response.text
        assert response.json()["input_hash"] == input_hash(read_instance(folder))
        assert input_hash(read_instance(folder)) != input_hash(read_instance(TINY))  # the name was read, not lost


@cache
def _damaged_base() -> bytes:
    return _zip(_tiny())


def _mutated(data: bytes, changes: list[tuple[int, int]], cut: int | None) -> bytes:
    out = bytearray(data)
    for position, byte in changes:
        out[position % len(out)] = byte
    return bytes(out[:cut] if cut is not None else out)


@settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(changes=st.lists(st.tuples(st.integers(0, 2**16), st.integers(0, 255)), min_size=1, max_size=4),
       cut=st.none() | st.integers(0, 2**12))
def test_a_damaged_zip_is_refused_never_a_crash(changes, cut):
    """Whatever bytes arrive, unpacking gives the files or an :class:`UploadRefused` (a ``422``), never
    another exception (a ``500``)."""
    try:
        unpack_upload(_mutated(_damaged_base(), changes, cut))
    except UploadRefused:
        pass

def test_a_number_of_thousands_of_digits_is_refused_where_it_is(database_url, tmp_path):
    """Python's ``int`` refuses more than 4300 digits with a bare ValueError: it was a ``500``."""
    folder, error = _tiny_with_level(tmp_path, "4" * 5000)
    assert (error.file, error.row, error.column) == ("students.csv", 3, "level")
    with world(database_url, tmp_path) as w:
        response = w.upload(folder)
        assert response.status_code == 422, response.text
        assert response.json()["detail"] == str(error)
        assert "too long for a whole number" in response.json()["detail"]
        _nothing_kept(w, w.store)
