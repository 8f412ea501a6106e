from typing import Annotated, Literal

from fastapi import Query, Response

from astroplane.auth.dependencies import CodecDep
from astroplane.kit.db import SessionDep
from astroplane.kit.pagination import list_params
from astroplane.kit.router import AstroRouter
from astroplane.kit.hot import pages_follow_epoch
from astroplane.rbac.authorize import permission
from astroplane.tokens import schemas, service

router = AstroRouter(tags=["tokens"])

TokenListParams = list_params("name", "description", "createdAt", "updatedAt", "tokenStartAt")
# Token routes need organization membership; the service checks `<scope>.apiTokens.<action>` on the
# token's own workspace or deployment, so workspace owners manage their workspace's tokens here too.
OrganizationMember = permission(None)
PATH = "/organizations/{organizationId}/tokens"


@router.get(PATH, operation_id="ListApiTokens", response_model=schemas.ApiTokensPaginated)
@pages_follow_epoch  # tokens, role bindings and author profiles: authz rows
async def list_api_tokens(
    session: SessionDep, auth: OrganizationMember, params: TokenListParams,
    workspaceId: Annotated[str | None, Query()] = None,
    deploymentId: Annotated[str | None, Query()] = None,
    dagId: Annotated[str | None, Query()] = None,
    dagTags: Annotated[list[str] | None, Query()] = None,
    includeOnlyOrganizationTokens: Annotated[bool | None, Query()] = None,
    kind: Annotated[Literal["DIRECT_ACCESS", "STANDARD"] | None, Query()] = None,
):
    return service.list_tokens(session, auth, params, workspace_id=workspaceId, deployment_id=deploymentId,
                               dag_id=dagId, dag_tags=dagTags, only_organization=bool(includeOnlyOrganizationTokens),
                               kind=kind)


@router.post(PATH, operation_id="CreateApiToken", response_model=schemas.ApiToken)
async def create_api_token(session: SessionDep, codec: CodecDep, auth: OrganizationMember,
                     body: schemas.CreateApiTokenRequest):
    return service.create_token(session, codec, auth, body)


@router.get(PATH + "/{tokenId}", operation_id="GetApiToken", response_model=schemas.ApiToken)
async def get_api_token(session: SessionDep, auth: OrganizationMember, tokenId: str):
    return service.get_token(session, auth, tokenId)


@router.post(PATH + "/{tokenId}", operation_id="UpdateApiToken", response_model=schemas.ApiToken)
async def update_api_token(session: SessionDep, auth: OrganizationMember, tokenId: str,
                     body: schemas.UpdateApiTokenRequest):
    return service.update_token(session, auth, tokenId, body)


@router.post(PATH + "/{tokenId}/roles", operation_id="UpdateApiTokenRoles", response_model=schemas.SubjectRoles)
async def update_api_token_roles(session: SessionDep, auth: OrganizationMember, tokenId: str,
                           body: schemas.UpdateApiTokenRolesRequest):
    return service.update_token_roles(session, auth, tokenId, body)


@router.post(PATH + "/{tokenId}/rotate", operation_id="RotateApiToken", response_model=schemas.ApiToken)
async def rotate_api_token(session: SessionDep, codec: CodecDep, auth: OrganizationMember, tokenId: str):
    return service.rotate_token(session, codec, auth, tokenId)


@router.delete(PATH + "/{tokenId}", operation_id="DeleteApiToken", status_code=204, response_class=Response)
async def delete_api_token(session: SessionDep, auth: OrganizationMember, tokenId: str) -> None:
    service.delete_token(session, auth, tokenId)
