"""An adviser office in the browser: signs in with its token, uploads the demo, starts a match, follows its
progress, and reads the result. The cards show the counts ``stagematch match`` writes, the proof in one sentence,
the search narrows the placements table (paged on the server), and a bad upload shows its file, row and column.
Every page they visit passes axe-core's WCAG 2 A and AA rules without a critical violation, and breaks none of
the pages' Content-Security-Policy (the ``context`` fixture)."""

from __future__ import annotations

import base64
import io
import json
import time
import zipfile

from matcher.app import pipelines
from tests.support.accessibility import assert_accessible
from tests.support.browser import sign_in
from tests.support.paths import DEMO, TINY
from tests.support.service import zipped


def test_an_adviser_uploads_the_demo_and_sees_the_counts_of_the_command_line(context, server, tmp_path, artefacts):
    url, tokens = server
    page = context.new_page()
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{url}/web")
    page.screenshot(path=artefacts / "signin.png", full_page=True)
    assert_accessible(page, "signin", folder=artefacts)
    page.fill("#token", "sm_not-a-token")
    page.click("form[action='/web/signin'] button")
    assert page.locator("[role=alert]").is_visible()
    assert_accessible(page, "signin-wrong-token", folder=artefacts)
    sign_in(page, url, tokens["adviser"])
    assert "Bestanden" in page.content()  # Dutch by default
    assert_accessible(page, "adviser-home-empty", folder=artefacts)

    # Dragged onto the upload card, as from a file manager.
    dropped = page.evaluate_handle(
        """([data, name]) => {
            const bytes = Uint8Array.from(atob(data), c => c.charCodeAt(0));
            const transfer = new DataTransfer();
            transfer.items.add(new File([bytes], name, {type: "application/zip"}));
            return transfer;
        }""", [base64.b64encode(zipped(DEMO)).decode(), "demo.zip"])
    page.dispatch_event("form.upload", "drop", {"dataTransfer": dropped})
    assert page.text_content("[data-dropped]") == "demo.zip"
    page.fill("#name", "demo")
    page.select_option("#region", "AM13")
    page.click("form.upload button")
    page.wait_for_url(f"{url}/web?uploaded=*")
    page.screenshot(path=artefacts / "adviser-home.png", full_page=True)
    assert_accessible(page, "adviser-home", folder=artefacts)

    page.click("tr.new form[action='/web/jobs'] button")
    page.wait_for_url(f"{url}/web/jobs/*")
    page.wait_for_selector("[data-count=placed]", timeout=180_000)
    page.screenshot(path=artefacts / "adviser-match.png", full_page=True)
    assert_accessible(page, "adviser-match", folder=artefacts)

    # jobs=1: the command line's reference forks no workers from this process, which runs Playwright's threads.
    expected = pipelines.match(DEMO, tmp_path / "cli", jobs=1).result.summary["counts"]
    shown = {k: int(page.text_content(f"[data-count={k}]").replace(",", "")) for k in ("placed", "unplaced")}
    assert shown == {"placed": expected["placed"], "unplaced": expected["unplaced"]}
    assert "Bewezen optimaal" in page.text_content(".proof")

    placements = page.locator("#table-placements-csv")
    placements.wait_for()
    page.locator("#table-unplaced-csv").wait_for()
    assert_accessible(page, "adviser-match", folder=artefacts)  # the cards, the proof and both tables
    total = int(placements.locator("[data-rows]").get_attribute("data-rows"))
    assert total == expected["placed"]
    assert placements.locator("tbody tr").count() == 50  # one page, from the server
    placements.locator("input[name=q]").fill("S-AM13-05")
    page.wait_for_function(
        "() => Number(document.querySelector('#table-placements-csv [data-rows]').dataset.rows) < %d" % total)
    narrowed = page.locator("#table-placements-csv")
    rows = narrowed.locator("tbody tr")
    assert 0 < rows.count() <= 50
    assert all("S-AM13-05" in rows.nth(i).text_content() for i in range(rows.count()))
    expected_school = json.loads((tmp_path / "cli" / "summary.json").read_text())["counts"]["by_school"]["S-AM13-05"]
    assert int(narrowed.locator("[data-rows]").get_attribute("data-rows")) == expected_school["placed"]
    page.screenshot(path=artefacts / "adviser-match-filtered.png", full_page=True)
    assert_accessible(page, "adviser-match-filtered", folder=artefacts)

    page.click("form[action='/web/language'] button")  # English at a click, and back
    assert "Proven optimal" in page.text_content(".proof")
    page.locator("#table-unplaced-csv").wait_for()
    assert page.get_attribute("html", "lang") == "en"
    assert_accessible(page, "adviser-match-english", folder=artefacts)
    page.click("form[action='/web/language'] button")
    page.close()


def test_a_bad_upload_shows_its_file_row_and_column(context, server, tmp_path, artefacts):
    url, tokens = server
    page = context.new_page()
    sign_in(page, url, tokens["adviser"])
    lines = (TINY / "students.csv").read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    cells = lines[2].split(",")
    cells[header.index("level")] = "7"  # mbo levels are 1 to 4
    lines[2] = ",".join(cells)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(TINY.iterdir()):
            if path.suffix == ".csv":
                archive.writestr(path.name, "\n".join(lines) + "\n" if path.name == "students.csv"
                                 else path.read_text(encoding="utf-8"))
    (tmp_path / "bad.zip").write_bytes(buffer.getvalue())
    page.set_input_files("#file", str(tmp_path / "bad.zip"))
    page.fill("#name", "bad")
    page.click("form.upload button")
    alert = page.locator("[role=alert]")
    alert.wait_for()
    assert alert.locator("[data-where=file]").text_content() == "students.csv"
    assert alert.locator("[data-where=row]").text_content() == "3"
    assert alert.locator("[data-where=column]").text_content() == "level"
    page.screenshot(path=artefacts / "adviser-bad-upload.png", full_page=True)
    assert_accessible(page, "adviser-bad-upload", folder=artefacts)
    page.close()


OTHER_SCHOOLS_STUDENTS = ("t05",)  # tiny's students of school-groningen; the rest are school-utrecht's


def test_a_school_sees_its_own_students_and_no_other_schools_anywhere(context, server, tmp_path, artefacts):
    import httpx

    from tests.support.service import bearer

    url, tokens = server
    adviser = bearer(tokens["adviser"])
    upload = httpx.post(f"{url}/datasets", params={"name": "tiny", "region": "AM13"}, content=zipped(TINY),
                        headers={**adviser, "Content-Type": "application/zip"}, timeout=60)
    assert upload.status_code in (200, 201), upload.text
    job = httpx.post(f"{url}/jobs", json={"kind": "match", "dataset": upload.json()["id"]}, headers=adviser).json()
    for _ in range(600):
        if httpx.get(f"{url}/jobs/{job['id']}", headers=adviser).json()["state"] == "done":
            break
        time.sleep(0.2)
    region = "".join(httpx.get(f"{url}/jobs/{job['id']}/files/{name}", headers=adviser).text
                     for name in ("placements.csv", "unplaced.csv"))
    assert all(s in region for s in OTHER_SCHOOLS_STUDENTS)  # the region's files have them: the test can fail

    page = context.new_page()
    bodies: list[str] = []

    def keep(response):
        if "/web/static/" not in response.url:  # the package's own assets are the same for everyone
            try:
                bodies.append(response.text())
            except Exception:  # noqa: BLE001 - a redirect has no body to read
                pass

    page.on("response", keep)
    sign_in(page, url, tokens["school"])
    assert_accessible(page, "school-home", folder=artefacts)
    page.click(f"a[href='/web/jobs/{job['id']}']")
    page.wait_for_selector("#table-unplaced-csv")
    page.wait_for_selector("#table-placements-csv")
    page.screenshot(path=artefacts / "school-match.png", full_page=True)
    assert_accessible(page, "school-match", folder=artefacts)
    own = int(page.text_content("[data-count=seeking]"))
    assert own == 4  # t01 to t04: school-utrecht's students in tiny
    seen = [page.content()]

    # Its shortlists: its own students only, with what each choice costs the others.
    page.click("form.shortlist button")
    page.wait_for_url(f"{url}/web/jobs/*")
    page.wait_for_selector("#table-shortlists-csv", timeout=120_000)
    shortlisted = page.locator("#table-shortlists-csv tbody tr")
    assert shortlisted.count() > 0
    assert {shortlisted.nth(i).locator("td").first.text_content() for i in range(shortlisted.count())} <= {
        "t01", "t02", "t03", "t04"}
    page.screenshot(path=artefacts / "school-shortlists.png", full_page=True)
    assert_accessible(page, "school-shortlists", folder=artefacts)
    seen.append(page.content())

    # It declines a proposal for one of its students; the adviser office's next round runs with that answer.
    page.goto(f"{url}/web/jobs/{job['id']}")
    placements = httpx.get(f"{url}/jobs/{job['id']}/files/placements.csv", headers=adviser).text.splitlines()
    student, vacancy = next(line.split(",")[:3:2] for line in placements[1:] if ",school-utrecht," in line)
    form = page.locator(f"form.answer[data-student='{student}']")
    form.locator("select").select_option("declined_by_student")
    form.locator("button").click()
    page.wait_for_selector(f"form.answer[data-student='{student}'] [data-answered=declined_by_student]")
    page.screenshot(path=artefacts / "school-answered.png", full_page=True)
    assert_accessible(page, "school-answered", folder=artefacts)
    seen.append(page.content())
    nxt = httpx.post(f"{url}/jobs", json={"kind": "match", "dataset": upload.json()["id"],
                                         "options": {"previous_job": job["id"]}}, headers=adviser).json()
    for _ in range(600):
        if httpx.get(f"{url}/jobs/{nxt['id']}", headers=adviser).json()["state"] == "done":
            break
        time.sleep(0.2)
    changes = httpx.get(f"{url}/jobs/{nxt['id']}/files/changes.csv", headers=adviser).text
    row = next(line for line in changes.splitlines() if line.startswith(f"{student},"))
    assert f",{vacancy}," in row and "declined_by_student" in row

    for body in [*seen, *bodies]:
        assert not any(s in body for s in OTHER_SCHOOLS_STUDENTS)
    assert "school-groningen" not in "".join(seen)
    page.close()
