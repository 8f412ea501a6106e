from typing import Any

from pydantic import PrivateAttr, model_validator

from astroplane.contract import models as contract
from astroplane.contract.models import (  # noqa: F401 - the contract's shapes for this resource
    CreateDedicatedDeploymentRequest,
    CreateHybridDeploymentRequest,
    CreateStandardDeploymentRequest,
    Deployment,
    DeploymentEnvironmentVariable,
    DeploymentHibernationOverride,
    DeploymentHibernationSchedule,
    DeploymentHibernationSpec,
    DeploymentHibernationStatus,
    DeploymentOptions,
    DeploymentRemoteExecution,
    DeploymentScalingSpec,
    DeploymentScalingStatus,
    DeploymentsPaginated,
    OverrideDeploymentHibernationBody,
    UpdateDedicatedDeploymentRequest,
    UpdateDeploymentRequest,
    UpdateHybridDeploymentRequest,
    UpdateStandardDeploymentRequest,
    WorkerQueue,
)
from astroplane.kit.unions import advertise_discriminator

TYPES = ["DEDICATED", "HYBRID", "STANDARD"]
CREATE_VARIANTS = {"STANDARD": CreateStandardDeploymentRequest, "DEDICATED": CreateDedicatedDeploymentRequest,
                   "HYBRID": CreateHybridDeploymentRequest}
UPDATE_VARIANTS = {"STANDARD": UpdateStandardDeploymentRequest, "DEDICATED": UpdateDedicatedDeploymentRequest,
                   "HYBRID": UpdateHybridDeploymentRequest}


class CreateDeploymentRequest(contract.CreateDeploymentRequest):
    """The create union, accepting the simplified form: without `type` the body is parsed as a
    placeholder variant and the service infers the type from the resolved cluster."""

    _type_given: bool = PrivateAttr(default=True)

    @model_validator(mode="wrap")
    @classmethod
    def _infer_later(cls, data: Any, handler):
        if isinstance(data, dict) and data.get("type") is None:
            parsed = handler({**data, "type": "STANDARD"})
            parsed._type_given = False
            return parsed
        return handler(data)

    @property
    def type_given(self) -> bool:
        return self._type_given


advertise_discriminator(contract.CreateDeploymentRequest, "type", TYPES, required=False)
advertise_discriminator(UpdateDeploymentRequest, "type", TYPES)
CreateDeploymentRequest.model_rebuild(force=True)
