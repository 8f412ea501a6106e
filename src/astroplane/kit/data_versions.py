"""Versions of the tables whose list pages the hot path keeps (rbac.hot_lists, kit.hot.pages_follow).

Any flush that adds, changes or deletes a row of a registered table, and any bulk INSERT/UPDATE/
DELETE statement on one, bumps that table's row in `data_versions` as the transaction commits (in it), as the
authz epoch (rbac.epoch) does for authorization rows. A page read after its versions is never older
than them, so a page kept under the versions it was read with is current while they stand still.

A page can also change with the clock alone (an invitation lapses, a hibernation schedule fires):
the service that renders it says until when it holds (`holds_until`), and it is kept only until then.
"""

import datetime as dt

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Mapped, ORMExecuteState, Session, aliased, mapped_column

from astroplane.kit.db import Base

VERSIONED_TABLES: set[str] = set()
_CHANGED = "data_versions_changed"  # tables this transaction changed, bumped at its commit
_HOLDS_UNTIL = "page_holds_until"
# one statement for all the tables a transaction changed (a round trip each on PostgreSQL otherwise)
_BUMP = sa.text("UPDATE data_versions SET version = version + 1 WHERE name IN :names").bindparams(
    sa.bindparam("names", expanding=True))


class DataVersion(Base):
    __tablename__ = "data_versions"

    name: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    version: Mapped[int] = mapped_column(sa.BigInteger, default=0)


def register_versioned_tables(*names: str) -> None:
    """Tables whose changes bump their version (each needs its row, made by a migration)."""
    VERSIONED_TABLES.update(names)


_EPOCH = sa.table("authz_epoch", sa.column("id"), sa.column("epoch"))  # rbac.models.AuthzEpoch
_STATEMENTS: dict[tuple[str, ...], sa.Select] = {}  # built once: building a select costs more than running it


# The row hot reads look up (kit.readers.RowsById, by name) to read the epoch and the versions beside it.
ANCHOR = "lists"


def anchored(names: tuple[str, ...]) -> sa.Select:
    """For RowsById: the anchor's name, the authz epoch, then the versions of `names` (each None when
    it has no row). RowsById binds the id alone: the other values are written into the statement
    (table names of ours, never input)."""
    versions = aliased(DataVersion)
    columns = [sa.select(versions.version).where(versions.name == sa.literal_column(f"'{name}'")).scalar_subquery()
               for name in names]
    epoch = sa.select(_EPOCH.c.epoch).where(_EPOCH.c.id == sa.literal_column("1")).scalar_subquery()
    return sa.select(DataVersion.name, epoch, *columns)


def with_epoch(session: Session, names: tuple[str, ...]) -> tuple[int, tuple[int, ...] | None]:
    """The authz epoch and the versions of `names` (None when one has no row: nothing can be kept
    then), in one statement: on PostgreSQL each statement is a round trip that holds the event loop."""
    statement = _STATEMENTS.get(names)
    if statement is None:
        columns = [sa.select(DataVersion.version).where(DataVersion.name == name).scalar_subquery() for name in names]
        statement = _STATEMENTS[names] = sa.select(_EPOCH.c.epoch, *columns).where(_EPOCH.c.id == 1)
    row = session.connection().execute(statement).one()
    versions = tuple(row[1:])
    return row[0] or 0, None if any(version is None for version in versions) else versions


def holds_until(session: Session, instant: dt.datetime | None) -> None:
    """What this request renders changes by itself at `instant` (None: not by the clock): a page
    kept from it is not served from then on."""
    if instant is not None:
        held = session.info.get(_HOLDS_UNTIL)
        session.info[_HOLDS_UNTIL] = instant if held is None else min(held, instant)


def held_until(session: Session) -> dt.datetime | None:
    """The earliest `holds_until` of this transaction, taken (read once, by the hot path that keeps the page)."""
    return session.info.pop(_HOLDS_UNTIL, None)


def _note(session: Session, names) -> None:
    session.info.setdefault(_CHANGED, set()).update(names)


def _tables(objects) -> set[str]:
    names = (getattr(getattr(obj, "__table__", None), "name", None) for obj in objects)
    return {name for name in names if name in VERSIONED_TABLES}


@event.listens_for(Session, "before_flush")
def _note_flush(session: Session, _context, _instances) -> None:
    changed = _tables(session.new) | _tables(session.deleted) | _tables(
        obj for obj in session.dirty if session.is_modified(obj))
    if changed:
        _note(session, changed)


@event.listens_for(Session, "do_orm_execute")
def _note_bulk(state: ORMExecuteState) -> None:
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    name = getattr(getattr(state.statement, "table", None), "name", None)
    if name in VERSIONED_TABLES:
        _note(state.session, [name])


@event.listens_for(Session, "before_commit")
def _bump_on_commit(session: Session) -> None:
    """One UPDATE for every table the transaction changed, just before it commits (in it, so a reader
    sees the new rows and the new versions together): one statement, and the rows' locks held only
    from here to the commit."""
    session.flush()  # commit flushes after this hook: what it would flush is noted first
    changed = session.info.pop(_CHANGED, None)
    if changed:
        session.execute(_BUMP, {"names": sorted(changed)})


@event.listens_for(Session, "after_transaction_end")
def _forget_changes(session: Session, transaction) -> None:
    if transaction.parent is None:  # a savepoint's end keeps what the transaction changed before it
        session.info.pop(_CHANGED, None)


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _reset(session: Session) -> None:
    session.info.pop(_HOLDS_UNTIL, None)


# the lists kept this way (see rbac.hot_lists), beside those made of authz rows only
register_versioned_tables("workspaces", "environment_objects", "environment_object_links", "invites",
                          "deployments", "deployment_worker_queues", "deployment_environment_variables",
                          "deployment_counts", "clusters", "cluster_node_pools", "deploys", "alerts",
                          "alert_channels", "notification_channels")
