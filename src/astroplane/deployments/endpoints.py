from typing import Annotated, Literal

from fastapi import Query, Response

from astroplane.deployments import schemas, service
from astroplane.deployments.steps import StepsDep
from astroplane.kit.db import SessionDep
from astroplane.kit.hot import pages_follow
from astroplane.kit.pagination import list_params
from astroplane.kit.router import AstroRouter
from astroplane.kit.unions import RawBody
from astroplane.rbac.authorize import permission, permission_without_404
from astroplane.rbac.permissions import ScopeType

router = AstroRouter(tags=["deployments"])

DeploymentListParams = list_params("name", "createdAt", "updatedAt")
# Lists and creates need membership; the service filters by deployment.get and checks
# workspace.deployments.create on the workspace named in the body.
OrganizationMember = permission(None)
DeploymentRead = permission("deployment.get", ScopeType.DEPLOYMENT)
DeploymentUpdate = permission("deployment.update", ScopeType.DEPLOYMENT)
# the contract declares no 404 on the hibernation override
HibernationOverride = permission_without_404("deployment.update", ScopeType.DEPLOYMENT)
DeploymentDelete = permission("deployment.delete", ScopeType.DEPLOYMENT)
PATH = "/organizations/{organizationId}/deployments"


@router.get("/organizations/{organizationId}/deployment-options", operation_id="GetDeploymentOptions",
            response_model=schemas.DeploymentOptions)
async def get_deployment_options(
    session: SessionDep, auth: OrganizationMember,
    deploymentId: Annotated[str | None, Query()] = None,
    deploymentType: Annotated[Literal["DEDICATED", "HYBRID", "STANDARD"] | None, Query()] = None,
    executor: Annotated[Literal["ASTRO", "CELERY", "KUBERNETES"] | None, Query()] = None,
    cloudProvider: Annotated[Literal["AWS", "AZURE", "GCP"] | None, Query()] = None,
):
    return service.deployment_options(session, auth, deploymentType, executor, deploymentId)


@router.get(PATH, operation_id="ListDeployments", response_model=schemas.DeploymentsPaginated)
# every table a deployment's view is rendered from, and the counter of its total; author profiles are authz rows
@pages_follow("deployments", "deployment_worker_queues", "deployment_environment_variables", "deployment_counts",
              "workspaces", "clusters", "cluster_node_pools")
async def list_deployments(session: SessionDep, auth: OrganizationMember, params: DeploymentListParams,
                           deploymentIds: Annotated[list[str] | None, Query()] = None,
                           names: Annotated[list[str] | None, Query()] = None,
                           workspaceIds: Annotated[list[str] | None, Query()] = None):
    return service.list_deployments(session, auth, params, ids=deploymentIds, names=names, workspace_ids=workspaceIds)


@router.post(PATH, operation_id="CreateDeployment", response_model=schemas.Deployment)
async def create_deployment(session: SessionDep, auth: OrganizationMember, steps: StepsDep,
                            body: schemas.CreateDeploymentRequest, raw: RawBody):
    return service.create_deployment(session, auth, steps, body, raw)


@router.get(PATH + "/{deploymentId}", operation_id="GetDeployment", response_model=schemas.Deployment)
async def get_deployment(session: SessionDep, auth: DeploymentRead):
    return service.get_deployment(session, auth)


@router.post(PATH + "/{deploymentId}", operation_id="UpdateDeployment", response_model=schemas.Deployment)
async def update_deployment(session: SessionDep, auth: DeploymentUpdate, body: schemas.UpdateDeploymentRequest,
                            raw: RawBody):
    return service.update_deployment(session, auth, body, raw)


@router.delete(PATH + "/{deploymentId}", operation_id="DeleteDeployment", status_code=204, response_class=Response)
async def delete_deployment(session: SessionDep, auth: DeploymentDelete) -> None:
    service.delete_deployment(session, auth)


@router.post(PATH + "/{deploymentId}/hibernation-override", operation_id="UpdateDeploymentHibernationOverride",
             response_model=schemas.DeploymentHibernationOverride)
async def update_hibernation_override(session: SessionDep, auth: HibernationOverride,
                                      body: schemas.OverrideDeploymentHibernationBody):
    return service.override_hibernation(session, auth, body)


@router.delete(PATH + "/{deploymentId}/hibernation-override", operation_id="DeleteDeploymentHibernationOverride",
               status_code=204, response_class=Response)
async def delete_hibernation_override(session: SessionDep, auth: HibernationOverride) -> None:
    service.remove_hibernation_override(session, auth)
