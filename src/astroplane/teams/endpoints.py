from typing import Annotated

from fastapi import Query, Response

from astroplane.kit.db import SessionDep
from astroplane.kit.pagination import list_params
from astroplane.kit.router import AstroRouter
from astroplane.kit.hot import pages_follow_epoch
from astroplane.rbac.authorize import permission
from astroplane.teams import schemas, service

router = AstroRouter(tags=["teams"])
PATH = "/organizations/{organizationId}/teams"
TeamListParams = list_params("name", "description", "createdAt", "updatedAt")
MemberListParams = list_params("userId", "username", "fullName", "createdAt")
CanRead = permission("organization.teams.get")
CanUpdate = permission("organization.teams.update")


@router.get(PATH, operation_id="ListTeams", response_model=schemas.TeamsPaginated)
@pages_follow_epoch
async def list_teams(session: SessionDep, auth: CanRead, params: TeamListParams,
                     names: Annotated[list[str] | None, Query()] = None,
                     workspaceId: Annotated[str | None, Query()] = None,
                     deploymentId: Annotated[str | None, Query()] = None):
    return service.list_teams(session, auth, params, names=names, workspace_id=workspaceId,
                              deployment_id=deploymentId)


@router.post(PATH, operation_id="CreateTeam", response_model=schemas.Team)
async def create_team(session: SessionDep, auth: permission("organization.teams.create"),
                      body: schemas.CreateTeamRequest):
    return service.create_team(session, auth, body)


@router.get(PATH + "/{teamId}", operation_id="GetTeam", response_model=schemas.Team)
async def get_team(session: SessionDep, auth: CanRead, teamId: str):
    return service.get_team(session, auth, teamId)


@router.post(PATH + "/{teamId}", operation_id="UpdateTeam", response_model=schemas.Team)
async def update_team(session: SessionDep, auth: CanUpdate, teamId: str, body: schemas.UpdateTeamRequest):
    return service.update_team(session, auth, teamId, body)


@router.delete(PATH + "/{teamId}", operation_id="DeleteTeam", status_code=204, response_class=Response)
async def delete_team(session: SessionDep, auth: permission("organization.teams.delete"), teamId: str) -> None:
    service.delete_team(session, auth, teamId)


@router.get(PATH + "/{teamId}/members", operation_id="ListTeamMembers", response_model=schemas.TeamMembersPaginated)
@pages_follow_epoch  # team members and users: authz rows
async def list_team_members(session: SessionDep, auth: CanRead, teamId: str, params: MemberListParams):
    return service.list_members(session, auth, teamId, params)


@router.post(PATH + "/{teamId}/members", operation_id="AddTeamMembers", status_code=204, response_class=Response)
async def add_team_members(session: SessionDep, auth: CanUpdate, teamId: str,
                           body: schemas.AddTeamMembersRequest) -> None:
    service.add_members(session, auth, teamId, body)


@router.delete(PATH + "/{teamId}/members/{memberId}", operation_id="RemoveTeamMember", status_code=204,
               response_class=Response)
async def remove_team_member(session: SessionDep, auth: CanUpdate, teamId: str, memberId: str) -> None:
    service.remove_member(session, auth, teamId, memberId)


@router.post(PATH + "/{teamId}/roles", operation_id="UpdateTeamRoles", response_model=schemas.SubjectRoles)
async def update_team_roles(session: SessionDep, auth: CanUpdate, teamId: str, body: schemas.UpdateTeamRolesRequest):
    return service.update_roles(session, auth, teamId, body)
