"""The web pages in the browser: a match's first page load, and a table page of its result (aim: under 1 s each).

::

    python -m benchmarks.web OUT.json [--students N [--region AM13] | --preset national] [--repetitions 5]
                                      [--work DIR] [--sort company_id]

The instance (default the national preset, 250,000 students, seed 1; ``--students N`` for a smaller
national one, with ``--region`` for one region) is generated once and cached as Parquet, as
:mod:`benchmarks.service` does (not timed). A real ``stagematch serve`` (``--workers 1``) on a fresh SQLite
database under ``--work`` (default ``/tmp/stagematch-web-bench``) gets one adviser office and its token; the
benchmark uploads the instance, runs the match job (remedies off) to the end, then drives Debian's Chromium
(Playwright, headless) signed in by the office's cookie:

(a) **First load** of the job page, each repetition in a new browser context (an empty cache: the page,
htmx and the style sheet are fetched again), from the Navigation Timing API's start of navigation to the
load event, to the first table fragment rendered, and to both (placements and unplaced; htmx fetches them
when the page has loaded). Rendered: the fragment's element inserted into the page (a MutationObserver
installed before any of the page's scripts), then the browser's next frame (``requestAnimationFrame`` and
a task after it). The first repetition after the server started is **cold**: the server parses the two
CSV files then and keeps them for the next pages; the others are warm.

(b) **A table page** of ``placements.csv``, as the page asks it through htmx: the next page (a click on
"Volgende"), a sort (a click on ``--sort``'s column header), a search (the first row's school id put in
the search box; the page's own 300 ms delay before asking is included), each from the click or input
(``performance.now()`` in the page) to the new rows rendered, and the fragment request alone (Resource
Timing). Each repetition starts from a fresh load of the page.

Every figure is in milliseconds in the page's clock; median and max of the warm repetitions, and the cold
one apart. The browser, the server and this process share the machine's cores.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

from benchmarks.run import library_versions, machine_info
from benchmarks.service import Server, _checked, _job_seconds, _log, _start, _upload, _wait, large_instance
from tests.support.browser import CHROMIUM
from tests.support.service import zipped

TABLES = ("table-placements-csv", "table-unplaced-csv")
AIM_MS = 1000.0

# Before any of the page's scripts: when each table fragment's element enters the page, and the frame after.
WATCH = """
(() => {
  const bench = window.__stagematchBench = {events: []};
  const known = new WeakSet();
  new MutationObserver(() => {
    for (const id of %s) {
      const element = document.getElementById(id);
      if (element && !known.has(element)) {
        known.add(element);
        const event = {id, inserted: performance.now(), rendered: null};
        bench.events.push(event);
        requestAnimationFrame(() => setTimeout(() => { event.rendered = performance.now(); }));
      }
    }
  }).observe(document, {childList: true, subtree: true});
})();
""" % json.dumps(list(TABLES))

RENDERED = "([id, n]) => window.__stagematchBench.events.filter(e => e.id === id && e.rendered !== null).length >= n"


def _events(page) -> list[dict]:
    return page.evaluate("window.__stagematchBench.events")


def _open(page, url: str) -> None:
    """The job page, loaded, with both tables rendered."""
    page.goto(url, wait_until="load")
    for table in TABLES:
        page.wait_for_function(RENDERED, arg=[table, 1], timeout=600_000)


def first_load(browser, cookie: dict, url: str) -> dict:
    """One first load in a new context: milliseconds from the start of navigation."""
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    try:
        context.add_cookies([cookie])
        context.add_init_script(WATCH)
        page = context.new_page()
        _open(page, url)
        navigation = page.evaluate("(() => { const n = performance.getEntriesByType('navigation')[0];"
                                   " return {response: n.responseEnd, dom: n.domContentLoadedEventEnd,"
                                   " load: n.loadEventEnd}; })()")
        rendered = {e["id"]: e["rendered"] for e in _events(page)}
        fragments = page.evaluate("performance.getEntriesByType('resource').filter(r => r.name.includes('/tables/'))"
                                  ".map(r => ({start: r.startTime, end: r.responseEnd}))")
        return {"response_ms": round(navigation["response"], 1), "dom_ms": round(navigation["dom"], 1),
                "load_ms": round(navigation["load"], 1),
                "tables_asked_ms": round(min(f["start"] for f in fragments), 1),
                "tables_answered_ms": round(max(f["end"] for f in fragments), 1),
                "first_table_ms": round(min(rendered.values()), 1),
                "placements_ms": round(rendered[TABLES[0]], 1), "both_tables_ms": round(max(rendered.values()), 1)}
    finally:
        context.close()


# Each action in the page itself, so that its start is the page's clock: (name, JavaScript taking the argument).
ACTIONS = {
    "next_page": "() => document.querySelector('#table-placements-csv .pages button:last-of-type').click()",
    # A header says its column in words; its link names the column the server sorts.
    "sort": "column => [...document.querySelectorAll('#table-placements-csv thead a')]"
            ".find(a => new URL(a.href).searchParams.get('sort') === column).click()",
    "search": "query => { const box = document.querySelector('#table-placements-csv input[name=q]');"
              " box.value = query; box.dispatchEvent(new Event('input', {bubbles: true})); }",
}


def table_action(page, url: str, action: str, argument: str | None) -> dict:
    """One table action on a fresh load: milliseconds from the click or input to the new rows rendered."""
    _open(page, url)
    first_row = page.evaluate(CELLS)[0]
    before = sum(e["id"] == TABLES[0] for e in _events(page))
    start = page.evaluate(f"""argument => {{
        performance.clearResourceTimings();
        const start = performance.now();
        ({ACTIONS[action]})(argument);
        return start;
    }}""", argument)
    page.wait_for_function(RENDERED, arg=[TABLES[0], before + 1], timeout=600_000)
    event = [e for e in _events(page) if e["id"] == TABLES[0]][-1]
    requests = page.evaluate("performance.getEntriesByType('resource')"
                             ".filter(r => r.name.includes('/tables/placements.csv'))"
                             ".map(r => ({start: r.startTime, end: r.responseEnd}))")
    _check(page, action, argument, first_row)
    rows = page.evaluate("document.querySelectorAll('#table-placements-csv tbody tr').length")
    shown = page.evaluate("Number(document.querySelector('#table-placements-csv [data-rows]').dataset.rows)")
    return {"ms": round(event["rendered"] - start, 1),
            "request_ms": round(requests[-1]["end"] - requests[-1]["start"], 1) if requests else None,
            "rows_on_page": rows, "rows_found": shown}


CELLS = ("[...document.querySelectorAll('#table-placements-csv tbody tr')]"
         ".map(row => [...row.cells].map(cell => cell.textContent))")


def _check(page, action: str, argument: str | None, first_row: list[str]) -> None:
    """Stop when the rows rendered are not what the action asked for: a fast wrong page measures nothing."""
    rows = page.evaluate(CELLS)
    columns = page.evaluate("[...document.querySelectorAll('#table-placements-csv thead th a')]"
                            ".map(a => new URL(a.href).searchParams.get('sort'))")
    if not rows:
        raise SystemExit(f"{action}: no rows rendered")
    if action == "next_page" and rows[0] == first_row:
        raise SystemExit("next page: the first page's rows again")
    if action == "sort":
        values = [row[columns.index(argument)] for row in rows]
        numeric = all(_number(v) for v in values)  # as the server decides (on the whole column)
        if values != sorted(values, key=float if numeric else str):
            raise SystemExit(f"sort: the rows are not in {argument}'s order")
    if action == "search" and not all(any(argument.casefold() in cell.casefold() for cell in row) for row in rows):
        raise SystemExit(f"search: a row without {argument!r}")


def _number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


def _summary(runs: list[dict], key: str) -> dict:
    warm = [run[key] for run in runs[1:] if run.get(key) is not None]
    cold = runs[0].get(key)
    return {"cold": cold, "warm_median": round(statistics.median(warm), 1) if warm else None,
            "warm_max": round(max(warm), 1) if warm else None}


def bench_browser(server: Server, job_id: str, repetitions: int, sort: str) -> dict:
    from playwright.sync_api import sync_playwright

    url = f"{server.url}/web/jobs/{job_id}"
    cookie = {"name": "stagematch_token", "value": server.token, "url": server.url, "httpOnly": True,
              "sameSite": "Strict"}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        try:
            _log(f"  (a) first load of the job page, {repetitions} times (the first cold) ...")
            loads = [first_load(browser, cookie, url) for _ in range(repetitions)]
            context = browser.new_context(viewport={"width": 1366, "height": 900})
            context.add_cookies([cookie])
            context.add_init_script(WATCH)
            page = context.new_page()
            _open(page, url)
            query = page.evaluate("document.querySelector('#table-placements-csv tbody tr td:nth-child(2)')"
                                  ".textContent.trim()")
            total = page.evaluate("Number(document.querySelector('#table-placements-csv [data-rows]').dataset.rows)")
            actions = {}
            for action, argument in (("next_page", None), ("sort", sort), ("search", query)):
                _log(f"  (b) {action.replace('_', ' ')}, {repetitions} times ...")
                actions[action] = [table_action(page, url, action, argument) for _ in range(repetitions)]
            context.close()
        finally:
            browser.close()
    return {"url_path": f"/web/jobs/{job_id}", "placements_rows": total, "search": query, "sort": sort,
            "first_load": {"runs": loads, **{key: _summary(loads, key) for key in loads[0]}},
            "table": {action: {"runs": runs, "ms": _summary(runs, "ms"), "request_ms": _summary(runs, "request_ms")}
                      for action, runs in actions.items()}}


LABELS = (
    ("first_load", "load_ms", "first load: navigation → load event"),
    ("first_load", "tables_asked_ms", "first load: navigation → tables asked (htmx)"),
    ("first_load", "tables_answered_ms", "first load: navigation → both tables answered"),
    ("first_load", "first_table_ms", "first load: navigation → first table rendered"),
    ("first_load", "both_tables_ms", "first load: navigation → both tables rendered"),
    ("next_page", "ms", "placements page 2: click → rows rendered"),
    ("next_page", "request_ms", "  of which the fragment request"),
    ("sort", "ms", "placements sorted: click → rows rendered"),
    ("sort", "request_ms", "  of which the fragment request"),
    ("search", "ms", "placements searched: input → rows rendered (300 ms delay included)"),
    ("search", "request_ms", "  of which the fragment request"),
)


def render(report: dict) -> str:
    browser = report["browser"]
    lines = [f"{report['instance']}: {report['students']:,} students, {browser['placements_rows']:,} placements; "
             f"match job {report['job_seconds']:.1f} s (upload {report['upload_seconds']:.1f} s); "
             f"{report['repetitions']} repetitions, the first cold", "",
             "| ms | first (cold) | warm median | warm max |", "|---|---:|---:|---:|"]
    for part, key, label in LABELS:
        figures = browser["first_load"][key] if part == "first_load" else browser["table"][part][key]
        cells = ["" if figures[k] is None else f"{figures[k]:,.0f}" for k in ("cold", "warm_median", "warm_max")]
        lines.append(f"| {label} | {' | '.join(cells)} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="JSON file of the figures to write")
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--students", type=int, help="students of a smaller instance (default: the national preset)")
    size.add_argument("--preset", choices=("national",), help="the national preset, 250,000 students (the default)")
    parser.add_argument("--region", help="one region's instance of --students students (default: national)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repetitions", type=int, default=5, help="of each measure; the first is the cold one")
    parser.add_argument("--sort", default="company_id", help="the placements column the sort clicks")
    parser.add_argument("--work", type=Path, default=Path("/tmp/stagematch-web-bench"))
    args = parser.parse_args(argv)
    if args.region and args.students is None:
        parser.error("--region needs --students")
    if args.repetitions < 2:
        parser.error("--repetitions must be at least 2 (one cold, one warm)")
    if not CHROMIUM.is_file():
        parser.error(f"{CHROMIUM} is missing: install the Debian package 'chromium'")

    shutil.rmtree(args.work, ignore_errors=True)
    args.work.mkdir(parents=True)
    database = f"sqlite:///{args.work / 'service.db'}"
    started = time.perf_counter()
    report = {"date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
              "command": " ".join(["python -m benchmarks.web", *(argv if argv is not None else sys.argv[1:])]),
              "database": "sqlite", "machine": machine_info(), "versions": library_versions(),
              "repetitions": args.repetitions}
    folder = large_instance(args.students, args.region, args.seed)
    region = args.region or "AM13"
    server = Server(database, args.work / "store", region, workers=1)
    try:
        with server.client() as client:
            _log(f"  uploading {folder.name} ...")
            start = time.perf_counter()
            dataset = _upload(client, zipped(folder), "web", region)
            report["upload_seconds"] = round(time.perf_counter() - start, 1)
            report["students"] = _checked(client.get(f"/datasets/{dataset}"), 200).json()["students"]
            _log("  matching ...")
            job = _wait(client, _start(client, dataset, False), every=0.5)
        report.update(instance=folder.name, job_id=job["id"], job_seconds=_job_seconds(job))
        report["browser"] = bench_browser(server, job["id"], args.repetitions, args.sort)
    finally:
        server.stop()
    report["benchmark_seconds"] = round(time.perf_counter() - started, 1)
    figures = [report["browser"]["first_load"][key]["warm_median"] for key in ("load_ms", "first_table_ms")]
    figures += [report["browser"]["table"][action]["ms"]["warm_median"] for action in report["browser"]["table"]]
    report["under_aim"] = all(f is not None and f < AIM_MS for f in figures)
    print(render(report))
    args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    _log(f"wrote {args.out} in {report['benchmark_seconds']:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
