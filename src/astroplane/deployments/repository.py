import bisect
import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Session

from astroplane.clusters.models import Cluster
from astroplane.deployments.models import (Deployment, DeploymentCount, DeploymentTeardown, EnvironmentVariable,
                                           WorkerQueue)
from astroplane.kit.db import dialect_insert
from astroplane.kit.pagination import ListParams, paginate
from astroplane.rbac.models import AuthzEpoch
from astroplane.workspaces.models import Workspace

SORTS = {"name": Deployment.name, "createdAt": Deployment.created_at, "updatedAt": Deployment.updated_at}


def _view_versions(*leading: sa.ColumnElement) -> sa.Select:
    """`leading` columns, then what a deployment's public view is versioned by (the row's and its
    cluster's revisions, the workspace's name, development mode: see service.view_version)."""
    return (sa.select(*leading, Deployment.revision, Deployment.is_development_mode,
                      Workspace.name.label("workspace_name"), Cluster.revision.label("cluster_revision"))
            .join(Workspace, Workspace.id == Deployment.workspace_id)
            .outerjoin(Cluster, Cluster.id == Deployment.cluster_id))


# Built once: every deployment-scoped request runs it, and building a select costs more than running it.
_SCOPE_ROW = _view_versions(Deployment.workspace_id).where(
    Deployment.id == sa.bindparam("deployment_id"), Deployment.organization_id == sa.bindparam("organization_id"))

# GetDeployment's hot read (kit.hot), by deployment id: what scope_row reads, with the deployment's
# organization and the authz epoch, from one snapshot.
VIEW_VERSION_BY_ID = (_view_versions(Deployment.id, Deployment.organization_id, Deployment.workspace_id)
                      .add_columns(AuthzEpoch.epoch)
                      .join(AuthzEpoch, AuthzEpoch.id == sa.literal_column("1")))


class DeploymentRepository:
    def __init__(self, session: Session):
        self.session = session

    def workspace_of(self, organization_id: str, deployment_id: str) -> str | None:
        """The deployment's workspace id, or None when the organization has no such deployment."""
        return self.session.execute(
            sa.select(Deployment.workspace_id)
            .where(Deployment.id == deployment_id, Deployment.organization_id == organization_id)
        ).scalar_one_or_none()

    def scope_row(self, organization_id: str, deployment_id: str) -> sa.Row | None:
        """The deployment's workspace and what versions its public view (the row's and its cluster's
        revisions, the workspace's name), in one query; None when the organization has no such one."""
        # Core on the session's connection: the ORM adds nothing to a plain column read
        return self.session.connection().execute(_SCOPE_ROW, {"organization_id": organization_id,
                                                              "deployment_id": deployment_id}).first()

    def get(self, organization_id: str, deployment_id: str) -> Deployment | None:
        deployment = self.session.get(Deployment, deployment_id)
        if deployment is None or deployment.organization_id != organization_id:
            return None
        return deployment

    def lock(self, deployment: Deployment) -> Deployment:
        """Re-read the row under a row lock, so a change never races the reconciler's claim."""
        self.session.refresh(deployment, with_for_update=True)
        return deployment

    def page(self, organization_id: str, params: ListParams, *, visible_workspaces: set[str] | None,
             visible_deployments: set[str] | None, ids: list[str] | None, names: list[str] | None,
             workspace_ids: list[str] | None) -> tuple[list[sa.Row], int]:
        """One page of what versions each deployment's view (see scope_row), not the rows themselves:
        the service renders only those its cache does not hold (`by_ids`)."""
        query = _view_versions(Deployment.id).where(Deployment.organization_id == organization_id)
        if visible_workspaces is not None or visible_deployments is not None:
            query = query.where(sa.or_(Deployment.workspace_id.in_(visible_workspaces or set()),
                                       Deployment.id.in_(visible_deployments or set())))
        if ids:
            query = query.where(Deployment.id.in_(ids))
        if names:
            query = query.where(Deployment.name.in_(names))
        if workspace_ids:
            query = query.where(Deployment.workspace_id.in_(workspace_ids))
        unfiltered = visible_workspaces is None and visible_deployments is None and not (ids or names or workspace_ids)
        total = self.count(organization_id) if unfiltered else None
        return paginate(self.session, query, params, SORTS, Deployment.id, Deployment.created_at.asc(),
                        total=total, as_rows=True)

    def by_ids(self, organization_id: str, deployment_ids: list[str]) -> dict[str, Deployment]:
        if not deployment_ids:
            return {}
        query = sa.select(Deployment).where(Deployment.organization_id == organization_id,
                                            Deployment.id.in_(deployment_ids))
        return {deployment.id: deployment for deployment in self.session.scalars(query)}

    def count(self, organization_id: str) -> int:
        return self.session.scalar(sa.select(DeploymentCount.count)
                                   .where(DeploymentCount.organization_id == organization_id)) or 0

    def adjust_count(self, organization_id: str, delta: int) -> None:
        """Move the organization's counter in this transaction (an upsert: the first deployment
        creates the row, and concurrent writers queue on it instead of racing)."""
        insert = dialect_insert(self.session, DeploymentCount).values(organization_id=organization_id, count=delta)
        self.session.execute(insert.on_conflict_do_update(
            index_elements=[DeploymentCount.organization_id], set_={"count": DeploymentCount.count + delta}))

    def recount(self, organization_id: str) -> None:
        """Set the counter from the table (after rows were written around the repository)."""
        actual = self.session.scalar(sa.select(sa.func.count()).select_from(Deployment)
                                     .where(Deployment.organization_id == organization_id)) or 0
        self.adjust_count(organization_id, actual - self.count(organization_id))

    def count_in_workspace(self, workspace_id: str) -> int:
        return self.session.scalar(sa.select(sa.func.count()).select_from(Deployment)
                                   .where(Deployment.workspace_id == workspace_id)) or 0

    def add(self, deployment: Deployment) -> Deployment:
        self.session.add(deployment)
        self.session.flush()
        return deployment

    def queues(self, deployment_ids: list[str]) -> dict[str, list[WorkerQueue]]:
        found: dict[str, list[WorkerQueue]] = {i: [] for i in deployment_ids}
        if deployment_ids:
            query = sa.select(WorkerQueue).where(WorkerQueue.deployment_id.in_(deployment_ids)).order_by(
                WorkerQueue.position, WorkerQueue.id)
            for queue in self.session.scalars(query):
                found[queue.deployment_id].append(queue)
        return found

    def environment(self, deployment_ids: list[str]) -> dict[str, list[EnvironmentVariable]]:
        found: dict[str, list[EnvironmentVariable]] = {i: [] for i in deployment_ids}
        if deployment_ids:
            query = sa.select(EnvironmentVariable).where(EnvironmentVariable.deployment_id.in_(deployment_ids)
                                                         ).order_by(EnvironmentVariable.position)
            for variable in self.session.scalars(query):
                found[variable.deployment_id].append(variable)
        return found

    def add_row(self, row: Deployment | WorkerQueue | EnvironmentVariable) -> None:
        self.session.add(row)

    def delete_row(self, row: WorkerQueue | EnvironmentVariable) -> None:
        self.session.delete(row)

    def count_all(self) -> int:
        """Every deployment this server hosts, in all organizations, with those whose runtime is yet
        to be torn down (the local runtime's capacity)."""
        return sum(self.session.scalar(sa.select(sa.func.count()).select_from(table)) or 0
                   for table in (Deployment, DeploymentTeardown))

    def claim_due(self, running: frozenset[str], limit: int, after: str | None = None) -> list[Deployment]:
        """Up to `limit` deployments with something to do (a running step, hibernation), taken in
        id order after `after` and wrapping around, so a backlog is worked through pass by pass and
        none waits forever; locked for this transaction, skipping rows another replica holds (SKIP
        LOCKED on PostgreSQL). The due ids come from the status and development-mode indexes (an OR
        of plain comparisons, without the ORDER BY ... LIMIT that would make SQLite walk the
        primary key), whatever the size of the table."""
        due = sorted(self.session.scalars(sa.select(Deployment.id).where(sa.or_(
            Deployment.status.in_(running), Deployment.is_development_mode == sa.true()))))
        start = bisect.bisect_right(due, after) if after else 0
        chosen = (due[start:] + due[:start])[:limit]
        if not chosen:
            return []
        query = (sa.select(Deployment).where(Deployment.id.in_(chosen)).order_by(Deployment.id)
                 .with_for_update(skip_locked=True))
        rows = {row.id: row for row in self.session.scalars(query)}
        return [rows[i] for i in chosen if i in rows]

    def next_due_after(self, moment: dt.datetime) -> dt.datetime | None:
        return self.session.scalar(sa.select(sa.func.min(Deployment.step_due_at))
                                   .where(Deployment.step_due_at > moment))

    def delete(self, deployment: Deployment) -> None:
        self.session.execute(sa.delete(WorkerQueue).where(WorkerQueue.deployment_id == deployment.id))
        self.session.execute(sa.delete(EnvironmentVariable).where(EnvironmentVariable.deployment_id == deployment.id))
        self.session.delete(deployment)
        self.adjust_count(deployment.organization_id, -1)
        self.session.flush()

    def queue_teardown(self, deployment_id: str, requested_at: dt.datetime) -> None:
        self.session.add(DeploymentTeardown(deployment_id=deployment_id, requested_at=requested_at))
        self.session.flush()

    def claim_teardowns(self, limit: int) -> list[DeploymentTeardown]:
        """Queued teardowns, oldest first, locked for this transaction (skipping those another
        replica holds)."""
        return list(self.session.scalars(
            sa.select(DeploymentTeardown).order_by(DeploymentTeardown.requested_at, DeploymentTeardown.deployment_id)
            .limit(limit).with_for_update(skip_locked=True)))

    def teardown_done(self, teardown: DeploymentTeardown) -> None:
        self.session.delete(teardown)
