import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from astroplane.kit.db import Base, UTCDateTime
from astroplane.kit.models import IdMixin, RevisionMixin, TimestampMixin


class Cluster(IdMixin, TimestampMixin, RevisionMixin, Base):
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

    # network and provider specifics
    vpc_subnet_range: Mapped[str] = mapped_column(sa.String(64), default="")
    pod_subnet_range: Mapped[str | None] = mapped_column(sa.String(64))
    service_subnet_range: Mapped[str | None] = mapped_column(sa.String(64))
    service_peering_range: Mapped[str | None] = mapped_column(sa.String(64))
    secondary_vpc_cidr: Mapped[str | None] = mapped_column(sa.String(64))
    tenant_id: Mapped[str | None] = mapped_column(sa.String(256))
    provider_account: Mapped[str | None] = mapped_column(sa.String(256))
    db_instance_type: Mapped[str] = mapped_column(sa.String(64), default="")
    is_private_network_egress_enabled: Mapped[bool | None] = mapped_column()
    # [{"key", "value"}]
    k8s_tags: Mapped[list] = mapped_column(sa.JSON, default=list)
    # workspaces allowed to place deployments here; empty means every workspace
    workspace_ids: Mapped[list] = mapped_column(sa.JSON, default=list)

    # disaster recovery
    is_dr_enabled: Mapped[bool] = mapped_column(default=False)
    dr_region: Mapped[str] = mapped_column(sa.String(64), default="")
    dr_vpc_subnet_range: Mapped[str | None] = mapped_column(sa.String(64))
    dr_secondary_vpc_cidr: Mapped[str | None] = mapped_column(sa.String(64))
    dr_pod_subnet_range: Mapped[str | None] = mapped_column(sa.String(64))
    dr_service_subnet_range: Mapped[str | None] = mapped_column(sa.String(64))
    dr_service_peering_range: Mapped[str | None] = mapped_column(sa.String(64))
    enable_replication_time_control: Mapped[bool | None] = mapped_column()
    is_failed_over: Mapped[bool] = mapped_column(default=False)
    # where a running failover is heading (true: to the DR region, false: back)
    failover_target: Mapped[bool | None] = mapped_column()

    # lifecycle: when the running transition completes, and whether a delete is pending
    step_due_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, index=True)
    delete_requested_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # why the last step failed, when a test forced it (astroplane.controls); shown in healthStatus
    status_reason: Mapped[str | None] = mapped_column(sa.Text)


class NodePool(IdMixin, TimestampMixin, Base):
    __tablename__ = "cluster_node_pools"
    __table_args__ = (sa.UniqueConstraint("cluster_id", "name"),)

    cluster_id: Mapped[str] = mapped_column(sa.ForeignKey("clusters.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(63))
    is_default: Mapped[bool] = mapped_column(default=False)
    max_node_count: Mapped[int] = mapped_column()
    node_instance_type: Mapped[str] = mapped_column(sa.String(64))
