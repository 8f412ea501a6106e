"""Wiring: every resource's router and the hooks it plugs into shared machinery, in one place."""

from fastapi import APIRouter
from sqlalchemy.orm import Session

from astroplane.deployments import scope as deployment_scope
from astroplane.envobjects import service as envobjects_service
from astroplane.envobjects.endpoints import router as envobjects_router
from astroplane.organizations.endpoints import router as organizations_router
from astroplane.rbac.authorize import register_scope_resolver
from astroplane.rbac.permissions import ScopeType
from astroplane.rbac.repository import RoleBindingRepository
from astroplane.tokens.endpoints import router as tokens_router
from astroplane.tokens.repository import ApiTokenRepository
from astroplane.users.endpoints import router as users_router
from astroplane.workspaces import service as workspaces_service
from astroplane.workspaces.endpoints import router as workspaces_router
from astroplane.workspaces.models import Workspace

ROUTERS: list[APIRouter] = [organizations_router, workspaces_router, tokens_router, users_router]
ROUTERS.append(envobjects_router)


def _delete_workspace_tokens(session: Session, workspace: Workspace) -> None:
    bindings = RoleBindingRepository(session)
    for token_id in ApiTokenRepository(session).delete_in_workspace(workspace.id):
        bindings.delete_subject("API_TOKEN", token_id)


def wire() -> None:
    register_scope_resolver(ScopeType.WORKSPACE, "workspaceId", workspaces_service.resolve_scope)
    register_scope_resolver(ScopeType.DEPLOYMENT, "deploymentId", deployment_scope.resolve_scope)
    if _delete_workspace_tokens not in workspaces_service.DELETE_CLEANUPS:
        workspaces_service.DELETE_CLEANUPS.append(_delete_workspace_tokens)
    if envobjects_service.delete_for_workspace not in workspaces_service.DELETE_CLEANUPS:
        workspaces_service.DELETE_CLEANUPS.append(envobjects_service.delete_for_workspace)
    if envobjects_service.delete_for_deployment not in deployment_scope.DELETE_CLEANUPS:
        deployment_scope.DELETE_CLEANUPS.append(envobjects_service.delete_for_deployment)

# Background loops started with the app (the lifecycle reconciler); each returns an async stop().
BACKGROUND: list = []
