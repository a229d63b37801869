"""The reader checks whole columns at once and builds the records without pydantic
validating each row (matcher.io.construct); ``validate_rows=True`` validates row by
row as the reader always did. Both give the same Instance (equal records, field by
field, same types, same field order, same fields set) and the same InputReport for
every valid input, and the same InputError (file, sheet, row, column, message) for
every bad one: generated instances in CSV, Parquet and a workbook; every defect of
test_bad_input; random cell edits of a small valid instance; typed Parquet cells.
(tests.support.io_fixtures.expect_input_error checks the same for every other
bad-input test.) On valid input the column checks are what is used, and what
they cannot reproduce (a before-validator, a validator reading the record's
other fields) is left to per-row validation.
"""

from __future__ import annotations

import math
import tempfile
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationInfo, field_validator, model_validator

import matcher.io.read as reader
from matcher.errors import InputError
from matcher.generator.synth import generate_instance
from matcher.io import read_instance_with_report, write_instance
from matcher.io.construct import checked_records, supports
from matcher.io.read import TABLES
from models import Instance
from tests.io.test_bad_input import DEFECTS
from tests.support.io_fixtures import valid_tables, write_defective, write_tables
from tests.support.random_instances import random_decisions, random_instance


def _outcome(folder: Path, *, validate_rows: bool):
    """What reading ``folder`` gives: ("ok", instance, report) or ("error", where and what)."""
    try:
        instance, report = read_instance_with_report(folder, name="x", validate_rows=validate_rows)
    except InputError as error:
        return "error", (error.file, error.sheet, error.row, error.column, error.message)
    return "ok", instance, report


def _assert_same_records(fast: Instance, rows: Instance) -> None:
    """Equal, and alike as objects: same field order, same value types, same fields set."""
    assert fast == rows
    for name in Instance.model_fields:
        a, b = getattr(fast, name), getattr(rows, name)
        if not isinstance(a, tuple):
            assert type(a) is type(b) and a == b
            continue
        assert len(a) == len(b), name
        for x, y in zip(a, b):
            assert type(x) is type(y)
            assert list(x.__dict__) == list(y.__dict__), (name, x)
            assert x.model_fields_set == y.model_fields_set, (name, x)
            assert (x.__pydantic_extra__, x.__pydantic_private__) == (y.__pydantic_extra__, y.__pydantic_private__)
            for field, value in x.__dict__.items():
                other = y.__dict__[field]
                assert type(value) is type(other) and repr(value) == repr(other), (name, field, x, y)
                if isinstance(value, tuple):
                    assert [type(v) for v in value] == [type(v) for v in other], (name, field)


def assert_both_readers_agree(folder: Path):
    """Read ``folder`` both ways and assert the same outcome; return it."""
    fast, rows = _outcome(folder, validate_rows=False), _outcome(folder, validate_rows=True)
    assert fast[0] == rows[0], (fast, rows)
    if fast[0] == "error":
        assert fast[1] == rows[1]
    else:
        _assert_same_records(fast[1], rows[1])
        assert fast[2] == rows[2]
    return fast


# --------------------------------------------------------------------------- valid instances


def _generated(kind: str, seed: int) -> Instance:
    if kind == "region":
        return generate_instance(region=("AM13", "AM22", "AM01")[seed % 3], students=300 + 100 * seed, seed=seed)
    if kind == "national":
        return generate_instance(preset="national", students=700, seed=seed)
    # Every feature: periods, travel times, equivalences, decisions, duo places, zero capacities.
    return random_decisions(random_instance(seed, n_students=40, n_vacancies=20), seed)


def _as_workbook(csv_folder: Path, folder: Path) -> None:
    """The CSV tables as one workbook, a sheet per table, every cell as text."""
    folder.mkdir()
    with pd.ExcelWriter(folder / "instance.xlsx", engine="openpyxl") as workbook:
        for path in sorted(csv_folder.glob("*.csv")):
            frame = pd.read_csv(path, dtype=str, keep_default_na=False)
            frame.to_excel(workbook, sheet_name=path.stem, index=False)


@pytest.mark.parametrize(("kind", "seed"), [("region", 1), ("region", 2), ("national", 3), ("features", 1),
                                            ("features", 2), ("features", 3)])
@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_generated_instances_read_alike(tmp_path, kind, seed, fmt):
    instance = _generated(kind, seed)
    write_instance(instance, tmp_path / "in", fmt=fmt)
    outcome = assert_both_readers_agree(tmp_path / "in")
    assert outcome[0] == "ok" and outcome[1] == instance.model_copy(update={"name": "x"})


@pytest.mark.parametrize(("kind", "seed"), [("region", 4), ("features", 4)])
def test_generated_instances_in_a_workbook_read_alike(tmp_path, kind, seed):
    write_instance(_generated(kind, seed), tmp_path / "csv")
    _as_workbook(tmp_path / "csv", tmp_path / "xlsx")
    assert assert_both_readers_agree(tmp_path / "xlsx")[0] == "ok"


def test_the_column_checks_are_what_reads_valid_input(tmp_path, monkeypatch):
    """Else the comparisons above would compare the per-row path with itself."""
    assert all(supports(spec.model) for spec in TABLES) and supports(Instance)
    results = []

    def spy(function):
        def called(*args, **kwargs):
            results.append((getattr(args[0], "__name__", args[0]), function(*args, **kwargs)))
            return results[-1][1]
        return called

    monkeypatch.setattr(reader, "checked_records", spy(reader.checked_records))
    monkeypatch.setattr(reader, "checked_model", spy(reader.checked_model))
    write_instance(_generated("features", 5), tmp_path / "generated")
    read_instance_with_report(tmp_path / "generated")
    read_instance_with_report(write_tables(tmp_path / "every_table", _base_tables()))
    assert {name for name, _ in results} == {"Student", "Vacancy", "Supervisor", "Company", "Period",
                                             "TravelTime", "Equivalence", "Decision", "Instance"}
    assert all(result is not None for _, result in results)


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(("edits", "at", "says", "lacks"), DEFECTS)
def test_every_defect_of_the_bad_input_tests_gives_the_same_error(tmp_path, edits, at, says, lacks):
    write_defective(tmp_path, edits)
    assert assert_both_readers_agree(tmp_path)[0] == "error"


def _base_tables() -> dict[str, list[dict[str, str]]]:
    """The valid tables of io_fixtures with every optional table besides."""
    tables = valid_tables()
    tables["travel_times"] = [{"origin": "S1", "destination": "V1", "minutes": "12"},
                              {"origin": "3511", "destination": "1011", "minutes": "30"}]
    tables["equivalences"] = [{"crebo": "25029", "equivalent_crebo": "25038"}]
    tables["decisions"] = [
        {"student_id": "S2", "vacancy_id": "V2", "company_id": "", "period_id": "P1",
         "decision": "confirmed", "date": "2025-10-01"},
        {"student_id": "S3", "vacancy_id": "", "company_id": "C1", "period_id": "",
         "decision": "afgewezen_door_bedrijf", "date": "01-10-2025"},
    ]
    return tables


def test_the_base_of_the_edits_below_is_valid(tmp_path):
    write_tables(tmp_path, _base_tables())
    assert assert_both_readers_agree(tmp_path)[0] == "ok"


# Cells near a rule's edge: blanks and spaces (Python and pydantic strip differently
# around '\x1c'), digits of other scripts, bounds, lists with repeats, coordinates
# outside the Netherlands or swapped, ids that name nothing or are too long.
TRICKY = [
    "", " ", "\t", "\x1c", "\u00a0", "\u2003", "\x1c25029", "25029\u00a0", " 25029 ", "٢٥٠٢٩", "2502９",
    "0", "1", "4", "5", "-1", "+2", "007", "10000", "10001", "1440", "1441", "600", "601", "2.5", "2,5", "1e3",
    "true", "Ja", "nee", "j", "maybe", "BOL", "bbl", "both", "beide", "BOL|BOL", "BOL|XYZ", "|", ";",
    "P1|P1", "P1|P2", "P2|P1", "P9", " P1 ", "V1|V1", "V1|V2|C1", "Q", "S1", "S2", "V1", "C1", "C2", "C9",
    "SUP1", "SUP2", "SUP9", "3511", "0351", "3511AB", "9999", "52.09", "52,09", "4.9", "5.12", "48.85",
    "53.61", "nan", "inf", "-0.0", "AM13", "AM1", "am13", "x" * 64, "x" * 65, "2025-09-01", "31-02-2025",
    "2026-07-01", "2025-08-31", "bike", "OV", "public transport", "boat", "confirmed", "withdrawn",
    "declined_by_student", "Zorg/welzijn/sport", "zorg / welzijn / sport", "Zorg", "25038", "1234",
]
_COLUMNS = {stem: list(rows[0]) for stem, rows in _base_tables().items()}


def _alike(stem: str, column: str) -> st.SearchStrategy[str]:
    """Valid-looking cells of a column: another row's, with spaces, in capitals."""
    given = sorted({row[column] for row in _base_tables()[stem]})
    return st.sampled_from(given).flatmap(
        lambda cell: st.sampled_from([cell, f" {cell} ", cell.upper(), cell.lower(), cell.replace("|", ";")]))


def _edit(stem: str) -> st.SearchStrategy[tuple[str, int, str, str]]:
    return st.tuples(st.just(stem), st.integers(0, 2), st.sampled_from(_COLUMNS[stem])).flatmap(
        lambda edit: st.tuples(*map(st.just, edit), st.one_of(
            _alike(edit[0], edit[2]), _alike(edit[0], edit[2]), st.sampled_from(TRICKY),
            st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=6))))


_EDIT = st.sampled_from(sorted(_COLUMNS)).flatmap(_edit)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=st.lists(_EDIT, min_size=1, max_size=4))
def test_random_cell_edits_give_the_same_instance_or_the_same_error(edits):
    tables = _base_tables()
    for stem, row, column, value in edits:
        tables[stem][row % len(tables[stem])][column] = value
    with tempfile.TemporaryDirectory() as folder:
        write_tables(Path(folder), tables)
        assert_both_readers_agree(Path(folder))


def _spreadsheet_text(value) -> str:
    """A typed cell as the text a CSV file would hold (read_instance: 45.0 is 45)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


_NL = st.tuples(st.floats(50.8, 53.5), st.floats(3.4, 7.2))
_TYPED_ROW = st.fixed_dictionaries({
    "level": st.one_of(*[st.integers(1, 4)] * 4, st.sampled_from([None, 0, 5, 2.0, 2.5, float("nan")])),
    "year": st.one_of(st.none(), st.integers(1, 4), st.integers(0, 5)),
    # Mostly both coordinates or neither; now and then swapped, one only, NaN, infinite or signed zero.
    "lat_lon": st.one_of(_NL, _NL, st.just((None, None)), _NL.map(lambda pair: pair[::-1]),
                         st.tuples(st.sampled_from([None, float("nan"), float("inf"), -0.0, 0.0, 52.0]),
                                   st.sampled_from([None, 5.0, float("nan"), 5.12]))),
    "needs_accessible": st.one_of(st.none(), st.booleans()),
    "max_travel_min": st.one_of(st.none(), st.integers(1, 600), st.integers(-1, 700)),
})


@settings(max_examples=60, deadline=None)
@given(typed_rows=st.lists(_TYPED_ROW, min_size=3, max_size=3))
def test_typed_parquet_cells_read_as_their_text(typed_rows):
    """Typed Parquet columns (numbers, yes/no, gaps, NaN) read as the text a CSV holds, both ways."""
    tables = valid_tables()
    students = tables["students"]
    for row, typed in zip(students, typed_rows):
        row.update(typed)
        row["lat"], row["lon"] = row.pop("lat_lon")
        row["pc4"] = row["pc4"] if row["lat"] is None else ""
    typed_columns = [name for name in students[0] if name in _TYPED_ROW_COLUMNS]
    outcomes = []
    with tempfile.TemporaryDirectory() as folder:
        csv_folder = write_tables(Path(folder) / "csv", {**tables, "students": [
            {k: _spreadsheet_text(v) if k in typed_columns else v for k, v in row.items()} for row in students]})
        parquet_folder = write_tables(Path(folder) / "parquet", {k: v for k, v in tables.items() if k != "students"})
        columns = {k: [r[k] if k in typed_columns else (r[k] or None) for r in students] for k in students[0]}
        for name in ("lat", "lon"):
            columns[name] = pa.array(columns[name], type=pa.float64())
        pq.write_table(pa.table(columns), parquet_folder / "students.parquet")
        outcomes = [assert_both_readers_agree(f) for f in (parquet_folder, csv_folder)]
    parquet, csv = outcomes
    assert parquet[0] == csv[0]
    if parquet[0] == "ok":
        assert parquet[1] == csv[1]
    else:
        assert parquet[1][2:] == csv[1][2:]  # row, column and message; the files differ


_TYPED_ROW_COLUMNS = ("level", "year", "lat", "lon", "needs_accessible", "max_travel_min")


# --------------------------------------------------------------------------- what the column checks leave to pydantic


class _Before(BaseModel):
    x: int

    @field_validator("x", mode="before")
    @classmethod
    def _doubled(cls, value):
        return value * 2


class _AsksForTheRecord(BaseModel):
    x: int
    y: int

    @field_validator("y")
    @classmethod
    def _above_x(cls, value, info: ValidationInfo):
        if value <= info.data["x"]:
            raise ValueError("y must exceed x")
        return value


class _Ordered(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)
    low: int = 0
    high: int
    tag: str | None = None

    @model_validator(mode="after")
    def _low_first(self):
        if self.low > self.high:
            raise ValueError("low above high")
        return self


def test_what_the_column_checks_cannot_reproduce_is_left_to_per_row_validation():
    assert not supports(_Before)  # a before-validator sees the raw input: only pydantic runs it
    assert checked_records(_AsksForTheRecord, {"x": [1], "y": [2]}, 1) is None  # needs info.data
    assert checked_records(_Ordered, {"low": [1, 5], "high": [2, 3]}, 2) is None  # the model validator refuses
    assert checked_records(_Ordered, {"low": [1]}, 1) is None  # a required field without a column


def test_column_checks_build_what_validation_builds():
    columns = {"high": [2, 3, 3], "tag": [" a ", None, "b"]}
    built = checked_records(_Ordered, columns, 3)
    validated = TypeAdapter(list[_Ordered]).validate_python([dict(zip(columns, row)) for row in zip(*columns.values())])
    assert built == validated
    assert [r.model_fields_set for r in built] == [r.model_fields_set for r in validated]
    assert [list(r.__dict__) for r in built] == [list(r.__dict__) for r in validated]
