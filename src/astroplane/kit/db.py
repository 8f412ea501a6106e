"""Engine, sessions and the one-transaction-per-request dependency.

The request's session is committed when the handler returns and rolled back when it raises;
services and repositories only flush. On SQLite, mutating requests take the write lock up front
(BEGIN IMMEDIATE) so concurrent writers queue on busy_timeout instead of failing on upgrade.

Handlers and dependencies are `async def` and call this synchronous session directly. A request's
transaction is short and never spans an await, so running it on the event loop avoids thread
hand-offs and GIL convoys (measured on 2 cores, 32 connections: 230 req/s in the threadpool,
750 req/s on the loop). Throughput scales with `astroplane serve --workers N`.
"""

import contextlib
import datetime as dt
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Annotated

import sqlalchemy as sa
from fastapi import Depends, Request
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

from astroplane.kit.readers import RowsById
from astroplane.kit.time import as_utc

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def dialect_insert(session: Session, table) -> sa.Insert:
    """An INSERT of the session's database, with its ON CONFLICT clauses. Only that database's
    dialect is imported (PostgreSQL's costs a SQLite server ~2 MB of memory)."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(table)


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING)


class UTCDateTime(sa.types.TypeDecorator):
    """Stores naive UTC, returns aware UTC, on every backend."""

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        return as_utc(value)


def create_db_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        in_memory = url in ("sqlite://", "sqlite:///:memory:")
        pool_options = {} if in_memory else {"pool_size": 8, "max_overflow": 8}
        engine = sa.create_engine(url, connect_args={"check_same_thread": False, "timeout": 30}, **pool_options)

        @event.listens_for(engine, "connect")
        def _sqlite_connect(dbapi_connection, _record):
            # let SQLAlchemy, not the sqlite3 module, decide when transactions begin
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(connection):
            immediate = connection.get_execution_options().get("sqlite_immediate")
            connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

        return engine
    engine = sa.create_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True)

    @event.listens_for(engine, "connect")
    def _postgresql_connect(dbapi_connection, _record):
        # psycopg prepares a statement after five runs, and after five more PostgreSQL may settle on
        # a generic plan made without the parameter values: for a log search (ILIKE '%text%') that
        # plan skips the trigram index and scans every line (15 ms became 1 s). Planning with the
        # values each time costs little against that.
        with dbapi_connection.cursor() as cursor:
            cursor.execute("SET plan_cache_mode = force_custom_plan")
        dbapi_connection.commit()

    return engine


class Database:
    """Owns the engine and session factory of one running app."""

    def __init__(self, url: str):
        self.url = url
        self.engine = create_db_engine(url)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False, autoflush=True)
        # copied into every session's `info`: server-wide facts a resource renders from
        self.session_info: dict[str, object] = {}
        self._lookups: dict[str, RowsById] = {}

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    def session(self, *, write: bool = True) -> Session:
        session = self.sessions()
        session.info.update(self.session_info)
        if write and self.is_sqlite:
            session.connection(execution_options={"sqlite_immediate": True})
        elif not write and not self.is_sqlite:
            # PostgreSQL reads at READ COMMITTED see a fresh snapshot per statement inside a
            # transaction too, so BEGIN and COMMIT would only add two round trips to every read
            session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
        return session

    @contextlib.contextmanager
    def transaction(self, *, write: bool = True) -> Iterator[Session]:
        """A session of its own, committed when the block ends, rolled back if it raises."""
        session = self.session(write=write)
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def begin_write(self, session: Session) -> None:
        """Go on in a new transaction after an early commit, queueing for SQLite's write lock up
        front as `session()` does (a deferred one could not write after another writer's commit)."""
        if self.is_sqlite:
            session.connection(execution_options={"sqlite_immediate": True})

    def rows_by_id(self, name: str, statement: sa.Select, id_column: sa.ColumnElement) -> RowsById:
        """This database's RowsById (kit.readers) for `statement`, made on first use."""
        lookup = self._lookups.get(name)
        if lookup is None:
            lookup = self._lookups[name] = RowsById(self.engine, statement, id_column)
        return lookup

    def dispose(self) -> None:
        for lookup in self._lookups.values():
            lookup.close()
        self.engine.dispose()


async def get_database(request: Request) -> Database:
    return request.app.state.database


# Called with (request, session) just before a request's transaction commits (the audit log).
BEFORE_COMMIT: list[Callable[[Request, Session], None]] = []


async def get_session(request: Request) -> AsyncIterator[Session]:
    database: Database = request.app.state.database
    # routes that only read astroplane's data whatever their method (a proxy) say so, so that they
    # do not hold SQLite's write lock while they wait on something else
    reads_only = getattr(request.scope.get("route"), "reads_only", False)
    with database.transaction(write=request.method not in READ_METHODS and not reads_only) as session:
        yield session
        for hook in BEFORE_COMMIT:
            hook(request, session)


# scope="function": commit happens before the response is sent, so a failed commit is a 500,
# never a success the client believes in.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
DatabaseDep = Annotated[Database, Depends(get_database)]
