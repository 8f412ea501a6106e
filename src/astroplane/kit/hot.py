"""Hot reads: answering the most frequent GETs from per-process caches without the framework.

A hot route is one of the contract's GET routes with a `serve` function that returns the response
body when everything the full route would check and render is already known for the current
authz epoch and entity version, and None otherwise. None sends the request down the ordinary path
(FastAPI, dependencies, services), which answers it, errors included, and fills the caches the
next request can use. So a hot route never decides anything the full route would not: it only
skips the work of deciding it again.

`serve` reads the database through kit.readers.RowsById: one statement on connections of its own,
so the authz epoch and the entity's version come from one snapshot taken after the request arrived
(a revocation committed before it is always seen).
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from prometheus_client import Counter
from starlette.routing import compile_path
from starlette.types import ASGIApp, Receive, Scope, Send

from astroplane.kit.router import JSON

HOT_READS = Counter("astroplane_hot_reads_total", "GETs offered to a hot route, by whether it answered them",
                    ["route", "outcome"])

# (scope, path parameters) -> the JSON body of a 200, or None to take the full route
Serve = Callable[[Scope, dict[str, str]], Awaitable[bytes | None]]


@dataclass(frozen=True, slots=True)
class HotRoute:
    operation_id: str
    serve: Serve


def reads_app_state(read: Callable[[Any], Any]):
    """Marks a FastAPI dependency that only reads the app's state (`read(app.state)`), so a hot read
    can give the endpoint the same value without the framework (rbac.hot_lists)."""
    def mark(dependency):
        dependency.hot_value = read
        return dependency

    return mark


def pages_follow(*tables: str):
    """Marks a list endpoint whose pages are made of authz rows (tables registered with rbac.epoch:
    any change moves the epoch) and rows of `tables` only (versioned by kit.data_versions): for one
    caller and one query, its page then stands still while the epoch and those versions do, and the
    hot path of lists (rbac.hot_lists) keeps it."""
    def mark(endpoint):
        endpoint.pages_follow = tables
        return endpoint

    return mark


# lists made of authz rows only
pages_follow_epoch = pages_follow()


def header(scope: Scope, name: bytes) -> str | None:
    """A request header from the ASGI scope (`name` in lower case), the first if repeated."""
    for key, value in scope["headers"]:
        if key == name:
            return value.decode("latin-1")
    return None


class HotReadMiddleware:
    """Innermost middleware: GETs on a hot route are offered to its `serve` first.

    The outer middlewares (metrics, audit, body limits) see the request as they see any other; the
    route is put in the scope, as routing would, so metrics label it with its template.
    """

    def __init__(self, app: ASGIApp, routes: list[tuple[str, Any, HotRoute, str]]):
        self.app = app
        # (prefix, route as declared in its router, hot route, counter label): the route mounted
        # under its API's prefix, with its two counters
        self.routes = [(compile_path(prefix + api_route.path)[0], api_route, hot,
                        HOT_READS.labels(label, "served"), HOT_READS.labels(label, "passed"))
                       for prefix, api_route, hot, label in routes]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "GET":
            path = scope["path"]
            for pattern, api_route, hot, served, passed in self.routes:
                match = pattern.match(path)
                if match is None:
                    continue
                body = await hot.serve(scope, match.groupdict())
                if body is None:
                    passed.inc()
                else:
                    served.inc()
                    scope["route"] = api_route
                    await send({"type": "http.response.start", "status": 200, "headers": [
                        (b"content-length", str(len(body)).encode()), (b"content-type", JSON.encode())]})
                    await send({"type": "http.response.body", "body": body})
                    return
                break
        await self.app(scope, receive, send)
