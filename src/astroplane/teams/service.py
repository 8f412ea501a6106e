"""Teams: groups of organization users whose roles every member holds while they belong."""

from sqlalchemy.orm import Session

from astroplane.auth.subjects import SubjectProfiles
from astroplane.kit.errors import BadRequest, NotFound
from astroplane.kit.pagination import ListParams
from astroplane.rbac import service as roles
from astroplane.rbac.authorize import AuthContext
from astroplane.rbac.repository import RoleBindingRepository
from astroplane.roles.assign import build_bindings
from astroplane.teams import schemas
from astroplane.teams.models import Team
from astroplane.teams.repository import TeamRepository
from astroplane.users.repository import OrganizationUserRepository

MAX_NAME_LENGTH = 256
MAX_DESCRIPTION_LENGTH = 1000
MAX_MEMBERS_PER_REQUEST = 1000


def _roles(session: Session, team: Team) -> schemas.SubjectRoles:
    return roles.subject_roles(RoleBindingRepository(session).own("TEAM", team.id, team.organization_id))


def _role_fields(session: Session, team: Team) -> dict:
    held = _roles(session, team)
    count = sum(len(x or []) for x in (held.workspaceRoles, held.deploymentRoles, held.dagRoles)) + 1
    return dict(organizationRole=held.organizationRole or "ORGANIZATION_MEMBER", workspaceRoles=held.workspaceRoles,
                deploymentRoles=held.deploymentRoles, dagRoles=held.dagRoles, rolesCount=count)


def to_public(session: Session, team: Team, profiles: SubjectProfiles) -> schemas.Team:
    return schemas.Team(id=team.id, name=team.name, description=team.description or None,
                        organizationId=team.organization_id, isIdpManaged=team.is_idp_managed,
                        createdAt=team.created_at, updatedAt=team.updated_at,
                        createdBy=profiles.created_by(team), updatedBy=profiles.updated_by(team),
                        **_role_fields(session, team))


def membership(session: Session, team: Team) -> schemas.UserTeamMembership:
    return schemas.UserTeamMembership(id=team.id, name=team.name, description=team.description or None,
                                      isIdpManaged=team.is_idp_managed, **_role_fields(session, team))


def _validate_text(name: str, description: str | None) -> str:
    name = name.strip()
    if not name or len(name) > MAX_NAME_LENGTH:
        raise BadRequest(f"name must be 1 to {MAX_NAME_LENGTH} characters", field="name")
    if description is not None and len(description) > MAX_DESCRIPTION_LENGTH:
        raise BadRequest(f"description must be at most {MAX_DESCRIPTION_LENGTH} characters", field="description")
    return name


def _check_members(session: Session, organization_id: str, member_ids: list[str], field: str) -> list[str]:
    if len(member_ids) > MAX_MEMBERS_PER_REQUEST:
        raise BadRequest(f"{field} must hold at most {MAX_MEMBERS_PER_REQUEST} ids", field=field)
    wanted = list(dict.fromkeys(member_ids))
    found = OrganizationUserRepository(session).member_ids(organization_id, wanted)
    for index, user_id in enumerate(member_ids):
        if user_id not in found:
            raise BadRequest(f"{field}[{index}]: no user {str(user_id)[:40]} in this organization",
                             field=f"{field}[{index}]")
    return wanted


def _load(session: Session, auth: AuthContext, team_id: str) -> Team:
    team = TeamRepository(session).get(auth.organization_id, team_id)
    if team is None:
        raise NotFound("Team not found")
    return team


def create_team(session: Session, auth: AuthContext, body: schemas.CreateTeamRequest) -> schemas.Team:
    repository = TeamRepository(session)
    name = _validate_text(body.name, body.description)
    if repository.by_name(auth.organization_id, name) is not None:
        raise BadRequest(f"name: a team named {name} already exists in this organization", field="name")
    members = _check_members(session, auth.organization_id, body.memberIds or [], "memberIds")
    team = Team(organization_id=auth.organization_id, name=name, description=body.description or "")
    team.stamp_author(auth.principal.subject, created=True)
    repository.add(team)
    bindings = build_bindings(session, auth, "TEAM", team.id,
                              organization_role=body.organizationRole or "ORGANIZATION_MEMBER",
                              workspace_roles=None, deployment_roles=None, dag_roles=None)
    RoleBindingRepository(session).replace("TEAM", team.id, auth.organization_id, bindings)
    repository.add_members(team.id, members)
    return to_public(session, team, SubjectProfiles(session))


def get_team(session: Session, auth: AuthContext, team_id: str) -> schemas.Team:
    return to_public(session, _load(session, auth, team_id), SubjectProfiles(session))


def list_teams(session: Session, auth: AuthContext, params: ListParams, **filters) -> schemas.TeamsPaginated:
    rows, total = TeamRepository(session).page(auth.organization_id, params, **filters)
    profiles = SubjectProfiles(session).prefetch(rows)
    return schemas.TeamsPaginated(teams=[to_public(session, row, profiles) for row in rows], limit=params.limit,
                                  offset=params.offset, totalCount=total)


def update_team(session: Session, auth: AuthContext, team_id: str, body: schemas.UpdateTeamRequest) -> schemas.Team:
    repository = TeamRepository(session)
    team = _load(session, auth, team_id)
    name = _validate_text(body.name, body.description)
    other = repository.by_name(auth.organization_id, name)
    if other is not None and other.id != team.id:
        raise BadRequest(f"name: a team named {name} already exists in this organization", field="name")
    team.name = name
    if body.description is not None:
        team.description = body.description
    team.stamp_author(auth.principal.subject)
    session.flush()
    return to_public(session, team, SubjectProfiles(session))


def delete_team(session: Session, auth: AuthContext, team_id: str) -> None:
    TeamRepository(session).delete(_load(session, auth, team_id))


def list_members(session: Session, auth: AuthContext, team_id: str, params: ListParams) -> schemas.TeamMembersPaginated:
    team = _load(session, auth, team_id)
    rows, total = TeamRepository(session).members_page(team.id, params)
    return schemas.TeamMembersPaginated(
        teamMembers=[schemas.TeamMember(userId=user.id, username=user.username, fullName=user.full_name or None,
                                        avatarUrl=user.avatar_url or None, createdAt=member.created_at)
                     for user, member in rows],
        limit=params.limit, offset=params.offset, totalCount=total)


def add_members(session: Session, auth: AuthContext, team_id: str, body: schemas.AddTeamMembersRequest) -> None:
    team = _load(session, auth, team_id)
    if not body.memberIds:
        raise BadRequest("memberIds must hold at least one user id", field="memberIds")
    members = _check_members(session, auth.organization_id, body.memberIds, "memberIds")
    TeamRepository(session).add_members(team.id, members)
    team.stamp_author(auth.principal.subject)
    session.flush()


def remove_member(session: Session, auth: AuthContext, team_id: str, member_id: str) -> None:
    team = _load(session, auth, team_id)
    if not TeamRepository(session).remove_member(team.id, member_id):
        raise NotFound("The user is not a member of this team")
    team.stamp_author(auth.principal.subject)
    session.flush()


def update_roles(session: Session, auth: AuthContext, team_id: str,
                 body: schemas.UpdateTeamRolesRequest) -> schemas.SubjectRoles:
    team = _load(session, auth, team_id)
    bindings = build_bindings(session, auth, "TEAM", team.id, organization_role=body.organizationRole,
                              workspace_roles=body.workspaceRoles, deployment_roles=body.deploymentRoles,
                              dag_roles=body.dagRoles)
    RoleBindingRepository(session).replace("TEAM", team.id, auth.organization_id, bindings)
    team.stamp_author(auth.principal.subject)
    session.flush()
    return _roles(session, team)


def list_user_teams(session: Session, auth: AuthContext, user_id: str, params: ListParams) -> schemas.UserTeamsPaginated:
    if OrganizationUserRepository(session).get(auth.organization_id, user_id) is None:
        raise NotFound("User not found")
    rows, total = TeamRepository(session).page_for_user(auth.organization_id, user_id, params)
    return schemas.UserTeamsPaginated(teams=[membership(session, row) for row in rows], limit=params.limit,
                                      offset=params.offset, totalCount=total)
