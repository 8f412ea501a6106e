from astroplane.deploys import schemas, service
from astroplane.deploys.dependencies import BlobStoreDep, SettingsDep
from astroplane.kit.db import SessionDep
from astroplane.kit.hot import pages_follow
from astroplane.kit.pagination import list_params
from astroplane.kit.router import AstroRouter
from astroplane.rbac.authorize import permission, permission_without_404
from astroplane.rbac.permissions import ScopeType

router = AstroRouter(tags=["deploys"])

DeployListParams = list_params()
DeploysRead = permission("deployment.deploys.get", ScopeType.DEPLOYMENT)
DeploysCreate = permission("deployment.deploys.create", ScopeType.DEPLOYMENT)
DeploysUpdate = permission("deployment.deploys.update", ScopeType.DEPLOYMENT)
# the contract declares no 404 on FinalizeDeploy
DeploysFinalize = permission_without_404("deployment.deploys.create", ScopeType.DEPLOYMENT)
PATH = "/organizations/{organizationId}/deployments/{deploymentId}/deploys"


@router.get(PATH, operation_id="ListDeploys", response_model=schemas.DeploysPaginated)
@pages_follow("deploys")  # author profiles: authz rows
async def list_deploys(session: SessionDep, auth: DeploysRead, params: DeployListParams, settings: SettingsDep):
    return service.list_deploys(session, auth, params, settings)


@router.post(PATH, operation_id="CreateDeploy", response_model=schemas.Deploy)
async def create_deploy(session: SessionDep, auth: DeploysCreate, body: schemas.CreateDeployRequest,
                        settings: SettingsDep):
    return service.create_deploy(session, auth, body, settings)


@router.get(PATH + "/{deployId}", operation_id="GetDeploy", response_model=schemas.Deploy)
async def get_deploy(session: SessionDep, auth: DeploysRead, deployId: str, settings: SettingsDep):
    return service.get_deploy(session, auth, deployId, settings)


@router.post(PATH + "/{deployId}", operation_id="UpdateDeploy", response_model=schemas.Deploy)
async def update_deploy(session: SessionDep, auth: DeploysUpdate, deployId: str, body: schemas.UpdateDeployRequest,
                        settings: SettingsDep):
    return service.update_deploy(session, auth, deployId, body, settings)


@router.post(PATH + "/{deployId}/finalize", operation_id="FinalizeDeploy", response_model=schemas.Deploy)
async def finalize_deploy(session: SessionDep, auth: DeploysFinalize, deployId: str,
                          body: schemas.FinalizeDeployRequest, settings: SettingsDep, store: BlobStoreDep):
    return service.finalize_deploy(session, auth, deployId, body, settings, store)


@router.post(PATH + "/{deployId}/rollback", operation_id="DeployRollback", response_model=schemas.Deploy)
async def rollback_deploy(session: SessionDep, auth: DeploysCreate, deployId: str,
                          body: schemas.DeployRollbackRequest, settings: SettingsDep, store: BlobStoreDep):
    return service.rollback_deploy(session, auth, deployId, body, settings, store)
