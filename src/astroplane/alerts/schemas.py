from typing import Annotated, Literal

from pydantic import Field, RootModel

from astroplane.contract import labs_v1 as labs
from astroplane.contract import platform_v1beta1 as contract
from astroplane.contract.platform_v1beta1 import (  # noqa: F401 - the contract's shapes for this resource
    AlertNotificationChannel,
    CreateAlertRequest,
    PatternMatchRequest,
)
from astroplane.kit.schemas import ContractModel
from astroplane.kit.unions import advertise_discriminator, advertise_variants, with_optional_tag

ALERT_TYPES = ["DAG_DURATION", "DAG_FAILURE", "DAG_SUCCESS", "DAG_TIMELINESS", "TASK_DURATION", "TASK_FAILURE"]
_KINDS = ("DagDuration", "DagFailure", "DagSuccess", "DagTimeliness", "TaskDuration", "TaskFailure")
# an update may leave out its type (the contract makes it optional): the stored alert's type applies
UPDATE_VARIANTS = {module: {alert_type: getattr(module, f"Update{kind}AlertRequest")
                            for alert_type, kind in zip(ALERT_TYPES, _KINDS)} for module in (contract, labs)}
advertise_discriminator(contract.CreateAlertRequest, "type", ALERT_TYPES)
advertise_variants([getattr(labs, f"Create{kind}AlertRequest") for kind in _KINDS], "type", ALERT_TYPES)
labs.CreateAlertsRequest.model_rebuild(force=True)


class _LabsUpdateAlertRequest(RootModel[Annotated[
        labs.UpdateDagDurationAlertRequest | labs.UpdateDagFailureAlertRequest | labs.UpdateDagSuccessAlertRequest
        | labs.UpdateDagTimelinessAlertRequest | labs.UpdateTaskDurationAlertRequest
        | labs.UpdateTaskFailureAlertRequest, Field(discriminator="type")]]):
    pass


UpdateAlertRequest = with_optional_tag(contract.UpdateAlertRequest, "type", "DAG_FAILURE", ("rules",))
LabsUpdateAlertRequest = with_optional_tag(_LabsUpdateAlertRequest, "type", "DAG_FAILURE", ("rules",))
advertise_discriminator(UpdateAlertRequest, "type", ALERT_TYPES, required=False)
advertise_discriminator(LabsUpdateAlertRequest, "type", ALERT_TYPES, required=False)

# The reference declares each response enum of a pattern match as one space-joined string (a
# generator's artefact). Responses carry the real values; the artefact stays in the published enum
# so clients generated from the reference still read ours.
_ENTITY = Literal["DAG_ID", "TASK_ID", "DAG_ID TASK_ID"]
_OPERATOR = Literal["EXCLUDES", "INCLUDES", "IS", "IS_NOT", "IS IS_NOT INCLUDES EXCLUDES"]


class PatternMatch(contract.PatternMatch):
    entityType: _ENTITY  # type: ignore[assignment]
    operatorType: _OPERATOR  # type: ignore[assignment]


class AlertRules(contract.AlertRules):
    patternMatches: list[PatternMatch] | None = None  # type: ignore[assignment]


class Alert(contract.Alert):
    rules: AlertRules  # type: ignore[assignment]


class AlertsPaginated(contract.AlertsPaginated):
    alerts: list[Alert]  # type: ignore[assignment]


class AlertsList(ContractModel):
    """Labs: the alerts a bulk create or update wrote."""

    alerts: list[Alert]


LabsCreateAlertsRequest = labs.CreateAlertsRequest


class LabsUpdateAlertsRequest(labs.UpdateAlertsRequest):
    alerts: Annotated[list[LabsUpdateAlertRequest], Field(max_length=30)]  # type: ignore[assignment, valid-type]
LabsDeleteAlertsRequest = labs.DeleteAlertsRequest
