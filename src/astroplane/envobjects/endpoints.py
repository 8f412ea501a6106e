from typing import Annotated, Literal

from fastapi import Query, Response

from astroplane.envobjects import schemas, service
from astroplane.kit.db import SessionDep
from astroplane.kit.pagination import list_params
from astroplane.kit.router import AstroRouter
from astroplane.kit.hot import pages_follow
from astroplane.rbac.authorize import permission

router = AstroRouter(tags=["environment-objects"])

EnvironmentObjectListParams = list_params("objectKey", "objectType", "createdAt", "updatedAt")
# Objects live in a workspace or a deployment named by the object (or the body), not the path: routes
# need organization membership and the service checks `<scope>.envObjects.<action>` on that entity.
OrganizationMember = permission(None)
PATH = "/organizations/{organizationId}/environment-objects"
ObjectType = Literal["AIRFLOW_VARIABLE", "CONNECTION", "ENVIRONMENT_VARIABLE", "METRICS_EXPORT"]


@router.get(PATH, operation_id="ListEnvironmentObjects", response_model=schemas.EnvironmentObjectsPaginated)
@pages_follow("environment_objects", "environment_object_links")
async def list_environment_objects(
    session: SessionDep, auth: OrganizationMember, params: EnvironmentObjectListParams,
    workspaceId: Annotated[str | None, Query()] = None,
    deploymentId: Annotated[str | None, Query()] = None,
    objectType: Annotated[ObjectType | None, Query()] = None,
    objectKey: Annotated[str | None, Query()] = None,
    showSecrets: Annotated[bool | None, Query()] = None,
    resolveLinked: Annotated[bool | None, Query()] = None,
):
    return service.list_objects(session, auth, params, workspace_id=workspaceId, deployment_id=deploymentId,
                                object_type=objectType, object_key=objectKey, show_secrets=bool(showSecrets),
                                resolve_linked=bool(resolveLinked))


@router.post(PATH, operation_id="CreateEnvironmentObject", response_model=schemas.CreateEnvironmentObject)
async def create_environment_object(session: SessionDep, auth: OrganizationMember,
                                    body: schemas.CreateEnvironmentObjectRequest):
    return service.create_object(session, auth, body)


@router.get(PATH + "/{environmentObjectId}", operation_id="GetEnvironmentObject",
            response_model=schemas.EnvironmentObject)
async def get_environment_object(session: SessionDep, auth: OrganizationMember, environmentObjectId: str):
    return service.get_object(session, auth, environmentObjectId)


@router.post(PATH + "/{environmentObjectId}", operation_id="UpdateEnvironmentObject",
             response_model=schemas.EnvironmentObject)
async def update_environment_object(session: SessionDep, auth: OrganizationMember, environmentObjectId: str,
                                    body: schemas.UpdateEnvironmentObjectRequest):
    return service.update_object(session, auth, environmentObjectId, body)


@router.delete(PATH + "/{environmentObjectId}", operation_id="DeleteEnvironmentObject", status_code=204,
               response_class=Response)
async def delete_environment_object(session: SessionDep, auth: OrganizationMember, environmentObjectId: str) -> None:
    service.delete_object(session, auth, environmentObjectId)


@router.post(PATH + "/{environmentObjectId}/exclude-linking", operation_id="ExcludeLinkingEnvironmentObject",
             status_code=204, response_class=Response)
async def exclude_linking_environment_object(session: SessionDep, auth: OrganizationMember,
                                             environmentObjectId: str,
                                             body: schemas.ExcludeLinkEnvironmentObjectRequest) -> None:
    service.exclude_linking(session, auth, environmentObjectId, body)
