"""Every response under /web carries a strict Content-Security-Policy (no inline script or style, no eval), with
nosniff and a same-origin referrer; the pages need nothing the policy refuses; and the browser tests' two
watchers (the CSP's, :mod:`tests.support.csp`, and axe-core's, :mod:`tests.support.accessibility`) do catch a
page that breaks them, so that their silence on the real pages means something."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest

from matcher.app.service.web import pages
from tests.support.accessibility import assert_accessible, critical_violations

TEMPLATES = Path(pages.__file__).parent / "templates"


def _policy(response: httpx.Response) -> dict[str, list[str]]:
    header = response.headers.get("content-security-policy")
    assert header, f"{response.request.method} {response.request.url.path}: no Content-Security-Policy"
    directives = [part.split() for part in header.split(";") if part.strip()]
    return {name: values for name, *values in directives}


def test_every_web_response_has_the_strict_policy_and_the_api_keeps_its_own(server):
    url, tokens = server
    signed_in = {"stagematch_token": tokens["adviser"]}
    responses = [
        httpx.get(f"{url}/web"),  # the sign-in page
        httpx.post(f"{url}/web/signin", data={"token": "sm_not-a-token"}),  # refused: 401
        httpx.get(f"{url}/web/jobs/0123"),  # not signed in: the redirect to sign in
        httpx.get(f"{url}/web", cookies=signed_in),  # the adviser's home
        httpx.get(f"{url}/web/jobs/0123", cookies=signed_in),  # a refusal as a page: 404
        httpx.get(f"{url}/web/static/htmx.min.js"),
        httpx.get(f"{url}/web/static/style.css"),
    ]
    assert [r.status_code for r in responses] == [200, 401, 303, 200, 404, 200, 200]
    for response in responses:
        policy = _policy(response)
        assert policy["default-src"] == ["'self'"]
        assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"]
        assert policy["frame-ancestors"] == ["'none'"] and policy["base-uri"] == ["'none'"]
        assert policy["form-action"] == ["'self'"]
        assert not any("unsafe" in value for values in policy.values() for value in values)
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "same-origin"
        assert len(response.headers.get_list("content-security-policy")) == 1
    health = httpx.get(f"{url}/health")
    assert health.status_code == 200 and "content-security-policy" not in health.headers  # the API's JSON


def test_no_template_needs_what_the_policy_refuses():
    """Inline scripts, styles and handlers, and htmx's evaluated attributes: none in any page's template."""
    refused = {
        "inline script": re.compile(r"<script(?![^>]*\ssrc=)[^>]*>", re.I),
        "style element": re.compile(r"<style\b", re.I),
        "style attribute": re.compile(r"\sstyle\s*=", re.I),
        "event handler": re.compile(r"\son[a-z]+\s*=", re.I),
        "hx-on handler": re.compile(r"\s(data-)?hx-on", re.I),
        "javascript: URL": re.compile(r"javascript:", re.I),
        "htmx's js: values": re.compile(r"hx-(vals|vars)\s*=\s*['\"]\s*js:", re.I),
    }
    templates = sorted(TEMPLATES.glob("*.html"))
    assert templates
    rendered = {path.name: re.sub(r"{#.*?#}", "", path.read_text(encoding="utf-8"), flags=re.S)  # not comments
                for path in templates}
    found = [f"{name}: {what}" for name, text in rendered.items() for what, pattern in refused.items()
             if pattern.search(text)]
    assert not found


def test_the_browser_enforces_the_policy_and_the_watch_sees_a_breach(context, csp_violations, server):
    url, _ = server
    page = context.new_page()
    page.goto(f"{url}/web")
    config = page.evaluate("({eval: htmx.config.allowEval, styles: htmx.config.includeIndicatorStyles,"
                           " scripts: htmx.config.allowScriptTags, settle: htmx.config.attributesToSettle})")
    assert config == {"eval": False, "styles": False, "scripts": False, "settle": ["class", "width", "height"]}
    inline = page.evaluate("({styles: document.querySelectorAll('style, [style]').length,"
                           " scripts: [...document.scripts].filter(s => !s.src).length})")
    assert inline == {"styles": 0, "scripts": 0}  # htmx inserted no indicator <style>
    assert csp_violations == []

    # A breach, made on purpose: the browser refuses it and the watch records it.
    ran = page.evaluate("""() => {
        const script = document.createElement('script');
        script.textContent = 'window.inlineRan = true';
        document.head.append(script);
        return window.inlineRan === true;
    }""")
    assert not ran
    for _ in range(100):  # the event reaches the binding as Playwright next reads the page's messages
        if any(v.get("directive", "").startswith("script-src") for v in csp_violations):
            break
        page.wait_for_timeout(20)
    assert any(v.get("directive", "").startswith("script-src") for v in csp_violations), csp_violations
    csp_violations.clear()  # the breach was this test's own: the fixture's teardown checks the rest
    page.close()


def test_the_accessibility_check_fails_on_a_critical_violation(context, server):
    url, _ = server
    page = context.new_page()
    page.goto(f"{url}/web")
    assert_accessible(page, "signin")
    assert critical_violations(page) == []
    page.evaluate("() => document.querySelector('main').insertAdjacentHTML('beforeend',"
                  " '<input id=unlabelled><button></button>')")
    assert {v["id"] for v in critical_violations(page)} == {"label", "button-name"}
    with pytest.raises(AssertionError, match=r"critical label: .* at #unlabelled"):
        assert_accessible(page, "signin-broken")
    page.close()
