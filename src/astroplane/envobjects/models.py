import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from astroplane.kit.crypto import EncryptedText
from astroplane.kit.db import Base, UTCDateTime
from astroplane.kit.models import AuthorMixin, IdMixin, TimestampMixin
from astroplane.kit.time import utcnow


class EnvironmentObject(IdMixin, TimestampMixin, AuthorMixin, Base):
    """A connection, variable or metrics export defined at a workspace or a deployment.

    The typed block (host, password, value, headers, ...) is stored as one encrypted JSON document:
    secret and non-secret fields alike never reach the database in plaintext.
    """

    __tablename__ = "environment_objects"
    # at most one object per (scope, entity, type, key): a race between two creates is a 409
    __table_args__ = (sa.UniqueConstraint("scope", "scope_entity_id", "object_type", "object_key",
                                          name="uq_environment_objects_scope_key"),)

    organization_id: Mapped[str] = mapped_column(sa.ForeignKey("organizations.id", ondelete="CASCADE"),
                                                 index=True)
    # the workspace the object lives in (for DEPLOYMENT scope: the deployment's workspace)
    workspace_id: Mapped[str] = mapped_column(sa.ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    deployment_id: Mapped[str | None] = mapped_column(sa.ForeignKey("deployments.id", ondelete="CASCADE"),
                                                      index=True)
    scope: Mapped[str] = mapped_column(sa.String(16))
    scope_entity_id: Mapped[str] = mapped_column(sa.String(25))
    object_type: Mapped[str] = mapped_column(sa.String(32))
    object_key: Mapped[str] = mapped_column(sa.String(256))
    description: Mapped[str | None] = mapped_column(sa.Text)
    is_secret: Mapped[bool] = mapped_column(default=False)
    auto_link_deployments: Mapped[bool] = mapped_column(default=False)
    payload: Mapped[str] = mapped_column(EncryptedText)


class EnvironmentObjectLink(Base):
    """A workspace object's explicit link to a deployment (with overrides) or its exclusion.

    One row per (object, deployment), so a deployment is never both linked and excluded.
    """

    __tablename__ = "environment_object_links"

    object_id: Mapped[str] = mapped_column(sa.ForeignKey("environment_objects.id", ondelete="CASCADE"),
                                           primary_key=True)
    deployment_id: Mapped[str] = mapped_column(sa.ForeignKey("deployments.id", ondelete="CASCADE"),
                                               primary_key=True, index=True)
    # LINK | EXCLUDE
    kind: Mapped[str] = mapped_column(sa.String(8))
    overrides: Mapped[str | None] = mapped_column(EncryptedText)
    created_at: Mapped[object] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
