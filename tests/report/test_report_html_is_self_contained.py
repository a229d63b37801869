"""report.html fetches nothing: no remote addresses, external scripts, stylesheets, imports
or url() other than data: URIs."""

import re


def test_page_references_nothing_outside_itself(am13_report):
    html = am13_report.html
    assert "<table" in html and "data:image/png;base64," in html
    lowered = html.lower()
    for forbidden in ("http://", "https://", "<script src", "<link", "@import", "<iframe", "<object"):
        assert forbidden not in lowered, forbidden
    for target in re.findall(r"url\(\s*['\"]?([^'\")\s]*)", lowered):
        assert target.startswith("data:"), target
    # Every src= is an inline image; every href= an anchor on this page.
    for source in re.findall(r"""\ssrc\s*=\s*["']?([^"'\s>]*)""", lowered):
        assert source.startswith("data:image/png;base64,"), source[:40]
    for href in re.findall(r"""\shref\s*=\s*["']?([^"'\s>]*)""", lowered):
        assert href.startswith("#"), href
    assert "<script" not in lowered
