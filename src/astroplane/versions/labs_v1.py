"""The Astro Labs API v1 (`/labs/v1`): bulk IP allow-list changes (and, with the alerts, bulk alerts).

Its bulk IP operations are v1's bulk-create and bulk-delete under other routes: POST and DELETE on
the collection itself, each with a body. They run v1's service, so they share its atomicity (all
ranges or none) and its limits. The provider also reads the list through Labs
(LabsListAllowedIpAddressRanges, absent from the reference contract): v1's list, in the bulk
create's response shape, paged by `limit` and `offset`.
"""

from astroplane.contract import labs_v1 as models
from astroplane.kit.versions import Adaptation, ApiVersion

PREFIX = "/labs/v1"
RANGES = "/organizations/{organizationId}/allowed-ip-address-ranges"

OPERATIONS = ["LabsListAllowedIpAddressRanges", "LabsCreateAllowedIpAddressRanges",
              "LabsDeleteAllowedIpAddressRanges"]
ADAPTATIONS = {
    "LabsListAllowedIpAddressRanges": Adaptation(v1_operation="ListAllowedIpAddressRanges",
                                                 response_model="AllowedIpAddressRangesList"),
    "LabsCreateAllowedIpAddressRanges": Adaptation(v1_operation="BulkCreateAllowedIpAddressRanges",
                                                   method="POST", path=RANGES),
    "LabsDeleteAllowedIpAddressRanges": Adaptation(v1_operation="BulkDeleteAllowedIpAddressRanges",
                                                   method="DELETE", path=RANGES),
}

VERSION = ApiVersion(name="labs-v1", prefix=PREFIX, label="Astro Labs API v1",
                     models=models, operations=OPERATIONS, adaptations=ADAPTATIONS)
