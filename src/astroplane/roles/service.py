"""Custom roles: named permission sets at DEPLOYMENT or DAG scope, bound like built-in roles."""

from sqlalchemy.orm import Session

from astroplane.auth.subjects import SubjectProfiles
from astroplane.kit.errors import BadRequest, NotFound
from astroplane.kit.pagination import ListParams
from astroplane.rbac import service as roles
from astroplane.rbac.authorize import AuthContext
from astroplane.rbac.permissions import ROLE_PERMISSIONS, ScopeType
from astroplane.roles import catalog, schemas
from astroplane.roles.models import CustomRole
from astroplane.roles.repository import CustomRoleRepository

MAX_NAME_LENGTH = 64
MAX_DESCRIPTION_LENGTH = 1000


def _public_scope(row: CustomRole) -> str:
    return row.scope_type


def to_public(row: CustomRole, profiles: SubjectProfiles) -> schemas.RoleWithPermission:
    return schemas.RoleWithPermission(
        id=row.id, name=row.name, description=row.description or None, permissions=sorted(row.permissions),
        restrictedWorkspaceIds=list(row.restricted_workspace_ids or []), scopeType=_public_scope(row),
        createdAt=row.created_at, updatedAt=row.updated_at,
        createdBy=profiles.created_by(row), updatedBy=profiles.updated_by(row))


def _summary(row: CustomRole, profiles: SubjectProfiles) -> schemas.Role:
    return schemas.Role(
        id=row.id, name=row.name, description=row.description or None,
        restrictedWorkspaceIds=list(row.restricted_workspace_ids or []), scopeType=_public_scope(row),
        createdAt=row.created_at, updatedAt=row.updated_at,
        createdBy=profiles.created_by(row), updatedBy=profiles.updated_by(row))


def _validate(session: Session, auth: AuthContext, scope: ScopeType, name: str, description: str | None,
              permissions: list[str], restricted: list[str] | None, current: CustomRole | None = None) -> tuple:
    name = name.strip()
    if not name or len(name) > MAX_NAME_LENGTH:
        raise BadRequest(f"name must be 1 to {MAX_NAME_LENGTH} characters", field="name")
    if name in ROLE_PERMISSIONS:
        raise BadRequest(f"name: {name} is a built-in role", field="name")
    if description is not None and len(description) > MAX_DESCRIPTION_LENGTH:
        raise BadRequest(f"description must be at most {MAX_DESCRIPTION_LENGTH} characters", field="description")
    if not permissions:
        raise BadRequest("permissions must hold at least one permission", field="permissions")
    allowed = catalog.CUSTOM_ROLE_PERMISSIONS[scope]
    for index, permission in enumerate(permissions):
        if permission not in allowed:
            raise BadRequest(f"permissions[{index}]: {str(permission)[:100]!r} is not a {scope.value} permission "
                             "(see ListPermissionGroups)", field=f"permissions[{index}]")
    workspace_ids = []
    for index, workspace_id in enumerate(restricted or []):
        roles.resolve_entity(session, auth.organization_id, ScopeType.WORKSPACE, workspace_id,
                             f"restrictedWorkspaceIds[{index}]")
        if workspace_id not in workspace_ids:
            workspace_ids.append(workspace_id)
    existing = CustomRoleRepository(session).by_name(auth.organization_id, name)
    if existing is not None and existing is not current:
        raise BadRequest(f"name: a role named {name} already exists in this organization", field="name")
    return name, sorted(set(permissions)), workspace_ids


def create_role(session: Session, auth: AuthContext, body: schemas.CreateCustomRoleRequest) -> schemas.RoleWithPermission:
    scope = ScopeType(body.scopeType)
    name, permissions, workspace_ids = _validate(session, auth, scope, body.name, body.description,
                                                 body.permissions, body.restrictedWorkspaceIds)
    row = CustomRole(organization_id=auth.organization_id, name=name, description=body.description or "",
                     scope_type=scope.value, permissions=permissions, restricted_workspace_ids=workspace_ids)
    row.stamp_author(auth.principal.subject, created=True)
    CustomRoleRepository(session).add(row)
    return to_public(row, SubjectProfiles(session))


def _load(session: Session, auth: AuthContext, role_id: str) -> CustomRole:
    row = CustomRoleRepository(session).get(auth.organization_id, role_id)
    if row is None:
        raise NotFound("Custom role not found")
    return row


def get_role(session: Session, auth: AuthContext, role_id: str) -> schemas.RoleWithPermission:
    return to_public(_load(session, auth, role_id), SubjectProfiles(session))


def update_role(session: Session, auth: AuthContext, role_id: str,
                body: schemas.UpdateCustomRoleRequest) -> schemas.RoleWithPermission:
    repository = CustomRoleRepository(session)
    row = _load(session, auth, role_id)
    name, permissions, workspace_ids = _validate(session, auth, ScopeType(row.scope_type), body.name,
                                                 body.description, body.permissions, body.restrictedWorkspaceIds,
                                                 current=row)
    if name != row.name:  # bindings name the role: they follow the rename
        repository.rename_bindings(auth.organization_id, row.name, name)
    row.name, row.permissions = name, permissions
    if body.description is not None:
        row.description = body.description
    if body.restrictedWorkspaceIds is not None:
        row.restricted_workspace_ids = workspace_ids
    row.stamp_author(auth.principal.subject)
    session.flush()
    return to_public(row, SubjectProfiles(session))


def delete_role(session: Session, auth: AuthContext, role_id: str) -> None:
    repository = CustomRoleRepository(session)
    row = _load(session, auth, role_id)
    in_use = repository.bindings_using(auth.organization_id, row.name)
    if in_use:
        raise BadRequest(f"The role {row.name} is held by {in_use} user, team or token role assignment(s); "
                       "replace those roles first, then delete it")
    repository.delete(row)


def list_roles(session: Session, auth: AuthContext, params: ListParams, include_default: bool,
               scope_types: list[str] | None) -> schemas.RolesPaginated:
    rows, total = CustomRoleRepository(session).page(auth.organization_id, params, scope_types)
    profiles = SubjectProfiles(session).prefetch(rows)
    return schemas.RolesPaginated(
        roles=[_summary(row, profiles) for row in rows], limit=params.limit, offset=params.offset, totalCount=total,
        defaultRoles=catalog.default_roles(scope_types) if include_default else None)
