"""Column mixins shared by resource tables."""

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.orm.attributes import flag_modified

from astroplane.kit.db import UTCDateTime
from astroplane.kit.ids import new_id
from astroplane.kit.time import utcnow


class IdMixin:
    id: Mapped[str] = mapped_column(sa.String(25), primary_key=True, default=new_id)


class TimestampMixin:
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow,
                                                    nullable=False)


class RevisionMixin:
    """A counter every UPDATE of the row moves (ORM flush or Core `update()` alike; hand-written
    SQL must move it too): updated_at has second precision, so caches compare this instead (see
    kit.cache.ResponseCache)."""

    revision: Mapped[int] = mapped_column(default=0, server_default="0",
                                          onupdate=sa.literal_column("revision") + 1)


def touch(row: TimestampMixin) -> None:
    """Make the next flush UPDATE the row even when only its child rows changed."""
    row.updated_at = utcnow()
    flag_modified(row, "updated_at")


class AuthorMixin:
    """Who created and last changed a row: ('USER' | 'SERVICEKEY', id)."""

    created_by_type: Mapped[str | None] = mapped_column(sa.String(16))
    created_by_id: Mapped[str | None] = mapped_column(sa.String(25))
    updated_by_type: Mapped[str | None] = mapped_column(sa.String(16))
    updated_by_id: Mapped[str | None] = mapped_column(sa.String(25))

    def stamp_author(self, subject: tuple[str, str], *, created: bool = False) -> None:
        kind, subject_id = subject
        if created:
            self.created_by_type, self.created_by_id = kind, subject_id
        self.updated_by_type, self.updated_by_id = kind, subject_id
        if not created:
            touch(self)
