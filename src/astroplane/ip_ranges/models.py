import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from astroplane.kit.db import Base
from astroplane.kit.models import AuthorMixin, IdMixin, TimestampMixin


class AllowedIpRange(IdMixin, TimestampMixin, AuthorMixin, Base):
    """One CIDR of an organization's IP allow-list, stored canonical (host bits cleared)."""

    __tablename__ = "allowed_ip_ranges"
    __table_args__ = (sa.UniqueConstraint("organization_id", "ip_address_range"),)

    organization_id: Mapped[str] = mapped_column(sa.ForeignKey("organizations.id", ondelete="CASCADE"))
    ip_address_range: Mapped[str] = mapped_column(sa.String(64))
