"""Alerts in Platform v1beta1 (one at a time) and Labs v1 (in bulk); the v1 API has none."""

from typing import Annotated, Literal

from fastapi import Query, Response

from astroplane.alerts import schemas, service
from astroplane.kit.db import SessionDep
from astroplane.kit.hot import pages_follow
from astroplane.kit.pagination import list_params
from astroplane.kit.router import AstroRouter
from astroplane.kit.unions import RawBody
from astroplane.rbac.authorize import permission

router = AstroRouter(tags=["alerts"])
labs_router = AstroRouter(tags=["alerts"])
PATH = "/organizations/{organizationId}/alerts"
AlertListParams = list_params("createdAt", "name", "updatedAt")
LabsAlertListParams = list_params()
# An alert belongs to the deployment its body names: routes need membership, and the service checks
# `deployment.alerts.<action>` on that deployment.
OrganizationMember = permission(None)
AlertType = Literal["DAG_DURATION", "DAG_FAILURE", "DAG_SUCCESS", "DAG_TIMELINESS", "TASK_DURATION", "TASK_FAILURE"]


@router.get(PATH, operation_id="ListAlerts", response_model=schemas.AlertsPaginated)
@pages_follow("alerts", "alert_channels", "notification_channels", "deployments")  # + deployment names, channels
async def list_alerts(
    session: SessionDep, auth: OrganizationMember, params: AlertListParams,
    alertIds: Annotated[list[str] | None, Query()] = None,
    deploymentIds: Annotated[list[str] | None, Query()] = None,
    workspaceIds: Annotated[list[str] | None, Query()] = None,
    alertTypes: Annotated[list[AlertType] | None, Query()] = None,
    entityType: Annotated[Literal["DEPLOYMENT"] | None, Query()] = None,
):
    return service.list_alerts(session, auth, params, alert_ids=alertIds, deployment_ids=deploymentIds,
                               workspace_ids=workspaceIds, alert_types=alertTypes)


@router.post(PATH, operation_id="CreateAlert", response_model=schemas.Alert)
async def create_alert(session: SessionDep, auth: OrganizationMember, body: schemas.CreateAlertRequest):
    return service.create_alert(session, auth, body)


@router.get(PATH + "/{alertId}", operation_id="GetAlert", response_model=schemas.Alert)
async def get_alert(session: SessionDep, auth: OrganizationMember, alertId: str):
    return service.get_alert(session, auth, alertId)


@router.post(PATH + "/{alertId}", operation_id="UpdateAlert", response_model=schemas.Alert)
async def update_alert(session: SessionDep, auth: OrganizationMember, alertId: str,
                       body: schemas.UpdateAlertRequest, raw: RawBody):
    return service.update_alert(session, auth, alertId, body, raw)


@router.delete(PATH + "/{alertId}", operation_id="DeleteAlert", status_code=204, response_class=Response)
async def delete_alert(session: SessionDep, auth: OrganizationMember, alertId: str) -> None:
    service.delete_alert(session, auth, alertId)


@labs_router.get(PATH, operation_id="LabsListAlerts", response_model=schemas.AlertsList)
async def labs_list_alerts(session: SessionDep, auth: OrganizationMember, params: LabsAlertListParams,
                           alertIds: Annotated[list[str] | None, Query()] = None,
                           deploymentIds: Annotated[list[str] | None, Query()] = None):
    return service.labs_list_alerts(session, auth, params, alert_ids=alertIds, deployment_ids=deploymentIds)


@labs_router.post("/organizations/{organizationId}/create-alerts", operation_id="LabsCreateAlerts",
                  response_model=schemas.AlertsList)
async def labs_create_alerts(session: SessionDep, auth: OrganizationMember, body: schemas.LabsCreateAlertsRequest):
    return service.bulk_create(session, auth, body)


@labs_router.post("/organizations/{organizationId}/update-alerts", operation_id="LabsUpdateAlerts",
                  response_model=schemas.AlertsList)
async def labs_update_alerts(session: SessionDep, auth: OrganizationMember, body: schemas.LabsUpdateAlertsRequest,
                             raw: RawBody):
    return service.bulk_update(session, auth, body, raw)


@labs_router.post("/organizations/{organizationId}/delete-alerts", operation_id="LabsDeleteAlerts",
                  status_code=204, response_class=Response)
async def labs_delete_alerts(session: SessionDep, auth: OrganizationMember,
                             body: schemas.LabsDeleteAlertsRequest) -> None:
    service.bulk_delete(session, auth, body)
