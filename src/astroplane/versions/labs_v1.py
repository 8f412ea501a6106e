"""The Astro Labs API v1 (`/labs/v1`): bulk IP allow-list changes (and, with the alerts, bulk alerts).

Its bulk IP operations are v1's bulk-create and bulk-delete under other routes: POST and DELETE on
the collection itself, each with a body. They run v1's service, so they share its atomicity (all
ranges or none) and its limits.
"""

from astroplane.contract import labs_v1 as models
from astroplane.kit.versions import Adaptation, ApiVersion

PREFIX = "/labs/v1"
RANGES = "/organizations/{organizationId}/allowed-ip-address-ranges"

OPERATIONS = ["LabsCreateAllowedIpAddressRanges", "LabsDeleteAllowedIpAddressRanges"]
ADAPTATIONS = {
    "LabsCreateAllowedIpAddressRanges": Adaptation(v1_operation="BulkCreateAllowedIpAddressRanges",
                                                   method="POST", path=RANGES),
    "LabsDeleteAllowedIpAddressRanges": Adaptation(v1_operation="BulkDeleteAllowedIpAddressRanges",
                                                   method="DELETE", path=RANGES),
}

VERSION = ApiVersion(name="labs-v1", prefix=PREFIX, title="astroplane — Astro Labs API v1",
                     models=models, operations=OPERATIONS, adaptations=ADAPTATIONS)
