"""Column mixins shared by resource tables."""

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from astroplane.kit.db import UTCDateTime
from astroplane.kit.ids import new_id
from astroplane.kit.time import utcnow


class IdMixin:
    id: Mapped[str] = mapped_column(sa.String(25), primary_key=True, default=new_id)


class TimestampMixin:
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow,
                                                    nullable=False)


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
