import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from astroplane.kit.crypto import EncryptedText
from astroplane.kit.db import Base, UTCDateTime
from astroplane.kit.models import AuthorMixin, IdMixin, RevisionMixin, TimestampMixin


class Deployment(IdMixin, TimestampMixin, RevisionMixin, AuthorMixin, Base):
    """A deployment. Core columns other resources rely on; the deployments resource adds its own.

    Image and DAG columns are written by the deploy flow (finalize and rollback) and read by the
    deployments resource; `status` is advanced by the lifecycle reconciler.
    """

    __tablename__ = "deployments"
    # the default list order, so a page never sorts the organization's whole table
    __table_args__ = (sa.Index(None, "organization_id", "workspace_id", "name"),
                      sa.Index(None, "organization_id", "created_at", "id"))

    organization_id: Mapped[str] = mapped_column(sa.ForeignKey("organizations.id", ondelete="CASCADE"))
    workspace_id: Mapped[str] = mapped_column(sa.ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    cluster_id: Mapped[str | None] = mapped_column(sa.ForeignKey("clusters.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(256))
    description: Mapped[str | None] = mapped_column(sa.Text)
    # STANDARD | DEDICATED | HYBRID
    type: Mapped[str] = mapped_column(sa.String(16))
    status: Mapped[str] = mapped_column(sa.String(24), index=True)  # the reconciler claims by status
    executor: Mapped[str] = mapped_column(sa.String(16), default="CELERY")
    runtime_version: Mapped[str] = mapped_column(sa.String(32))
    image_repository: Mapped[str] = mapped_column(sa.String(256))
    image_tag: Mapped[str] = mapped_column(sa.String(128))
    is_dag_deploy_enabled: Mapped[bool] = mapped_column(default=True)
    is_cicd_enforced: Mapped[bool] = mapped_column(default=False)
    dag_tarball_version: Mapped[str | None] = mapped_column(sa.String(128))
    desired_dag_tarball_version: Mapped[str | None] = mapped_column(sa.String(128))

    # placement (STANDARD deployments name a provider and region; the others a cluster)
    cloud_provider: Mapped[str | None] = mapped_column(sa.String(8))
    region: Mapped[str | None] = mapped_column(sa.String(64))
    namespace: Mapped[str | None] = mapped_column(sa.String(64))
    status_reason: Mapped[str | None] = mapped_column(sa.String(256))
    contact_emails: Mapped[list | None] = mapped_column(sa.JSON)
    workload_identity: Mapped[str | None] = mapped_column(sa.String(512))
    dr_workload_identity: Mapped[str | None] = mapped_column(sa.String(512))
    # resources: hosted types use scheduler_size and the quotas, HYBRID the scheduler AU/replicas
    scheduler_size: Mapped[str | None] = mapped_column(sa.String(16))
    scheduler_au: Mapped[int | None] = mapped_column()
    scheduler_replicas: Mapped[int | None] = mapped_column()
    is_high_availability: Mapped[bool | None] = mapped_column()
    is_development_mode: Mapped[bool | None] = mapped_column(index=True)
    resource_quota_cpu: Mapped[str | None] = mapped_column(sa.String(32))
    resource_quota_memory: Mapped[str | None] = mapped_column(sa.String(32))
    default_task_pod_cpu: Mapped[str | None] = mapped_column(sa.String(32))
    default_task_pod_memory: Mapped[str | None] = mapped_column(sa.String(32))
    task_pod_node_pool_id: Mapped[str | None] = mapped_column(sa.String(25))
    # {"enabled", "allowedIpAddressRanges", "taskLogBucket", "taskLogUrlPattern"} when enabled
    remote_execution: Mapped[dict | None] = mapped_column(sa.JSON)
    # hibernation: [{"hibernateAtCron", "wakeAtCron", "isEnabled", "description"}] and an override
    hibernation_schedules: Mapped[list | None] = mapped_column(sa.JSON)
    hibernation_override: Mapped[bool | None] = mapped_column()
    hibernation_override_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    # lifecycle: when the running transition completes
    step_due_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, index=True)


class WorkerQueue(IdMixin, TimestampMixin, Base):
    __tablename__ = "deployment_worker_queues"
    __table_args__ = (sa.UniqueConstraint("deployment_id", "name"),)

    deployment_id: Mapped[str] = mapped_column(sa.ForeignKey("deployments.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(63))
    is_default: Mapped[bool] = mapped_column(default=False)
    min_worker_count: Mapped[int] = mapped_column()
    max_worker_count: Mapped[int] = mapped_column()
    worker_concurrency: Mapped[int] = mapped_column()
    astro_machine: Mapped[str | None] = mapped_column(sa.String(8))
    node_pool_id: Mapped[str | None] = mapped_column(sa.String(25))
    pod_ephemeral_storage: Mapped[str | None] = mapped_column(sa.String(32))
    position: Mapped[int] = mapped_column(default=0)


class EnvironmentVariable(Base):
    """A deployment's environment variable. Every value is stored encrypted; secret values are
    never returned."""

    __tablename__ = "deployment_environment_variables"

    deployment_id: Mapped[str] = mapped_column(sa.ForeignKey("deployments.id", ondelete="CASCADE"),
                                               primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(256), primary_key=True)
    is_secret: Mapped[bool] = mapped_column(default=False)
    value: Mapped[str | None] = mapped_column(EncryptedText)
    position: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class DeploymentCount(Base):
    """How many deployments an organization has, kept in the writing transaction, so the
    unfiltered list's totalCount does not count the whole table on every page."""

    __tablename__ = "deployment_counts"

    organization_id: Mapped[str] = mapped_column(sa.ForeignKey("organizations.id", ondelete="CASCADE"),
                                                 primary_key=True)
    count: Mapped[int] = mapped_column(sa.BigInteger, default=0)


class DeploymentTeardown(Base):
    """A deleted deployment whose runtime the reconciler has yet to take down. DeleteDeployment
    removes the row at once (on Astro a deployment being deleted no longer holds its workspace or
    cluster, and clients do not poll it); what it ran is removed by the next reconciler pass."""

    __tablename__ = "deployment_teardowns"

    deployment_id: Mapped[str] = mapped_column(sa.String(25), primary_key=True)
    requested_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
