"""Wiring: every resource's router and the hooks it plugs into shared machinery, in one place."""

from fastapi import APIRouter
from sqlalchemy.orm import Session

from astroplane.agent_tokens import service as agent_tokens_service
from astroplane.alerts import service as alerts_service
from astroplane.alerts.endpoints import labs_router as alerts_labs_router
from astroplane.alerts.endpoints import router as alerts_router
from astroplane.alerts.loop import start as start_alert_loop
from astroplane.agent_tokens.endpoints import router as agent_tokens_router
from astroplane.audit import recorder as audit_recorder
from astroplane.audit.endpoints import router as audit_router
from astroplane.audit.middleware import AuditMiddleware
from astroplane.clusters.endpoints import router as clusters_router
from astroplane import controls
from astroplane.console.endpoints import router as console_router
from astroplane.deployments import hot as deployments_hot
from astroplane.deployments import placement as deployment_placement
from astroplane.deployments import scope as deployment_scope
from astroplane.deployments import service as deployments_service
from astroplane.deployments.endpoints import router as deployments_router
from astroplane.deployments.reconciler import start as start_reconciler
from astroplane.deploys import service as deploys_service
from astroplane.deploys.endpoints import router as deploys_router
from astroplane.deploys.upload_endpoints import router as deploy_uploads_router
from astroplane.envobjects import service as envobjects_service
from astroplane.envobjects.endpoints import router as envobjects_router
from astroplane.invites import service as invites_service
from astroplane.invites.endpoints import router as invites_router
from astroplane.ip_ranges import service as ip_ranges_service
from astroplane.ip_ranges.endpoints import router as ip_ranges_router
from astroplane.kit import db as kit_db
from astroplane.kit.hot import HotRoute
from astroplane.kit.versions import ApiVersion
from astroplane.logs.endpoints import router as logs_router
from astroplane.logs.ingest_endpoints import router as logs_ingest_router
from astroplane.logs.repository import DeploymentLogRepository
from astroplane.notification_channels import service as channels_service
from astroplane.notification_channels.endpoints import router as channels_router
from astroplane.organizations.endpoints import router as organizations_router
from astroplane.rbac import repository as rbac_repository
from astroplane.rbac.authorize import ORGANIZATION_GUARDS, register_organization_guard, register_scope_resolver
from astroplane.rbac.epoch import register_authz_tables
from astroplane.rbac.permissions import ScopeType
from astroplane.rbac.repository import RoleBindingRepository
from astroplane.roles.endpoints import router as roles_router
from astroplane.runtime.proxy_endpoints import router as airflow_proxy_router
from astroplane.roles.repository import load_custom_roles
from astroplane.teams.endpoints import router as teams_router
from astroplane.teams.repository import teams_of_user
from astroplane.tokens.endpoints import router as tokens_router
from astroplane.tokens.repository import ApiTokenRepository
from astroplane.users import service as users_service
from astroplane.versions import iam_v1beta1, labs_v1, platform_v1beta1
from astroplane.users.endpoints import router as users_router
from astroplane.workspaces import service as workspaces_service
from astroplane.workspaces.endpoints import router as workspaces_router
from astroplane.workspaces.models import Workspace

ROUTERS: list[APIRouter] = [organizations_router, workspaces_router, tokens_router, users_router,
                            clusters_router, deployments_router, deploys_router, logs_router, agent_tokens_router,
                            envobjects_router, invites_router, teams_router, roles_router, ip_ranges_router,
                            audit_router]
# The older APIs served beside v1, each from v1's routes through its own shapes (kit.versions).
VERSIONS: list[ApiVersion] = [platform_v1beta1.VERSION, iam_v1beta1.VERSION, labs_v1.VERSION]
# Operations only an older API has (no v1 route to adapt), by API name: routers (paths without the
# prefix, the version's own contract models) mounted under that API's prefix and published in its
# document: platform v1beta1's alerts and notification channels, Labs v1's bulk alerts.
VERSION_ROUTERS: dict[str, list[APIRouter]] = {
    platform_v1beta1.VERSION.name: [alerts_router, channels_router],
    iam_v1beta1.VERSION.name: [],
    labs_v1.VERSION.name: [alerts_labs_router],
}
# Routes outside the Astro API's document: signed DAG uploads, runtime log ingestion, the Airflow proxy,
# the web console's files.
INTERNAL_ROUTERS: list[APIRouter] = [deploy_uploads_router, logs_ingest_router, airflow_proxy_router, console_router]
# GETs answered from caches when every check is known to pass (kit.hot).
HOT_ROUTES: list[HotRoute] = [deployments_hot.HOT_ROUTE]
# ASGI middlewares added to the app (innermost first).
MIDDLEWARE: list = [AuditMiddleware]


def install_controls(app, settings, database) -> None:
    """The test-double controls, outside the audit middleware (injected answers are audited by
    the controls themselves), when the settings ask for them. Imported only then: their routes and
    schemas (~3 MB) are no part of an ordinary server."""
    if controls.wanted(settings):
        from astroplane.controls import install

        install.install(app, settings, database)


def _delete_workspace_tokens(session: Session, workspace: Workspace) -> None:
    bindings = RoleBindingRepository(session)
    for token_id in ApiTokenRepository(session).delete_in_workspace(workspace.id):
        bindings.delete_subject("API_TOKEN", token_id)


def _delete_deployment_deploy_data(session: Session, deployment) -> None:
    deploys_service.delete_for_deployment(session, deployment)
    agent_tokens_service.delete_for_deployment(session, deployment)
    DeploymentLogRepository(session).delete_for_deployment(deployment.id)


def wire() -> None:
    register_scope_resolver(ScopeType.WORKSPACE, "workspaceId", workspaces_service.resolve_scope)
    register_scope_resolver(ScopeType.DEPLOYMENT, "deploymentId", deployment_scope.resolve_scope)
    if _delete_workspace_tokens not in workspaces_service.DELETE_CLEANUPS:
        workspaces_service.DELETE_CLEANUPS.append(_delete_workspace_tokens)
    if deployment_placement.check_workspace_defaults not in workspaces_service.DEFAULTS_VALIDATORS:
        workspaces_service.DEFAULTS_VALIDATORS.append(deployment_placement.check_workspace_defaults)
    if deployments_service.refuse_workspace_delete not in workspaces_service.DELETE_GUARDS:
        workspaces_service.DELETE_GUARDS.append(deployments_service.refuse_workspace_delete)
    if _delete_deployment_deploy_data not in deployment_scope.DELETE_CLEANUPS:
        deployment_scope.DELETE_CLEANUPS.append(_delete_deployment_deploy_data)
    if envobjects_service.delete_for_workspace not in workspaces_service.DELETE_CLEANUPS:
        workspaces_service.DELETE_CLEANUPS.append(envobjects_service.delete_for_workspace)
    if envobjects_service.delete_for_deployment not in deployment_scope.DELETE_CLEANUPS:
        deployment_scope.DELETE_CLEANUPS.append(envobjects_service.delete_for_deployment)
    _wire_identity()
    _wire_alerts()


def _add_once(hooks: list, hook) -> None:
    if hook not in hooks:
        hooks.append(hook)


def _wire_identity() -> None:
    register_authz_tables("teams", "team_members", "custom_roles", "allowed_ip_ranges")
    _add_once(rbac_repository._custom_role_loaders, load_custom_roles)
    _add_once(rbac_repository._inherited_subjects, teams_of_user)
    if ip_ranges_service.enforce not in ORGANIZATION_GUARDS:
        register_organization_guard(ip_ranges_service.enforce, ip_ranges_service.known_to_pass)
    _add_once(kit_db.BEFORE_COMMIT, audit_recorder.record_request)
    _add_once(users_service.SELF_INVITE_SOURCES, invites_service.self_invites)


def _wire_alerts() -> None:
    # alerts go before the channels they notify
    _add_once(workspaces_service.DELETE_CLEANUPS, alerts_service.delete_for_workspace)
    _add_once(workspaces_service.DELETE_CLEANUPS, channels_service.delete_for_workspace)
    _add_once(deployment_scope.DELETE_CLEANUPS, alerts_service.delete_for_deployment)
    _add_once(deployment_scope.DELETE_CLEANUPS, channels_service.delete_for_deployment)
    _add_once(channels_service.DELETE_CLEANUPS, alerts_service.detach_channel)
    _add_once(channels_service.SHARING_GUARDS, alerts_service.refuse_unsharing)


# Background loops started with the app (the alert loop, the lifecycle reconciler); each returns an async stop().
# Stopped in this order: the alert loop before the reconciler stops the Airflows it reads.
BACKGROUND: list = [start_alert_loop, start_reconciler]
