from astroplane.kit.unions import advertise_discriminator
from astroplane.contract.models import (  # noqa: F401 - the contract's shapes for this resource
    Cluster,
    ClusterHealthStatus,
    ClusterHealthStatusDetail,
    ClusterK8sTag,
    ClusterMetadata,
    ClusterOptions,
    ClustersPaginated,
    CreateAwsClusterRequest,
    CreateAzureClusterRequest,
    CreateClusterRequest,
    CreateGcpClusterRequest,
    NodePool,
    UpdateClusterRequest,
    UpdateDedicatedClusterRequest,
    UpdateHybridClusterRequest,
)

CREATE_VARIANTS = {"AWS": CreateAwsClusterRequest, "AZURE": CreateAzureClusterRequest, "GCP": CreateGcpClusterRequest}

advertise_discriminator(CreateClusterRequest, "cloudProvider", ["AWS", "AZURE", "GCP"])
