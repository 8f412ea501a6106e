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
    UpdateNotificationChannelRequest,
)
from astroplane.kit.unions import advertise_discriminator

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
advertise_discriminator(contract.UpdateNotificationChannelRequest, "type", CHANNEL_TYPES)
