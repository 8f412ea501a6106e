"""The permission vocabulary and the built-in role table.

Permissions are `<scope>.<object>[.<sub>].<action>` strings. A role is a set of them; a binding
gives a role at one entity (organization, workspace, deployment, DAG). A permission held through a
binding applies to that entity and everything below it, so an ORGANIZATION_OWNER's `deployment.get`
covers every deployment in the organization, and a WORKSPACE_OWNER's covers those in its workspace.
"""

from enum import StrEnum


class ScopeType(StrEnum):
    ORGANIZATION = "ORGANIZATION"
    WORKSPACE = "WORKSPACE"
    DEPLOYMENT = "DEPLOYMENT"
    DAG = "DAG"


def _crud(prefix: str, *actions: str) -> frozenset[str]:
    return frozenset(f"{prefix}.{action}" for action in actions)


ORGANIZATION_PERMISSIONS = (
    frozenset({"organization.get", "organization.update", "organization.auditLogs.get"})
    | _crud("organization.workspaces", "create")
    | _crud("organization.apiTokens", "get", "create", "update", "delete", "rotate")
    | _crud("organization.users", "get", "update")
    | _crud("organization.invites", "create", "delete")
    | _crud("organization.teams", "get", "create", "update", "delete")
    | _crud("organization.roles", "get", "create", "update", "delete")
    | _crud("organization.clusters", "get", "create", "update", "delete")
    | _crud("organization.allowedIpAddressRanges", "get", "create", "delete")
    | _crud("organization.notificationChannels", "get", "create", "update", "delete")
)
WORKSPACE_PERMISSIONS = (
    frozenset({"workspace.get", "workspace.update", "workspace.delete"})
    | _crud("workspace.apiTokens", "get", "create", "update", "delete", "rotate")
    | _crud("workspace.deployments", "create")
    | _crud("workspace.envObjects", "get", "create", "update", "delete")
    | _crud("workspace.users", "get", "update")
    | _crud("workspace.teams", "get", "update")
    | _crud("workspace.notificationChannels", "get", "create", "update", "delete")
)
DEPLOYMENT_PERMISSIONS = (
    frozenset({"deployment.get", "deployment.update", "deployment.delete", "deployment.logs.get"})
    | _crud("deployment.apiTokens", "get", "create", "update", "delete", "rotate")
    | _crud("deployment.agentTokens", "get", "create", "delete")
    | _crud("deployment.deploys", "get", "create", "update")
    | _crud("deployment.envObjects", "get", "create", "update", "delete")
    | _crud("deployment.users", "get", "update")
    | _crud("deployment.teams", "get", "update")
    | _crud("deployment.alerts", "get", "create", "update", "delete")
    | _crud("deployment.notificationChannels", "get", "create", "update", "delete")
)
DAG_PERMISSIONS = frozenset({
    "dag.airflow.dag.get", "dag.airflow.dag.update", "dag.airflow.dag.delete",
    "dag.airflow.dagRun.get", "dag.airflow.dagRun.create", "dag.airflow.dagRun.update",
    "dag.airflow.taskInstance.get", "dag.airflow.taskInstance.update",
    "dag.airflow.taskLog.get", "dag.airflow.xcom.get",
})
ALL_PERMISSIONS = ORGANIZATION_PERMISSIONS | WORKSPACE_PERMISSIONS | DEPLOYMENT_PERMISSIONS | DAG_PERMISSIONS

_DEPLOYMENT_READ = frozenset({"deployment.get", "deployment.logs.get", "deployment.deploys.get",
                              "deployment.envObjects.get", "deployment.apiTokens.get",
                              "deployment.agentTokens.get", "deployment.users.get", "deployment.teams.get",
                              "deployment.alerts.get", "deployment.notificationChannels.get"})
_WORKSPACE_READ = frozenset({"workspace.get", "workspace.envObjects.get", "workspace.users.get",
                             "workspace.teams.get", "workspace.apiTokens.get", "workspace.notificationChannels.get"})
_DAG_VIEW = frozenset({"dag.airflow.dag.get", "dag.airflow.dagRun.get", "dag.airflow.taskInstance.get",
                       "dag.airflow.taskLog.get", "dag.airflow.xcom.get"})

# organization notification channels are read by every member: any workspace may attach a shared one
_ORG_READ = frozenset({"organization.get", "organization.users.get", "organization.teams.get",
                       "organization.roles.get", "organization.clusters.get", "organization.notificationChannels.get"})

# Built-in roles: scope and permissions. Ordered from most to least privileged within a scope.
ROLE_SCOPES: dict[str, ScopeType] = {}
ROLE_PERMISSIONS: dict[str, frozenset[str]] = {}


def _role(name: str, scope: ScopeType, permissions: frozenset[str]) -> None:
    ROLE_SCOPES[name] = scope
    ROLE_PERMISSIONS[name] = permissions


_role("ORGANIZATION_OWNER", ScopeType.ORGANIZATION, ALL_PERMISSIONS)
_role("ORGANIZATION_BILLING_ADMIN", ScopeType.ORGANIZATION,
      _ORG_READ | {"organization.update", "organization.apiTokens.get"})
_role("ORGANIZATION_OBSERVE_ADMIN", ScopeType.ORGANIZATION, _ORG_READ)
_role("ORGANIZATION_OBSERVE_MEMBER", ScopeType.ORGANIZATION, _ORG_READ)
_role("ORGANIZATION_MEMBER", ScopeType.ORGANIZATION, _ORG_READ)

_role("WORKSPACE_OWNER", ScopeType.WORKSPACE, WORKSPACE_PERMISSIONS | DEPLOYMENT_PERMISSIONS | DAG_PERMISSIONS)
_role("WORKSPACE_OPERATOR", ScopeType.WORKSPACE,
      _WORKSPACE_READ | DEPLOYMENT_PERMISSIONS | DAG_PERMISSIONS
      | _crud("workspace.apiTokens", "create", "update", "delete", "rotate")
      | _crud("workspace.deployments", "create")
      | _crud("workspace.envObjects", "create", "update", "delete")
      | _crud("workspace.notificationChannels", "create", "update", "delete"))
_role("WORKSPACE_AUTHOR", ScopeType.WORKSPACE,
      _WORKSPACE_READ | _DEPLOYMENT_READ | DAG_PERMISSIONS
      | _crud("deployment.deploys", "create", "update"))
_role("WORKSPACE_MEMBER", ScopeType.WORKSPACE, _WORKSPACE_READ | _DEPLOYMENT_READ | _DAG_VIEW)
_role("WORKSPACE_ACCESSOR", ScopeType.WORKSPACE, frozenset({"workspace.get"}))

_role("DEPLOYMENT_ADMIN", ScopeType.DEPLOYMENT, DEPLOYMENT_PERMISSIONS | DAG_PERMISSIONS)

_role("DAG_AUTHOR", ScopeType.DAG, DAG_PERMISSIONS)
_role("DAG_VIEWER", ScopeType.DAG, _DAG_VIEW)

ROLE_DESCRIPTIONS = {
    "ORGANIZATION_OWNER": "Full control of the organization and everything in it.",
    "ORGANIZATION_BILLING_ADMIN": "Manages billing and organization settings; reads members and teams.",
    "ORGANIZATION_OBSERVE_ADMIN": "Administers observability features; reads the organization.",
    "ORGANIZATION_OBSERVE_MEMBER": "Uses observability features; reads the organization.",
    "ORGANIZATION_MEMBER": "Belongs to the organization; sees only the workspaces it is given.",
    "WORKSPACE_OWNER": "Full control of one workspace, its members and its deployments.",
    "WORKSPACE_OPERATOR": "Creates and manages deployments, tokens and environment objects in a workspace.",
    "WORKSPACE_AUTHOR": "Deploys code and reads deployments in a workspace.",
    "WORKSPACE_MEMBER": "Reads a workspace and its deployments.",
    "WORKSPACE_ACCESSOR": "Sees a workspace exists; granted alongside deployment or DAG roles.",
    "DEPLOYMENT_ADMIN": "Full control of one deployment.",
    "DAG_AUTHOR": "Runs and edits the DAGs it is given.",
    "DAG_VIEWER": "Reads the DAGs it is given.",
}


def roles_for_scope(scope: ScopeType) -> list[str]:
    return [name for name, role_scope in ROLE_SCOPES.items() if role_scope == scope]
