from typing import Annotated

from fastapi import Query, Request

from astroplane.kit.db import SessionDep
from astroplane.kit.hot import pages_follow
from astroplane.kit.pagination import list_params
from astroplane.kit.router import AstroRouter
from astroplane.rbac.authorize import AuthenticatedDep, organization_admits, permission
from astroplane.teams import schemas as team_schemas
from astroplane.teams import service as teams_service
from astroplane.users import directory, schemas, service

router = AstroRouter(tags=["self"])
PATH = "/organizations/{organizationId}/users"
UserListParams = list_params("id", "username", "fullName", "createdAt", "updatedAt")
TeamListParams = list_params("name", "description", "createdAt", "updatedAt")
CanRead = permission("organization.users.get")


@router.get("/users/self", operation_id="GetSelfUser", response_model=schemas.SelfUser)
async def get_self_user(request: Request, session: SessionDep, principal: AuthenticatedDep,
                        createIfNotExist: Annotated[bool | None, Query()] = None):
    return service.get_self(session, principal, lambda org: organization_admits(request, session, principal, org))


@router.get(PATH, operation_id="ListUsers", response_model=schemas.UsersPaginated, tags=["users"])
@pages_follow("invites")  # users and their role bindings are authz rows
async def list_users(session: SessionDep, auth: CanRead, params: UserListParams,
                     workspaceId: Annotated[str | None, Query()] = None,
                     deploymentId: Annotated[str | None, Query()] = None,
                     dagId: Annotated[str | None, Query()] = None,
                     dagTags: Annotated[list[str] | None, Query()] = None):
    return directory.list_users(session, auth, params, workspace_id=workspaceId, deployment_id=deploymentId,
                                dag_id=dagId, dag_tags=dagTags)


@router.get(PATH + "/{userId}", operation_id="GetUser", response_model=schemas.User, tags=["users"])
async def get_user(session: SessionDep, auth: CanRead, userId: str):
    return directory.get_user(session, auth, userId)


@router.post(PATH + "/{userId}/roles", operation_id="UpdateUserRoles", response_model=schemas.SubjectRoles,
             tags=["users"])
async def update_user_roles(session: SessionDep, auth: permission("organization.users.update"), userId: str,
                            body: schemas.UpdateUserRolesRequest):
    return directory.update_roles(session, auth, userId, body)


@router.get(PATH + "/{userId}/teams", operation_id="ListUserTeams", response_model=team_schemas.UserTeamsPaginated,
            tags=["users"])
async def list_user_teams(session: SessionDep, auth: CanRead, userId: str, params: TeamListParams):
    return teams_service.list_user_teams(session, auth, userId, params)
