"""Records refused mutations (the request transaction rolled back, so its entry went with it)."""

import logging

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from astroplane.audit.recorder import MUTATING, RECORDED_KEY, record_scope

log = logging.getLogger("astroplane.audit")


class AuditMiddleware:
    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") not in MUTATING:
            await self.app(scope, receive, send)
            return
        status = 500

        async def capture(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, capture)
        finally:
            if status >= 400 or RECORDED_KEY not in scope:
                self._record(scope, status)

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
