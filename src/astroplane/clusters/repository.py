import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Session

from astroplane.clusters.models import Cluster, NodePool
from astroplane.deployments.models import Deployment
from astroplane.kit.pagination import ListParams, paginate

SORTS = {"name": Cluster.name, "createdAt": Cluster.created_at, "updatedAt": Cluster.updated_at}


class ClusterRepository:
    def __init__(self, session: Session):
        self.session = session

    def get(self, organization_id: str, cluster_id: str) -> Cluster | None:
        cluster = self.session.get(Cluster, cluster_id)
        if cluster is None or cluster.organization_id != organization_id:
            return None
        return cluster

    def by_ids(self, organization_id: str, cluster_ids: list[str]) -> list[Cluster]:
        if not cluster_ids:
            return []
        return list(self.session.scalars(sa.select(Cluster).where(Cluster.organization_id == organization_id,
                                                                  Cluster.id.in_(cluster_ids))))

    def lock(self, cluster: Cluster) -> Cluster:
        """Re-read the row under a row lock, so a change never races the reconciler's claim."""
        self.session.refresh(cluster, with_for_update=True)
        return cluster

    def by_name(self, organization_id: str, name: str) -> Cluster | None:
        return self.session.scalars(sa.select(Cluster).where(Cluster.organization_id == organization_id,
                                                             Cluster.name == name)).first()

    def non_shared(self, organization_id: str, limit: int = 2) -> list[Cluster]:
        return list(self.session.scalars(
            sa.select(Cluster).where(Cluster.organization_id == organization_id, Cluster.type != "SHARED",
                                     Cluster.delete_requested_at.is_(None)).order_by(Cluster.id).limit(limit)))

    def page(self, organization_id: str, params: ListParams, *, names: list[str] | None,
             provider: str | None) -> tuple[list[Cluster], int]:
        query = sa.select(Cluster).where(Cluster.organization_id == organization_id, Cluster.type != "SHARED")
        if names:
            query = query.where(Cluster.name.in_(names))
        if provider:
            query = query.where(Cluster.cloud_provider == provider)
        return paginate(self.session, query, params, SORTS, Cluster.id, Cluster.created_at.asc())

    def add(self, cluster: Cluster) -> Cluster:
        self.session.add(cluster)
        self.session.flush()
        return cluster

    def node_pools(self, cluster_ids: list[str]) -> dict[str, list[NodePool]]:
        found: dict[str, list[NodePool]] = {cluster_id: [] for cluster_id in cluster_ids}
        if cluster_ids:
            query = sa.select(NodePool).where(NodePool.cluster_id.in_(cluster_ids)).order_by(
                NodePool.created_at, NodePool.id)
            for pool in self.session.scalars(query):
                found[pool.cluster_id].append(pool)
        return found

    def add_node_pool(self, pool: NodePool) -> None:
        self.session.add(pool)

    def delete_node_pool(self, pool: NodePool) -> None:
        self.session.delete(pool)

    def deployment_count(self, cluster_id: str) -> int:
        return self.session.scalar(sa.select(sa.func.count()).select_from(Deployment)
                                   .where(Deployment.cluster_id == cluster_id)) or 0

    def claim_due(self, now: dt.datetime, statuses: frozenset[str], limit: int = 50) -> list[Cluster]:
        """Clusters whose running step is due, locked for this transaction; rows another replica
        holds are skipped (FOR UPDATE SKIP LOCKED on PostgreSQL; SQLite has one writer)."""
        query = (sa.select(Cluster).where(Cluster.status.in_(statuses),
                                          sa.or_(Cluster.step_due_at.is_(None), Cluster.step_due_at <= now))
                 .order_by(Cluster.id).limit(limit).with_for_update(skip_locked=True))
        return list(self.session.scalars(query))

    def next_due_after(self, moment: dt.datetime) -> dt.datetime | None:
        return self.session.scalar(sa.select(sa.func.min(Cluster.step_due_at)).where(Cluster.step_due_at > moment))

    def delete(self, cluster: Cluster) -> None:
        self.session.execute(sa.delete(NodePool).where(NodePool.cluster_id == cluster.id))
        self.session.delete(cluster)
        self.session.flush()
