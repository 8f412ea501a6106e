import sqlalchemy as sa
from sqlalchemy.orm import Session

from astroplane.envobjects.models import EnvironmentObject, EnvironmentObjectLink
from astroplane.kit.pagination import ListParams, paginate

SORTS = {"objectKey": EnvironmentObject.object_key, "objectType": EnvironmentObject.object_type,
         "createdAt": EnvironmentObject.created_at, "updatedAt": EnvironmentObject.updated_at}
LINK, EXCLUDE = "LINK", "EXCLUDE"


class EnvironmentObjectRepository:
    def __init__(self, session: Session):
        self.session = session

    def get(self, organization_id: str, object_id: str) -> EnvironmentObject | None:
        row = self.session.get(EnvironmentObject, object_id)
        if row is None or row.organization_id != organization_id:
            return None
        return row

    def key_taken(self, scope: str, entity_id: str, object_type: str, key: str) -> bool:
        return self.session.scalar(sa.select(EnvironmentObject.id).where(
            EnvironmentObject.scope == scope, EnvironmentObject.scope_entity_id == entity_id,
            EnvironmentObject.object_type == object_type, EnvironmentObject.object_key == key).limit(1)) is not None

    @staticmethod
    def _filtered(query: sa.Select, object_type: str | None, object_key: str | None) -> sa.Select:
        if object_type:
            query = query.where(EnvironmentObject.object_type == object_type)
        if object_key is not None:
            query = query.where(EnvironmentObject.object_key == object_key)
        return query

    def page(self, organization_id: str, params: ListParams, *, visible: sa.ColumnElement | None,
             object_type: str | None, object_key: str | None) -> tuple[list[EnvironmentObject], int]:
        query = sa.select(EnvironmentObject).where(EnvironmentObject.organization_id == organization_id)
        if visible is not None:
            query = query.where(visible)
        query = self._filtered(query, object_type, object_key)
        return paginate(self.session, query, params, SORTS, EnvironmentObject.id,
                        EnvironmentObject.created_at.asc())

    def seen_by_deployment(self, workspace_id: str, deployment_id: str, object_type: str | None,
                           object_key: str | None) -> list[EnvironmentObject]:
        """The deployment's own objects and every workspace object that may reach it."""
        query = sa.select(EnvironmentObject).where(
            EnvironmentObject.workspace_id == workspace_id,
            sa.or_(EnvironmentObject.deployment_id == deployment_id, EnvironmentObject.scope == "WORKSPACE"))
        return list(self.session.scalars(self._filtered(query, object_type, object_key)))

    def add(self, row: EnvironmentObject) -> EnvironmentObject:
        self.session.add(row)
        self.session.flush()
        return row

    def delete(self, row: EnvironmentObject) -> None:
        self.session.execute(sa.delete(EnvironmentObjectLink).where(EnvironmentObjectLink.object_id == row.id))
        self.session.delete(row)
        self.session.flush()

    # links and exclusions

    def links_of(self, object_ids: list[str]) -> dict[str, list[EnvironmentObjectLink]]:
        found: dict[str, list[EnvironmentObjectLink]] = {object_id: [] for object_id in object_ids}
        if object_ids:
            query = (sa.select(EnvironmentObjectLink).where(EnvironmentObjectLink.object_id.in_(object_ids))
                     .order_by(EnvironmentObjectLink.created_at, EnvironmentObjectLink.deployment_id))
            for link in self.session.scalars(query):
                found[link.object_id].append(link)
        return found

    def link_for(self, object_id: str, deployment_id: str) -> EnvironmentObjectLink | None:
        return self.session.get(EnvironmentObjectLink, (object_id, deployment_id))

    def add_link(self, link: EnvironmentObjectLink) -> None:
        self.session.add(link)

    def delete_link(self, link: EnvironmentObjectLink) -> None:
        self.session.delete(link)

    # cleanups when a workspace or deployment goes

    def delete_for_deployment(self, deployment_id: str) -> None:
        self.session.execute(sa.delete(EnvironmentObjectLink)
                             .where(EnvironmentObjectLink.deployment_id == deployment_id))
        own = sa.select(EnvironmentObject.id).where(EnvironmentObject.deployment_id == deployment_id)
        self.session.execute(sa.delete(EnvironmentObjectLink).where(EnvironmentObjectLink.object_id.in_(own)))
        self.session.execute(sa.delete(EnvironmentObject).where(EnvironmentObject.deployment_id == deployment_id)
                             .execution_options(synchronize_session=False))

    def delete_for_workspace(self, workspace_id: str) -> None:
        owned = sa.select(EnvironmentObject.id).where(EnvironmentObject.workspace_id == workspace_id)
        self.session.execute(sa.delete(EnvironmentObjectLink).where(EnvironmentObjectLink.object_id.in_(owned)))
        self.session.execute(sa.delete(EnvironmentObject).where(EnvironmentObject.workspace_id == workspace_id)
                             .execution_options(synchronize_session=False))
