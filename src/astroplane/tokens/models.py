import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from astroplane.kit.db import Base, UTCDateTime
from astroplane.kit.models import AuthorMixin, IdMixin, TimestampMixin


class ApiToken(IdMixin, TimestampMixin, AuthorMixin, Base):
    """An API token. The token text is never stored: only `secret_version`, the JWT id that the
    current value carries, so rotation and deletion invalidate old values at once."""

    __tablename__ = "api_tokens"
    __table_args__ = (sa.Index(None, "organization_id", "scope", "entity_id"),)

    organization_id: Mapped[str] = mapped_column(sa.ForeignKey("organizations.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(sa.String(256))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    # ORGANIZATION | WORKSPACE | DEPLOYMENT
    scope: Mapped[str] = mapped_column(sa.String(16))
    entity_id: Mapped[str] = mapped_column(sa.String(25))
    # the workspace a WORKSPACE or DEPLOYMENT token lives in, for visibility without joins
    workspace_id: Mapped[str | None] = mapped_column(sa.String(25), index=True)
    # agent tokens (remote-execution agents) share this table but are listed on their own route
    is_agent: Mapped[bool] = mapped_column(default=False)
    kind: Mapped[str] = mapped_column(sa.String(16), default="STANDARD")
    secret_version: Mapped[str] = mapped_column(sa.String(64))
    short_token: Mapped[str] = mapped_column(sa.String(16))
    start_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    end_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    expiry_period_in_days: Mapped[int | None]
    last_rotated_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
