from fastapi import Request, Response

from astroplane.ip_ranges import schemas, service
from astroplane.kit.db import SessionDep
from astroplane.kit.pagination import list_params
from astroplane.kit.router import AstroRouter
from astroplane.kit.hot import pages_follow_epoch
from astroplane.rbac.authorize import permission

router = AstroRouter(tags=["allowed-ip-address-ranges"])
PATH = "/organizations/{organizationId}/allowed-ip-address-ranges"
RangeListParams = list_params("createdAt", "updatedAt", "ipAddress")
CanRead = permission("organization.allowedIpAddressRanges.get")
CanCreate = permission("organization.allowedIpAddressRanges.create")
CanDelete = permission("organization.allowedIpAddressRanges.delete")


@router.get(PATH, operation_id="ListAllowedIpAddressRanges", response_model=schemas.AllowedIpAddressRangesPaginated)
@pages_follow_epoch
async def list_allowed_ip_address_ranges(session: SessionDep, auth: CanRead, params: RangeListParams):
    return service.list_ranges(session, auth, params)


@router.post(PATH, operation_id="CreateAllowedIpAddressRange", response_model=schemas.AllowedIpAddressRange)
async def create_allowed_ip_address_range(request: Request, session: SessionDep, auth: CanCreate,
                                          body: schemas.CreateAllowedIpAddressRangeRequest):
    return service.create_range(session, request, auth, body)


@router.post(PATH + "/bulk-create", operation_id="BulkCreateAllowedIpAddressRanges",
             response_model=schemas.AllowedIpAddressRangesList)
async def bulk_create_allowed_ip_address_ranges(request: Request, session: SessionDep, auth: CanCreate,
                                                body: schemas.BulkCreateAllowedIpAddressRangesRequest):
    return service.bulk_create(session, request, auth, body)


@router.post(PATH + "/bulk-delete", operation_id="BulkDeleteAllowedIpAddressRanges", status_code=204,
             response_class=Response)
async def bulk_delete_allowed_ip_address_ranges(session: SessionDep, auth: CanDelete,
                                                body: schemas.BulkDeleteAllowedIpAddressRangesRequest) -> None:
    service.bulk_delete(session, auth, body)


@router.delete(PATH + "/{allowedIpAddressRangeId}", operation_id="DeleteAllowedIpAddressRange", status_code=204,
               response_class=Response)
async def delete_allowed_ip_address_range(session: SessionDep, auth: CanDelete, allowedIpAddressRangeId: str) -> None:
    service.delete_range(session, auth, allowedIpAddressRangeId)
