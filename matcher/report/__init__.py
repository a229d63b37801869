"""Shortage reports of a match: an Excel workbook and a self-contained HTML page.

The last step of the data flow: a report starts from a result folder read back
with its instance (:mod:`matcher.io.matched`) and puts its files in place with
:mod:`matcher.io.folders`.

``write_report(load_match(result_dir), out_dir)`` writes ``report.xlsx``,
``report.html`` and the page's map on its own, ``map.png``: shortages by
sector, region, level and crebo; unplaced students by reason; placement rate
and travel by level and school (equity); the price of priority; charts and a
map. Small counts of students are protected (:mod:`matcher.report.privacy`)
and no student id is written. The words are Dutch by default, English on
request (:mod:`matcher.report.texts`).

Modules: :mod:`~matcher.report.facts` joins result and instance,
:mod:`~matcher.report.tables` computes the tables, :mod:`~matcher.report.plots`
and :mod:`~matcher.report.pc4map` draw, :mod:`~matcher.report.html_page` and
:mod:`~matcher.report.workbook` render.
"""

from __future__ import annotations

import os
from pathlib import Path

from matcher.io.folders import check_output_folder, replace_folder
from matcher.io.matched import Matched
from matcher.report import pc4map, plots
from matcher.report.facts import collect_facts
from matcher.report.html_page import render_page
from matcher.report.tables import report_tables
from matcher.report.texts import DEFAULT_LANGUAGE, Words
from matcher.report.workbook import workbook_bytes

HTML_FILE = "report.html"
WORKBOOK_FILE = "report.xlsx"
# The map once more on its own, for the web pages (the same bytes as in report.html).
MAP_FILE = "map.png"
REPORT_FILES = (HTML_FILE, WORKBOOK_FILE, MAP_FILE)

__all__ = ["REPORT_FILES", "write_report"]


def _title_and_lead(matched: Matched, words: Words) -> tuple[str, str]:
    summary = matched.result.summary
    region = summary.get("region")
    title = words("report.title", instance=summary["instance"])
    scope = words("report.scope_region", region=region) if region else words("report.scope_all")
    counts = summary["counts"]
    lead = words("report.lead", students=words.number(counts["students"]),
                 vacancies=words.number(counts["vacancies"]), scope=scope,
                 placed=words.number(counts["placed"]), unplaced=words.number(counts["unplaced"]))
    return title, lead


def write_report(matched: Matched, out_dir: str | os.PathLike, lang: str = DEFAULT_LANGUAGE, *,
                 overwrite: bool = False) -> list[Path]:
    """Write ``report.html``, ``report.xlsx`` and ``map.png`` of a match into ``out_dir``.

    Parameters
    ----------
    matched
        A result with its instance and policy (:func:`matcher.io.matched.load_match`).
    out_dir
        The folder to create.
    lang
        ``"nl"`` (Dutch, the default) or ``"en"`` (:mod:`matcher.report.texts`).
    overwrite
        Replace an earlier report in ``out_dir`` (never a folder holding other files).

    Returns
    -------
    list of Path
        The files written.

    Raises
    ------
    FileExistsError
        When ``out_dir`` is not empty and ``overwrite`` is false, or holds files
        other than a report.
    InputError
        When the result does not fit its instance, or ``lang`` is not a language of the report.
    """
    words = Words(lang)
    out = Path(out_dir)
    # Refuse early, before the work: the same check runs again when moving into place.
    check_output_folder(out, REPORT_FILES, "report", overwrite=overwrite)
    facts = collect_facts(matched)
    tables = report_tables(facts, matched.result.summary, words)
    region_map = pc4map.unplaced_and_free_map(facts, words)
    figures = [plots.rate_by_sector(facts, words), plots.rate_by_level(facts, words),
               plots.unplaced_by_reason(facts, words), region_map]
    title, lead = _title_and_lead(matched, words)
    files = {
        HTML_FILE: render_page(title, lead, tables, figures, words).encode("utf-8"),
        WORKBOOK_FILE: workbook_bytes(title, lead, tables, words),
        MAP_FILE: region_map.png,
    }
    return replace_folder(out, files, REPORT_FILES, "report", overwrite=overwrite)
