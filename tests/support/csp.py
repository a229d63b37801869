"""What the browser refused under the pages' Content-Security-Policy, for the web pages' tests.

Two witnesses, since either alone can miss one: the page's ``securitypolicyviolation`` events (a listener
added before any page script runs, reporting through a Playwright binding, so that the record outlives the
page's navigations), and Chromium's console errors about the policy.
"""

from __future__ import annotations

LISTENER = """
document.addEventListener('securitypolicyviolation', event => window.__stagematchCspViolation({
    directive: event.violatedDirective, blocked: event.blockedURI, source: event.sourceFile,
    line: event.lineNumber, sample: event.sample, page: document.location.href}));
"""


def watch_csp(context, seen: list[dict] | None = None) -> list[dict]:
    """Record every CSP violation in the pages of a Playwright browser context.

    Parameters
    ----------
    context
        A Playwright ``BrowserContext``, before its pages are opened (not one made with ``bypass_csp``).
    seen
        The list to fill (a new one by default).

    Returns
    -------
    list of dict
        ``seen``, filled as violations happen: the event's directive, blocked URI, source, line, sample and
        page (or, from the console, ``console`` and ``page``).
    """
    seen = [] if seen is None else seen
    context.expose_binding("__stagematchCspViolation", lambda source, violation: seen.append(violation))
    context.add_init_script(LISTENER)

    def on_console(message) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            seen.append({"console": message.text, "page": message.page.url if message.page else None})

    context.on("console", on_console)
    return seen
