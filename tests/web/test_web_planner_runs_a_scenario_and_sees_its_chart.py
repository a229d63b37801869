"""A planner office in the browser: an adviser office gives it the demo; it fills the scenario form with the demo
scenario file's first scenario (the form writes that scenario, as the file has it), simulates it, sees the charts
load and the scenarios table with the numbers of the public ``scenarios.csv``, then proposes a calendar and sees
its chart of the moved cohorts and its table. No student id of the demo reaches the browser, in any response."""

from __future__ import annotations

import csv
import io
import re
import tomllib

import httpx

from tests.support.accessibility import assert_accessible
from tests.support.browser import sign_in
from tests.support.paths import DEMO, REPO
from tests.support.service import bearer, zipped

DEMO_SCENARIOS = REPO / "instances" / "scenarios" / "demo.toml"
WORD = re.compile(rb"[A-Za-z0-9_.\-]+")  # an id is one such word wherever it is written (HTML, CSV, JSON)


def _student_ids_in(body: bytes, ids: frozenset[bytes]) -> set[bytes]:
    return set(WORD.findall(body)) & ids


def _public(url: str, token: str, job_id: str, name: str) -> list[dict[str, str]]:
    """A result table as the planner reads it through the API (small counts hidden)."""
    from matcher.io.safe_cells import restore

    response = httpx.get(f"{url}/jobs/{job_id}/files/{name}", headers=bearer(token), timeout=60)
    assert response.status_code == 200, response.text
    return [{k: restore(v) for k, v in row.items()} for row in csv.DictReader(io.StringIO(response.text))]


def _shown(table) -> list[dict[str, str]]:
    """The rows of a table on the page, by its header."""
    header = [c.strip() for c in table.locator("thead th").all_text_contents()]
    rows = table.locator("tbody tr")
    return [dict(zip(header, rows.nth(i).locator("td").all_text_contents())) for i in range(rows.count())]


def test_a_planner_simulates_the_demo_scenario_and_proposes_a_calendar(context, server, artefacts):
    url, tokens = server
    adviser = bearer(tokens["adviser"])
    upload = httpx.post(f"{url}/datasets", params={"name": "demo", "region": "AM13"}, content=zipped(DEMO),
                        headers={**adviser, "Content-Type": "application/zip"}, timeout=120)
    assert upload.status_code in (200, 201), upload.text
    dataset = upload.json()["id"]
    granted = httpx.post(f"{url}/datasets/{dataset}/grants", json={"organisation": "Planbureau"}, headers=adviser)
    assert granted.status_code == 204, granted.text
    ids = frozenset(line.split(",", 1)[0].encode() for line in
                    (DEMO / "students.csv").read_text(encoding="utf-8").splitlines()[1:])

    page = context.new_page()
    page.set_viewport_size({"width": 1366, "height": 900})
    bodies: list[tuple[str, bytes]] = []

    def keep(response):
        if "/web/static/" not in response.url:  # the package's own assets are the same for everyone
            try:
                bodies.append((response.url, response.body()))
            except Exception:  # noqa: BLE001 - a redirect has no body to read
                pass

    page.on("response", keep)
    sign_in(page, url, tokens["planner"])
    assert page.locator("#s-dataset option").count() == 1  # the dataset it was given, and no other
    page.screenshot(path=artefacts / "planner-home.png", full_page=True)
    assert_accessible(page, "planner-home", folder=artefacts)

    # The demo file's first scenario, by the form: shown as a scenario file, it is that scenario.
    demo = tomllib.loads(DEMO_SCENARIOS.read_text(encoding="utf-8"))
    first = demo["scenario"][0]
    move = first["move"][0]
    form = page.locator("#scenario-form")
    for field, value in (("name", first["name"]), ("move_school", move["school"]), ("move_crebo", move["crebo"]),
                         ("move_year", str(move["year"])), ("move_shift", str(move["shift"])),
                         ("seed", str(demo["seed"]))):
        form.locator(f"#f-{field}").fill(value)
    form.locator("#s-runs").fill("3")
    form.locator("button[name=show]").click()
    page.wait_for_selector("#scenarios")
    assert tomllib.loads(page.input_value("#scenarios")) == {"seed": demo["seed"], "scenario": [first]}
    assert page.input_value("#f-move_crebo") == move["crebo"]  # the form comes back as it was filled
    page.locator("#scenario-form button[type=submit]:not([name])").click()
    page.wait_for_url(f"{url}/web/jobs/*")
    job_id = page.url.rsplit("/", 1)[1]

    charts = page.locator("#plan img[data-chart]")
    charts.first.wait_for(timeout=180_000)
    assert charts.count() == 2
    for i in range(charts.count()):
        assert charts.nth(i).get_attribute("alt")
    page.wait_for_function("() => [...document.querySelectorAll('#plan img[data-chart]')]"
                           ".every(img => img.complete && img.naturalWidth > 0)")
    table = page.locator("#table-scenarios-csv")
    table.wait_for()
    page.locator("#table-shortages-csv").wait_for()
    public = _public(url, tokens["planner"], job_id, "scenarios.csv")
    assert [row["scenario"] for row in public] == ["baseline", first["name"]]
    assert _shown(table) == public
    crowded = public[1]
    lines = page.locator("#plan .lines").text_content()
    assert f"{first['name']}: {int(float(crowded['placed_mean'])):,}".replace(",", ".") in lines
    page.screenshot(path=artefacts / "planner-simulate.png", full_page=True)
    assert_accessible(page, "planner-simulate", folder=artefacts)

    # The adviser's diff.csv of this run lists students: the check below finds them where they are.
    diff = httpx.get(f"{url}/jobs/{job_id}/files/diff.csv", headers=adviser, timeout=60)
    assert diff.status_code == 200 and _student_ids_in(diff.content, ids)

    page.click("a.brand")
    page.wait_for_url(f"{url}/web")
    page.fill("#c-max_moves", "3")
    page.click("#calendar-form button[type=submit]")
    page.wait_for_url(f"{url}/web/jobs/*")
    calendar_id = page.url.rsplit("/", 1)[1]
    page.wait_for_selector("#calendar-chart", timeout=180_000)
    cohorts = page.locator("#table-calendar-csv")
    cohorts.wait_for()
    public = _public(url, tokens["planner"], calendar_id, "calendar.csv")
    assert int(cohorts.locator("[data-rows]").get_attribute("data-rows")) == len(public)
    moved = [row for row in public if row["shift"] != "0"]
    assert 0 < len(moved) <= 3
    bars = page.locator("#calendar-chart g.bar")
    assert sorted(bars.nth(i).get_attribute("data-gain") for i in range(bars.count())) == \
        sorted(row["gain"] for row in moved)
    assert f"Met {len(moved)} cohorten verschoven (hoogstens 3)" in page.locator("#plan .lines").text_content()
    page.screenshot(path=artefacts / "planner-calendar.png", full_page=True)
    assert_accessible(page, "planner-calendar", folder=artefacts)

    assert len(bodies) > 10
    for address, body in [(page.url, page.content().encode()), *bodies]:
        assert not _student_ids_in(body, ids), address
    page.close()
