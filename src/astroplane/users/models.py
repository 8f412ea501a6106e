import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from astroplane.kit.db import Base, UTCDateTime
from astroplane.kit.models import IdMixin, TimestampMixin


class User(IdMixin, TimestampMixin, Base):
    __tablename__ = "users"

    username: Mapped[str] = mapped_column(sa.String(320), unique=True)
    full_name: Mapped[str] = mapped_column(sa.String(256), default="")
    avatar_url: Mapped[str] = mapped_column(sa.String(1024), default="")
    status: Mapped[str] = mapped_column(sa.String(16), default="ACTIVE", index=True)  # PENDING ones are few


class PersonalToken(IdMixin, Base):
    """A user's own sign-in token, minted by the admin CLI. Its id is the token's `jti`; the token
    text itself is never stored. Revoking the row invalidates the token."""

    __tablename__ = "personal_tokens"

    user_id: Mapped[str] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
