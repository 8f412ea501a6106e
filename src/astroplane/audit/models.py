import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from astroplane.kit.db import Base, UTCDateTime
from astroplane.kit.models import IdMixin


class AuditLogEntry(IdMixin, Base):
    """One mutating request on an organization, successful or refused. Bodies are not kept: they
    may carry secrets (environment values, passwords)."""

    __tablename__ = "audit_log"
    __table_args__ = (sa.Index(None, "organization_id", "timestamp"),)

    organization_id: Mapped[str] = mapped_column(sa.ForeignKey("organizations.id", ondelete="CASCADE"))
    timestamp: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    subject_type: Mapped[str] = mapped_column(sa.String(16), default="")
    subject_id: Mapped[str] = mapped_column(sa.String(25), default="")
    method: Mapped[str] = mapped_column(sa.String(10))
    path: Mapped[str] = mapped_column(sa.String(1000))
    status: Mapped[int] = mapped_column(sa.Integer)
    request_id: Mapped[str] = mapped_column(sa.String(64))
    source_ip: Mapped[str] = mapped_column(sa.String(64), default="")
    user_agent: Mapped[str] = mapped_column(sa.String(512), default="")
