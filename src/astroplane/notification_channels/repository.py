import sqlalchemy as sa
from sqlalchemy.orm import Session

from astroplane.deployments.models import Deployment
from astroplane.kit.pagination import ListParams, paginate
from astroplane.notification_channels.models import NotificationChannel
from astroplane.workspaces.models import Workspace

SORTS = {"name": NotificationChannel.name, "createdAt": NotificationChannel.created_at,
         "updatedAt": NotificationChannel.updated_at}
ORGANIZATION, WORKSPACE, DEPLOYMENT = "ORGANIZATION", "WORKSPACE", "DEPLOYMENT"


def reaches_deployment(workspace_id: str, deployment_id: str) -> sa.ColumnElement:
    """Channels a deployment's alerts may notify: its own, and shared ones of its workspace and organization."""
    channel = NotificationChannel
    return sa.or_(channel.deployment_id == deployment_id,
                  sa.and_(channel.entity_type == WORKSPACE, channel.workspace_id == workspace_id, channel.is_shared),
                  sa.and_(channel.entity_type == ORGANIZATION, channel.is_shared))


class NotificationChannelRepository:
    def __init__(self, session: Session):
        self.session = session

    def get(self, organization_id: str, channel_id: str) -> NotificationChannel | None:
        row = self.session.get(NotificationChannel, channel_id)
        return row if row is not None and row.organization_id == organization_id else None

    def among(self, organization_id: str, channel_ids: list[str]) -> dict[str, NotificationChannel]:
        if not channel_ids:
            return {}
        rows = self.session.scalars(sa.select(NotificationChannel).where(
            NotificationChannel.organization_id == organization_id, NotificationChannel.id.in_(channel_ids)))
        return {row.id: row for row in rows}

    def page(self, organization_id: str, params: ListParams, *, visible: sa.ColumnElement | None,
             filters: list[sa.ColumnElement]) -> tuple[list[NotificationChannel], int]:
        query = sa.select(NotificationChannel).where(NotificationChannel.organization_id == organization_id,
                                                     *filters)
        if visible is not None:
            query = query.where(visible)
        return paginate(self.session, query, params, SORTS, NotificationChannel.id,
                        NotificationChannel.created_at.asc())

    def add(self, row: NotificationChannel) -> NotificationChannel:
        self.session.add(row)
        self.session.flush()
        return row

    def delete(self, row: NotificationChannel) -> None:
        self.session.delete(row)
        self.session.flush()

    def owned_by(self, *, workspace_id: str | None = None, deployment_id: str | None = None
                 ) -> list[NotificationChannel]:
        """A workspace's channels (its deployments' included), or a deployment's."""
        column, value = ((NotificationChannel.workspace_id, workspace_id) if workspace_id
                         else (NotificationChannel.deployment_id, deployment_id))
        return list(self.session.scalars(sa.select(NotificationChannel).where(column == value)))

    def deployment_scopes(self, organization_id: str, deployment_ids: list[str]) -> list[tuple[str, str]]:
        """(deployment id, workspace id) of the organization's deployments among `deployment_ids`."""
        return list(self.session.execute(sa.select(Deployment.id, Deployment.workspace_id).where(
            Deployment.organization_id == organization_id, Deployment.id.in_(deployment_ids))).tuples())

    def entity_names(self, workspace_ids: set[str], deployment_ids: set[str]) -> dict[str, str]:
        names: dict[str, str] = {}
        if workspace_ids:
            names.update(self.session.execute(sa.select(Workspace.id, Workspace.name)
                                              .where(Workspace.id.in_(workspace_ids))).tuples().all())
        if deployment_ids:
            names.update(self.session.execute(sa.select(Deployment.id, Deployment.name)
                                              .where(Deployment.id.in_(deployment_ids))).tuples().all())
        return names
