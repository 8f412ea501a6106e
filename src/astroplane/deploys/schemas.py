from astroplane.contract.models import (  # noqa: F401 - the contract's shapes for this resource
    Bundle,
    CreateDeployRequest,
    Deploy,
    DeployGit,
    DeployRollbackRequest,
    DeploysPaginated,
    FinalizeDeployRequest,
    UpdateDeployRequest,
)
