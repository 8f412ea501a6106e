import sqlalchemy as sa
from sqlalchemy.orm import Session

from astroplane.kit.pagination import ListParams, paginate
from astroplane.workspaces.models import Workspace

SORTS = {"name": Workspace.name, "createdAt": Workspace.created_at, "updatedAt": Workspace.updated_at}


class WorkspaceRepository:
    def __init__(self, session: Session):
        self.session = session

    def get(self, organization_id: str, workspace_id: str) -> Workspace | None:
        workspace = self.session.get(Workspace, workspace_id)
        if workspace is None or workspace.organization_id != organization_id:
            return None
        return workspace

    def names(self, organization_id: str, workspace_ids: set[str]) -> dict[str, str]:
        if not workspace_ids:
            return {}
        rows = self.session.execute(sa.select(Workspace.id, Workspace.name).where(
            Workspace.organization_id == organization_id, Workspace.id.in_(workspace_ids)))
        return {row.id: row.name for row in rows}

    def page(self, organization_id: str, params: ListParams, *, visible: set[str] | None,
             ids: list[str] | None, names: list[str] | None) -> tuple[list[Workspace], int]:
        query = sa.select(Workspace).where(Workspace.organization_id == organization_id)
        if visible is not None:
            query = query.where(Workspace.id.in_(visible))
        if ids:
            query = query.where(Workspace.id.in_(ids))
        if names:
            query = query.where(Workspace.name.in_(names))
        return paginate(self.session, query, params, SORTS, Workspace.id, Workspace.created_at.asc())

    def add(self, workspace: Workspace) -> Workspace:
        self.session.add(workspace)
        self.session.flush()
        return workspace

    def delete(self, workspace: Workspace) -> None:
        self.session.delete(workspace)
        self.session.flush()
