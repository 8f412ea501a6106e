"""Wiring: every resource's router and the hooks it plugs into shared machinery, in one place."""

from fastapi import APIRouter
from sqlalchemy.orm import Session

from astroplane.audit import recorder as audit_recorder
from astroplane.audit.endpoints import router as audit_router
from astroplane.audit.middleware import AuditMiddleware
from astroplane.deployments import scope as deployment_scope
from astroplane.invites import service as invites_service
from astroplane.invites.endpoints import router as invites_router
from astroplane.ip_ranges import service as ip_ranges_service
from astroplane.ip_ranges.endpoints import router as ip_ranges_router
from astroplane.kit import db as kit_db
from astroplane.organizations.endpoints import router as organizations_router
from astroplane.rbac import repository as rbac_repository
from astroplane.rbac.authorize import ORGANIZATION_GUARDS, register_organization_guard, register_scope_resolver
from astroplane.rbac.epoch import register_authz_tables
from astroplane.rbac.permissions import ScopeType
from astroplane.rbac.repository import RoleBindingRepository
from astroplane.roles.endpoints import router as roles_router
from astroplane.roles.repository import load_custom_roles
from astroplane.teams.endpoints import router as teams_router
from astroplane.teams.repository import teams_of_user
from astroplane.tokens.endpoints import router as tokens_router
from astroplane.tokens.repository import ApiTokenRepository
from astroplane.users import service as users_service
from astroplane.users.endpoints import router as users_router
from astroplane.workspaces import service as workspaces_service
from astroplane.workspaces.endpoints import router as workspaces_router
from astroplane.workspaces.models import Workspace

ROUTERS: list[APIRouter] = [organizations_router, workspaces_router, tokens_router, users_router,
                            invites_router, teams_router, roles_router, ip_ranges_router, audit_router]
# ASGI middlewares added to the app (innermost first).
MIDDLEWARE: list = [AuditMiddleware]


def _delete_workspace_tokens(session: Session, workspace: Workspace) -> None:
    bindings = RoleBindingRepository(session)
    for token_id in ApiTokenRepository(session).delete_in_workspace(workspace.id):
        bindings.delete_subject("API_TOKEN", token_id)


def wire() -> None:
    register_scope_resolver(ScopeType.WORKSPACE, "workspaceId", workspaces_service.resolve_scope)
    register_scope_resolver(ScopeType.DEPLOYMENT, "deploymentId", deployment_scope.resolve_scope)
    if _delete_workspace_tokens not in workspaces_service.DELETE_CLEANUPS:
        workspaces_service.DELETE_CLEANUPS.append(_delete_workspace_tokens)
    _wire_identity()


def _add_once(hooks: list, hook) -> None:
    if hook not in hooks:
        hooks.append(hook)


def _wire_identity() -> None:
    register_authz_tables("teams", "team_members", "custom_roles", "allowed_ip_ranges")
    _add_once(rbac_repository._custom_role_loaders, load_custom_roles)
    _add_once(rbac_repository._inherited_subjects, teams_of_user)
    if ip_ranges_service.enforce not in ORGANIZATION_GUARDS:
        register_organization_guard(ip_ranges_service.enforce)
    _add_once(kit_db.BEFORE_COMMIT, audit_recorder.record_request)
    _add_once(users_service.SELF_INVITE_SOURCES, invites_service.self_invites)

# Background loops started with the app (the lifecycle reconciler); each returns an async stop().
BACKGROUND: list = []
