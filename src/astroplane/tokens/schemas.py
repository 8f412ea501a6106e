from astroplane.contract.models import (  # noqa: F401 - the contract's shapes for this resource
    ApiToken,
    ApiTokenRole,
    ApiTokensPaginated,
    CreateApiTokenRequest,
    SubjectRoles,
    UpdateApiTokenRequest,
    UpdateApiTokenRolesRequest,
)
