"""The demo instance saved as Dutch Excel would save it (a) as CSV files
(Windows-1252, ';', CRLF, decimal commas) and (b) as one workbook with a sheet
per table gives byte-identical placements.csv and unplaced.csv, and the same
summary.json apart from its "input" section and the instance name."""

import json
from pathlib import Path

import pandas as pd
import pytest

from matcher.engine.solve import solve
from matcher.io import read_instance_with_report
from tests.support.paths import DEMO

TABLES = ("students", "vacancies", "supervisors", "companies", "periods")


def _texts() -> dict[str, pd.DataFrame]:
    return {stem: pd.read_csv(DEMO / f"{stem}.csv", dtype=str, keep_default_na=False)
            for stem in TABLES}


def _as_dutch_csv(folder: Path) -> None:
    folder.mkdir()
    for stem, frame in _texts().items():
        for column in ("lat", "lon"):
            if column in frame:
                frame[column] = frame[column].str.replace(".", ",", regex=False)
        # A notes column, as people add: unknown columns are ignored, and its
        # text makes the file Windows-1252 rather than plain ASCII.
        frame["opmerking"] = "geïnteresseerd in één periode; €"
        frame.to_csv(folder / f"{stem}.csv", sep=";", index=False, encoding="cp1252",
                     lineterminator="\r\n")


def _as_workbook(folder: Path) -> None:
    folder.mkdir()
    text = {"student_id", "school_id", "crebo", "vacancy_id", "company_id", "supervisor_id",
            "period_id", "periods", "preferences"}
    with pd.ExcelWriter(folder / "instance.xlsx", engine="openpyxl") as workbook:
        for stem in TABLES:
            # Numbers, dates and booleans typed as Excel keeps them; ids and crebos as text.
            frame = pd.read_csv(DEMO / f"{stem}.csv", dtype={c: str for c in text},
                                parse_dates=["start", "end"] if stem == "periods" else False)
            frame.to_excel(workbook, sheet_name=stem, index=False)


def _solve(folder: Path, out: Path):
    instance, report = read_instance_with_report(folder)
    solve(instance, input_report=report).write(out)
    return report


@pytest.fixture(scope="module")
def original(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo") / "out"
    _solve(DEMO, out)
    return out


def _summary_without_input(out: Path) -> dict:
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    del summary["input"], summary["instance"]
    return summary


@pytest.mark.parametrize("convert", [_as_dutch_csv, _as_workbook], ids=["dutch-csv", "xlsx"])
def test_same_result_as_the_demo_csv_files(tmp_path, original, convert):
    convert(tmp_path / "demo_copy")
    report = _solve(tmp_path / "demo_copy", tmp_path / "out")
    for name in ("placements.csv", "unplaced.csv"):
        assert (tmp_path / "out" / name).read_bytes() == (original / name).read_bytes(), name
    assert _summary_without_input(tmp_path / "out") == _summary_without_input(original)
    assert report.warnings == ()
    if convert is _as_dutch_csv:
        assert {(f.format, f.encoding) for f in report.files} == {("csv", "cp1252")}
    else:
        assert [(f.file, f.sheet) for f in report.files] == [("instance.xlsx", t) for t in TABLES]
