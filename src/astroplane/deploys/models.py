import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from astroplane.kit.db import Base, UTCDateTime
from astroplane.kit.models import AuthorMixin, IdMixin, TimestampMixin
from astroplane.kit.time import utcnow


class Deploy(IdMixin, TimestampMixin, AuthorMixin, Base):
    """One code deploy to a deployment. After finalize the row is a complete snapshot of what the
    deployment ran (image tag, DAG bundle version, DAG-deploy setting), which is what a rollback
    restores."""

    __tablename__ = "deploys"
    __table_args__ = (sa.Index(None, "deployment_id", "created_at"),)

    organization_id: Mapped[str] = mapped_column(sa.ForeignKey("organizations.id", ondelete="CASCADE"))
    deployment_id: Mapped[str] = mapped_column(sa.ForeignKey("deployments.id", ondelete="CASCADE"))
    # IMAGE_AND_DAG | IMAGE_ONLY | DAG_ONLY | BUNDLE (the request's type; BUNDLE shows as DAG_ONLY)
    type: Mapped[str] = mapped_column(sa.String(16))
    # INITIALIZED | DEPLOYED | FAILED
    status: Mapped[str] = mapped_column(sa.String(16))
    description: Mapped[str | None] = mapped_column(sa.Text)
    image_repository: Mapped[str] = mapped_column(sa.String(256))
    image_tag: Mapped[str] = mapped_column(sa.String(128))
    runtime_version: Mapped[str | None] = mapped_column(sa.String(32))
    is_dag_deploy_enabled: Mapped[bool]
    dag_tarball_version: Mapped[str | None] = mapped_column(sa.String(40))
    bundle_type: Mapped[str | None] = mapped_column(sa.String(64))
    bundle_mount_path: Mapped[str | None] = mapped_column(sa.String(256))
    bundle_version: Mapped[str | None] = mapped_column(sa.String(40))
    rollback_from_id: Mapped[str | None] = mapped_column(sa.String(25))
    git: Mapped[dict | None] = mapped_column(sa.JSON)
    finalized_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class DeployUpload(Base):
    """An archive PUT to a deploy's upload URL. `version_id` is what the client reads from the
    `x-ms-version-id` header and passes to finalize; `digest` names the blob (content-addressed)."""

    __tablename__ = "deploy_uploads"
    __table_args__ = (sa.Index(None, "deploy_id"), sa.Index(None, "digest"))

    version_id: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    organization_id: Mapped[str] = mapped_column(sa.ForeignKey("organizations.id", ondelete="CASCADE"))
    deployment_id: Mapped[str] = mapped_column(sa.ForeignKey("deployments.id", ondelete="CASCADE"), index=True)
    deploy_id: Mapped[str] = mapped_column(sa.ForeignKey("deploys.id", ondelete="CASCADE"))
    # DAGS | BUNDLE
    kind: Mapped[str] = mapped_column(sa.String(8))
    digest: Mapped[str] = mapped_column(sa.String(64))
    size: Mapped[int] = mapped_column(sa.BigInteger)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
