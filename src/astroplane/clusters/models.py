import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from astroplane.kit.db import Base
from astroplane.kit.models import IdMixin, TimestampMixin


class Cluster(IdMixin, TimestampMixin, Base):
    """A cluster hosting deployments. Core columns; the clusters resource adds its own."""

    __tablename__ = "clusters"
    __table_args__ = (sa.UniqueConstraint("organization_id", "name"),)

    organization_id: Mapped[str] = mapped_column(sa.ForeignKey("organizations.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(sa.String(256))
    cloud_provider: Mapped[str] = mapped_column(sa.String(8))
    region: Mapped[str] = mapped_column(sa.String(64))
    # DEDICATED | HYBRID | SHARED (the contract's ClusterType)
    type: Mapped[str] = mapped_column(sa.String(16))
    status: Mapped[str] = mapped_column(sa.String(24))
