"""The web pages' tests: a real ``stagematch serve`` and Debian's Chromium, driven by Playwright.

Without the browser they are skipped, unless STAGEMATCH_REQUIRE_BROWSER=1 (as in CI), where they fail.
Screenshots of each page go to ``$STAGEMATCH_ARTEFACTS`` (default ``test-artefacts/`` in the repository).
Every page opens in a browser context that records what the pages' Content-Security-Policy refused
(:func:`context`): a test whose pages broke the policy errors at its teardown.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.support.browser import require_chromium
from tests.support.csp import watch_csp
from tests.support.paths import REPO
from tests.support.service import ServerProcess, add_organisations, fresh_database


@pytest.fixture(scope="module")
def browser():
    chromium = require_chromium("for the web pages' tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # /dev/shm may be small or missing in a CI container: Chromium then keeps its shared memory in /tmp.
        browser = playwright.chromium.launch(executable_path=str(chromium),
                                             args=["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"])
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A server on a fresh SQLite database with the test organisations; (its URL, their tokens)."""
    from matcher.app.service.core import Settings

    folder = tmp_path_factory.mktemp("web")
    with fresh_database("sqlite", folder) as url:
        tokens, _ = add_organisations(Settings(database=url, store=folder / "store"))
        process = ServerProcess(url, folder / "store")
        try:
            yield process.url, tokens
        finally:
            process.stop()


@pytest.fixture
def csp_violations() -> list[dict]:
    """What the browser refused under the pages' CSP in this test's :func:`context` (filled as it happens)."""
    return []


@pytest.fixture
def context(browser, csp_violations):
    """A fresh browser context (its own cookies) with the CSP enforced and watched; none may be broken."""
    context = browser.new_context()
    watch_csp(context, csp_violations)
    yield context
    context.close()
    assert not csp_violations, f"the pages broke their Content-Security-Policy: {csp_violations}"


@pytest.fixture
def artefacts(request) -> Path:
    """Where this test's screenshots go."""
    folder = Path(os.environ.get("STAGEMATCH_ARTEFACTS", REPO / "test-artefacts")) / request.node.name
    folder.mkdir(parents=True, exist_ok=True)
    return folder
