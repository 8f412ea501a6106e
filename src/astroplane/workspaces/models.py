import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from astroplane.kit.db import Base
from astroplane.kit.models import AuthorMixin, IdMixin, TimestampMixin


class Workspace(IdMixin, TimestampMixin, AuthorMixin, Base):
    __tablename__ = "workspaces"
    __table_args__ = (sa.Index(None, "organization_id", "name"),)

    organization_id: Mapped[str] = mapped_column(sa.ForeignKey("organizations.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(sa.String(256))
    description: Mapped[str | None] = mapped_column(sa.Text)
    cicd_enforced_default: Mapped[bool] = mapped_column(default=False)
    default_cluster_id: Mapped[str | None] = mapped_column(sa.String(25))
    default_cloud_provider: Mapped[str | None] = mapped_column(sa.String(8))
    default_region: Mapped[str | None] = mapped_column(sa.String(64))
