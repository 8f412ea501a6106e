from astroplane.contract import labs_v1 as labs  # noqa: F401 - the labs shapes share these channels
from astroplane.contract import platform_v1beta1 as contract
from astroplane.contract.platform_v1beta1 import (  # noqa: F401 - the contract's shapes for this resource
    CreateDagTriggerNotificationChannelRequest,
    CreateEmailNotificationChannelRequest,
    CreateNotificationChannelRequest,
    CreateOpsgenieNotificationChannelRequest,
    CreatePagerDutyNotificationChannelRequest,
    CreateSlackNotificationChannelRequest,
    DagTriggerNotificationChannelDefinition,
    EmailNotificationChannelDefinition,
    NotificationChannel,
    NotificationChannelsPaginated,
    OpsgenieNotificationChannelDefinition,
    PagerDutyNotificationChannelDefinition,
    SlackNotificationChannelDefinition,
)
from astroplane.kit.unions import advertise_discriminator, with_optional_tag

CHANNEL_TYPES = ["DAG_TRIGGER", "EMAIL", "OPSGENIE", "PAGERDUTY", "SLACK"]
ENTITY_TYPES = ["DEPLOYMENT", "ORGANIZATION", "WORKSPACE"]
DEFINITIONS = {
    "DAG_TRIGGER": DagTriggerNotificationChannelDefinition, "EMAIL": EmailNotificationChannelDefinition,
    "OPSGENIE": OpsgenieNotificationChannelDefinition, "PAGERDUTY": PagerDutyNotificationChannelDefinition,
    "SLACK": SlackNotificationChannelDefinition,
}
# the definition fields that are secrets: stored encrypted, never shown
SECRET_FIELDS = {"DAG_TRIGGER": ("deploymentApiToken",), "OPSGENIE": ("apiKey",),
                 "PAGERDUTY": ("integrationKey",), "SLACK": ("webhookUrl",), "EMAIL": ()}

advertise_discriminator(contract.CreateNotificationChannelRequest, "type", CHANNEL_TYPES)
# an update may leave out its type (the contract makes it optional): the stored channel's type applies
UPDATE_VARIANTS = {"DAG_TRIGGER": contract.UpdateDagTriggerNotificationChannelRequest,
                   "EMAIL": contract.UpdateEmailNotificationChannelRequest,
                   "OPSGENIE": contract.UpdateOpsgenieNotificationChannelRequest,
                   "PAGERDUTY": contract.UpdatePagerDutyNotificationChannelRequest,
                   "SLACK": contract.UpdateSlackNotificationChannelRequest}
UpdateNotificationChannelRequest = with_optional_tag(contract.UpdateNotificationChannelRequest, "type", "EMAIL",
                                                     ("definition",))
advertise_discriminator(UpdateNotificationChannelRequest, "type", CHANNEL_TYPES, required=False)
