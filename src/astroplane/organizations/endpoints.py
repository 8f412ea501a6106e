from typing import Annotated, Literal

from fastapi import Query

from astroplane.kit.db import SessionDep
from astroplane.kit.hot import pages_follow_epoch
from astroplane.kit.pagination import list_params
from astroplane.kit.router import AstroRouter
from astroplane.organizations import schemas, service
from astroplane.rbac.authorize import AuthenticatedDep, permission

router = AstroRouter(tags=["organizations"])

OrganizationListParams = list_params("name", "createdAt", "updatedAt")
OrganizationMember = permission(None)
OrganizationUpdate = permission("organization.update")
ProductPlanFilter = Literal["BASIC", "BUSINESS_CRITICAL", "PREMIUM", "STANDARD", "TRIAL"]


@router.get("/organizations", operation_id="ListOrganizations", response_model=schemas.OrganizationsPaginated)
@pages_follow_epoch  # organizations, the caller's role bindings, allow-lists, author profiles: authz rows
async def list_organizations(
    session: SessionDep, principal: AuthenticatedDep, params: OrganizationListParams,
    productPlan: Annotated[ProductPlanFilter | None, Query()] = None,
    astronomerProduct: Annotated[Literal["ASTRO"] | None, Query()] = None,
    product: Annotated[Literal["HOSTED", "HYBRID"] | None, Query()] = None,
):
    return service.list_organizations(session, principal, params, product=product, product_plan=productPlan,
                                      astronomer_product=astronomerProduct)


@router.get("/organizations/{organizationId}", operation_id="GetOrganization", response_model=schemas.Organization)
async def get_organization(session: SessionDep, auth: OrganizationMember,
                     isLookUpOnly: Annotated[bool | None, Query()] = None):
    return service.get_organization(session, auth)


@router.post("/organizations/{organizationId}", operation_id="UpdateOrganization",
             response_model=schemas.Organization)
async def update_organization(session: SessionDep, auth: OrganizationUpdate, body: schemas.UpdateOrganizationRequest):
    return service.update_organization(session, auth, body)
