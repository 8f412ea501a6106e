"""Platform v1beta1 notification channels (the v1 API has none)."""

from typing import Annotated, Literal

from fastapi import Query, Response

from astroplane.kit.db import SessionDep
from astroplane.kit.hot import pages_follow
from astroplane.kit.egress import EgressDep
from astroplane.kit.pagination import list_params
from astroplane.kit.router import AstroRouter
from astroplane.kit.unions import RawBody
from astroplane.notification_channels import schemas, service
from astroplane.rbac.authorize import permission

router = AstroRouter(tags=["notification-channels"])
PATH = "/organizations/{organizationId}/notification-channels"
ChannelListParams = list_params("createdAt", "name", "updatedAt")
# A channel belongs to the organization, a workspace or a deployment named in the channel (or the
# body): routes need membership, and the service checks `<entity>.notificationChannels.<action>` there.
OrganizationMember = permission(None)
ChannelType = Literal["DAG_TRIGGER", "EMAIL", "OPSGENIE", "PAGERDUTY", "SLACK"]
EntityType = Literal["DEPLOYMENT", "ORGANIZATION", "WORKSPACE"]


@router.get(PATH, operation_id="ListNotificationChannels", response_model=schemas.NotificationChannelsPaginated)
@pages_follow("notification_channels", "deployments", "workspaces")  # + the names of what channels belong to
async def list_notification_channels(
    session: SessionDep, auth: OrganizationMember, params: ChannelListParams,
    notificationChannelIds: Annotated[list[str] | None, Query()] = None,
    deploymentIds: Annotated[list[str] | None, Query()] = None,
    workspaceIds: Annotated[list[str] | None, Query()] = None,
    channelTypes: Annotated[list[ChannelType] | None, Query()] = None,
    entityType: Annotated[EntityType | None, Query()] = None,
):
    return service.list_channels(session, auth, params, channel_ids=notificationChannelIds,
                                 deployment_ids=deploymentIds, workspace_ids=workspaceIds,
                                 channel_types=channelTypes, entity_type=entityType)


@router.post(PATH, operation_id="CreateNotificationChannel", response_model=schemas.NotificationChannel)
async def create_notification_channel(session: SessionDep, auth: OrganizationMember,
                                      body: schemas.CreateNotificationChannelRequest, egress: EgressDep):
    return service.create_channel(session, auth, body, egress)


@router.get(PATH + "/{notificationChannelId}", operation_id="GetNotificationChannel",
            response_model=schemas.NotificationChannel)
async def get_notification_channel(session: SessionDep, auth: OrganizationMember, notificationChannelId: str):
    return service.get_channel(session, auth, notificationChannelId)


@router.post(PATH + "/{notificationChannelId}", operation_id="UpdateNotificationChannel",
             response_model=schemas.NotificationChannel)
async def update_notification_channel(session: SessionDep, auth: OrganizationMember, notificationChannelId: str,
                                      body: schemas.UpdateNotificationChannelRequest, raw: RawBody,
                                      egress: EgressDep):
    return service.update_channel(session, auth, notificationChannelId, body, raw, egress)


@router.delete(PATH + "/{notificationChannelId}", operation_id="DeleteNotificationChannel", status_code=204,
               response_class=Response)
async def delete_notification_channel(session: SessionDep, auth: OrganizationMember,
                                      notificationChannelId: str) -> None:
    service.delete_channel(session, auth, notificationChannelId)
