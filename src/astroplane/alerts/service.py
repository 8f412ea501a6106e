"""Alerts: rules on one deployment's DAG runs and task tries, notifying channels the deployment can see.

Platform v1beta1 creates, reads, updates and deletes one at a time; Labs v1 creates, updates and
deletes up to 30 (20 for deletes) at once, all or nothing: every item is checked before anything is
written, and any failure leaves the request's transaction (which owns every write) rolled back.
"""

import json
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from astroplane.alerts import rules, schemas
from astroplane.alerts.models import Alert
from astroplane.alerts.repository import AlertRepository
from astroplane.auth.subjects import SubjectProfiles
from astroplane.deployments.models import Deployment
from astroplane.kit.errors import BadRequest, NotFound
from astroplane.kit.ids import is_id
from astroplane.kit.pagination import ListParams
from astroplane.kit.unions import parse_variant
from astroplane.notification_channels import service as channels
from astroplane.notification_channels.models import NotificationChannel
from astroplane.notification_channels.repository import NotificationChannelRepository
from astroplane.rbac import service as roles
from astroplane.rbac.authorize import AuthContext
from astroplane.rbac.permissions import ScopeType
from astroplane.rbac.principal import Principal, Target
from astroplane.workspaces.models import Workspace

MAX_NAME_LENGTH = 256
MAX_CHANNELS = 20
MAX_BULK_WRITE, MAX_BULK_DELETE = 30, 20


def _target(row: Alert) -> Target:
    return Target(row.organization_id, row.workspace_id, row.deployment_id)


def _properties(row: Alert) -> dict[str, Any]:
    return json.loads(row.properties)


def _patterns(row: Alert) -> list[dict[str, Any]]:
    return json.loads(row.pattern_matches)


def rule_of(row: Alert) -> rules.Rule:
    return rules.Rule(row.id, row.alert_type, _properties(row), tuple(_patterns(row)), row.created_at)


# ---------------------------------------------------------------- rendering

def _render_many(session: Session, rows: list[Alert]) -> list[schemas.Alert]:
    repository = AlertRepository(session)
    linked = repository.channels_of([row.id for row in rows])
    names = repository.deployment_names({row.deployment_id for row in rows})
    profiles = SubjectProfiles(session).prefetch(rows)
    rendered = []
    for row in rows:
        properties = {**_properties(row), "deploymentId": row.deployment_id}
        rendered.append(schemas.Alert(
            id=row.id, name=row.name, type=row.alert_type, severity=row.severity, organizationId=row.organization_id,
            workspaceId=row.workspace_id, deploymentId=row.deployment_id, entityType="DEPLOYMENT",
            entityId=row.deployment_id, entityName=names.get(row.deployment_id),
            rules=schemas.AlertRules(properties=properties, patternMatches=_patterns(row)),
            notificationChannels=[schemas.AlertNotificationChannel(**channels.public_fields(channel))
                                  for channel in linked[row.id]],
            createdAt=row.created_at, updatedAt=row.updated_at,
            createdBy=channels.profile_fields(profiles.created_by(row)), updatedBy=channels.profile_fields(profiles.updated_by(row))))
    return rendered


# ---------------------------------------------------------------- validation

def _check_name(name: str | None, prefix: str) -> None:
    if name is not None and not (name.strip() and len(name) <= MAX_NAME_LENGTH):
        raise BadRequest(f"{prefix}name must be 1 to {MAX_NAME_LENGTH} characters", field=f"{prefix}name")


def _check_channels(session: Session, organization_id: str, target: Target, channel_ids: list[str],
                    prefix: str) -> list[str]:
    field = f"{prefix}notificationChannelIds"
    if not 1 <= len(channel_ids) <= MAX_CHANNELS:
        raise BadRequest(f"{field} must name 1 to {MAX_CHANNELS} notification channels", field=field)
    if len(set(channel_ids)) != len(channel_ids):
        raise BadRequest(f"{field} names a channel twice", field=field)
    found = NotificationChannelRepository(session).among(organization_id, [i for i in channel_ids if is_id(i)])
    for channel_id in channel_ids:
        channel = found.get(channel_id)
        if channel is None:
            raise BadRequest(f"{field}: no notification channel {channel_id[:40]} in this organization", field=field)
        if not _reaches(channel, target):
            raise BadRequest(f"{field}: notification channel {channel_id} is not visible from deployment "
                             f"{target.deployment_id} (it belongs to another {channel.entity_type.lower()}, or "
                             "is not shared)", field=field)
    return channel_ids


def _reaches(channel: NotificationChannel, target: Target) -> bool:
    if channel.entity_type == "DEPLOYMENT":
        return channel.deployment_id == target.deployment_id
    if channel.entity_type == "WORKSPACE":
        return channel.is_shared and channel.workspace_id == target.workspace_id
    return channel.is_shared


def _dump(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def _patterns_of(body_rules: Any) -> list[dict[str, Any]] | None:
    patterns = getattr(body_rules, "patternMatches", None) if body_rules is not None else None
    return None if patterns is None else [pattern.model_dump() for pattern in patterns]


# ---------------------------------------------------------------- create

def _new_alert(session: Session, auth: AuthContext, request: Any, prefix: str = "") -> tuple[Alert, list[str]]:
    """A checked, not yet added, alert and its channels."""
    target = roles.resolve_entity(session, auth.organization_id, ScopeType.DEPLOYMENT, request.entityId,
                                  f"{prefix}entityId")
    auth.principal.require("deployment.alerts.create", target)
    _check_name(request.name, prefix)
    raw_properties = request.rules.properties.model_dump()
    if raw_properties.get("deploymentId") != request.entityId:
        raise BadRequest(f"{prefix}rules.properties.deploymentId must be the alert's entityId",
                         field=f"{prefix}rules.properties.deploymentId")
    properties = rules.check_properties(request.type, raw_properties, prefix)
    patterns = rules.check_patterns(request.type, _patterns_of(request.rules) or [], prefix)
    channel_ids = _check_channels(session, auth.organization_id, target, list(request.notificationChannelIds), prefix)
    row = Alert(organization_id=auth.organization_id, workspace_id=target.workspace_id,
                deployment_id=target.deployment_id, name=request.name, alert_type=request.type,
                severity=request.severity, properties=_dump(properties), pattern_matches=_dump(patterns))
    row.stamp_author(auth.principal.subject, created=True)
    return row, channel_ids


def _store_new(session: Session, pending: list[tuple[Alert, list[str]]]) -> list[Alert]:
    repository = AlertRepository(session)
    for row, channel_ids in pending:
        repository.add(row)
        repository.set_channels(row.id, channel_ids)
    return [row for row, _ in pending]


def create_alert(session: Session, auth: AuthContext, body: Any) -> schemas.Alert:
    rows = _store_new(session, [_new_alert(session, auth, body.root)])
    return _render_many(session, rows)[0]


def bulk_create(session: Session, auth: AuthContext, body: Any) -> schemas.AlertsList:
    if not 1 <= len(body.alerts) <= MAX_BULK_WRITE:
        raise BadRequest(f"alerts must hold 1 to {MAX_BULK_WRITE} alerts", field="alerts")
    pending = [_new_alert(session, auth, item, f"alerts[{index}].") for index, item in enumerate(body.alerts)]
    return schemas.AlertsList(alerts=_render_many(session, _store_new(session, pending)))


# ---------------------------------------------------------------- read, update, delete

def _load(session: Session, auth: AuthContext, alert_id: str, action: str) -> Alert:
    row = AlertRepository(session).get(auth.organization_id, alert_id) if is_id(alert_id) else None
    if row is None:
        raise NotFound(f"Alert {alert_id[:40]} not found")
    auth.principal.require(f"deployment.alerts.{action}", _target(row))
    return row


def get_alert(session: Session, auth: AuthContext, alert_id: str) -> schemas.Alert:
    return _render_many(session, [_load(session, auth, alert_id, "get")])[0]


def _apply_update(session: Session, auth: AuthContext, row: Alert, request: Any, prefix: str = "") -> list[str] | None:
    """Check an update against the alert and apply it to the row; the new channel list, if any."""
    if request.type != row.alert_type:
        raise BadRequest(f"{prefix}type: a {row.alert_type} alert cannot become {request.type}",
                         field=f"{prefix}type")
    _check_name(request.name, prefix)
    channel_ids = None
    if request.notificationChannelIds is not None:
        channel_ids = _check_channels(session, auth.organization_id, _target(row),
                                      list(request.notificationChannelIds), prefix)
    given = getattr(request.rules, "properties", None) if request.rules is not None else None
    if given is not None:
        merged = {**_properties(row), **given.model_dump(exclude_none=True)}
        row.properties = _dump(rules.check_properties(row.alert_type, merged, prefix))
    patterns = _patterns_of(request.rules)
    if patterns is not None:
        row.pattern_matches = _dump(rules.check_patterns(row.alert_type, patterns, prefix))
    if request.name is not None:
        row.name = request.name
    if request.severity is not None:
        row.severity = request.severity
    row.stamp_author(auth.principal.subject)
    return channel_ids


def _update_request(body: Any, raw: dict[str, Any], row: Alert, module) -> Any:
    """The update as the variant of the alert's type (a body may leave out its type)."""
    if body.tag_given:
        return body.root
    return parse_variant(schemas.UPDATE_VARIANTS[module][row.alert_type], {**raw, "type": row.alert_type})


def update_alert(session: Session, auth: AuthContext, alert_id: str, body: Any, raw: dict[str, Any]) -> schemas.Alert:
    row = _load(session, auth, alert_id, "update")
    channel_ids = _apply_update(session, auth, row, _update_request(body, raw, row, schemas.contract))
    session.flush()
    if channel_ids is not None:
        AlertRepository(session).set_channels(row.id, channel_ids)
    return _render_many(session, [row])[0]


def bulk_update(session: Session, auth: AuthContext, body: Any, raw: dict[str, Any]) -> schemas.AlertsList:
    if not 1 <= len(body.alerts) <= MAX_BULK_WRITE:
        raise BadRequest(f"alerts must hold 1 to {MAX_BULK_WRITE} alerts", field="alerts")
    rows, changes = [], []
    for index, given in enumerate(body.alerts):
        prefix = f"alerts[{index}]."
        item = given.root
        if not item.id:
            raise BadRequest(f"{prefix}id is required to update alerts in bulk", field=f"{prefix}id")
        if item.id in {row.id for row in rows}:
            raise BadRequest(f"{prefix}id: alert {item.id} is updated twice", field=f"{prefix}id")
        row = _load(session, auth, item.id, "update")
        item = _update_request(given, raw["alerts"][index], row, schemas.labs)
        changes.append(_apply_update(session, auth, row, item, prefix))
        rows.append(row)
    session.flush()
    repository = AlertRepository(session)
    for row, channel_ids in zip(rows, changes):
        if channel_ids is not None:
            repository.set_channels(row.id, channel_ids)
    return schemas.AlertsList(alerts=_render_many(session, rows))


def delete_alert(session: Session, auth: AuthContext, alert_id: str) -> None:
    AlertRepository(session).delete([_load(session, auth, alert_id, "delete")])


def bulk_delete(session: Session, auth: AuthContext, body: Any) -> None:
    ids = body.alertIds
    if not 1 <= len(ids) <= MAX_BULK_DELETE:
        raise BadRequest(f"alertIds must hold 1 to {MAX_BULK_DELETE} ids", field="alertIds")
    rows = {alert_id: _load(session, auth, alert_id, "delete") for alert_id in ids}
    AlertRepository(session).delete(list(rows.values()))


# ---------------------------------------------------------------- lists

def _visible(principal: Principal, organization_id: str) -> sa.ColumnElement | None:
    reach = principal.reach("deployment.alerts.get", organization_id)
    if reach.everywhere:
        return None
    return sa.or_(Alert.workspace_id.in_(reach.workspace_ids), Alert.deployment_id.in_(reach.deployment_ids))


def _filters(auth: AuthContext, *, alert_ids: list[str] | None, deployment_ids: list[str] | None,
             workspace_ids: list[str] | None = None, alert_types: list[str] | None = None) -> list[sa.ColumnElement]:
    filters = []
    visible = _visible(auth.principal, auth.organization_id)
    if visible is not None:
        filters.append(visible)
    for column, values in ((Alert.id, alert_ids), (Alert.deployment_id, deployment_ids),
                           (Alert.workspace_id, workspace_ids), (Alert.alert_type, alert_types)):
        if values:
            filters.append(column.in_(values))
    return filters


def list_alerts(session: Session, auth: AuthContext, params: ListParams, **filters) -> schemas.AlertsPaginated:
    rows, total = AlertRepository(session).page(auth.organization_id, params, _filters(auth, **filters))
    return schemas.AlertsPaginated(alerts=_render_many(session, rows), limit=params.limit, offset=params.offset,
                                   totalCount=total)


def labs_list_alerts(session: Session, auth: AuthContext, params: ListParams, **filters) -> schemas.AlertsList:
    rows, _ = AlertRepository(session).page(auth.organization_id, params, _filters(auth, **filters), counted=False)
    return schemas.AlertsList(alerts=_render_many(session, rows))


# ---------------------------------------------------------------- hooks (wired in resources.py)

def detach_channel(session: Session, channel: NotificationChannel) -> None:
    """notification_channels DELETE_CLEANUPS: alerts stop notifying a channel that goes."""
    AlertRepository(session).detach_channel(channel.id)


def refuse_unsharing(session: Session, channel: NotificationChannel, shared: bool) -> str | None:
    """notification_channels SHARING_GUARDS: a channel other deployments' alerts use stays shared."""
    if shared:
        return None
    users = [alert for alert in AlertRepository(session).alerts_using(channel.id)
             if alert.deployment_id != channel.deployment_id]
    if users:
        return (f"{len(users)} alert(s) of deployments below this {channel.entity_type.lower()} notify it "
                f"(e.g. {users[0].id}); remove it from them first")
    return None


def delete_for_workspace(session: Session, workspace: Workspace) -> None:
    AlertRepository(session).delete_where(Alert.workspace_id == workspace.id)


def delete_for_deployment(session: Session, deployment: Deployment) -> None:
    AlertRepository(session).delete_where(Alert.deployment_id == deployment.id)

