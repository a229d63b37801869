"""After a match, an adviser office in the browser: a filter narrows the unplaced table to the students of one
reason (the command line's count), the report's workbook downloads and opens with openpyxl and its map
(unplaced students and free places, region borders) shows in the page, the recruitment advice shows every
(crebo, region, period) cell the command line writes, and the next round, with a decisions file, sits
beside the first with the counts of ``stagematch match --previous --decisions``."""

from __future__ import annotations

import csv
import json

import openpyxl

from matcher.app import pipelines
from tests.support.accessibility import assert_accessible
from tests.support.browser import sign_in
from tests.support.paths import DEMO
from tests.support.service import zipped

LONG = 240_000  # ms: a job on the demo, on a busy 2-core machine


def _rows(page, name: str) -> int:
    return int(page.locator(f"#table-{name.replace('.', '-')} [data-rows]").get_attribute("data-rows"))


def _wait_done(page) -> None:
    page.wait_for_selector("[data-state=done]", timeout=LONG)


def test_an_adviser_filters_downloads_the_workbook_reads_advice_and_matches_the_next_round(
        context, server, tmp_path, artefacts):
    url, tokens = server
    # jobs=1: the command line's reference forks no workers from this process, which runs Playwright's threads.
    cli = pipelines.match(DEMO, tmp_path / "cli", jobs=1).result.summary
    page = context.new_page()
    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in(page, url, tokens["adviser"])
    (tmp_path / "demo.zip").write_bytes(zipped(DEMO))
    page.set_input_files("#file", str(tmp_path / "demo.zip"))
    page.fill("#name", "demo")
    page.click("form.upload button")
    page.wait_for_url(f"{url}/web?uploaded=*")
    page.click("tr.new form[action='/web/jobs'] button")
    page.wait_for_url(f"{url}/web/jobs/*")
    match_url = page.url
    page.wait_for_selector("#table-unplaced-csv", timeout=LONG)

    # A filter narrows the table to one reason: the command line's count of it.
    reason = "supervision_full"
    assert _rows(page, "unplaced.csv") == cli["counts"]["unplaced"]
    page.select_option("#table-unplaced-csv [data-filter=reason]", reason)
    page.wait_for_function("() => document.querySelector('#table-unplaced-csv [data-rows]').dataset.rows == %d"
                           % cli["counts"]["unplaced_by_reason"][reason])
    shown = page.locator("#table-unplaced-csv tbody tr")
    assert all(reason in shown.nth(i).text_content() for i in range(shown.count()))
    page.screenshot(path=artefacts / "adviser-match-filter.png", full_page=True)
    assert_accessible(page, "adviser-match-filter", folder=artefacts)

    # The report: its workbook downloads and opens; its map is shown in the page.
    page.click("form[action$='/follow'] input[value=report] ~ button")
    page.wait_for_url(f"{url}/web/jobs/*")
    _wait_done(page)
    page.reload()
    with page.expect_download() as download:
        page.click("a[data-file='report.xlsx']")
    workbook_path = tmp_path / "report.xlsx"
    download.value.save_as(workbook_path)
    workbook = openpyxl.load_workbook(workbook_path, read_only=True)
    assert len(workbook.sheetnames) > 1
    region_map = page.locator("img[src$='/images/map.png']")
    region_map.wait_for()
    page.wait_for_function("() => document.querySelector(\"img[src$='/images/map.png']\").naturalWidth > 0")
    assert "postcodegebied" in region_map.get_attribute("alt")
    page.screenshot(path=artefacts / "adviser-report.png", full_page=True)
    assert_accessible(page, "adviser-report", folder=artefacts)

    # The recruitment advice: every (crebo, region, period) cell of `stagematch advise`.
    pipelines.advise(tmp_path / "cli", instance_dir=DEMO, jobs=1)
    with open(tmp_path / "cli" / "advice_cells.csv", encoding="utf-8") as handle:
        cells = list(csv.DictReader(handle))
    page.goto(match_url)  # the match shows its report's map too
    page.wait_for_function("() => document.querySelector(\"img[src$='/images/map.png']\").naturalWidth > 0")
    page.click("form[action$='/follow'] input[value=advise] ~ button")
    page.wait_for_url(f"{url}/web/jobs/*")
    page.wait_for_selector("#table-advice_cells-csv", timeout=LONG)
    assert _rows(page, "advice_cells.csv") == len(cells)
    first = page.locator("#table-advice_cells-csv tbody tr").first.locator("td")
    assert [first.nth(i).text_content() for i in range(4)] == [cells[0][k] for k in
                                                               ("rank", "crebo", "region", "period_id")]
    page.screenshot(path=artefacts / "adviser-advice.png", full_page=True)
    assert_accessible(page, "adviser-advice", folder=artefacts)

    # The next round: a decisions file, then the round beside the first, with the command line's counts.
    with open(tmp_path / "cli" / "placements.csv", encoding="utf-8") as handle:
        placed = list(csv.DictReader(handle))
    decisions = tmp_path / "decisions.csv"
    decisions.write_text("student_id,vacancy_id,period_id,decision\n"
                         f"{placed[0]['student_id']},{placed[0]['vacancy_id']},{placed[0]['period_id']},confirmed\n"
                         f"{placed[1]['student_id']},{placed[1]['vacancy_id']},,declined_by_student\n",
                         encoding="utf-8")
    second = pipelines.match(DEMO, tmp_path / "cli-2", previous=tmp_path / "cli", decisions=decisions,
                              jobs=1).result
    expected = json.loads((tmp_path / "cli-2" / "summary.json").read_text())["counts"]
    assert second.summary["counts"]["placed"] == expected["placed"]
    page.goto(match_url)
    page.set_input_files("#decisions", str(decisions))
    page.select_option("#keep_previous", "fewest_moves")
    page.click("form.round button")
    page.wait_for_url(f"{url}/web/jobs/*")
    page.wait_for_selector("#table-changes-csv", timeout=LONG)
    assert int(page.text_content("[data-count=placed]").replace(",", "")) == expected["placed"]
    assert int(page.text_content("[data-count=unplaced]").replace(",", "")) == expected["unplaced"]
    for change, count in expected["changes"].items():
        assert int(page.text_content(f"[data-change={change}]").replace(",", "")) == count
    assert page.locator(".side-by-side > section").count() == 2
    page.select_option("#table-changes-csv [data-filter=reason]", "declined_by_student")
    page.wait_for_function("() => document.querySelector('#table-changes-csv [data-rows]').dataset.rows == 1")
    assert placed[1]["student_id"] in page.locator("#table-changes-csv tbody").text_content()
    page.screenshot(path=artefacts / "adviser-next-round.png", full_page=True)
    assert_accessible(page, "adviser-next-round", folder=artefacts)
    page.close()
