"""Read an instance folder (SPEC "Instance: a folder of CSV files", and v2
"Files users really have").

Every table is read as text first, so ids and crebos keep their leading zeros;
each cell is then converted by the kind of its column and the records are
validated by the pydantic models in :mod:`models`. The first problem found is
raised as :class:`~matcher.errors.InputError` naming file (and sheet),
spreadsheet row and column. Harmless anomalies are applied by SPEC's rules and
reported as warnings in a :class:`models.InputReport`. Reading never writes
anything.

Validation has two paths with one result. The fast one checks each converted
column at once with the model's own field rules and builds the records
directly (:mod:`matcher.io.construct`), then runs the models' cross-field
validators on them, :class:`models.Instance`'s too. Only when that refuses
something (or with ``validate_rows=True``) are a table's records validated by
pydantic row by row, which finds the first problem in file order and words it;
so every error message is the per-row path's by construction, and the fast path
may refuse more than the per-row one (it then falls back), never less.
"""

from __future__ import annotations

import codecs
import csv
import difflib
import gc
import io
import math
import os
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from itertools import chain
from operator import attrgetter
from pathlib import Path
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from matcher.errors import InputError
from matcher.geo.tables import known_pc4
from matcher.io.construct import checked_model, checked_records
from matcher.io.safe_cells import restore
from matcher.io.xlsx import Workbook
from models import (
    DEFAULT_PERIOD,
    Company,
    Decision,
    Equivalence,
    InputFile,
    InputReport,
    InputWarning,
    Instance,
    Period,
    Student,
    Supervisor,
    TravelTime,
    Vacancy,
    cross_reference_problems,
)

# --------------------------------------------------------------------------- schema


@dataclass(frozen=True)
class Column:
    """One column of an instance table.

    Parameters
    ----------
    name
        The header as written (normalised: lower case).
    field
        The model field it fills (``crebo`` → ``crebos`` for vacancies).
    kind
        How a cell is parsed and written: ``str``, ``int``, ``float``, ``bool``,
        ``list``, ``pathway``, ``pathways``, ``mode``, ``date`` or ``sector``.
    required
        Whether the column must be present in the header.
    aliases
        Other accepted headers (Dutch and Stagemarkt-style names). Headers
        match when their letters and digits agree, so ``Crebo code``,
        ``crebo-code`` and ``crebocode`` are one name. No alias carries
        personal data: names and real student numbers are refused, see
        ``PERSONAL_DATA_HEADERS``.
    """

    name: str
    field: str
    kind: str = "str"
    required: bool = False
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Table:
    """One file of an instance folder: its stem, model and columns."""

    stem: str
    model: type[BaseModel]
    columns: tuple[Column, ...]
    required_file: bool = False
    located: bool = False  # needs pc4, or lat and lon

    def column(self, field_name: str) -> Column:
        """Return the column that fills model field ``field_name``."""
        return next(c for c in self.columns if c.field == field_name)


def _col(name: str, kind: str = "str", *, required: bool = False, field_name: str | None = None,
         aliases: tuple[str, ...] = ()) -> Column:
    return Column(name, field_name or name, kind, required, aliases)


# Dutch aliases of the columns (one place: README's "Input" section shows this
# table). Only columns that carry no personal data have one.
_CREBO = ("crebocode", "crebonummer")  # also "crebo_code", "Crebo-code": see header_key
_COMPANY = ("bedrijf_id", "leerbedrijf_id")
_PERIODS = ("periodes", "perioden")
_LOCATION = (_col("pc4", aliases=("postcode",)), _col("lat", "float", aliases=("breedtegraad",)),
             _col("lon", "float", aliases=("lengtegraad",)))

TABLES: tuple[Table, ...] = (
    Table(
        "students", Student,
        (
            _col("student_id", required=True),
            _col("school_id", required=True, aliases=("school", "instelling")),
            _col("crebo", required=True, aliases=_CREBO),
            _col("level", "int", required=True, aliases=("niveau",)),
            _col("pathway", "pathway", required=True, aliases=("leerweg",)),
            _col("year", "int", aliases=("leerjaar",)),
            *_LOCATION,
            _col("mode", "mode", aliases=("vervoer", "vervoermiddel")),
            _col("max_travel_min", "int", aliases=("reistijd_max", "max_reistijd")),
            _col("periods", "list", aliases=_PERIODS),
            _col("extra_guidance", "bool", aliases=("begeleiding", "extra_begeleiding")),
            _col("preferences", "list", aliases=("voorkeuren", "wensen")),
            _col("needs_accessible", "bool", aliases=("toegankelijk_nodig",)),
        ),
        required_file=True, located=True,
    ),
    Table(
        "vacancies", Vacancy,
        (
            _col("vacancy_id", required=True, aliases=("vacature_id", "leerplaats_id")),
            _col("company_id", required=True, aliases=_COMPANY),
            _col("supervisor_id", aliases=("praktijkopleider_id",)),
            _col("crebo", "list", required=True, field_name="crebos", aliases=_CREBO),
            _col("pathway", "pathways", required=True, field_name="pathways",
                 aliases=("leerweg",)),
            *_LOCATION,
            _col("places", "int", required=True, aliases=("aantal", "aantal_plaatsen", "plaatsen")),
            _col("periods", "list", aliases=_PERIODS),
            _col("min_level", "int", aliases=("min_niveau", "niveau_min")),
            _col("max_level", "int", aliases=("max_niveau", "niveau_max")),
            _col("extra_guidance_places", "int", aliases=("plaatsen_extra_begeleiding",)),
            _col("duo", "bool", aliases=("duoplaats",)),
            _col("accessible", "bool", aliases=("toegankelijk",)),
        ),
        required_file=True, located=True,
    ),
    Table(
        "supervisors", Supervisor,
        (_col("supervisor_id", required=True, aliases=("praktijkopleider_id",)),
         _col("company_id", required=True, aliases=_COMPANY),
         _col("capacity", "int", required=True, aliases=("capaciteit",))),
    ),
    Table(
        "companies", Company,
        (_col("company_id", required=True, aliases=_COMPANY),
         _col("name", aliases=("bedrijfsnaam",)), _col("sector", "sector"),
         _col("region", aliases=("regio", "arbeidsmarktregio")),
         _col("max_students", "int", aliases=("max_studenten",))),
    ),
    Table(
        "periods", Period,
        (_col("period_id", required=True, aliases=("periode", "periode_id")),
         _col("start", "date", aliases=("begin", "begindatum", "startdatum")),
         _col("end", "date", aliases=("eind", "einde", "einddatum"))),
    ),
    Table(
        "equivalences", Equivalence,
        (_col("crebo", required=True, aliases=_CREBO),
         _col("equivalent_crebo", required=True, aliases=("gelijkwaardige_crebo",))),
    ),
    Table(
        "travel_times", TravelTime,
        (_col("origin", required=True, aliases=("from", "van", "herkomst")),
         _col("destination", required=True, aliases=("to", "naar", "bestemming")),
         _col("minutes", "int", required=True, aliases=("minuten", "reistijd"))),
    ),
    Table(
        "decisions", Decision,
        (_col("student_id", required=True),
         _col("vacancy_id", aliases=("vacature_id", "leerplaats_id")),
         _col("company_id", aliases=_COMPANY),
         _col("period_id", aliases=("periode", "periode_id")),
         _col("decision", "decision", required=True, aliases=("besluit", "beslissing")),
         _col("date", "date", field_name="decided_on", aliases=("datum",))),
    ),
)


def header_key(header: str) -> str:
    """A header reduced to its lower-case letters and digits, as headers are compared:
    ``Crebo code``, ``crebo-code`` and ``crebocode`` all give ``crebocode``.

    Public, with :data:`PERSONAL_DATA_HEADERS` and :data:`STUDENT_NUMBER_HEADERS`,
    so that a test can check that no alias of :data:`TABLES` is ambiguous or personal.
    """
    return re.sub(r"[^a-z0-9]", "", header.lower())


#: Headers that would carry personal data or a protected characteristic, as
#: :func:`header_key` gives them (so "E-mail" and "e_mail" both match); students.csv
#: with such a column is refused.
PERSONAL_DATA_HEADERS = frozenset(
    header_key(h)
    for h in (
        "name", "naam", "full_name", "first_name", "voornaam", "roepnaam", "last_name",
        "achternaam", "surname", "family_name", "tussenvoegsel", "initials", "voorletters",
        "student_name", "student_naam", "bsn", "burgerservicenummer", "ssn",
        "birth_date", "birthdate", "date_of_birth", "dob", "geboortedatum", "age", "leeftijd",
        "gender", "geslacht", "sex", "email", "e-mail", "email_address", "emailadres",
        "phone", "phone_number", "telefoon", "telefoonnummer", "mobile", "mobiel",
        "address", "adres", "street", "straat", "house_number", "huisnummer", "pc6",
        "nationality", "nationaliteit", "ethnicity", "etniciteit", "religion", "religie",
        "disability", "handicap",
    )
)
#: Headers of real student numbers, as :func:`header_key` gives them. A real
#: student number identifies a person as well as a name does (SPEC: only
#: pseudonymous ids); it is refused, and never taken for student_id.
STUDENT_NUMBER_HEADERS = frozenset(
    header_key(h)
    for h in (
        "studentnummer", "studentnr", "student_nr", "student_number", "leerlingnummer",
        "leerlingnr", "leerling_nr", "deelnemernummer", "deelnemersnummer", "deelnemer_nr",
        "ovnummer", "ov_nummer", "onderwijsnummer", "persoonsgebonden_nummer", "pgn",
    )
)

_TRUE = frozenset({"true", "ja", "yes", "1", "j", "y", "waar"})
_FALSE = frozenset({"false", "nee", "no", "0", "n", "onwaar"})
_MODES = {
    "bike": "bike", "fiets": "bike",
    "public_transport": "public_transport", "ov": "public_transport",
    "car": "car", "auto": "car",
}
_LIST_SEPARATORS = re.compile(r"[;|]")
_INTEGER = re.compile(r"[+-]?[0-9]+")
_DUTCH_DATE = re.compile(r"([0-9]{1,2})[-/.]([0-9]{1,2})[-/.]([0-9]{4})")
_LEVEL_FIELDS = frozenset({"level", "min_level", "max_level", "year"})
_CREBO_FIELDS = frozenset({"crebo", "crebos", "equivalent_crebo"})
_FULL_POSTCODE = re.compile(r"[1-9][0-9]{3}\s?[A-Za-z]{2}")

# --------------------------------------------------------------------------- cells


class _CellError(ValueError):
    """A cell that cannot be converted; the caller adds file, row and column."""


def _parse_int(text: str) -> int:
    if not _INTEGER.fullmatch(text):
        raise _CellError(f"{text!r} is not a whole number")
    try:
        return int(text)
    except ValueError:  # more than 4300 digits: Python's guard against a slow conversion
        raise _CellError(f"{text[:20]!r}... ({len(text)} characters) is too long for a whole number") from None


def _parse_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        # Dutch Excel writes a decimal comma ("52,09"); a quoted cell may carry it
        # even in a comma-separated file.
        if text.count(",") != 1 or "." in text:
            raise _CellError(f"{text!r} is not a number") from None
        try:
            value = float(text.replace(",", "."))
        except ValueError:
            raise _CellError(f"{text!r} is not a number") from None
    if not math.isfinite(value):
        raise _CellError(f"{text!r} is not a finite number")
    return value


def _parse_bool(text: str) -> bool:
    lowered = text.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise _CellError(f"{text!r} is not a yes/no value: use true/false, ja/nee, yes/no or 1/0")


def _parse_list(text: str) -> tuple[str, ...]:
    if "|" not in text and ";" not in text:  # one item, most often: no split needed
        item = text.strip()
        return (item,) if item else ()
    return tuple(item for item in (p.strip() for p in _LIST_SEPARATORS.split(text)) if item)


def _parse_pathway(text: str) -> str:
    upper = text.upper()
    if upper not in ("BOL", "BBL"):
        raise _CellError(f"{text!r} is not a pathway: use BOL or BBL")
    return upper


def _parse_pathways(text: str) -> tuple[str, ...]:
    if text.lower() in ("both", "beide"):
        return ("BOL", "BBL")
    items = _parse_list(text)
    for item in items:
        if item.upper() not in ("BOL", "BBL"):
            raise _CellError(f"{item!r} is not a pathway: use BOL, BBL or both")
    return tuple(item.upper() for item in items)


def _parse_mode(text: str) -> str:
    key = re.sub(r"[\s-]+", "_", text.lower())
    if key not in _MODES:
        raise _CellError(f"{text!r} is not a travel mode: use bike, public_transport or car")
    return _MODES[key]


def _parse_date(text: str) -> date:
    dutch = _DUTCH_DATE.fullmatch(text)
    try:
        if dutch:
            day, month, year = (int(g) for g in dutch.groups())
            return date(year, month, day)
        return date.fromisoformat(text)
    except ValueError:
        raise _CellError(f"{text!r} is not a date: use YYYY-MM-DD (or DD-MM-YYYY)") from None


_DECISIONS = {"confirmed": "confirmed", "bevestigd": "confirmed",
              "declined_by_student": "declined_by_student", "afgewezen_door_student": "declined_by_student",
              "declined_by_company": "declined_by_company", "afgewezen_door_bedrijf": "declined_by_company",
              "withdrawn": "withdrawn", "teruggetrokken": "withdrawn"}


def _parse_decision(text: str) -> str:
    key = re.sub(r"[\s-]+", "_", text.strip().lower())
    if key not in _DECISIONS:
        raise _CellError(f"{text!r} is not a decision: use confirmed, declined_by_student, declined_by_company "
                         f"or withdrawn (bevestigd, afgewezen_door_student, afgewezen_door_bedrijf, teruggetrokken)")
    return _DECISIONS[key]


def _sector_key(name: str) -> str:
    return re.sub(r"\s*/\s*", "/", " ".join(name.split())).lower()


@lru_cache(maxsize=1)
def _sector_names() -> dict[str, str]:
    from matcher.geo.catalogue import sectors

    return {_sector_key(name): name for name in sectors()}


def _parse_sector(text: str) -> str:
    """The catalogue's name of a sector; case and spaces around '/' may differ."""
    known = _sector_names()
    canonical = known.get(_sector_key(text))
    if canonical is not None:
        return canonical
    key = _sector_key(text)
    # "Zorg" or "ICT" is one part of a sector's name; difflib finds typing errors.
    hints = [name for k, name in known.items() if key in k.split("/")] or [
        known[k] for k in difflib.get_close_matches(key, known, n=2, cutoff=0.6)]
    hint = f" (did you mean {' or '.join(map(repr, hints))}?)" if hints else ""
    # Another name would split a sector's statistics in two.
    raise _CellError(f"unknown sector {text!r}{hint}; a sector is one of: "
                     + ", ".join(sorted(known.values())))


# kind → parser of a stripped, non-empty cell (None: the text as it is)
_PARSERS: dict[str, Callable[[str], Any] | None] = {
    "str": None,
    "int": _parse_int,
    "float": _parse_float,
    "bool": _parse_bool,
    "list": _parse_list,
    "pathway": _parse_pathway,
    "pathways": _parse_pathways,
    "mode": _parse_mode,
    "date": _parse_date,
    "sector": _parse_sector,
    "decision": _parse_decision,
}

# --------------------------------------------------------------------------- raw tables


@dataclass
class _RawTable:
    """A table read as text: normalised headers, cells per column, spreadsheet rows,
    and where it came from."""

    file: str
    columns: dict[str, Sequence[str]]
    rows: list[int]  # spreadsheet row of each record (header = row 1)
    header_order: list[str]  # headers in file order
    format: str = "csv"
    encoding: str | None = None  # the codec that decoded a CSV file
    sheet: str | None = None  # the worksheet of a workbook
    table: str = ""  # the instance table it holds, once known

    def at(self, row: int | None = None, column: str | None = None) -> dict[str, Any]:
        """Keyword arguments of :class:`InputError` (and :class:`InputWarning`) for a cell."""
        return {"file": self.file, "sheet": self.sheet, "row": row, "column": column}


def _normalise_header(name: str) -> str:
    return re.sub(r"\s+", "_", name.strip().lower())


def _sniff_delimiter(header_line: str) -> str:
    """Return ``;`` or ``,``: whichever occurs more often outside quotes."""
    counts = {",": 0, ";": 0}
    quoted = False
    for char in header_line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    return ";" if counts[";"] > counts[","] else ","


def _check_header(file: str, header: list[str], sheet: str | None = None) -> list[str]:
    names = [_normalise_header(h) for h in header]
    if not any(names):
        raise InputError("the header row is missing or empty", file=file, sheet=sheet, row=1)
    seen: set[str] = set()
    for name in names:
        if name and name in seen:
            raise InputError("this column appears twice in the header", file=file, sheet=sheet,
                             row=1, column=name)
        seen.add(name)
    return names


_SAVE_AS = "save it as 'CSV UTF-8' (or Excel's 'CSV (gescheiden door lijstscheidingsteken)')"


def _decode(data: bytes, file: str) -> tuple[str, str]:
    """The text of a CSV file and the codec that decoded it.

    UTF-8, with or without a byte-order mark, else Windows-1252 (what Dutch
    Excel's "CSV (gescheiden door lijstscheidingsteken)" writes). Nothing else
    is guessed: text that fits neither, UTF-16 and binary files are refused.
    """
    def row_of(offset: int) -> int:
        return data.count(b"\n", 0, offset) + 1

    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InputError(f"the file is UTF-16 text; {_SAVE_AS}", file=file, row=1)
    if data.startswith(b"PK\x03\x04"):
        raise InputError("the file is a workbook, not CSV text: give it the name ending .xlsx",
                         file=file)
    nul = data.find(b"\x00")
    if nul >= 0:
        # Valid UTF-8 and Windows-1252 alike, but never in a text table.
        raise InputError(f"the file holds a NUL byte, so it is not CSV text; {_SAVE_AS}",
                         file=file, row=row_of(nul))
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[len(codecs.BOM_UTF8):].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise InputError(f"the file starts as UTF-8 (byte-order mark) but is not UTF-8 text "
                             f"further on; {_SAVE_AS}", file=file,
                             row=row_of(exc.start + len(codecs.BOM_UTF8))) from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as exc:
        # Python's cp1252 leaves 0x81, 0x8D, 0x8F, 0x90 and 0x9D undefined, as Windows does.
        raise InputError(
            f"the file is neither UTF-8 nor Windows-1252 text (byte 0x{data[exc.start]:02X} "
            f"means nothing in either); {_SAVE_AS}", file=file, row=row_of(exc.start)) from None


# What a cell that the project's writers defused (safe_cells) begins with: an
# apostrophe before a formula start. Searched for in a whole text first (a
# literal-led pattern scans fast), so clean files cost nothing; where it occurs
# anywhere, every cell goes through restore, which changes only defused ones.
_DEFUSED = re.compile(r"'[=+\-@\t\r']")


def _restored(cells: Sequence[str]) -> Sequence[str]:
    """``cells`` with every defused cell restored to its original text."""
    if not _DEFUSED.search("\n".join(cells)):
        return cells
    return [restore(cell) for cell in cells]


def _read_csv(path: Path) -> _RawTable:
    file = path.name
    text, encoding = _decode(path.read_bytes(), file)
    first_line = text.split("\n", 1)[0]
    if not first_line.strip():
        raise InputError("the file has no header row", file=file, row=1)
    delimiter = _sniff_delimiter(first_line)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        records = list(reader)
    except csv.Error as exc:
        raise InputError(f"not a readable CSV file: {exc}", file=file, row=reader.line_num) \
            from None
    names = _check_header(file, records[0])
    width = len(names)
    body = records[1:]
    rows = list(range(2, len(body) + 2))
    cells: list[Sequence[str]] | None = None
    if body and set(map(len, body)) == {width}:
        cells = list(zip(*body))
        # A row is blank only where each of its cells is: one column without a blank
        # cell (an id, say) shows that no row is, without a look at every row.
        if not any("" not in column and not any(map(str.isspace, column)) for column in cells):
            cells = None
    # Only irregular rows (wrong width, or no content) are looked at one by one.
    irregular = [] if cells is not None else [
        i for i, record in enumerate(body) if len(record) != width or not "".join(record).strip()]
    if irregular:
        blank: set[int] = set()
        for index in irregular:
            record = body[index]
            if len(record) > width and any(cell.strip() for cell in record[width:]):
                hint = (
                    "a list containing ';' must be in quotes, or use '|' between items"
                    if delimiter == ";" else
                    "a value containing ',' (a decimal comma, say) must be in quotes"
                )
                raise InputError(
                    f"this row has {len(record)} cells but the header has {width}; {hint}",
                    file=file, row=index + 2,
                )
            record = (record + [""] * width)[:width]
            if not "".join(record).strip():
                blank.add(index)  # blank lines and rows of empty cells, as spreadsheets leave
            body[index] = record
        body = [record for i, record in enumerate(body) if i not in blank]
        rows = [row for i, row in enumerate(rows) if i not in blank]
    if cells is None:
        cells = list(zip(*body)) if body else [()] * width
    defused = _DEFUSED.search(text) is not None
    columns = {name: _restored(col) if defused else col
               for name, col in zip(names, cells) if name}
    return _RawTable(file, columns, rows, [n for n in names if n], "csv", encoding)


def _cell_text(value: Any) -> str:
    """Render one typed value (Parquet, a workbook cell) as the text a CSV cell would hold."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        # Integer columns with gaps arrive as floats from pandas, and every number
        # typed in Excel is a float: 45.0 means 45.
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() \
            else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return "|".join(_cell_text(v) for v in value)
    return str(value)


def _column_text(values: Sequence[Any]) -> Sequence[str]:
    """A column of typed values as text; each distinct value is rendered once."""
    types = set(map(type, values))
    if types <= {str}:
        return values
    if bool in types and types & {int, float}:
        # True == 1 == 1.0 in a dict, but the cells read "true" and "1".
        return [_cell_text(v) for v in values]
    text = {v: _cell_text(v) for v in set(values)}
    return [text[v] for v in values]


def _parquet_column_text(column: Any) -> Sequence[str]:
    """A Parquet column as the text a CSV file would hold, each distinct value rendered once.

    Arrow finds the distinct values and each row's index among them, so a column that
    repeats few values (levels, crebos, schools, yes/no) makes a Python object per
    distinct value only; the rows of one value share its text.
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    text = pa.types.is_string(column.type) or pa.types.is_large_string(column.type)
    if not (text or pa.types.is_integer(column.type) or pa.types.is_floating(column.type)
            or pa.types.is_boolean(column.type) or pa.types.is_temporal(column.type)):
        return _column_text(column.to_pylist())
    # Arrow hashes every type let through above; a null and NaN are distinct values once each (texts "").
    distinct = pc.unique(column)
    if text and 2 * len(distinct) > len(column):  # mostly distinct (ids): their own text is quicker
        return (column.fill_null("") if column.null_count else column).to_pylist()
    index = pc.index_in(column, value_set=distinct)  # nulls match the distinct null: no row left out
    texts = np.array([_cell_text(v) for v in distinct.to_pylist()], dtype=object)
    return texts[index.to_numpy()].tolist()


def _read_parquet(path: Path) -> _RawTable:
    import pyarrow as pa
    import pyarrow.parquet as pq

    file = path.name
    try:
        table = pq.read_table(path)
    except Exception as exc:  # noqa: BLE001 - pyarrow raises several types for a broken file
        raise InputError(f"not a readable Parquet file: {exc}", file=file) from None
    names = _check_header(file, table.column_names)
    columns: dict[str, Sequence[str]] = {}
    for name, column in zip(names, table.columns):
        if not name:
            continue
        if pa.types.is_list(column.type) or pa.types.is_large_list(column.type):
            columns[name] = [_cell_text(v) for v in column.to_pylist()]
        else:
            columns[name] = _parquet_column_text(column)
    # Rows are numbered as in a spreadsheet made of the same table.
    rows = list(range(2, table.num_rows + 2))
    return _RawTable(file, columns, rows, [n for n in names if n], "parquet")


def _read_sheet(workbook: Workbook, sheet: str) -> _RawTable:
    """One sheet as a table: the first non-blank row is the header, blank rows are
    skipped as in CSV, and rows are the spreadsheet's own numbers."""
    file = workbook.path.name
    values = workbook.rows(sheet)
    start = next((i for i, row in enumerate(values)
                  if any(_cell_text(v).strip() for v in row)), None)
    if start is None:
        raise InputError("the sheet is empty: it has no header row", file=file, sheet=sheet,
                         row=1)
    names = _check_header(file, [_cell_text(v) for v in values[start]], sheet)
    body = values[start + 1:]
    width = len(names)
    cells = list(zip(*body)) if body else [()] * width
    # Cells under no header (notes beside the table) are ignored, as unknown columns are.
    kept = [(name, _restored(_column_text(col))) for name, col in zip(names, cells) if name]
    rows = list(range(start + 2, start + 2 + len(body)))
    if kept and body:
        blank = [i for i, record in enumerate(zip(*(col for _, col in kept)))
                 if not "".join(record).strip()]
        if blank:
            drop = set(blank)
            kept = [(name, [c for i, c in enumerate(col) if i not in drop]) for name, col in kept]
            rows = [row for i, row in enumerate(rows) if i not in drop]
    return _RawTable(file, dict(kept), rows, [name for name, _ in kept], "xlsx", sheet=sheet)


@dataclass(frozen=True)
class _Source:
    """Where one table is: a CSV or Parquet file, or a sheet of a workbook."""

    path: Path
    workbook: Workbook | None = None
    sheet: str | None = None

    def __str__(self) -> str:
        return f"{self.path.name} (sheet {self.sheet!r})" if self.sheet else self.path.name

    def read(self) -> _RawTable:
        if self.workbook is not None:
            return _read_sheet(self.workbook, self.sheet)
        if self.path.suffix.lower() == ".parquet":
            return _read_parquet(self.path)
        return _read_csv(self.path)


def _find_sources(folder: Path) -> tuple[dict[str, _Source], list[Workbook]]:
    """The source of each table found in ``folder``, and the workbooks opened.

    ``<table>.csv``, ``<table>.parquet`` or ``<table>.xlsx`` (any case) is
    that table; a table's own workbook holds it in its sheet named like the
    table, or in its only sheet. Any other ``.xlsx`` (e.g. ``instance.xlsx``)
    gives each table that one of its sheets is named after (other sheets, such
    as notes, are ignored). A table found twice is refused: nothing says which
    one counts. Excel's lock files (``~$...``) and hidden files are skipped.
    """
    workbooks: list[Workbook] = []
    try:
        return _sources_in(folder, workbooks), workbooks
    except BaseException:
        for workbook in workbooks:
            workbook.close()
        raise


def _sources_in(folder: Path, workbooks: list[Workbook]) -> dict[str, _Source]:
    """:func:`_find_sources`, adding each workbook it opens to ``workbooks``."""
    found: dict[str, list[_Source]] = {spec.stem: [] for spec in TABLES}
    files = sorted(p for p in folder.iterdir()
                   if not p.name.startswith(("~$", ".")) and p.is_file())
    for path in files:
        stem, _, suffix = path.name.lower().rpartition(".")
        if suffix in ("csv", "parquet"):
            if stem in found:
                found[stem].append(_Source(path))
            continue
        if suffix != "xlsx":
            continue
        workbook = Workbook(path)
        workbooks.append(workbook)
        sheets = {name.strip().lower(): name for name in workbook.sheet_names}
        if stem in found:
            sheet = sheets.get(stem)
            if sheet is None and len(workbook.sheet_names) == 1:
                sheet = workbook.sheet_names[0]
            if sheet is None:
                raise InputError(
                    f"this workbook has several sheets and none is named {stem!r}: name the "
                    f"sheet of the {stem} table {stem!r} (its sheets: "
                    f"{', '.join(map(repr, workbook.sheet_names))})", file=path.name)
            found[stem].append(_Source(path, workbook, sheet))
        else:
            for key, sheet in sheets.items():
                if key in found:
                    found[key].append(_Source(path, workbook, sheet))
    for stem, sources in found.items():
        if len(sources) > 1:
            raise InputError(
                f"{' and '.join(map(str, sources))} are the same table; keep only one",
                file=sources[0].path.name, sheet=sources[0].sheet,
            )
    return {stem: sources[0] for stem, sources in found.items() if sources}


# --------------------------------------------------------------------------- validation


@dataclass
class _ReadTable:
    """A validated table with what is needed to point back at the file."""

    spec: Table
    raw: _RawTable
    records: list[Any]
    headers: dict[str, str]  # model field → header actually used

    def where(self, index: int, field_name: str | None) -> dict[str, Any]:
        """Keyword arguments of :class:`InputError` for record ``index`` and a field."""
        column = None
        if field_name is not None:
            column = self.headers.get(field_name) or self._default_header(field_name)
        return self.raw.at(self.raw.rows[index], column)

    def _default_header(self, field_name: str) -> str:
        try:
            return self.spec.column(field_name).name
        except StopIteration:
            return field_name


_ADAPTERS: dict[type, TypeAdapter] = {}


def _adapter(model: type[BaseModel]) -> TypeAdapter:
    if model not in _ADAPTERS:
        _ADAPTERS[model] = TypeAdapter(list[model])
    return _ADAPTERS[model]


def _refuse_personal_data(raw: _RawTable) -> None:
    for name in raw.header_order:
        key = header_key(name)
        if key in STUDENT_NUMBER_HEADERS:
            raise InputError(
                "this column would carry real student numbers, which are personal data; "
                "students are identified by pseudonymous ids only - give a pseudonymous "
                "student_id (one that cannot be traced back to the student) and remove the column",
                **raw.at(1, name),
            )
        if key in PERSONAL_DATA_HEADERS:
            raise InputError(
                "this column would carry personal data or a protected characteristic; "
                "students are identified by pseudonymous ids only - remove the column",
                **raw.at(1, name),
            )


def _missing_columns_error(spec: Table, raw: _RawTable, given: set[str],
                           unused: list[str]) -> InputError | None:
    """One error that lists every missing required column, with "did you mean" hints
    from the headers that matched no column."""
    missing = [(c.name, "") for c in spec.columns if c.required and c.name not in given]
    if spec.located:
        if "pc4" not in given:
            lacking = [name for name in ("lat", "lon") if name not in given]
            # Without any location the column to add is pc4 (or both coordinates).
            missing += [(name, "give pc4, or lat and lon")
                        for name in (["pc4"] if len(lacking) == 2 else lacking)]
        elif ("lat" in given) != ("lon" in given):
            missing.append(("lon" if "lat" in given else "lat", "lat and lon go together"))
    if not missing:
        return None
    by_key = {header_key(h): h for h in unused}
    hints = []
    for name, _ in missing:
        column = next((c for c in spec.columns if c.name == name), None)
        keys = [header_key(n) for n in (name, *(column.aliases if column else ()))]
        close = next((m for k in keys for m in difflib.get_close_matches(k, by_key, n=1)), None)
        if close is not None:
            hints.append(f"{by_key[close]!r} for {name!r}")
    hint = f"; did you mean {', '.join(hints)}?" if hints else ""
    if len(missing) == 1:
        name, note = missing[0]
        return InputError(f"missing required column{f' ({note})' if note else ''}{hint}",
                          **raw.at(1, name))
    notes = sorted({note for _, note in missing if note})
    listed = ", ".join(repr(name) for name, _ in missing)
    return InputError(
        f"missing required columns {listed}{f' ({notes[0]})' if notes else ''}{hint}",
        **raw.at(1))


def _present_columns(spec: Table, raw: _RawTable) -> dict[str, Column]:
    """Map each header present in ``raw`` to its column; check required and personal ones.

    A header names a column by its name or one of its aliases, compared by
    letters and digits only. Two headers for one column are refused (which
    one counts?), and every missing required column is named at once.
    """
    if spec.stem == "students":
        _refuse_personal_data(raw)
    by_key = {header_key(name): column for column in spec.columns
              for name in (column.name, *column.aliases)}
    present: dict[str, Column] = {}
    used: dict[str, str] = {}  # column name → header that gives it
    for header in raw.header_order:
        column = by_key.get(header_key(header))
        if column is None:
            continue
        if column.name in used:
            raise InputError(
                f"columns {used[column.name]!r} and {header!r} both give {column.name}; "
                "keep only one", **raw.at(1, header))
        used[column.name] = header
        present[header] = column
    unused = [h for h in raw.header_order if h not in present]
    error = _missing_columns_error(spec, raw, set(used), unused)
    if error is not None:
        raise error
    return present


def _convert(
    cells: Sequence[str], column: Column, empty: Any
) -> tuple[list[Any], int | None, str, list[Any]]:
    """Convert one column of cells; an empty cell becomes ``empty``.

    Returns the values up to the first bad cell, the index of that cell (None if
    all are good), what is wrong with it, and the value of each distinct cell
    (every value of the column is among them; the column checks use them).
    """
    parser = _PARSERS[column.kind]
    distinct = set(cells)
    if parser is None:
        # Text goes to the model as it is (the model strips it); only blank is "not given".
        if "" not in distinct and not any(map(str.isspace, distinct)):
            return list(cells), None, "", list(distinct)
        blank = {cell for cell in distinct if not cell or cell.isspace()}
        return ([empty if cell in blank else cell for cell in cells], None, "",
                [cell for cell in distinct if cell not in blank] + [empty])
    # Each distinct cell is parsed once: most columns repeat few values.
    mapping: dict[str, Any] = {}
    bad: dict[str, str] = {}
    for cell in distinct:
        text = cell.strip()
        if not text:
            mapping[cell] = empty
        else:
            try:
                mapping[cell] = parser(text)
            except _CellError as exc:
                bad[cell] = str(exc)
    if bad:
        index = next(i for i, cell in enumerate(cells) if cell in bad)
        return [mapping[cell] for cell in cells[:index]], index, bad[cells[index]], []
    return list(map(mapping.__getitem__, cells)), None, "", list(mapping.values())


def _pydantic_message(error: dict[str, Any], column: str) -> str:
    kind = error["type"]
    value = error.get("input")
    field_name = error["loc"][1] if len(error["loc"]) > 1 else None
    ctx = error.get("ctx") or {}
    if kind == "missing" or (value is None and len(error["loc"]) > 1):
        return f"{column} is required but empty"
    if kind == "string_pattern_mismatch":
        if field_name in _CREBO_FIELDS:
            if isinstance(value, str) and value.isdigit() and len(value) < 5:
                return (
                    f"crebo {value!r} has {len(value)} digits: a crebo has 5 digits; leading "
                    f"zeros count (perhaps {value.zfill(5)!r}; keep the column as text)"
                )
            return f"{value!r} is not a crebo: a crebo has 5 digits; leading zeros count"
        if field_name == "pc4":
            if isinstance(value, str) and _FULL_POSTCODE.fullmatch(value):
                # A full postcode nearly points at a house: too precise to keep.
                return (f"{value!r} is a full postcode: give only its 4 digits, the PC4 area "
                        f"({value[:4]!r}); a full postcode is more precise than matching needs")
            return f"{value!r} is not a PC4 postcode area (4 digits, not starting with 0)"
        if field_name == "region":
            return f"{value!r} is not a region code (AM01 to AM38)"
    if kind == "string_too_long":
        return f"{column} {value!r} is longer than {ctx.get('max_length')} characters"
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        if field_name in _LEVEL_FIELDS:
            return f"{column} {value} is not one of 1-4"
        if kind == "greater_than_equal" and ctx.get("ge") == 0:
            return f"{column} {value} is negative; give 0 or more"
        bound = {"greater_than_equal": "at least", "greater_than": "more than",
                 "less_than_equal": "at most", "less_than": "less than"}[kind]
        limit = next(iter(ctx.values()), "")
        return f"{column} {value} is out of range: it must be {bound} {limit}"
    if kind == "value_error":
        return str(error["msg"]).removeprefix("Value error, ")
    return f"{error['msg']} (value {value!r})"


def _model_error_column(message: str, record: dict[str, Any]) -> str | None:
    """The column a record-level (model validator) error is about."""
    if "give both lat and lon" in message:
        return "lon" if record.get("lat") is not None else "lat"
    if "location is required" in message:
        return "pc4"
    if "coordinates" in message:
        return "lat"
    if "min_level" in message:
        return "min_level"
    if "ends before" in message:
        return "end"
    return None


def _raise_first(exc: ValidationError, table: _ReadTable, records: list[dict]) -> None:
    order = {name: i for i, name in enumerate(table.raw.header_order)}

    def position(error: dict) -> tuple[int, int]:
        loc = error["loc"]
        field_name = loc[1] if len(loc) > 1 else None
        header = table.headers.get(field_name, "") if field_name else ""
        return loc[0], order.get(header, len(order))

    error = min(exc.errors(include_url=False), key=position)
    index = error["loc"][0]
    if len(error["loc"]) > 1:
        field_name = error["loc"][1]
        where = table.where(index, field_name)
        message = _pydantic_message(error, where["column"])
    else:
        message = _pydantic_message(error, "")
        column = _model_error_column(message, records[index])
        where = table.where(index, None)
        where["column"] = column
    raise InputError(message, **where) from None


def _validate_table(spec: Table, raw: _RawTable, context: dict[str, Any],
                    warnings: _Warnings, validate_rows: bool = False) -> _ReadTable:
    """Convert the cells of ``raw`` and build its records, or raise the first problem.

    The records are built from the converted columns checked at once
    (:func:`~matcher.io.construct.checked_records`, the model's own rules); when
    that refuses anything, or ``validate_rows`` is set, they are validated row by
    row, which finds the first problem in file order and says what it is. Both give
    equal records for every valid table, so messages are those of the per-row path.
    """
    present = _present_columns(spec, raw)
    table = _ReadTable(spec, raw, [], {col.field: header for header, col in present.items()})
    order = {name: i for i, name in enumerate(raw.header_order)}
    converted: list[tuple[str, list[Any]]] = []
    distinct: dict[str, list[Any]] = {}  # field → the values of its distinct cells
    first_bad: tuple[int, int, str, str] | None = None  # (index, header position, header, msg)
    for header, column in present.items():
        # An empty cell means "not given": the field's default, or None where the
        # field is required, which the model then reports as empty.
        info = spec.model.model_fields[column.field]
        empty = None if info.is_required() else info.default
        values, bad, message, distinct[column.field] = _convert(raw.columns[header], column, empty)
        if bad is None and all(value is empty for value in distinct[column.field]):
            continue  # every value is the default: leaving the field out is the same, and faster
        if column.kind == "sector":
            _warn_renamed(raw, header, values, warnings)
        if column.field == "preferences" and _first_wish_counts(raw, header, values, warnings):
            del distinct[column.field]  # some wishes changed: the column checks find its values again
        converted.append((column.field, values))
        if bad is not None and (first_bad is None or (bad, order[header]) < first_bad[:2]):
            first_bad = (bad, order[header], header, message)
    if first_bad is None and not validate_rows:
        records = checked_records(spec.model, dict(converted), len(raw.rows), context, distinct=distinct)
        if records is not None:
            table.records = records
            return table
    # Records before the first unconvertible cell are validated as well, so the
    # error reported is the first in file order.
    n = len(raw.rows) if first_bad is None else first_bad[0]
    fields = [f for f, _ in converted]
    records = [dict(zip(fields, row)) for row in zip(*(values[:n] for _, values in converted))]
    try:
        table.records = _adapter(spec.model).validate_python(records, context=context)
    except ValidationError as exc:
        _raise_first(exc, table, records)
    if first_bad is not None:
        index, _, header, message = first_bad
        raise InputError(message, **raw.at(raw.rows[index], header))
    return table


# --------------------------------------------------------------------------- warnings


class _Warnings(list):
    """Warnings as they are found, kept in file order: (table, row, found) → warning."""

    def add(self, raw: _RawTable, row: int | None, column: str | None, message: str) -> None:
        order = next((i for i, spec in enumerate(TABLES) if spec.stem == raw.table), len(TABLES))
        self.append(((order, row or 0, len(self)), InputWarning(message=message,
                                                                 **raw.at(row, column))))

    def in_order(self) -> tuple[InputWarning, ...]:
        return tuple(warning for _, warning in sorted(self, key=lambda item: item[0]))


def _warn_renamed(raw: _RawTable, header: str, values: list[Any], warnings: _Warnings) -> None:
    """Warn once per spelling that was read as another (a sector's catalogue name)."""
    cells = raw.columns[header]
    renamed = {cell: value for cell, value in zip(cells, values)
               if value is not None and value != cell.strip()}
    for cell, value in sorted(renamed.items(), key=lambda item: cells.index(item[0])):
        rows = [raw.rows[i] for i, c in enumerate(cells[:len(values)]) if c == cell]
        more = f" (on {len(rows)} rows)" if len(rows) > 1 else ""
        warnings.add(raw, rows[0], header,
                     f"{cell.strip()!r} read as {value!r}, the catalogue's name{more}")


def _first_wish_counts(raw: _RawTable, header: str, values: list[Any],
                       warnings: _Warnings) -> bool:
    """SPEC: a wish list naming an entry twice counts its first; the later ones go.
    Returns whether any did."""
    changed = False
    for i, wishes in enumerate(values):
        if len(wishes) > 1 and len(set(wishes)) != len(wishes):
            kept = tuple(dict.fromkeys(wishes))
            twice = [w for w in kept if wishes.count(w) > 1]
            values[i] = kept
            changed = True
            warnings.add(raw, raw.rows[i], header,
                         f"{' and '.join(map(repr, twice))} {'is' if len(twice) == 1 else 'are'}"
                         " named more than once: the first counts, the later ones were dropped")
    return changed


def _drop_wishes_naming_nothing(tables: dict[str, _ReadTable], warnings: _Warnings) -> None:
    """SPEC: a wish naming no listed vacancy or company is dropped (with a warning)."""
    students, vacancies = tables["students"], tables["vacancies"].records
    wishable = {v.vacancy_id for v in vacancies} | {v.company_id for v in vacancies}
    if "companies" in tables:
        wishable |= {c.company_id for c in tables["companies"].records}
    records = students.records
    if wishable.issuperset(chain.from_iterable(map(attrgetter("preferences"), records))):
        return  # every wish names something: the common case, found without a loop in Python
    for i, student in enumerate(records):
        if student.preferences and not wishable.issuperset(student.preferences):
            dropped = [w for w in student.preferences if w not in wishable]
            records[i] = student.model_copy(update={"preferences": tuple(
                w for w in student.preferences if w in wishable)})
            where = students.where(i, "preferences")
            warnings.add(students.raw, where["row"], where["column"],
                         f"{'wish' if len(dropped) == 1 else 'wishes'} "
                         f"{', '.join(map(repr, dropped))} "
                         f"{'names' if len(dropped) == 1 else 'name'} no listed vacancy or "
                         "company: dropped from the wishes")


def _warn_supervisors_without_row(tables: dict[str, _ReadTable], warnings: _Warnings) -> None:
    """A vacancy's supervisor without a row limits nothing (SPEC), but is most often a typo."""
    if "supervisors" not in tables:
        return
    known = {s.supervisor_id for s in tables["supervisors"].records}
    vacancies = tables["vacancies"]
    file = tables["supervisors"].raw.file
    for i, vacancy in enumerate(vacancies.records):
        if vacancy.supervisor_id is not None and vacancy.supervisor_id not in known:
            where = vacancies.where(i, "supervisor_id")
            warnings.add(vacancies.raw, where["row"], where["column"],
                         f"supervisor {vacancy.supervisor_id!r} has no row in {file}, so no "
                         "capacity limits it (a typing error?)")


# --------------------------------------------------------------------------- instance


def _raise_reference_problem(instance: Instance, tables: dict[str, _ReadTable]) -> None:
    problems = cross_reference_problems(instance)
    if not problems:
        return
    problem = problems[0]
    table = tables[problem.table]
    message = problem.message
    if message.startswith("duplicate "):
        key = getattr(table.records[problem.index], problem.column)
        first = next(i for i, r in enumerate(table.records) if getattr(r, problem.column) == key)
        message += f" (first on row {table.raw.rows[first]})"
    elif message.startswith("ambiguous: a second travel time"):
        second = table.records[problem.index]
        first = next(i for i, r in enumerate(table.records)
                     if (r.origin, r.destination) == (second.origin, second.destination))
        message += (f" ({table.records[first].minutes} and {second.minutes} minutes; first on "
                    f"row {table.raw.rows[first]}); keep one row")
    elif message.startswith("unknown company_id") and "companies" in tables:
        message += f" (not in {tables['companies'].raw.file})"
    elif message.startswith("unknown period"):
        message += (
            f" (not in {tables['periods'].raw.file})" if "periods" in tables
            else f" (without a periods file the only period is {DEFAULT_PERIOD!r})"
        )
    raise InputError(message, **table.where(problem.index, problem.column))


@contextmanager
def _gc_paused() -> Iterator[None]:
    # Hundreds of thousands of new model objects trigger repeated full garbage
    # collections that double the read time; nothing built here forms cycles.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _missing_table(folder: Path, stem: str, workbooks: list[Workbook]) -> InputError:
    sheets = "".join(
        f"; {w.path.name} has the sheets {', '.join(map(repr, w.sheet_names))}" for w in workbooks)
    return InputError(
        f"required file missing: give {stem}.csv, {stem}.parquet or {stem}.xlsx, or a sheet "
        f"{stem!r} in a workbook, in {str(folder)!r}{sheets}",
        file=f"{stem}.csv",
    )


def _read_tables(folder: Path, sources: dict[str, _Source], workbooks: list[Workbook],
                 context: dict[str, Any], warnings: _Warnings, validate_rows: bool,
                 ) -> tuple[dict[str, _ReadTable], list[InputFile]]:
    """Read and validate each table found, in :data:`TABLES` order."""
    tables: dict[str, _ReadTable] = {}
    files: list[InputFile] = []
    for spec in TABLES:
        source = sources.get(spec.stem)
        if source is None:
            if spec.required_file:
                raise _missing_table(folder, spec.stem, workbooks)
            continue
        raw = source.read()
        raw.table = spec.stem
        files.append(InputFile(table=spec.stem, file=raw.file, format=raw.format,
                               encoding=raw.encoding, sheet=raw.sheet))
        tables[spec.stem] = _validate_table(spec, raw, context, warnings, validate_rows)
    return tables, files


def _decisions_source(path: Path, sources: dict[str, _Source], workbooks: list[Workbook]) -> _Source:
    """A ``--decisions`` file as the source of the decisions table (CSV, Parquet or a workbook's sheet
    ``decisions``, or its only sheet)."""
    if "decisions" in sources:
        raise InputError(f"the instance folder has its own decisions table ({sources['decisions']}); give "
                         "that or --decisions, not both", file=path.name)
    if not path.is_file():
        raise InputError(f"decisions file {str(path)!r} does not exist", file=path.name)
    suffix = path.suffix.lower()
    if suffix in (".csv", ".parquet"):
        return _Source(path)
    if suffix != ".xlsx":
        raise InputError("a decisions file is .csv, .parquet or .xlsx", file=path.name)
    workbook = Workbook(path)
    workbooks.append(workbook)
    sheets = {name.strip().lower(): name for name in workbook.sheet_names}
    sheet = sheets.get("decisions") or (workbook.sheet_names[0] if len(workbook.sheet_names) == 1 else None)
    if sheet is None:
        raise InputError("this workbook has several sheets and none is named 'decisions'", file=path.name)
    return _Source(path, workbook, sheet)


def read_instance_with_report(
    path: str | os.PathLike, *, name: str | None = None, decisions: str | os.PathLike | None = None,
    validate_rows: bool = False,
) -> tuple[Instance, InputReport]:
    """Read and validate an instance folder, and report what was read.

    The folder holds the tables ``students`` and ``vacancies`` (required) and
    optionally ``supervisors``, ``companies``, ``periods``, ``equivalences``
    and ``travel_times``. Each is a file ``<table>.csv``, ``<table>.parquet``
    or ``<table>.xlsx`` (its sheet named ``<table>``, or its only sheet), or a
    sheet named ``<table>`` in another workbook of the folder, such as one
    ``instance.xlsx`` with a sheet per table; a table found twice is refused.
    A ``policy.toml`` is not read here (see :func:`matcher.io.read_policy`).

    CSV files are UTF-8 (a byte-order mark is accepted) or Windows-1252 (Dutch
    Excel's "CSV (gescheiden door lijstscheidingsteken)"), comma- or
    semicolon-separated (sniffed from the header), LF or CRLF, with a header
    row. In a workbook, the first non-blank row is the header; numbers, dates
    and yes/no cells read as the text a CSV file would hold (45.0 is ``45``).
    Everywhere, empty cells mean "not given", blank rows are skipped, a cell
    the project's writers defused (``'=...``) reads as its original text, and
    headers may be Dutch (the aliases in :data:`TABLES`). Unknown columns are
    ignored, except that ``students`` refuses columns that would carry
    personal data.

    Harmless anomalies are applied by SPEC's rules and reported as warnings:
    a wish named twice (the first counts), a wish naming no listed vacancy or
    company (dropped), a vacancy's supervisor without a row in an existing
    supervisors table (it limits nothing), a sector written in another case
    (read as the catalogue's name). Reading never writes anything, so bad
    input leaves no trace.

    Parameters
    ----------
    path
        The instance folder.
    name
        Name of the instance; default the folder's name.
    decisions
        A decisions table from outside the folder (``--decisions``): CSV,
        Parquet or a workbook; refused when the folder has one too.
    validate_rows
        Validate every record with pydantic, row by row, as the reader did before
        it checked whole columns. Slower, with the same result and the same
        errors; the reference that the column checks are tested against.

    Returns
    -------
    (models.Instance, models.InputReport)
        The validated, cross-referenced instance, rows in file order; and the
        file (format, encoding, sheet) of each table, with the warnings in file
        and row order.

    Raises
    ------
    matcher.errors.InputError
        At the first problem, naming the file (and sheet), the spreadsheet row
        (header = 1) and the column.
    """
    folder = Path(path)
    if not folder.is_dir():
        raise InputError(f"instance folder {str(folder)!r} does not exist or is not a folder")
    context = {"known_pc4": known_pc4()}
    warnings = _Warnings()
    with _gc_paused():
        sources, workbooks = _find_sources(folder)
        try:
            if decisions is not None:
                sources["decisions"] = _decisions_source(Path(decisions), sources, workbooks)
            tables, files = _read_tables(folder, sources, workbooks, context, warnings, validate_rows)
        finally:
            for workbook in workbooks:
                workbook.close()
        _drop_wishes_naming_nothing(tables, warnings)
        _warn_supervisors_without_row(tables, warnings)
        parts = {stem: tuple(t.records) for stem, t in tables.items()}
        instance_name = name if name is not None else (folder.resolve().name or "instance")
        # The tables' records are Instance's own field values; its validator (every
        # cross-reference) still runs. Anything refused: Instance() says what.
        instance = None if validate_rows else checked_model(
            Instance, {"name": instance_name, **parts}, trusted=frozenset(parts))
        try:
            if instance is None:
                instance = Instance(name=instance_name, **parts)
        except ValidationError as exc:
            # The model reports all problems in one message; find the first again
            # to point at its file, row and column.
            _raise_reference_problem(Instance.model_construct(name=instance_name, **parts),
                                     tables)
            raise InputError(f"the instance is inconsistent: {exc}") from None
    return instance, InputReport(files=tuple(files), warnings=warnings.in_order())


def read_instance(path: str | os.PathLike, *, name: str | None = None,
                  decisions: str | os.PathLike | None = None, validate_rows: bool = False) -> Instance:
    """Read and validate an instance folder (see :func:`read_instance_with_report`,
    which also tells which files were read and what was warned about).

    Parameters
    ----------
    path
        The instance folder.
    name
        Name of the instance; default the folder's name.
    decisions
        A decisions table from outside the folder (see :func:`read_instance_with_report`).
    validate_rows
        Validate every record row by row (see :func:`read_instance_with_report`).

    Returns
    -------
    models.Instance
        The validated, cross-referenced instance, rows in file order.

    Raises
    ------
    matcher.errors.InputError
        At the first problem, naming the file (and sheet), the spreadsheet row
        (header = 1) and the column.
    """
    return read_instance_with_report(path, name=name, decisions=decisions, validate_rows=validate_rows)[0]


def read_csv_cells(path: str | os.PathLike) -> tuple[dict[str, Sequence[str]], list[int]]:
    """A CSV file read as text, with the instance files' rules (UTF-8 with or
    without BOM or Windows-1252, ``,`` or ``;``, blank rows skipped, defused
    cells restored), for other input files such as a planner's allowed periods.

    Returns
    -------
    (columns, rows)
        Cells per normalised header name, and each record's spreadsheet row
        (header = row 1).

    Raises
    ------
    InputError
        When the file is not text in one of those encodings or not a readable table.
    """
    raw = _read_csv(Path(path))
    return raw.columns, raw.rows
