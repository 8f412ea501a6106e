"""RowsById: rows of one SELECT looked up by id, outside SQLAlchemy's session machinery, for hot
reads (kit.hot).

The statement is compiled once for the engine's driver and run on connections kept for it alone, in
autocommit, so each read is one snapshot. On SQLite a lookup is in-process and synchronous (one
connection per thread). On PostgreSQL a lookup is a network round trip (~0.2 ms on a small VM), so
it is awaited, and lookups that arrive while the connections are busy wait and go together in the
next query (`id = ANY(...)`): under load one round trip answers many requests.

A lookup that fails drops its connection and answers None: the caller then takes the ordinary path,
which reports the failure the usual way.
"""

import asyncio
import logging
import threading
import weakref
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

log = logging.getLogger("astroplane.readers")


class RowsById:
    POSTGRES_CONNECTIONS_PER_LOOP = 4
    POSTGRES_MAX_BATCH = 256

    def __init__(self, engine: Engine, statement: sa.Select, id_column: sa.ColumnElement):
        """`statement` selects the id first; `id_column` is what the id is matched against."""
        self._closed = False
        self._source: _SQLiteLookups | _PostgresBatches | None
        if engine.dialect.name == "postgresql":
            from sqlalchemy.dialects import postgresql  # a SQLite server never loads it

            ids = sa.bindparam("ids", type_=postgresql.ARRAY(sa.String))
            sql = statement.where(id_column == sa.func.any(ids)).compile(dialect=engine.dialect).string
            self._source = _PostgresBatches(engine, sql, self.POSTGRES_CONNECTIONS_PER_LOOP, self.POSTGRES_MAX_BATCH)
        elif engine.url.database in (None, "", ":memory:"):
            self._source = None  # an in-memory database is private to the pool's connection
        else:
            compiled = statement.where(id_column == sa.bindparam("id")).compile(dialect=engine.dialect)
            self._source = _SQLiteLookups(engine, compiled.string)

    async def get(self, id_: str) -> tuple | None:
        """The row whose id is `id_`, or None (no such row, or the lookup failed)."""
        if self._source is None or self._closed:
            return None
        try:
            return await self._source.get(id_)
        except Exception:
            log.debug("hot read failed; the ordinary path takes the request", exc_info=True)
            return None

    def close(self) -> None:
        self._closed = True
        if self._source is not None:
            self._source.close()


class _SQLiteLookups:
    """One sqlite3 connection per thread, taken out of the engine's pool (so its connect hooks ran:
    WAL, busy timeout, autocommit)."""

    def __init__(self, engine: Engine, sql: str):
        self.engine, self.sql = engine, sql
        self._local = threading.local()
        self._all: list[Any] = []
        self._lock = threading.Lock()

    async def get(self, id_: str) -> tuple | None:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            pooled = self.engine.raw_connection()
            pooled.detach()  # ours from now on: the pool neither resets nor reuses it
            connection = self._local.connection = pooled.dbapi_connection
            with self._lock:
                self._all.append(connection)
        try:
            return connection.execute(self.sql, (id_,)).fetchone()
        except Exception:
            self._local.connection = None
            with self._lock:
                if connection in self._all:
                    self._all.remove(connection)
            _close_quietly(connection.close)
            raise

    def close(self) -> None:
        with self._lock:
            connections, self._all = self._all, []
        for connection in connections:
            _close_quietly(connection.close)


class _LoopState:
    """One event loop's share of a _PostgresBatches (asyncio connections belong to one loop)."""

    def __init__(self, size: int):
        # per connection slot, an idle connection or None (free to connect); empty while all are busy.
        # Last in, first out: a light load keeps reusing one connection instead of opening them all.
        self.slots: asyncio.LifoQueue = asyncio.LifoQueue()
        for _ in range(size):
            self.slots.put_nowait(None)
        self.waiting: dict[str, list[asyncio.Future]] = {}
        self.dispatching = False
        self.tasks: set[asyncio.Task] = set()


class _PostgresBatches:
    def __init__(self, engine: Engine, sql: str, size: int, max_batch: int):
        args, kwargs = engine.dialect.create_connect_args(engine.url)
        self._connect_args = (args, {**kwargs, "autocommit": True})
        self.sql, self._size, self._max_batch = sql, size, max_batch
        self._loops: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _LoopState] = weakref.WeakKeyDictionary()
        self._opened: list[Any] = []

    async def get(self, id_: str) -> tuple | None:
        loop = asyncio.get_running_loop()
        state = self._loops.get(loop)
        if state is None:
            state = self._loops[loop] = _LoopState(self._size)
        future = loop.create_future()
        state.waiting.setdefault(id_, []).append(future)
        if not state.dispatching:
            state.dispatching = True
            self._spawn(state, self._dispatch(state))
        return await future

    def _spawn(self, state: _LoopState, coroutine) -> None:
        task = asyncio.get_running_loop().create_task(coroutine)
        state.tasks.add(task)  # the loop keeps only a weak reference to tasks
        task.add_done_callback(state.tasks.discard)

    async def _dispatch(self, state: _LoopState) -> None:
        """Sends what waits each time a connection is free: whatever arrived meanwhile goes along."""
        try:
            while state.waiting:
                connection = await state.slots.get()
                waiting = state.waiting
                if len(waiting) <= self._max_batch:
                    batch, state.waiting = waiting, {}
                else:
                    batch = {id_: waiting.pop(id_) for id_ in list(waiting)[:self._max_batch]}
                self._spawn(state, self._query(state, connection, batch))
        finally:
            state.dispatching = False

    async def _query(self, state: _LoopState, connection: Any, batch: dict[str, list[asyncio.Future]]) -> None:
        rows: dict[str, tuple] = {}
        try:
            if connection is None:
                import psycopg  # only PostgreSQL deployments load the driver

                args, kwargs = self._connect_args
                connection = await psycopg.AsyncConnection.connect(*args, **kwargs)
                self._opened.append(connection)
            cursor = await connection.execute(self.sql, {"ids": list(batch)})
            rows = {row[0]: row for row in await cursor.fetchall()}
        except BaseException as exc:
            if connection is not None:
                self._discard(connection)
            state.slots.put_nowait(None)
            if not isinstance(exc, Exception):
                raise
            log.debug("hot read failed; the ordinary path takes these requests", exc_info=True)
        else:
            state.slots.put_nowait(connection)
        finally:
            for id_, futures in batch.items():
                for future in futures:
                    if not future.done():
                        future.set_result(rows.get(id_))

    def _discard(self, connection: Any) -> None:
        if connection in self._opened:
            self._opened.remove(connection)
        _close_quietly(connection.pgconn.finish)

    def close(self) -> None:
        connections, self._opened = self._opened, []
        for connection in connections:
            # the socket closes without an event loop: close() may come from any thread, at shutdown
            _close_quietly(connection.pgconn.finish)


def _close_quietly(close) -> None:
    try:
        close()
    except Exception:
        pass
