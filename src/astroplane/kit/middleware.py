"""Thin ASGI middlewares: body size limit, Prometheus request metrics, the last word on errors."""

import logging
import time

from prometheus_client import Counter, Histogram
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from astroplane.kit.errors import BadRequest, PayloadTooLarge, error_response, request_id

log = logging.getLogger("astroplane.errors")
REQUESTS = Counter("astroplane_http_requests_total", "HTTP requests served", ["method", "route", "status"])
LATENCY = Histogram("astroplane_http_request_duration_seconds", "HTTP request latency", ["method", "route"],
                    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5))


class BodyLimitMiddleware:
    """Refuses bodies above a byte limit, by Content-Length or while streaming, and NUL characters
    (which no text column can store) in the query string or a JSON body."""

    def __init__(self, app: ASGIApp, max_bytes: int, exempt_prefixes: tuple[str, ...] = ()):
        self.app = app
        self.max_bytes = max_bytes
        # routes that take binary bodies and enforce their own limit
        self.exempt_prefixes = exempt_prefixes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or (self.exempt_prefixes and scope["path"].startswith(self.exempt_prefixes)):
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", ()):
            if name == b"content-length" and value.isdigit() and int(value) > self.max_bytes:
                await _refuse(scope, receive, send, 413, PayloadTooLarge.default_message)
                return
        if _NUL in scope.get("query_string", b"") or _NUL in scope.get("raw_path", b""):
            await _refuse(scope, receive, send, 400, "NUL characters are not allowed in the URL")
            return
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                chunk = message.get("body", b"")
                received += len(chunk)
                if received > self.max_bytes:
                    raise PayloadTooLarge()
                if _JSON_NUL in chunk or b"\x00" in chunk:
                    raise BadRequest("NUL characters are not allowed in request bodies", field="body")
            return message

        await self.app(scope, limited_receive, send)


_NUL = b"%00"
_JSON_NUL = b"\\u0000"


async def _refuse(scope: Scope, receive: Receive, send: Send, status: int, message: str) -> None:
    response = error_response(Request(scope, receive), status, message)
    await response(scope, receive, send)


class StatusCapture:
    """An ASGI `send` that passes messages on and remembers the response's status (`default`
    until one starts: an app that raised before answering)."""

    __slots__ = ("send", "status")

    def __init__(self, send: Send, default: int = 500):
        self.send, self.status = send, default

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
        await self.send(message)


class MetricsMiddleware:
    def __init__(self, app: ASGIApp):
        self.app = app
        # the labelled children by (method, route template, status): labels() costs more than inc()
        self._children: dict[tuple[str, str, int], tuple] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        capture = StatusCapture(send)
        try:
            await self.app(scope, receive, capture)
        finally:
            status = capture.status
            route = scope.get("route")
            key = (scope["method"], getattr(route, "path", None) or "unmatched", status)
            children = self._children.get(key)
            if children is None:
                if len(self._children) > 10_000:  # methods and statuses are unbounded in theory
                    self._children.clear()
                children = self._children[key] = (REQUESTS.labels(key[0], key[1], str(status)),
                                                  LATENCY.labels(key[0], key[1]))
            children[0].inc()
            children[1].observe(time.perf_counter() - started)


class UnhandledErrorMiddleware:
    """Where an exception outside the Astro error family ends (the outermost of our middlewares).

    It is logged here once, with its traceback, the request id the client is given, the method and
    the path (never the query string, headers or body: they may hold tokens and secrets), and
    answered 500 in the Astro error body. Nothing is raised further, so neither Starlette nor the
    server logs it a second time.
    """

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        capture = StatusCapture(send, default=0)  # 0: no response started yet
        try:
            await self.app(scope, receive, capture)
        except Exception:
            request = Request(scope, receive)
            log.exception("unhandled error requestId=%s %s %s", request_id(request), scope["method"], scope["path"])
            if not capture.status:
                await error_response(request, 500, "Internal server error")(scope, receive, send)
