"""Role assignment rules shared by tokens, users and teams."""

from sqlalchemy.orm import Session

from astroplane.contract.models import DagRole, DeploymentRole, SubjectRoles, WorkspaceRole
from astroplane.kit.errors import BadRequest
from astroplane.rbac.authorize import SCOPE_RESOLVERS
from astroplane.rbac.models import RoleBinding
from astroplane.rbac.permissions import ScopeType
from astroplane.rbac.principal import Principal, Target
from astroplane.rbac.repository import RoleBindingRepository


def resolve_entity(session: Session, organization_id: str, scope: ScopeType, entity_id: str,
                   field: str) -> Target:
    """The workspace or deployment named in a request body, in this organization (else 400)."""
    if scope == ScopeType.ORGANIZATION:
        if entity_id != organization_id:
            raise BadRequest(f"{field} must be this organization's id", field=field)
        return Target(organization_id)
    entry = SCOPE_RESOLVERS.get(scope)
    target = entry[1](session, organization_id, entity_id) if entry else None
    if target is None:
        raise BadRequest(f"{field}: no {scope.value.lower()} {entity_id} in this organization", field=field)
    return target


def check_role(session: Session, principal: Principal, organization_id: str, role: str,
               scope: ScopeType, target: Target, field: str) -> None:
    """The role exists, fits the scope, and grants nothing the caller does not hold there."""
    found = RoleBindingRepository(session).role(organization_id, role)
    if found is None:
        raise BadRequest(f"{field}: unknown role {role}", field=field)
    role_scope, permissions = found
    if role_scope != scope:
        raise BadRequest(f"{field}: role {role} is a {role_scope.value} role and cannot be given at "
                         f"{scope.value} scope", field=field)
    missing = permissions - principal.permissions_at(target)
    if missing:
        raise BadRequest(f"{field}: role {role} grants permissions the caller does not hold "
                         f"({sorted(missing)[0]}, ...)", field=field, code="escalation")


def binding(organization_id: str, subject_type: str, subject_id: str, scope: ScopeType, role: str,
            target: Target, *, dag_id: str | None = None, dag_tag: str | None = None) -> RoleBinding:
    return RoleBinding(organization_id=organization_id, subject_type=subject_type, subject_id=subject_id,
                       scope_type=scope.value, workspace_id=target.workspace_id,
                       deployment_id=target.deployment_id, role=role, dag_id=dag_id, dag_tag=dag_tag)


def subject_roles(bindings: list[RoleBinding]) -> SubjectRoles:
    organization_role = next((b.role for b in bindings if b.scope_type == ScopeType.ORGANIZATION), None)
    workspaces = [WorkspaceRole(workspaceId=b.workspace_id, role=b.role)
                  for b in bindings if b.scope_type == ScopeType.WORKSPACE]
    deployments = [DeploymentRole(deploymentId=b.deployment_id, role=b.role)
                   for b in bindings if b.scope_type == ScopeType.DEPLOYMENT]
    dags = [DagRole(deploymentId=b.deployment_id, role=b.role, dagId=b.dag_id, dagTag=b.dag_tag)
            for b in bindings if b.scope_type == ScopeType.DAG]
    return SubjectRoles(organizationRole=organization_role, workspaceRoles=workspaces or None,
                        deploymentRoles=deployments or None, dagRoles=dags or None)
