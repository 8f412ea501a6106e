"""Keeps `authz_epoch` moving whenever authorization-relevant rows change (see rbac.models.AuthzEpoch).

Any flush that adds, changes or deletes a row of a registered table, and any bulk INSERT/UPDATE/DELETE
statement on one, bumps the epoch in the same transaction.
"""

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session

AUTHZ_TABLES: set[str] = set()
_BUMP = sa.text("UPDATE authz_epoch SET epoch = epoch + 1 WHERE id = 1")
_READ = "SELECT epoch FROM authz_epoch WHERE id = 1"


def register_authz_tables(*names: str) -> None:
    AUTHZ_TABLES.update(names)


def current(session: Session) -> int:
    return session.connection().exec_driver_sql(_READ).scalar() or 0


def _touches_authz(objects) -> bool:
    return any(getattr(getattr(obj, "__table__", None), "name", None) in AUTHZ_TABLES for obj in objects)


@event.listens_for(Session, "before_flush")
def _bump_on_flush(session: Session, _context, _instances) -> None:
    if session.info.get("authz_bumped"):
        return
    if _touches_authz(session.new) or _touches_authz(session.deleted) or _touches_authz(
            obj for obj in session.dirty if session.is_modified(obj)):
        session.info["authz_bumped"] = True
        session.execute(_BUMP)


@event.listens_for(Session, "do_orm_execute")
def _bump_on_bulk(state: ORMExecuteState) -> None:
    if not (state.is_insert or state.is_update or state.is_delete) or state.session.info.get("authz_bumped"):
        return
    table = getattr(state.statement, "table", None)
    if getattr(table, "name", None) in AUTHZ_TABLES:
        state.session.info["authz_bumped"] = True
        state.session.execute(_BUMP)


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _reset(session: Session) -> None:
    session.info.pop("authz_bumped", None)


# organizations: not authorization, but their names are cached by the same epoch (kit.cache)
register_authz_tables("role_bindings", "api_tokens", "users", "personal_tokens", "organizations")
