import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from astroplane.kit.db import Base
from astroplane.kit.models import AuthorMixin, IdMixin, TimestampMixin


class Deployment(IdMixin, TimestampMixin, AuthorMixin, Base):
    """A deployment. Core columns other resources rely on; the deployments resource adds its own.

    Image and DAG columns are written by the deploy flow (finalize and rollback) and read by the
    deployments resource; `status` is advanced by the lifecycle reconciler.
    """

    __tablename__ = "deployments"
    __table_args__ = (sa.Index(None, "organization_id", "workspace_id", "name"),)

    organization_id: Mapped[str] = mapped_column(sa.ForeignKey("organizations.id", ondelete="CASCADE"))
    workspace_id: Mapped[str] = mapped_column(sa.ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    cluster_id: Mapped[str | None] = mapped_column(sa.ForeignKey("clusters.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(256))
    description: Mapped[str | None] = mapped_column(sa.Text)
    # STANDARD | DEDICATED | HYBRID
    type: Mapped[str] = mapped_column(sa.String(16))
    status: Mapped[str] = mapped_column(sa.String(24))
    executor: Mapped[str] = mapped_column(sa.String(16), default="CELERY")
    runtime_version: Mapped[str] = mapped_column(sa.String(32))
    image_repository: Mapped[str] = mapped_column(sa.String(256))
    image_tag: Mapped[str] = mapped_column(sa.String(128))
    is_dag_deploy_enabled: Mapped[bool] = mapped_column(default=True)
    is_cicd_enforced: Mapped[bool] = mapped_column(default=False)
    dag_tarball_version: Mapped[str | None] = mapped_column(sa.String(128))
    desired_dag_tarball_version: Mapped[str | None] = mapped_column(sa.String(128))
