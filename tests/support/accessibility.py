"""The accessibility check of the web pages' tests: axe-core (vendored, ``vendor/axe.min.js``) run in the page.

axe is evaluated through Playwright (``page.evaluate``), not added as a ``<script>`` element: the pages' CSP
(``script-src 'self'``) refuses an inline script, as it should, and turning the CSP off for the check
(``bypass_csp``) would hide the violations the same tests look for (:mod:`tests.support.csp`). Code that
Playwright evaluates is the browser's own, outside the page's CSP, and axe needs no eval of its own.
"""

from __future__ import annotations

import json
from pathlib import Path

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
AXE_VERSION = "4.14.1"  # vendor/ATTRIBUTION.md; checked against the file in the page
TAGS = ("wcag2a", "wcag2aa")  # axe's rules for WCAG 2.0 levels A and AA (its wcag21* tags add a few more)
IMPACTS = ("critical", "serious", "moderate", "minor")


def axe_violations(page) -> list[dict]:
    """axe-core's violations of :data:`TAGS` on the page as it is now (the ``violations`` of ``axe.run``).

    Parameters
    ----------
    page
        A Playwright page, loaded (and its htmx fragments swapped in, when they are to be checked too).

    Returns
    -------
    list of dict
        axe's violation objects: ``id``, ``impact``, ``help``, ``helpUrl`` and ``nodes`` (each with ``target``
        and ``failureSummary``).
    """
    if page.evaluate("typeof window.axe === 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    version = page.evaluate("window.axe.version")
    assert version == AXE_VERSION, f"axe {version} in the page, {AXE_VERSION} expected"
    result = page.evaluate("options => window.axe.run(document, options)",
                           {"runOnly": {"type": "tag", "values": list(TAGS)}, "resultTypes": ["violations"]})
    return result["violations"]


def critical_violations(page) -> list[dict]:
    """The violations of impact ``critical`` among :func:`axe_violations`."""
    return [v for v in axe_violations(page) if v["impact"] == "critical"]


def describe(violations: list[dict]) -> str:
    """One line per violation, most severe first: impact, rule, what it asks, and where (CSS selectors)."""
    lines = []
    for v in sorted(violations, key=lambda v: IMPACTS.index(v["impact"]) if v["impact"] in IMPACTS else 9):
        where = ", ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        more = f" and {len(v['nodes']) - 5} more" if len(v["nodes"]) > 5 else ""
        lines.append(f"  {v['impact']} {v['id']}: {v['help']} ({v['helpUrl']}) at {where}{more}")
    return "\n".join(lines)


def assert_accessible(page, name: str, fail_on: tuple[str, ...] = ("critical",), folder: Path | None = None) -> None:
    """Fail when axe finds a violation of an impact in ``fail_on`` on the page; the message lists every one.

    Parameters
    ----------
    page
        A Playwright page, as for :func:`axe_violations`.
    name
        The page's name in the message (and in the report's file name).
    fail_on
        The impacts that fail; the others (``serious`` ones included by default) are in the message, for
        information, and in the report.
    folder
        When given, axe's violations are written there as ``axe-{name}.json``.
    """
    found = axe_violations(page)
    if folder is not None:
        (folder / f"axe-{name}.json").write_text(json.dumps(found, indent=2), encoding="utf-8")
    failing = [v for v in found if v["impact"] in fail_on]
    assert not failing, (f"{name} ({page.url}): axe found {len(failing)} {'/'.join(fail_on)} violation(s) of "
                         f"{', '.join(TAGS)}:\n{describe(found)}")
