import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from astroplane.kit.db import Base, UTCDateTime
from astroplane.kit.models import IdMixin
from astroplane.kit.time import utcnow


class Invite(IdMixin, Base):
    """An invitation of a person (a user row, PENDING until they sign in) to an organization."""

    __tablename__ = "invites"
    # (organization, expiry): the next invitation to lapse, which changes the organization's users
    __table_args__ = (sa.Index(None, "organization_id", "user_id"), sa.Index(None, "organization_id", "expires_at"))

    organization_id: Mapped[str] = mapped_column(sa.ForeignKey("organizations.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(sa.String(64))
    inviter_type: Mapped[str] = mapped_column(sa.String(16))
    inviter_id: Mapped[str] = mapped_column(sa.String(25))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
