"""The security headers of every response under ``/web``: a strict Content-Security-Policy and its companions.

One place for them, whatever route, refusal or redirect answers: a pure ASGI middleware (no
``BaseHTTPMiddleware``, which would add a task and a queue to every response) that adds the headers to the
response's start message. The pages need nothing inline: htmx is told (``htmx-config`` in ``base.html``)
not to insert its indicator ``<style>`` and not to evaluate strings, so ``'self'`` is all they need.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

__all__ = ["CONTENT_SECURITY_POLICY", "HEADERS", "PageHeaders"]

CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self'",  # no inline script, no eval: htmx's allowEval is off
    "style-src 'self'",  # no inline style: htmx's includeIndicatorStyles is off, no style= attributes
    "img-src 'self' data:",
    "form-action 'self'",
    "frame-ancestors 'none'",  # no page in another site's frame (clickjacking)
    "base-uri 'none'",
    "object-src 'none'",
))

HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),  # the language switch reads the referer: same origin only
)

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


class PageHeaders:
    """ASGI middleware: :data:`HEADERS` on every HTTP response whose path is ``prefix`` or under it.

    Parameters
    ----------
    app
        The ASGI application to wrap.
    prefix
        The pages' path (``/web``); the API's JSON answers are left as they are.
    """

    def __init__(self, app: Callable[[Scope, Receive, Send], Awaitable[None]], prefix: str = "/web") -> None:
        self.app = app
        self.prefix = prefix.rstrip("/")

    def _covers(self, path: str) -> bool:
        return path == self.prefix or path.startswith(self.prefix + "/")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self._covers(scope.get("path", "")):
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                # A route that set one of them knows better (none does yet); never send it twice.
                message["headers"] = [*message.get("headers", []),
                                      *((name, value) for name, value in HEADERS if name not in present)]
            await send(message)

        await self.app(scope, receive, send_with_headers)
