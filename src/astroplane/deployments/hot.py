"""GetDeployment as a hot read (kit.hot): the cached view, when every check is known to pass."""

from starlette.types import Scope

from astroplane.auth.dependencies import bearer_token, known_principal
from astroplane.deployments import service
from astroplane.deployments.endpoints import DeploymentRead
from astroplane.deployments.models import Deployment
from astroplane.deployments.repository import VIEW_VERSION_BY_ID
from astroplane.kit.db import Database
from astroplane.kit.hot import HotRoute, header
from astroplane.rbac.authorize import declared_permission, known_to_pass_organization
from astroplane.rbac.principal import Target

PERMISSION = declared_permission(DeploymentRead)


async def serve_get_deployment(scope: Scope, path: dict[str, str]) -> bytes | None:
    token = bearer_token(header(scope, b"authorization"))
    if token is None:
        return None
    organization_id, deployment_id = path["organizationId"], path["deploymentId"]
    state = scope["app"].state
    database: Database = state.database
    row = await database.rows_by_id("deployment_view_version", VIEW_VERSION_BY_ID, Deployment.id).get(deployment_id)
    if row is None or row[1] != organization_id:
        return None
    _, _, workspace_id, revision, is_development_mode, workspace_name, cluster_revision, epoch = row
    principal = known_principal(state, token, epoch)
    if principal is None or not known_to_pass_organization(scope, principal, organization_id, epoch):
        return None
    if not principal.can(PERMISSION, Target(organization_id, workspace_id, deployment_id)):
        return None
    version = service.view_version(epoch, revision, bool(is_development_mode), workspace_name, cluster_revision)
    return service.RESPONSES.get(deployment_id, version) if version is not None else None


HOT_ROUTE = HotRoute("GetDeployment", serve_get_deployment)
