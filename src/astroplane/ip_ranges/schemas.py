from astroplane.contract.models import (  # noqa: F401 - the contract's shapes for this resource
    AllowedIpAddressRange,
    AllowedIpAddressRangesList,
    AllowedIpAddressRangesPaginated,
    BulkCreateAllowedIpAddressRangesRequest,
    BulkDeleteAllowedIpAddressRangesRequest,
    CreateAllowedIpAddressRangeRequest,
)
