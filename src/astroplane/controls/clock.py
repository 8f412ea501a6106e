"""The test server's clock and the per-process cache of the shared controls row.

The clock lives in the database (controls_state), so every server process on one database agrees
on it: an offset added to the system time, or a frozen instant. Reading it must not cost a query per
request, so each process keeps the row for a quarter of a second, and drops it at once when the
authz epoch moves (a clock change bumps the epoch, and every authenticated request reads the epoch:
a request that follows an advance made by another process sees the new time).
"""

import datetime as dt
import threading
import time
import weakref

from sqlalchemy import event
from sqlalchemy.orm import Session

from astroplane.controls import repository
from astroplane.controls.repository import StateRow
from astroplane.kit.db import Database
from astroplane.kit.time import as_utc, system_now


# every SharedState of this process: a commit that changed the row drops their copies at once
_COPIES: "weakref.WeakSet[SharedState]" = weakref.WeakSet()


class SharedState:
    """The controls row as this process last read it; a kit.time Clock."""

    TTL_SECONDS = 0.25

    def __init__(self, database: Database):
        self._database = database
        self._row: StateRow | None = None
        self._read_at = 0.0
        self._lock = threading.Lock()
        _COPIES.add(self)

    def row(self) -> StateRow:
        row = self._row
        if row is None or time.monotonic() - self._read_at > self.TTL_SECONDS:
            with self._lock:
                row = self._row = repository.read_state(self._database.engine)
                self._read_at = time.monotonic()
        return row

    def invalidate(self) -> None:
        self._row = None

    def now(self) -> dt.datetime:
        return clock_time(self.row(), system_now())


def clock_time(row: StateRow, system: dt.datetime) -> dt.datetime:
    """The server's time for a state row, when the system clock reads `system`."""
    if row.clock_frozen_at is not None:
        return as_utc(row.clock_frozen_at)
    return system + dt.timedelta(microseconds=row.clock_offset_us)


@event.listens_for(Session, "after_commit")
def _drop_copies(session: Session) -> None:
    if session.info.pop(repository.CHANGED_KEY, None):
        for shared in list(_COPIES):
            shared.invalidate()


@event.listens_for(Session, "after_rollback")
def _forget_change(session: Session) -> None:
    session.info.pop(repository.CHANGED_KEY, None)
