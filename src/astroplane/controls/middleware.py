"""The test server's outer middleware: binds its clock and id source to every request (kit.time,
kit.ids), and answers calls that an armed fault picks (controls.service.take_injection).

A fault is decided before authentication, as a proxy or load balancer in front of Astro would fail
a call. Only calls to an (organization, operationId) pair that this process knows to be armed cost
a query: the armed set is reloaded when the shared row's faults_version moves (read at most every
SharedState.TTL_SECONDS, so another process's arming reaches this one within that time).
"""

import asyncio
import logging

from fastapi.routing import APIRoute
from starlette.requests import Request
from starlette.routing import compile_path
from starlette.types import ASGIApp, Receive, Scope, Send

from astroplane.audit.recorder import record
from astroplane.controls import repository, service
from astroplane.controls.clock import SharedState
from astroplane.controls.models import ArmedFault
from astroplane.kit.db import Database
from astroplane.kit.errors import error_response, request_id
from astroplane.kit.ids import SeededIds, bind_ids, unbind_ids
from astroplane.kit.middleware import StatusCapture
from astroplane.kit.time import bind_clock, unbind_clock

log = logging.getLogger("astroplane.controls")
FAULT_SUBJECT = "FAULT"
DROPPED = 0  # the status an audit entry shows for a dropped connection: none was answered


class FaultTargets:
    """Which contract operation, in which organization, a request calls: on every mounted API (v1
    and the older versions), so a fault on GetCluster also meets the Terraform provider's
    /platform/v1beta1 reads."""

    def __init__(self, mounts: list[tuple[str, list[APIRoute]]]):
        self.routes = [(compile_path(prefix + route.path)[0], route.methods, route)
                       for prefix, routes in mounts for route in routes
                       if "{organizationId}" in route.path and route.operation_id]
        self.operations = frozenset(route.operation_id for _, _, route in self.routes)

    def match(self, scope: Scope) -> tuple[APIRoute, str] | None:
        path, method = scope["path"], scope["method"]
        for pattern, methods, route in self.routes:
            found = pattern.match(path)
            if found is not None and method in methods:
                return route, found.group("organizationId")
        return None


class FaultInjector:
    def __init__(self, database: Database, shared: SharedState, targets: FaultTargets):
        self.database, self.shared, self.targets = database, shared, targets
        self._version: int | None = None
        self._armed: frozenset[tuple[str, str]] = frozenset()

    def armed(self) -> frozenset[tuple[str, str]]:
        version = self.shared.row().faults_version
        if version != self._version:
            self._armed = repository.armed_keys(self.database.engine)
            self._version = version
        return self._armed

    def take(self, scope: Scope) -> tuple[APIRoute, ArmedFault] | None:
        armed = self.armed()
        if not armed:
            return None
        matched = self.targets.match(scope)
        if matched is None or (matched[1], matched[0].operation_id) not in armed:
            return None
        route, organization_id = matched
        with self.database.transaction() as session:
            fault = service.take_injection(session, organization_id, route.operation_id)
            if fault is not None and fault.kind != "LATENCY":  # a delayed call is audited once it answered
                _audit(session, scope, organization_id, fault, fault.status_code or DROPPED)
        return (route, fault) if fault is not None else None

    def audit_later(self, scope: Scope, organization_id: str, fault: ArmedFault, status: int) -> None:
        try:
            with self.database.transaction() as session:
                _audit(session, scope, organization_id, fault, status)
        except Exception:  # the call was answered; a missing entry must not turn it into an error
            log.exception("could not audit an injected delay")


def _audit(session, scope: Scope, organization_id: str, fault: ArmedFault, status: int) -> None:
    request = Request(scope)
    record(session, organization_id=organization_id, method=scope["method"], path=scope["path"], status=status,
           request_id=request_id(request), subject_type=FAULT_SUBJECT, subject_id=fault.id,
           source_ip=request.client.host if request.client else "",
           user_agent=request.headers.get("user-agent", ""))


class ControlsMiddleware:
    def __init__(self, app: ASGIApp, shared: SharedState | None, ids: SeededIds | None,
                 faults: FaultInjector | None):
        self.app, self.shared, self.ids, self.faults = app, shared, ids, faults

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # lifespan too: the background loops it starts inherit the clock and the ids
        clock_token, ids_token = bind_clock(self.shared), bind_ids(self.ids)
        try:
            taken = self.faults.take(scope) if self.faults is not None and scope["type"] == "http" else None
            if taken is None:
                await self.app(scope, receive, send)
            else:
                await self._inject(scope, receive, send, *taken)
        finally:
            unbind_ids(ids_token)
            unbind_clock(clock_token)

    async def _inject(self, scope: Scope, receive: Receive, send: Send, route: APIRoute, fault: ArmedFault) -> None:
        scope["route"] = route  # metrics label the call with its route, as routing would
        if fault.kind == "STATUS":
            response = error_response(Request(scope, receive), fault.status_code or 500, fault.message or "")
            await response(scope, receive, send)
            return
        if fault.kind == "DROP":
            # uvicorn closes a connection whose response started and never completed; the client
            # sees the peer go away mid-answer (httpx: RemoteProtocolError)
            await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"1")]})
            return
        await asyncio.sleep((fault.latency_ms or 0) / 1000)
        capture = StatusCapture(send, default=DROPPED)
        try:
            await self.app(scope, receive, capture)
        finally:
            self.faults.audit_later(scope, fault.organization_id, fault, capture.status)
