from collections.abc import Callable

from sqlalchemy.orm import Session

from astroplane.auth.subjects import SubjectProfiles
from astroplane.kit.cache import cached
from astroplane.kit.errors import BadRequest, NotFound
from astroplane.kit.pagination import ListParams
from astroplane.organizations.repository import OrganizationRepository
from astroplane.rbac.authorize import AuthContext
from astroplane.rbac.models import RoleBinding
from astroplane.rbac.permissions import ScopeType
from astroplane.rbac.principal import Target
from astroplane.rbac.repository import RoleBindingRepository
from astroplane.workspaces import models, schemas
from astroplane.workspaces.repository import WorkspaceRepository

MAX_NAME_LENGTH = 50
MAX_DESCRIPTION_LENGTH = 1000

# Resources that live in a workspace register checks here: a check raises BadRequest when the
# workspace cannot go yet (deployments), or validates workspace defaults against their data.
DeleteGuard = Callable[[Session, models.Workspace], None]
DefaultsValidator = Callable[[Session, str, "schemas.CreateWorkspaceRequest | schemas.UpdateWorkspaceRequest"], None]
DELETE_GUARDS: list[DeleteGuard] = []
DEFAULTS_VALIDATORS: list[DefaultsValidator] = []
# Cleanups run in the delete's transaction (workspace tokens, environment objects, ...).
DELETE_CLEANUPS: list[DeleteGuard] = []


def to_public(workspace: models.Workspace, profiles: SubjectProfiles, organization_name: str | None
              ) -> schemas.Workspace:
    return schemas.Workspace(
        id=workspace.id,
        organizationId=workspace.organization_id,
        organizationName=organization_name,
        name=workspace.name,
        description=workspace.description,
        cicdEnforcedDefault=workspace.cicd_enforced_default,
        defaultClusterId=workspace.default_cluster_id,
        defaultCloudProvider=workspace.default_cloud_provider,
        defaultRegion=workspace.default_region,
        createdAt=workspace.created_at,
        updatedAt=workspace.updated_at,
        createdBy=profiles.created_by(workspace),
        updatedBy=profiles.updated_by(workspace),
    )


def _organization_name(session: Session, organization_id: str) -> str | None:
    def load() -> str | None:
        org = OrganizationRepository(session).get(organization_id)
        return org.name if org else None
    return cached(session, "organization-name", organization_id, load)


def _validate(session: Session, organization_id: str,
              body: schemas.CreateWorkspaceRequest | schemas.UpdateWorkspaceRequest) -> None:
    name = body.name.strip()
    if not name or len(name) > MAX_NAME_LENGTH:
        raise BadRequest(f"name must be 1 to {MAX_NAME_LENGTH} characters", field="name")
    if body.description is not None and len(body.description) > MAX_DESCRIPTION_LENGTH:
        raise BadRequest(f"description must be at most {MAX_DESCRIPTION_LENGTH} characters", field="description")
    if body.defaultClusterId and (body.defaultCloudProvider or body.defaultRegion):
        raise BadRequest("defaultClusterId cannot be combined with defaultCloudProvider or defaultRegion",
                         field="defaultClusterId")
    if bool(body.defaultCloudProvider) != bool(body.defaultRegion):
        missing = "defaultRegion" if body.defaultCloudProvider else "defaultCloudProvider"
        raise BadRequest("defaultCloudProvider and defaultRegion must be set together", field=missing)
    for validator in DEFAULTS_VALIDATORS:
        validator(session, organization_id, body)


def _apply(workspace: models.Workspace, body: schemas.CreateWorkspaceRequest | schemas.UpdateWorkspaceRequest):
    workspace.name = body.name.strip()
    workspace.description = body.description
    workspace.cicd_enforced_default = bool(body.cicdEnforcedDefault)
    workspace.default_cluster_id = body.defaultClusterId
    workspace.default_cloud_provider = body.defaultCloudProvider
    workspace.default_region = body.defaultRegion


def list_workspaces(session: Session, auth: AuthContext, params: ListParams, *,
                    workspace_ids: list[str] | None, names: list[str] | None) -> schemas.WorkspacesPaginated:
    visible = auth.principal.visible_workspace_ids(auth.organization_id)
    rows, total = WorkspaceRepository(session).page(auth.organization_id, params, visible=visible,
                                                    ids=workspace_ids, names=names)
    profiles = SubjectProfiles(session).prefetch(rows)
    org_name = _organization_name(session, auth.organization_id)
    return schemas.WorkspacesPaginated(workspaces=[to_public(row, profiles, org_name) for row in rows],
                                       limit=params.limit, offset=params.offset, totalCount=total)


def create_workspace(session: Session, auth: AuthContext, body: schemas.CreateWorkspaceRequest) -> schemas.Workspace:
    _validate(session, auth.organization_id, body)
    workspace = models.Workspace(organization_id=auth.organization_id)
    _apply(workspace, body)
    workspace.stamp_author(auth.principal.subject, created=True)
    WorkspaceRepository(session).add(workspace)
    if auth.principal.kind == "USER":
        # the person who creates a workspace owns it
        RoleBindingRepository(session).add(RoleBinding(
            organization_id=auth.organization_id, subject_type="USER", subject_id=auth.principal.id,
            scope_type=ScopeType.WORKSPACE, workspace_id=workspace.id, role="WORKSPACE_OWNER"))
    session.flush()
    return to_public(workspace, SubjectProfiles(session), _organization_name(session, auth.organization_id))


def _load(session: Session, auth: AuthContext) -> models.Workspace:
    workspace = WorkspaceRepository(session).get(auth.organization_id, auth.target.workspace_id or "")
    if workspace is None:
        raise NotFound("Workspace not found")
    return workspace


def get_workspace(session: Session, auth: AuthContext) -> schemas.Workspace:
    workspace = _load(session, auth)
    return to_public(workspace, SubjectProfiles(session), _organization_name(session, auth.organization_id))


def update_workspace(session: Session, auth: AuthContext, body: schemas.UpdateWorkspaceRequest) -> schemas.Workspace:
    workspace = _load(session, auth)
    _validate(session, auth.organization_id, body)
    _apply(workspace, body)
    workspace.stamp_author(auth.principal.subject)
    session.flush()
    return to_public(workspace, SubjectProfiles(session), _organization_name(session, auth.organization_id))


def delete_workspace(session: Session, auth: AuthContext) -> None:
    workspace = _load(session, auth)
    for guard in DELETE_GUARDS:
        guard(session, workspace)
    for cleanup in DELETE_CLEANUPS:
        cleanup(session, workspace)
    RoleBindingRepository(session).delete_for_entity(workspace_id=workspace.id)
    WorkspaceRepository(session).delete(workspace)


def resolve_scope(session: Session, organization_id: str, workspace_id: str) -> Target | None:
    workspace = WorkspaceRepository(session).get(organization_id, workspace_id)
    return Target(organization_id, workspace.id) if workspace else None
