from typing import Annotated, Literal

from fastapi import Query, Response

from astroplane.clusters import schemas, service
from astroplane.deployments.steps import StepsDep
from astroplane.kit.db import SessionDep
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


@router.get("/organizations/{organizationId}/cluster-options", operation_id="GetClusterOptions",
            response_model=list[schemas.ClusterOptions])
async def get_cluster_options(auth: ClusterRead, type: Annotated[Literal["DEDICATED", "HYBRID"], Query()],
                              provider: Annotated[Provider | None, Query()] = None):
    return service.cluster_options(provider)


@router.get(PATH, operation_id="ListClusters", response_model=schemas.ClustersPaginated)
async def list_clusters(session: SessionDep, auth: ClusterRead, params: ClusterListParams,
                        names: Annotated[list[str] | None, Query()] = None,
                        provider: Annotated[Provider | None, Query()] = None):
    return service.list_clusters(session, auth, params, names=names, provider=provider)


@router.post(PATH, operation_id="CreateCluster", response_model=schemas.Cluster)
async def create_cluster(session: SessionDep, auth: ClusterCreate, steps: StepsDep,
                         body: schemas.CreateClusterRequest, raw: RawBody):
    return service.create_cluster(session, auth, steps, body, raw)


@router.get(PATH + "/{clusterId}", operation_id="GetCluster", response_model=schemas.Cluster)
async def get_cluster(session: SessionDep, auth: ClusterRead, clusterId: str):
    return service.get_cluster(session, auth, clusterId)


@router.post(PATH + "/{clusterId}", operation_id="UpdateCluster", response_model=schemas.Cluster)
async def update_cluster(session: SessionDep, auth: ClusterUpdate, steps: StepsDep, clusterId: str,
                         body: schemas.UpdateClusterRequest):
    return service.update_cluster(session, auth, steps, clusterId, body)


@router.delete(PATH + "/{clusterId}", operation_id="DeleteCluster", status_code=204, response_class=Response)
async def delete_cluster(session: SessionDep, auth: ClusterDelete, steps: StepsDep, clusterId: str) -> None:
    service.delete_cluster(session, auth, steps, clusterId)
