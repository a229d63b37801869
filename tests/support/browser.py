"""Debian's Chromium for the tests that render pages: skipped without it, unless STAGEMATCH_REQUIRE_BROWSER=1
(as in CI), where such a test fails."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")


def require_chromium(purpose: str) -> Path:
    """The browser's path; skips (or, in CI, fails) the calling test when the package is missing."""
    if not CHROMIUM.is_file():
        reason = f"{CHROMIUM} is missing: install the Debian package 'chromium' {purpose}"
        if os.environ.get("STAGEMATCH_REQUIRE_BROWSER") == "1":
            pytest.fail(reason + " (STAGEMATCH_REQUIRE_BROWSER=1)")
        pytest.skip(reason)
    return CHROMIUM


def sign_in(page, url: str, token: str) -> None:
    """Sign in on the web page of the server at ``url`` with ``token``, and wait for the home page."""
    page.goto(f"{url}/web")
    page.fill("#token", token)
    page.click("form[action='/web/signin'] button")
    page.wait_for_url(f"{url}/web")
