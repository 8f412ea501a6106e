from typing import Annotated, Literal

from fastapi import Depends, Path, Query, Request, Response

from astroplane.clusters import models, schemas, service
from astroplane.deployments.steps import StepsDep
from astroplane.kit.db import SessionDep
from astroplane.kit.hot import pages_follow
from astroplane.kit.pagination import list_params
from astroplane.kit.router import AstroRouter
from astroplane.kit.unions import RawBody
from astroplane.rbac.authorize import permission

router = AstroRouter(tags=["clusters"])

ClusterListParams = list_params("name", "createdAt", "updatedAt")
ClusterRead = permission("organization.clusters.get")
ClusterCreate = permission("organization.clusters.create")
ClusterUpdate = permission("organization.clusters.update")
ClusterDelete = permission("organization.clusters.delete")
Provider = Literal["AWS", "AZURE", "GCP"]
PATH = "/organizations/{organizationId}/clusters"


async def _cluster_in_path(request: Request, session: SessionDep, clusterId: Annotated[str, Path()]) -> models.Cluster:
    # a dependency, so an unknown cluster is 404 before the body is validated
    return service.load(session, request.path_params["organizationId"], clusterId)


ClusterInPath = Annotated[models.Cluster, Depends(_cluster_in_path)]


@router.get("/organizations/{organizationId}/cluster-options", operation_id="GetClusterOptions",
            response_model=list[schemas.ClusterOptions])
async def get_cluster_options(auth: ClusterRead, type: Annotated[Literal["DEDICATED", "HYBRID"], Query()],
                              provider: Annotated[Provider | None, Query()] = None):
    return service.cluster_options(provider)


@router.get(PATH, operation_id="ListClusters", response_model=schemas.ClustersPaginated)
@pages_follow("clusters", "cluster_node_pools")
async def list_clusters(session: SessionDep, auth: ClusterRead, params: ClusterListParams,
                        names: Annotated[list[str] | None, Query()] = None,
                        provider: Annotated[Provider | None, Query()] = None):
    return service.list_clusters(session, auth, params, names=names, provider=provider)


@router.post(PATH, operation_id="CreateCluster", response_model=schemas.Cluster)
async def create_cluster(session: SessionDep, auth: ClusterCreate, steps: StepsDep,
                         body: schemas.CreateClusterRequest, raw: RawBody):
    return service.create_cluster(session, auth, steps, body, raw)


@router.get(PATH + "/{clusterId}", operation_id="GetCluster", response_model=schemas.Cluster)
async def get_cluster(session: SessionDep, auth: ClusterRead, cluster: ClusterInPath):
    return service.get_cluster(session, cluster)


@router.post(PATH + "/{clusterId}", operation_id="UpdateCluster", response_model=schemas.Cluster)
async def update_cluster(session: SessionDep, auth: ClusterUpdate, cluster: ClusterInPath, steps: StepsDep,
                         body: schemas.UpdateClusterRequest):
    return service.update_cluster(session, auth, steps, cluster, body)


@router.delete(PATH + "/{clusterId}", operation_id="DeleteCluster", status_code=204, response_class=Response)
async def delete_cluster(session: SessionDep, auth: ClusterDelete, cluster: ClusterInPath, steps: StepsDep) -> None:
    service.delete_cluster(session, steps, cluster)
