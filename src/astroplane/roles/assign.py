"""Replacing a user's or team's roles: UpdateUserRoles and UpdateTeamRoles share these rules."""

from sqlalchemy.orm import Session

from astroplane.kit.errors import BadRequest
from astroplane.rbac import service as roles
from astroplane.rbac.authorize import AuthContext
from astroplane.rbac.models import RoleBinding
from astroplane.rbac.permissions import ScopeType
from astroplane.rbac.principal import Target
from astroplane.roles.repository import CustomRoleRepository

MAX_DAG_NAME = 250  # role_bindings.dag_id / dag_tag


def _check_restriction(session: Session, organization_id: str, role: str, target: Target, field: str) -> None:
    custom = CustomRoleRepository(session).by_name(organization_id, role)
    if custom is not None and custom.restricted_workspace_ids and target.workspace_id not in custom.restricted_workspace_ids:
        raise BadRequest(f"{field}: role {role} may only be given in workspaces {custom.restricted_workspace_ids}",
                         field=field)


def build_bindings(session: Session, auth: AuthContext, subject_type: str, subject_id: str, *,
                   organization_role: str, workspace_roles, deployment_roles, dag_roles) -> list[RoleBinding]:
    """Validate a whole role set and return the bindings that replace the subject's current ones."""
    organization_id, principal = auth.organization_id, auth.principal
    org_target = Target(organization_id)
    roles.check_role(session, principal, organization_id, organization_role, ScopeType.ORGANIZATION, org_target,
                     "organizationRole")
    bindings = [roles.binding(organization_id, subject_type, subject_id, ScopeType.ORGANIZATION,
                              organization_role, org_target)]
    workspaces: set[str] = set()
    for index, entry in enumerate(workspace_roles or []):
        field = f"workspaceRoles[{index}]"
        target = roles.resolve_entity(session, organization_id, ScopeType.WORKSPACE, entry.workspaceId,
                                      f"{field}.workspaceId")
        if entry.workspaceId in workspaces:
            raise BadRequest(f"{field}.workspaceId: workspace {entry.workspaceId} appears more than once",
                             field=f"{field}.workspaceId")
        workspaces.add(entry.workspaceId)
        roles.check_role(session, principal, organization_id, entry.role, ScopeType.WORKSPACE, target, f"{field}.role")
        bindings.append(roles.binding(organization_id, subject_type, subject_id, ScopeType.WORKSPACE, entry.role, target))
    implied: dict[str, Target] = {}  # workspaces that need WORKSPACE_ACCESSOR for lower roles
    deployments: set[str] = set()
    for index, entry in enumerate(deployment_roles or []):
        field = f"deploymentRoles[{index}]"
        target = roles.resolve_entity(session, organization_id, ScopeType.DEPLOYMENT, entry.deploymentId,
                                      f"{field}.deploymentId")
        if entry.deploymentId in deployments:
            raise BadRequest(f"{field}.deploymentId: deployment {entry.deploymentId} appears more than once",
                             field=f"{field}.deploymentId")
        deployments.add(entry.deploymentId)
        roles.check_role(session, principal, organization_id, entry.role, ScopeType.DEPLOYMENT, target, f"{field}.role")
        _check_restriction(session, organization_id, entry.role, target, f"{field}.role")
        bindings.append(roles.binding(organization_id, subject_type, subject_id, ScopeType.DEPLOYMENT, entry.role,
                                      target))
        implied.setdefault(target.workspace_id, target)
    dags: set[tuple] = set()
    for index, entry in enumerate(dag_roles or []):
        field = f"dagRoles[{index}]"
        if bool(entry.dagId) == bool(entry.dagTag):
            raise BadRequest(f"{field}: give exactly one of dagId and dagTag", field=f"{field}.dagId")
        if len(entry.dagId or entry.dagTag) > MAX_DAG_NAME:
            raise BadRequest(f"{field}: a DAG id or tag is at most {MAX_DAG_NAME} characters",
                             field=f"{field}.{'dagId' if entry.dagId else 'dagTag'}")
        target = roles.resolve_entity(session, organization_id, ScopeType.DEPLOYMENT, entry.deploymentId,
                                      f"{field}.deploymentId")
        key = (entry.deploymentId, entry.dagId, entry.dagTag)
        if key in dags:
            raise BadRequest(f"{field}: the same DAG appears more than once", field=f"{field}.dagId")
        dags.add(key)
        roles.check_role(session, principal, organization_id, entry.role, ScopeType.DAG, target, f"{field}.role")
        _check_restriction(session, organization_id, entry.role, target, f"{field}.role")
        bindings.append(roles.binding(organization_id, subject_type, subject_id, ScopeType.DAG, entry.role, target,
                                      dag_id=entry.dagId or None, dag_tag=entry.dagTag or None))
        implied.setdefault(target.workspace_id, target)
    for workspace_id, target in implied.items():
        if workspace_id not in workspaces:  # a deployment or DAG role implies seeing its workspace
            bindings.append(roles.binding(organization_id, subject_type, subject_id, ScopeType.WORKSPACE,
                                          "WORKSPACE_ACCESSOR", Target(organization_id, workspace_id)))
    return bindings
