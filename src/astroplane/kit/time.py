"""Timestamps: UTC, second precision, rendered as YYYY-MM-DDTHH:MM:SSZ by pydantic."""

import datetime as dt


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def as_utc(value: dt.datetime | None) -> dt.datetime | None:
    """Attach UTC to a naive value read back from a database that does not keep zones."""
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)
