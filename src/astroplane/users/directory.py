"""The organization's users: list, read, and replace their roles."""

from sqlalchemy.orm import Session

from astroplane.kit import data_versions
from astroplane.kit.errors import BadRequest, NotFound
from astroplane.kit.pagination import ListParams
from astroplane.rbac import service as roles
from astroplane.rbac.authorize import AuthContext
from astroplane.rbac.repository import RoleBindingRepository
from astroplane.roles.assign import build_bindings
from astroplane.users import schemas
from astroplane.users.models import User
from astroplane.users.repository import OrganizationUserRepository


def to_public(session: Session, user: User, organization_id: str, bindings: list | None = None) -> schemas.User:
    """`bindings`: the user's role bindings here when the caller loaded them (a page: one query for all)."""
    if bindings is None:
        bindings = RoleBindingRepository(session).own("USER", user.id, organization_id)
    held = roles.subject_roles(bindings)
    return schemas.User(id=user.id, username=user.username, fullName=user.full_name, avatarUrl=user.avatar_url,
                        status=user.status, createdAt=user.created_at, updatedAt=user.updated_at,
                        organizationRole=held.organizationRole, workspaceRoles=held.workspaceRoles,
                        deploymentRoles=held.deploymentRoles, dagRoles=held.dagRoles)


def _load(session: Session, auth: AuthContext, user_id: str) -> User:
    user = OrganizationUserRepository(session).get(auth.organization_id, user_id)
    if user is None:
        raise NotFound("User not found")
    return user


def get_user(session: Session, auth: AuthContext, user_id: str) -> schemas.User:
    return to_public(session, _load(session, auth, user_id), auth.organization_id)


def list_users(session: Session, auth: AuthContext, params: ListParams, **filters) -> schemas.UsersPaginated:
    users = OrganizationUserRepository(session)
    members, next_expiry = users.totals(auth.organization_id)
    rows, total = users.page(auth.organization_id, params, total=members, **filters)
    # pending users leave the list when their invitation lapses, without a write
    data_versions.holds_until(session, next_expiry)
    bindings = RoleBindingRepository(session).own_by_subject("USER", [row.id for row in rows], auth.organization_id)
    return schemas.UsersPaginated(users=[to_public(session, row, auth.organization_id, bindings[row.id])
                                         for row in rows],
                                  limit=params.limit, offset=params.offset, totalCount=total)


def update_roles(session: Session, auth: AuthContext, user_id: str,
                 body: schemas.UpdateUserRolesRequest) -> schemas.SubjectRoles:
    user = _load(session, auth, user_id)
    repository = RoleBindingRepository(session)
    current = roles.subject_roles(repository.own("USER", user.id, auth.organization_id))
    # the whole set is replaced; an omitted organization role keeps the current one
    organization_role = body.organizationRole or current.organizationRole or "ORGANIZATION_MEMBER"
    bindings = build_bindings(session, auth, "USER", user.id, organization_role=organization_role,
                              workspace_roles=body.workspaceRoles, deployment_roles=body.deploymentRoles,
                              dag_roles=body.dagRoles)
    repository.replace("USER", user.id, auth.organization_id, bindings)
    if OrganizationUserRepository(session).owner_count(auth.organization_id) == 0:
        raise BadRequest("organizationRole: the organization must keep at least one ORGANIZATION_OWNER user",
                         field="organizationRole")
    return roles.subject_roles(repository.own("USER", user.id, auth.organization_id))
