import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from astroplane.kit.db import Base
from astroplane.kit.models import AuthorMixin, IdMixin, TimestampMixin


class CustomRole(IdMixin, TimestampMixin, AuthorMixin, Base):
    """An organization's own DEPLOYMENT or DAG role. Bindings name it by `name`, like built-in roles."""

    __tablename__ = "custom_roles"
    __table_args__ = (sa.UniqueConstraint("organization_id", "name"),)

    organization_id: Mapped[str] = mapped_column(sa.ForeignKey("organizations.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(sa.String(64))
    description: Mapped[str] = mapped_column(sa.String(1000), default="")
    scope_type: Mapped[str] = mapped_column(sa.String(16))
    permissions: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    restricted_workspace_ids: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
