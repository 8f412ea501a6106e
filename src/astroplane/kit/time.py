"""Timestamps: UTC, second precision, rendered as YYYY-MM-DDTHH:MM:SSZ by pydantic.

Every read of "now" goes through this module. Normally that is the system clock; a test server
(ASTROPLANE_TEST_CONTROLS) binds a clock it can move or freeze (astroplane.controls.clock) to the
requests and background loops of its app, through a context variable, so that several apps in one
process (tests, astroplane.testing) each keep their own.
"""

import contextlib
import datetime as dt
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Protocol


class Clock(Protocol):
    def now(self) -> dt.datetime:
        """Aware UTC, full precision."""


_CLOCK: ContextVar[Clock | None] = ContextVar("astroplane_clock", default=None)


def system_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def precise_now() -> dt.datetime:
    clock = _CLOCK.get()
    return system_now() if clock is None else clock.now()


def utcnow() -> dt.datetime:
    return precise_now().replace(microsecond=0)


def epoch_seconds() -> float:
    """Now as seconds since the Unix epoch (JWT `exp` claims, log line timestamps, id prefixes)."""
    return precise_now().timestamp()


def bind_clock(clock: Clock | None):
    """Make `clock` the time source of the current context (and of tasks and threads started
    from it); returns the token `unbind_clock` takes."""
    return _CLOCK.set(clock)


def unbind_clock(token) -> None:
    _CLOCK.reset(token)


@contextlib.contextmanager
def using_clock(clock: Clock | None) -> Iterator[None]:
    token = bind_clock(clock)
    try:
        yield
    finally:
        unbind_clock(token)


def as_utc(value: dt.datetime | None) -> dt.datetime | None:
    """Attach UTC to a naive value read back from a database that does not keep zones."""
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)
