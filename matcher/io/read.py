"""Read an instance folder (SPEC "Instance: a folder of CSV files").

Every table is read as text first, so ids and crebos keep their leading zeros;
each cell is then converted by the kind of its column and the records are
validated by the pydantic models in :mod:`models`. The first problem found is
raised as :class:`~matcher.errors.InputError` naming file, spreadsheet row and
column. Reading never writes anything.
"""

from __future__ import annotations

import csv
import gc
import io
import math
import os
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from matcher import geo
from matcher.errors import InputError
from models import (
    DEFAULT_PERIOD,
    Company,
    Equivalence,
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
        ``list``, ``pathway``, ``pathways``, ``mode`` or ``date``.
    required
        Whether the column must be present in the header.
    aliases
        Other accepted headers.
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


_LOCATION = (_col("pc4"), _col("lat", "float"), _col("lon", "float"))

TABLES: tuple[Table, ...] = (
    Table(
        "students", Student,
        (
            _col("student_id", required=True), _col("school_id", required=True),
            _col("crebo", required=True), _col("level", "int", required=True),
            _col("pathway", "pathway", required=True), _col("year", "int"),
            *_LOCATION,
            _col("mode", "mode"), _col("max_travel_min", "int"), _col("periods", "list"),
            _col("extra_guidance", "bool"), _col("preferences", "list"),
            _col("needs_accessible", "bool"),
        ),
        required_file=True, located=True,
    ),
    Table(
        "vacancies", Vacancy,
        (
            _col("vacancy_id", required=True), _col("company_id", required=True),
            _col("supervisor_id"),
            _col("crebo", "list", required=True, field_name="crebos"),
            _col("pathway", "pathways", required=True, field_name="pathways"),
            *_LOCATION,
            _col("places", "int", required=True), _col("periods", "list"),
            _col("min_level", "int"), _col("max_level", "int"),
            _col("extra_guidance_places", "int"), _col("duo", "bool"),
            _col("accessible", "bool"),
        ),
        required_file=True, located=True,
    ),
    Table(
        "supervisors", Supervisor,
        (_col("supervisor_id", required=True), _col("company_id", required=True),
         _col("capacity", "int", required=True)),
    ),
    Table(
        "companies", Company,
        (_col("company_id", required=True), _col("name"), _col("sector"), _col("region"),
         _col("max_students", "int")),
    ),
    Table(
        "periods", Period,
        (_col("period_id", required=True), _col("start", "date"), _col("end", "date")),
    ),
    Table(
        "equivalences", Equivalence,
        (_col("crebo", required=True), _col("equivalent_crebo", required=True)),
    ),
    Table(
        "travel_times", TravelTime,
        (_col("origin", required=True, aliases=("from",)),
         _col("destination", required=True, aliases=("to",)),
         _col("minutes", "int", required=True)),
    ),
)

# Headers that would carry personal data or a protected characteristic. They are
# compared with letters and digits only, so "E-mail" and "e_mail" both match.
_PERSONAL_DATA_HEADERS = frozenset(
    re.sub(r"[^a-z0-9]", "", h)
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

# --------------------------------------------------------------------------- cells


class _CellError(ValueError):
    """A cell that cannot be converted; the caller adds file, row and column."""


def _parse_int(text: str) -> int:
    if not _INTEGER.fullmatch(text):
        raise _CellError(f"{text!r} is not a whole number")
    return int(text)


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
}

# --------------------------------------------------------------------------- raw tables


@dataclass
class _RawTable:
    """A file read as text: normalised headers, cells per column, spreadsheet rows."""

    file: str
    columns: dict[str, Sequence[str]]
    rows: list[int]  # spreadsheet row of each record (header = row 1)
    header_order: list[str]  # headers in file order


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


def _check_header(file: str, header: list[str]) -> list[str]:
    names = [_normalise_header(h) for h in header]
    if not any(names):
        raise InputError("the header row is missing or empty", file=file, row=1)
    seen: set[str] = set()
    for name in names:
        if name and name in seen:
            raise InputError("this column appears twice in the header", file=file, row=1,
                             column=name)
        seen.add(name)
    return names


def _read_csv(path: Path) -> _RawTable:
    file = path.name
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        row = data.count(b"\n", 0, exc.start) + 1
        raise InputError(
            "the file is not UTF-8 text; save it as 'CSV UTF-8'", file=file, row=row
        ) from None
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
    # Only irregular rows (wrong width, or no content) are looked at one by one.
    irregular = [i for i, record in enumerate(body)
                 if len(record) != width or not "".join(record).strip()]
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
    cells = list(zip(*body)) if body else [()] * width
    columns = {name: col for name, col in zip(names, cells) if name}
    return _RawTable(file, columns, rows, [n for n in names if n])


def _parquet_cell(value: Any) -> str:
    """Render one Parquet value as the text a CSV cell would hold."""
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
        # Integer columns with gaps arrive as floats from pandas; 45.0 means 45.
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() \
            else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return "|".join(_parquet_cell(v) for v in value)
    return str(value)


def _read_parquet(path: Path) -> _RawTable:
    import pyarrow as pa
    import pyarrow.parquet as pq

    file = path.name
    try:
        table = pq.read_table(path)
    except Exception as exc:  # pyarrow raises several types for a broken file
        raise InputError(f"not a readable Parquet file: {exc}", file=file) from None
    names = _check_header(file, table.column_names)
    columns: dict[str, list[str]] = {}
    for name, column in zip(names, table.columns):
        if not name:
            continue
        values = column.to_pylist()
        if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
            columns[name] = [v if v is not None else "" for v in values]
        elif pa.types.is_list(column.type) or pa.types.is_large_list(column.type):
            columns[name] = [_parquet_cell(v) for v in values]
        else:
            text = {v: _parquet_cell(v) for v in set(values)}  # few distinct values, mostly
            columns[name] = [text[v] for v in values]
    # Rows are numbered as in a spreadsheet made of the same table.
    rows = list(range(2, table.num_rows + 2))
    return _RawTable(file, columns, rows, [n for n in names if n])


def _find_file(folder: Path, stem: str) -> Path | None:
    """The file of table ``stem`` in ``folder`` (``.csv`` or ``.parquet``, any case)."""
    found = sorted(
        p for p in folder.iterdir()
        if p.name.lower() in (f"{stem}.csv", f"{stem}.parquet") and p.is_file()
    )
    if len(found) > 1:
        raise InputError(
            f"{' and '.join(p.name for p in found)} are the same table; keep only one",
            file=found[0].name,
        )
    return found[0] if found else None


def _read_raw(path: Path) -> _RawTable:
    return _read_parquet(path) if path.suffix.lower() == ".parquet" else _read_csv(path)


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
        return {"file": self.raw.file, "row": self.raw.rows[index], "column": column}

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


def _present_columns(spec: Table, raw: _RawTable) -> dict[str, Column]:
    """Map each header present in ``raw`` to its column; check required and personal ones."""
    if spec.stem == "students":
        for name in raw.header_order:
            if re.sub(r"[^a-z0-9]", "", name) in _PERSONAL_DATA_HEADERS:
                raise InputError(
                    "this column would carry personal data or a protected characteristic; "
                    "students are identified by pseudonymous ids only - remove the column",
                    file=raw.file, row=1, column=name,
                )
    present: dict[str, Column] = {}
    for column in spec.columns:
        header = next((h for h in (column.name, *column.aliases) if h in raw.columns), None)
        if header is not None:
            present[header] = column
        elif column.required:
            raise InputError("missing required column", file=raw.file, row=1,
                             column=column.name)
    if spec.located:
        given = {c.name for c in present.values()}
        if "pc4" not in given:
            for name in ("lat", "lon"):
                if name not in given:
                    raise InputError(
                        "missing required column (give pc4, or lat and lon)",
                        file=raw.file, row=1, column=name,
                    )
        elif ("lat" in given) != ("lon" in given):
            missing = "lon" if "lat" in given else "lat"
            raise InputError("missing required column (lat and lon go together)",
                             file=raw.file, row=1, column=missing)
    return present


def _convert(
    cells: Sequence[str], column: Column, empty: Any
) -> tuple[list[Any], int | None, str]:
    """Convert one column of cells; an empty cell becomes ``empty``.

    Returns the values up to the first bad cell, the index of that cell (None if
    all are good) and what is wrong with it.
    """
    parser = _PARSERS[column.kind]
    if parser is None:
        # Text goes to the model as it is (the model strips it); only blank is "not given".
        return [empty if not cell or cell.isspace() else cell for cell in cells], None, ""
    # Each distinct cell is parsed once: most columns repeat few values.
    mapping: dict[str, Any] = {}
    bad: dict[str, str] = {}
    for cell in set(cells):
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
        return [mapping[cell] for cell in cells[:index]], index, bad[cells[index]]
    return [mapping[cell] for cell in cells], None, ""


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


def _validate_table(spec: Table, raw: _RawTable, context: dict[str, Any]) -> _ReadTable:
    present = _present_columns(spec, raw)
    table = _ReadTable(spec, raw, [], {col.field: header for header, col in present.items()})
    order = {name: i for i, name in enumerate(raw.header_order)}
    converted: list[tuple[str, list[Any]]] = []
    first_bad: tuple[int, int, str, str] | None = None  # (index, header position, header, msg)
    for header, column in present.items():
        # An empty cell means "not given": the field's default, or None where the
        # field is required, which the model then reports as empty.
        info = spec.model.model_fields[column.field]
        empty = None if info.is_required() else info.default
        values, bad, message = _convert(raw.columns[header], column, empty)
        if bad is None and all(value is empty for value in values):
            continue  # every value is the default: leaving the field out is the same, and faster
        converted.append((column.field, values))
        if bad is not None and (first_bad is None or (bad, order[header]) < first_bad[:2]):
            first_bad = (bad, order[header], header, message)
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
        raise InputError(message, file=raw.file, row=raw.rows[index], column=header)
    return table


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


def read_instance(path: str | os.PathLike, *, name: str | None = None) -> Instance:
    """Read and validate an instance folder.

    The folder holds ``students`` and ``vacancies`` (required) and optionally
    ``supervisors``, ``companies``, ``periods``, ``equivalences`` and
    ``travel_times``, each as ``.csv`` or ``.parquet``. A ``policy.toml`` is not
    read here (see :func:`matcher.io.read_policy`). CSV files are UTF-8 (a
    byte-order mark is accepted), comma- or semicolon-separated (sniffed from the
    header), with a header row; empty cells mean "not given"; unknown columns
    are ignored, except that ``students`` refuses columns that would carry
    personal data. Reading never writes anything, so bad input leaves no trace.

    Parameters
    ----------
    path
        The instance folder.
    name
        Name of the instance; default the folder's name.

    Returns
    -------
    models.Instance
        The validated, cross-referenced instance, rows in file order.

    Raises
    ------
    matcher.errors.InputError
        At the first problem, naming the file, the spreadsheet row (header = 1)
        and the column.
    """
    folder = Path(path)
    if not folder.is_dir():
        raise InputError(f"instance folder {str(folder)!r} does not exist or is not a folder")
    context = {"known_pc4": geo.known_pc4()}
    tables: dict[str, _ReadTable] = {}
    with _gc_paused():
        for spec in TABLES:
            found = _find_file(folder, spec.stem)
            if found is None:
                if spec.required_file:
                    raise InputError(
                        f"required file missing: give {spec.stem}.csv or "
                        f"{spec.stem}.parquet in {str(folder)!r}",
                        file=f"{spec.stem}.csv",
                    )
                continue
            tables[spec.stem] = _validate_table(spec, _read_raw(found), context)
        parts = {stem: tuple(t.records) for stem, t in tables.items()}
        instance_name = name if name is not None else (folder.resolve().name or "instance")
        try:
            return Instance(name=instance_name, **parts)
        except ValidationError as exc:
            # The model reports all problems in one message; find the first again
            # to point at its file, row and column.
            _raise_reference_problem(Instance.model_construct(name=instance_name, **parts),
                                     tables)
            raise InputError(f"the instance is inconsistent: {exc}") from None


def read_csv_cells(path: str | os.PathLike) -> tuple[dict[str, Sequence[str]], list[int]]:
    """A CSV file read as text, with the instance files' rules (UTF-8 with or
    without BOM, ``,`` or ``;``, blank rows skipped), for other input files
    such as a planner's allowed periods.

    Returns
    -------
    (columns, rows)
        Cells per normalised header name, and each record's spreadsheet row
        (header = row 1).

    Raises
    ------
    InputError
        When the file is not UTF-8 or not a readable table.
    """
    raw = _read_csv(Path(path))
    return raw.columns, raw.rows
