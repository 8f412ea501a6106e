from typing import Literal

from sqlalchemy.orm import Session

from astroplane.auth.subjects import SubjectProfiles
from astroplane.contract.models import BasicSubjectProfile
from astroplane.ip_ranges.repository import AllowedIpRangeRepository
from astroplane.kit.errors import BadRequest, NotFound
from astroplane.kit.pagination import ListParams
from astroplane.organizations import models, schemas
from astroplane.organizations.repository import OrganizationRepository
from astroplane.rbac.authorize import AuthContext
from astroplane.rbac.principal import Principal

MAX_NAME_LENGTH = 50


def _has_allowed_ip_ranges(session: Session, organization_id: str) -> bool:
    return AllowedIpRangeRepository(session).exists(organization_id)


def to_public(session: Session, org: models.Organization, profiles: SubjectProfiles) -> schemas.Organization:
    return schemas.Organization(
        id=org.id,
        name=org.name,
        billingEmail=org.billing_email,
        isScimEnabled=org.is_scim_enabled,
        allowEnhancedSupportAccess=org.allow_enhanced_support_access,
        hasAiFeaturesDisabled=org.has_ai_features_disabled,
        isBlockedEnableAiFeatures=org.is_blocked_enable_ai_features,
        shouldEnforceDedicatedClusters=org.should_enforce_dedicated_clusters,
        hasAllowedIpAddressRanges=_has_allowed_ip_ranges(session, org.id),
        product=org.product,
        status=org.status,
        paymentMethod=org.payment_method,
        productPlans=[schemas.OrganizationProductPlan(
            astronomerProduct="ASTRO", organizationId=org.id, productPlanId=f"{org.id}-astro",
            productPlanName=org.product_plan)],
        createdAt=org.created_at,
        updatedAt=org.updated_at,
        createdBy=profiles.created_by(org) or _system_profile(),
        updatedBy=profiles.updated_by(org) or _system_profile(),
    )


def _system_profile() -> BasicSubjectProfile:
    # Organizations made by the admin CLI have no API author, and Organization requires one.
    return BasicSubjectProfile(id="system", subjectType="SERVICEKEY", apiTokenName="astroplane")


def list_organizations(session: Session, principal: Principal, params: ListParams, *,
                       product: Literal["HOSTED", "HYBRID"] | None, product_plan: str | None,
                       astronomer_product: str | None) -> schemas.OrganizationsPaginated:
    ids = principal.organization_ids()
    if astronomer_product not in (None, "ASTRO"):
        ids = set()
    rows, total = OrganizationRepository(session).page(ids, params, product=product, product_plan=product_plan)
    profiles = SubjectProfiles(session).prefetch(rows)
    return schemas.OrganizationsPaginated(
        organizations=[to_public(session, row, profiles) for row in rows],
        limit=params.limit, offset=params.offset, totalCount=total)


def get_organization(session: Session, auth: AuthContext) -> schemas.Organization:
    org = OrganizationRepository(session).get(auth.organization_id)
    if org is None:
        raise NotFound("Organization not found")
    return to_public(session, org, SubjectProfiles(session))


def update_organization(session: Session, auth: AuthContext,
                        body: schemas.UpdateOrganizationRequest) -> schemas.Organization:
    repository = OrganizationRepository(session)
    org = repository.get(auth.organization_id)
    if org is None:
        raise NotFound("Organization not found")
    name = body.name.strip()
    if not name or len(name) > MAX_NAME_LENGTH:
        raise BadRequest(f"name must be 1 to {MAX_NAME_LENGTH} characters", field="name")
    if repository.name_taken(name, except_id=org.id):
        raise BadRequest(f"organization name {name} already exists", field="name")
    if "@" not in body.billingEmail:
        raise BadRequest("billingEmail must be an email address", field="billingEmail")
    org.name = name
    org.billing_email = body.billingEmail
    org.is_scim_enabled = body.isScimEnabled
    if body.allowEnhancedSupportAccess is not None:
        org.allow_enhanced_support_access = body.allowEnhancedSupportAccess
    if body.hasAiFeaturesDisabled is not None:
        org.has_ai_features_disabled = body.hasAiFeaturesDisabled
    if body.shouldEnforceDedicatedClusters is not None:
        org.should_enforce_dedicated_clusters = body.shouldEnforceDedicatedClusters
    org.stamp_author(auth.principal.subject)
    session.flush()
    return to_public(session, org, SubjectProfiles(session))
