"""`stagematch report` writes Dutch by default and English with --lang en: the page, the
workbook's About sheet, sheet names and column headers, numbers written the reader's way
(1.500 and 84,0 in Dutch), no internal jargon in either language; both languages hold the
same numbers. An unknown language is refused (exit 2) and nothing is written."""

import re

import openpyxl
import pytest

from matcher.app.cli import app
from tests.support.report_fixtures import html_table, runner

JARGON = ("(SPEC)", "SPEC", "matroid", "gammoid", "lexicographic", "unweighted optimum")


@pytest.fixture(scope="module")
def dutch_report(am13_report, tmp_path_factory):
    out = tmp_path_factory.mktemp("dutch") / "report"
    ran = runner.invoke(app, ["report", str(am13_report.result_dir), "--out", str(out)])
    assert ran.exit_code == 0, ran.output
    return out


def _text(html: str) -> str:
    return re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", html)


def test_the_page_is_dutch_by_default(dutch_report):
    html = (dutch_report / "report.html").read_text(encoding="utf-8")
    assert '<html lang="nl">' in html
    for words in ("Tekorten per sector", "Niet geplaatste studenten per reden", "Prijs van voorrang",
                  "plaatsen open voor dit niveau", "Er staan geen studentnummers in dit rapport",
                  "Match van 1.500 studenten"):
        assert words in html, words
    summary = html_table(html, "summary").set_index("onderdeel")
    assert summary.at["studenten zoekend", "waarde"] == "1.500"
    assert re.fullmatch(r"\d+,\d", summary.at["geplaatst (%)", "waarde"])


def test_the_workbook_is_dutch_by_default(dutch_report):
    workbook = openpyxl.load_workbook(dutch_report / "report.xlsx", read_only=True)
    assert workbook.sheetnames[:3] == ["Over dit rapport", "Samenvatting", "Per sector"]
    header = next(workbook["Per niveau"].iter_rows(values_only=True))
    assert header[:3] == ("niveau", "naam niveau", "studenten zoekend")
    about = [row[0] for row in workbook["Over dit rapport"].iter_rows(values_only=True) if row[0]]
    assert any("persoonsgegevens" in str(line) for line in about)
    workbook.close()


@pytest.mark.parametrize("which", ["nl", "en"])
def test_no_internal_jargon(which, dutch_report, am13_report):
    folder = dutch_report if which == "nl" else am13_report.report_dir
    html = _text((folder / "report.html").read_text(encoding="utf-8"))
    for word in JARGON:
        assert word not in html, word


def test_english_on_request_with_the_same_numbers(dutch_report, am13_report):
    english = am13_report.html
    assert '<html lang="en">' in english and "Shortages by sector" in english
    dutch = (dutch_report / "report.html").read_text(encoding="utf-8")
    dutch_book = openpyxl.load_workbook(dutch_report / "report.xlsx", read_only=True)
    english_book = openpyxl.load_workbook(am13_report.workbook_path, read_only=True)
    assert len(dutch_book.sheetnames) == len(english_book.sheetnames)
    for nl_name, en_name in list(zip(dutch_book.sheetnames, english_book.sheetnames))[1:]:
        nl_rows = list(dutch_book[nl_name].iter_rows(min_row=2, values_only=True))
        en_rows = list(english_book[en_name].iter_rows(min_row=2, values_only=True))
        numbers = [[v for v in row if isinstance(v, (int, float))] for row in nl_rows]
        assert numbers == [[v for v in row if isinstance(v, (int, float))] for row in en_rows], nl_name
    dutch_book.close()
    english_book.close()
    assert dutch.count("<table") == english.count("<table")


def test_an_unknown_language_is_refused_and_nothing_written(am13_report, tmp_path):
    out = tmp_path / "report"
    ran = runner.invoke(app, ["report", str(am13_report.result_dir), "--out", str(out), "--lang", "fr"])
    assert ran.exit_code == 2
    assert "unknown language 'fr'" in ran.output and "Traceback" not in ran.output
    assert not out.exists()
