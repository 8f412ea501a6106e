from typing import Literal

from astroplane.contract import labs_v1 as labs
from astroplane.contract import platform_v1beta1 as contract
from astroplane.contract.platform_v1beta1 import (  # noqa: F401 - the contract's shapes for this resource
    AlertNotificationChannel,
    CreateAlertRequest,
    PatternMatchRequest,
    UpdateAlertRequest,
)
from astroplane.kit.schemas import ContractModel
from astroplane.kit.unions import advertise_discriminator, advertise_variants

ALERT_TYPES = ["DAG_DURATION", "DAG_FAILURE", "DAG_SUCCESS", "DAG_TIMELINESS", "TASK_DURATION", "TASK_FAILURE"]
_KINDS = ("DagDuration", "DagFailure", "DagSuccess", "DagTimeliness", "TaskDuration", "TaskFailure")
advertise_discriminator(contract.CreateAlertRequest, "type", ALERT_TYPES)
advertise_discriminator(contract.UpdateAlertRequest, "type", ALERT_TYPES)
advertise_variants([getattr(labs, f"{verb}{kind}AlertRequest") for verb in ("Create", "Update") for kind in _KINDS],
                   "type", ALERT_TYPES)
labs.CreateAlertsRequest.model_rebuild(force=True)
labs.UpdateAlertsRequest.model_rebuild(force=True)

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
LabsUpdateAlertsRequest = labs.UpdateAlertsRequest
LabsDeleteAlertsRequest = labs.DeleteAlertsRequest
