from typing import Annotated

from fastapi import Query, Response

from astroplane.kit.db import SessionDep
from astroplane.kit.pagination import list_params
from astroplane.kit.router import AstroRouter
from astroplane.kit.hot import pages_follow
from astroplane.rbac.authorize import permission
from astroplane.rbac.permissions import ScopeType
from astroplane.workspaces import schemas, service

router = AstroRouter(tags=["workspaces"])

WorkspaceListParams = list_params("name", "createdAt", "updatedAt")
OrganizationMember = permission(None)
WorkspaceCreate = permission("organization.workspaces.create")
WorkspaceRead = permission("workspace.get", ScopeType.WORKSPACE)
WorkspaceUpdate = permission("workspace.update", ScopeType.WORKSPACE)
WorkspaceDelete = permission("workspace.delete", ScopeType.WORKSPACE)
PATH = "/organizations/{organizationId}/workspaces"


@router.get(PATH, operation_id="ListWorkspaces", response_model=schemas.WorkspacesPaginated)
@pages_follow("workspaces")
async def list_workspaces(session: SessionDep, auth: OrganizationMember, params: WorkspaceListParams,
                    workspaceIds: Annotated[list[str] | None, Query()] = None,
                    names: Annotated[list[str] | None, Query()] = None):
    return service.list_workspaces(session, auth, params, workspace_ids=workspaceIds, names=names)


@router.post(PATH, operation_id="CreateWorkspace", response_model=schemas.Workspace)
async def create_workspace(session: SessionDep, auth: WorkspaceCreate, body: schemas.CreateWorkspaceRequest):
    return service.create_workspace(session, auth, body)


@router.get(PATH + "/{workspaceId}", operation_id="GetWorkspace", response_model=schemas.Workspace)
async def get_workspace(session: SessionDep, auth: WorkspaceRead):
    return service.get_workspace(session, auth)


@router.post(PATH + "/{workspaceId}", operation_id="UpdateWorkspace", response_model=schemas.Workspace)
async def update_workspace(session: SessionDep, auth: WorkspaceUpdate, body: schemas.UpdateWorkspaceRequest):
    return service.update_workspace(session, auth, body)


@router.delete(PATH + "/{workspaceId}", operation_id="DeleteWorkspace", status_code=204,
               response_class=Response)
async def delete_workspace(session: SessionDep, auth: WorkspaceDelete) -> None:
    service.delete_workspace(session, auth)
