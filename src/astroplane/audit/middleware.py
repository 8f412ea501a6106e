"""Records refused mutations (the request transaction rolled back, so its entry went with it)."""

import logging

from starlette.types import ASGIApp, Receive, Scope, Send

from astroplane.audit.recorder import MUTATING, RECORDED_KEY, record_scope
from astroplane.kit.middleware import StatusCapture

log = logging.getLogger("astroplane.audit")


class AuditMiddleware:
    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") not in MUTATING:
            await self.app(scope, receive, send)
            return
        capture = StatusCapture(send)
        try:
            await self.app(scope, receive, capture)
        finally:
            if capture.status >= 400 or RECORDED_KEY not in scope:
                self._record(scope, capture.status)

    @staticmethod
    def _record(scope: Scope, status: int) -> None:
        app = scope.get("app")
        database = getattr(getattr(app, "state", None), "database", None)
        if database is None:
            return
        session = database.session()
        try:
            if record_scope(session, scope, status):
                session.commit()
        except Exception:  # an audit failure must not turn into a second error for the client
            log.exception("could not record a refused request in the audit log")
            session.rollback()
        finally:
            session.close()
