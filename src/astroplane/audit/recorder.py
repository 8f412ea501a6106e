"""The audit log's one entry point.

Every mutating request on an organization is recorded without any resource doing anything:
- a request that succeeds is recorded by `record_request`, called from the request transaction just
  before it commits (kit.db BEFORE_COMMIT), so the entry and the change commit or vanish together;
- a request that is refused (4xx/5xx, the transaction rolled back) is recorded afterwards, in its own
  transaction, by audit.middleware.

Code that changes an organization outside a request (a background reconciler, a CLI action) calls
`record(session, ...)` itself, inside its own transaction.
"""

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Session
from starlette.requests import Request

from astroplane.audit.models import AuditLogEntry
from astroplane.ip_ranges.address import client_address
from astroplane.kit.errors import request_id
from astroplane.kit.ids import is_id
from astroplane.kit.time import utcnow
from astroplane.organizations.models import Organization

MUTATING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
RECORDED_KEY = "astroplane.audited"


def record(session: Session, *, organization_id: str, method: str, path: str, status: int, request_id: str,
           subject_type: str = "", subject_id: str = "", source_ip: str = "", user_agent: str = "",
           timestamp: dt.datetime | None = None) -> None:
    """Add one audit entry to `session`'s transaction."""
    session.add(AuditLogEntry(organization_id=organization_id, timestamp=timestamp or utcnow(),
                              subject_type=subject_type, subject_id=subject_id, method=method, path=path[:1000],
                              status=status, request_id=request_id, source_ip=source_ip[:64],
                              user_agent=user_agent[:512]))


def _subject(scope) -> tuple[str, str]:
    principal = scope.get("astroplane.principal")
    return principal.subject if principal is not None else ("", "")


def _organization_id(scope) -> str | None:
    organization_id = (scope.get("path_params") or {}).get("organizationId")
    return organization_id if isinstance(organization_id, str) and is_id(organization_id) else None


def record_scope(session: Session, scope, status: int) -> bool:
    """Record the request described by an ASGI scope; False when it is not an organization mutation."""
    organization_id = _organization_id(scope)
    if scope.get("method") not in MUTATING or organization_id is None:
        return False
    if session.get(Organization, organization_id) is None:
        return False
    request = Request(scope)
    settings = request.app.state.settings
    peer = request.client.host if request.client else None
    address = client_address(peer, request.headers.get("x-forwarded-for"), settings.trusted_proxies)
    kind, subject_id = _subject(scope)
    record(session, organization_id=organization_id, method=scope["method"], path=request.url.path,
           status=status, request_id=request_id(request), subject_type=kind, subject_id=subject_id,
           source_ip=str(address or peer or ""), user_agent=request.headers.get("user-agent", ""))
    return True


def record_request(request: Request, session: Session) -> None:
    """kit.db BEFORE_COMMIT hook: a successful mutation, in its own transaction."""
    route = request.scope.get("route")
    if getattr(route, "reads_only", False):
        # a route that only reads astroplane's data (the Airflow proxy) keeps a read transaction
        # while it waits on something else; on SQLite that transaction cannot write once another
        # connection has committed. AuditMiddleware records it after the response instead.
        return
    status = getattr(route, "status_code", None) or 200
    if record_scope(session, request.scope, status):
        request.scope[RECORDED_KEY] = status
        session.flush()


class AuditLogRepository:
    def __init__(self, session: Session):
        self.session = session

    def between(self, organization_id: str, start: dt.datetime | None, end: dt.datetime | None):
        query = sa.select(AuditLogEntry).where(AuditLogEntry.organization_id == organization_id)
        if start is not None:
            query = query.where(AuditLogEntry.timestamp >= start)
        if end is not None:
            query = query.where(AuditLogEntry.timestamp <= end)
        return self.session.scalars(query.order_by(AuditLogEntry.timestamp, AuditLogEntry.id)).yield_per(1000)
