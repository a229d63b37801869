"""Unpacking an uploaded dataset: a zip of the instance's files, or one Excel workbook.

Everything a zip can do to a server is refused before a byte is written: an
upload over the size cap, a member with an absolute or ``..`` path, a link,
too many members, a member that expands more than :attr:`UploadLimits.ratio`
times (a zip bomb) or a total beyond :attr:`UploadLimits.unpacked`. Members
are read with a counted cap, so a header that lies about its size gains
nothing; only stored and deflated members are read, the methods whose
decompression that cap bounds. A workbook is a zip as well: its members pass
the same checks, whether it is the upload or a file in it. A damaged zip, a
member without a name or with one too long for a file, an encrypted member:
refused too, never an error of the server. Only the files an instance folder
may hold are kept; the rest (``__MACOSX/``, ``desktop.ini``, notes) is listed
as ignored.
"""

from __future__ import annotations

import io
import stat
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import PurePosixPath

INSTANCE_SUFFIXES = (".csv", ".parquet", ".xlsx")
INSTANCE_EXTRAS = ("policy.toml", "generator.json")
WORKBOOK_NAME = "instance.xlsx"  # a bare workbook upload is stored under this name


class UploadRefused(ValueError):
    """An upload that is not stored, with the reason in plain words."""


@dataclass(frozen=True)
class UploadLimits:
    """What an upload may be: bytes sent, members, bytes unpacked, and expansion per member."""

    upload: int = 200 * 2**20
    members: int = 64
    unpacked: int = 2 * 2**30
    ratio: int = 200


@dataclass
class Unpacked:
    """The instance files of an upload (name → bytes) and the names ignored."""

    files: dict[str, bytes] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)


def describe_size(size: int) -> str:
    """A size in words, as a refusal says it: ``200 MB``, ``1.5 KB``, ``100 bytes``."""
    for unit, name in ((2**30, "GB"), (2**20, "MB"), (2**10, "KB")):
        if size >= unit:
            return f"{size // unit} {name}" if size % unit == 0 else f"{size / unit:.1f} {name}"
    return f"{size} bytes"


# What :mod:`zipfile` raises, besides BadZipFile, on bytes it cannot take apart: a damaged deflate stream
# (zlib.error), an offset before the file's start (ValueError), a password, or an unknown zip version or
# method (RuntimeError and its subclass for unsupported features), a member cut short (EOFError), a short record.
_BROKEN = (zipfile.BadZipFile, zlib.error, ValueError, RuntimeError, EOFError, OSError, struct.error)
# Only what every zip tool writes: a member compressed otherwise (bzip2, LZMA) is decompressed by zipfile
# without a bound on its output, so a header that lies about its size would unpack all of it into memory.
_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
_METHOD_NAMES = {zipfile.ZIP_BZIP2: "bzip2", zipfile.ZIP_LZMA: "LZMA", 9: "Deflate64", 93: "Zstandard"}
LONGEST_NAME = 200  # bytes (UTF-8) of one part of a member's name; a file system allows 255


def _open(data: bytes, refusal: str) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise UploadRefused(refusal) from None
    except _BROKEN as error:
        raise UploadRefused(f"{refusal}, or a damaged one: {error}") from None


def _is_workbook(archive: zipfile.ZipFile) -> bool:
    return "[Content_Types].xml" in archive.namelist()


def _member_name(info: zipfile.ZipInfo) -> PurePosixPath:
    name = info.filename.replace("\\", "/")
    path = PurePosixPath(name)
    if not name:
        raise UploadRefused("the zip holds a member without a name: that is not a zip of files")
    if name.startswith("/") or (len(name) > 1 and name[1] == ":") or ".." in path.parts:
        raise UploadRefused(f"the zip holds {info.filename!r}, a path outside the dataset; zip the files only")
    if stat.S_ISLNK(info.external_attr >> 16):
        raise UploadRefused(f"the zip holds {info.filename!r}, a link; zip the files themselves")
    if any(len(part.encode("utf-8")) > LONGEST_NAME for part in path.parts):
        raise UploadRefused(f"the zip holds {info.filename[:40]!r}..., a name too long for a file "
                            f"(at most {LONGEST_NAME} bytes)")
    if info.flag_bits & 0x1:
        raise UploadRefused(f"{info.filename!r} is encrypted; zip the files without a password")
    if info.compress_type not in _METHODS:
        method = _METHOD_NAMES.get(info.compress_type, f"method {info.compress_type}")
        raise UploadRefused(f"{info.filename!r} is compressed with {method}; zip it with the usual method "
                            "(deflate), as Windows, macOS and Excel do")
    return path


def _members(archive: zipfile.ZipFile, limits: UploadLimits, size: int) -> list[tuple[zipfile.ZipInfo, PurePosixPath]]:
    """Every member with its path, each checked before any is read (``size``: the zip's, in bytes)."""
    infos = archive.infolist()
    if len(infos) > limits.members:
        raise UploadRefused(f"the zip holds {len(infos)} entries; an instance has at most {limits.members}")
    for info in infos:
        # The expansion cap is a multiple of the packed size: a header may not claim more than the zip holds.
        if info.compress_size > size:
            raise UploadRefused(f"{info.filename!r} claims {info.compress_size} packed bytes in a zip of {size}: "
                                "a damaged or forged zip")
    return [(info, _member_name(info)) for info in infos]


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: UploadLimits, left: int) -> bytes:
    cap = min(left, max(info.compress_size, 1) * limits.ratio)
    if info.file_size > cap:
        raise _too_large(info, limits)
    try:
        with archive.open(info) as member:
            data = member.read(cap + 1)  # the header's size may lie: count what comes out
    except _BROKEN as error:
        raise UploadRefused(f"{info.filename!r} cannot be unpacked: {error}") from None
    if len(data) > cap:
        raise _too_large(info, limits)
    return data


def _too_large(info: zipfile.ZipInfo, limits: UploadLimits) -> UploadRefused:
    return UploadRefused(f"{info.filename!r} unpacks to more than {limits.ratio} times its packed size or "
                         f"beyond {describe_size(limits.unpacked)} in all: that is not an instance (a zip bomb?)")


def _check_workbook(archive: zipfile.ZipFile, size: int, limits: UploadLimits, left: int) -> int:
    """Unpack every member of a workbook under the same caps (its reader trusts it as a zip); the bytes in all.

    A workbook is a zip too: a bomb in an ``.xlsx`` would otherwise reach the reader.
    """
    unpacked = 0
    for info, _ in _members(archive, limits, size):
        if not info.is_dir():
            unpacked += len(_read_member(archive, info, limits, left - unpacked))
    return unpacked


def unpack_upload(data: bytes, limits: UploadLimits = UploadLimits()) -> Unpacked:
    """The instance files in an uploaded zip (or workbook).

    The files may lie at the top of the zip or in one folder (how a zipped
    folder arrives). A workbook (an ``.xlsx`` is a zip with
    ``[Content_Types].xml``) is kept whole as :data:`WORKBOOK_NAME`; its
    members, and those of each workbook in the zip, are unpacked under the
    same caps first.

    Raises
    ------
    UploadRefused
        For each kind of hostile or broken upload described in the module.
    """
    if len(data) > limits.upload:
        raise UploadRefused(f"the upload is larger than {describe_size(limits.upload)}")
    with _open(data, "the upload is not a zip file (nor an Excel workbook)") as archive:
        if _is_workbook(archive):
            try:
                _check_workbook(archive, len(data), limits, limits.unpacked)
            except UploadRefused as error:
                raise UploadRefused(f"in the workbook: {error}") from None
            return Unpacked({WORKBOOK_NAME: data})
        wanted = [(info, path) for info, path in _members(archive, limits, len(data)) if not info.is_dir()]
        folders = {path.parts[0] for _, path in wanted if len(path.parts) > 1 and path.parts[0] != "__MACOSX"}
        top = folders.pop() if len(folders) == 1 and all(len(p.parts) > 1 for _, p in wanted) else None
        unpacked, left = Unpacked(), limits.unpacked
        for info, path in wanted:
            inner = PurePosixPath(*path.parts[1:]) if top is not None and path.parts[0] == top else path
            name = inner.name
            keep = (len(inner.parts) == 1 and not name.startswith((".", "~$"))
                    and (name.lower().endswith(INSTANCE_SUFFIXES) or name in INSTANCE_EXTRAS))
            if not keep:
                unpacked.ignored.append(info.filename)
                continue
            if name in unpacked.files:
                raise UploadRefused(f"the zip holds {name!r} twice")
            content = _read_member(archive, info, limits, left)
            left -= len(content)
            if name.lower().endswith(".xlsx"):
                with _open(content, f"{info.filename!r} is not a readable Excel workbook (.xlsx)") as workbook:
                    try:
                        left -= _check_workbook(workbook, len(content), limits, left)
                    except UploadRefused as error:
                        raise UploadRefused(f"in {info.filename!r}: {error}") from None
            unpacked.files[name] = content
        if not unpacked.files:
            raise UploadRefused("the zip holds no instance files (students.csv, vacancies.csv, ... or .xlsx)")
        return unpacked
