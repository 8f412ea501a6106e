"""Notification channels: where alerts go. Owned by the organization, a workspace or a deployment;
a shared organization or workspace channel also reaches the deployments below it.

Definitions are one encrypted JSON document (see models); the secret fields (webhook URL,
integration key, API key, DAG trigger token) are shown as a mask. An update that sends the mask
back keeps the stored secret, so a read-modify-write round trip never loses it.
"""

import json
import re
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from pydantic import BaseModel
from sqlalchemy.orm import Session

from astroplane.auth.subjects import SubjectProfiles
from astroplane.deployments.models import Deployment
from astroplane.kit.egress import EgressPolicy
from astroplane.kit.errors import BadRequest, NotFound
from astroplane.kit.pagination import ListParams
from astroplane.kit.unions import parse_variant
from astroplane.notification_channels import schemas
from astroplane.notification_channels.models import NotificationChannel
from astroplane.notification_channels.repository import (DEPLOYMENT, ORGANIZATION, WORKSPACE,
                                                        NotificationChannelRepository, reaches_deployment)
from astroplane.rbac import service as roles
from astroplane.rbac.authorize import AuthContext
from astroplane.rbac.permissions import ScopeType
from astroplane.rbac.principal import Principal, Target
from astroplane.workspaces.models import Workspace

MASK = "********"
MAX_NAME_LENGTH = 256
MAX_RECIPIENTS = 100
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# (session, channel, the wanted isShared) -> a reason the change is refused, or None
SHARING_GUARDS: list[Callable[[Session, NotificationChannel, bool], str | None]] = []
# run before a channel row goes (alerts detach from it)
DELETE_CLEANUPS: list[Callable[[Session, NotificationChannel], None]] = []


def _permission(entity_type: str, action: str) -> str:
    return f"{entity_type.lower()}.notificationChannels.{action}"


def target_of(row: NotificationChannel) -> Target:
    return Target(row.organization_id, row.workspace_id, row.deployment_id)


def definition_of(row: NotificationChannel) -> dict[str, Any]:
    """The stored definition, secrets included: for delivery only, never for a response."""
    return json.loads(row.definition)


def masked_definition(row: NotificationChannel) -> dict[str, Any]:
    shown = definition_of(row)
    for name in schemas.SECRET_FIELDS[row.channel_type]:
        if shown.get(name):
            shown[name] = MASK
    return shown


def _entity_names(session: Session, rows: list[NotificationChannel]) -> dict[str, str]:
    return NotificationChannelRepository(session).entity_names(
        {row.workspace_id for row in rows if row.entity_type == WORKSPACE},
        {row.deployment_id for row in rows if row.entity_type == DEPLOYMENT})


def public_fields(row: NotificationChannel) -> dict[str, Any]:
    """What a channel shows wherever it appears (on its own, or inside an alert)."""
    return dict(id=row.id, name=row.name, type=row.channel_type, entityType=row.entity_type, entityId=row.entity_id,
                organizationId=row.organization_id, workspaceId=row.workspace_id, deploymentId=row.deployment_id,
                definition=masked_definition(row), createdAt=row.created_at, updatedAt=row.updated_at)


def profile_fields(profile: BaseModel | None) -> dict[str, Any] | None:
    return profile.model_dump(exclude_none=True) if profile is not None else None


def to_public(row: NotificationChannel, profiles: SubjectProfiles, names: dict[str, str]
              ) -> schemas.NotificationChannel:
    entity_name = names.get(row.entity_id)
    return schemas.NotificationChannel(
        **public_fields(row), isShared=row.is_shared, entityName=entity_name,
        createdBy=profile_fields(profiles.created_by(row)), updatedBy=profile_fields(profiles.updated_by(row)))


def _render(session: Session, row: NotificationChannel) -> schemas.NotificationChannel:
    return to_public(row, SubjectProfiles(session).prefetch([row]), _entity_names(session, [row]))


# ---------------------------------------------------------------- validation

def _check_name(name: str | None) -> None:
    if name is not None and not (name.strip() and len(name) <= MAX_NAME_LENGTH):
        raise BadRequest(f"name must be 1 to {MAX_NAME_LENGTH} characters", field="name")


def _check_definition(session: Session, organization_id: str, channel_type: str, definition: dict[str, Any],
                      previous: dict[str, Any] | None, egress: EgressPolicy) -> dict[str, Any]:
    """The definition to store: checked for its type (a webhook URL against the egress policy, as
    written; kit.egress checks it again after DNS when sending), masked secrets replaced by the
    stored ones."""
    for name in schemas.SECRET_FIELDS[channel_type]:
        if definition.get(name) == MASK:
            if previous is None or not previous.get(name):
                raise BadRequest(f"definition.{name}: give the value, not its mask", field=f"definition.{name}")
            definition[name] = previous[name]
    for name, value in definition.items():
        if isinstance(value, str) and not value.strip():
            raise BadRequest(f"definition.{name} must not be empty", field=f"definition.{name}")
    if channel_type == "EMAIL":
        recipients = definition["recipients"]
        if not 1 <= len(recipients) <= MAX_RECIPIENTS:
            raise BadRequest(f"definition.recipients must list 1 to {MAX_RECIPIENTS} addresses",
                             field="definition.recipients")
        for index, address in enumerate(recipients):
            if not _EMAIL.match(address) or len(address) > 254:
                raise BadRequest(f"definition.recipients[{index}]: {address[:64]!r} is not an email address",
                                 field=f"definition.recipients[{index}]")
        if len(set(recipients)) != len(recipients):
            raise BadRequest("definition.recipients lists an address twice", field="definition.recipients")
    elif channel_type == "SLACK":
        if not re.match(r"^https?://[^\s/]+", definition["webhookUrl"]):
            raise BadRequest("definition.webhookUrl must be an http(s) URL", field="definition.webhookUrl")
        refusal = egress.url_refusal(definition["webhookUrl"])
        if refusal:
            raise BadRequest(f"definition.webhookUrl is refused: {refusal}", field="definition.webhookUrl")
    elif channel_type == "DAG_TRIGGER":
        roles.resolve_entity(session, organization_id, ScopeType.DEPLOYMENT, definition["deploymentId"],
                             "definition.deploymentId")
    return definition


def _definition(body: Any) -> dict[str, Any]:
    return body.definition.model_dump(exclude_none=True)


def _entity_target(session: Session, organization_id: str, entity_type: str, entity_id: str) -> Target:
    return roles.resolve_entity(session, organization_id, ScopeType(entity_type), entity_id, "entityId")


# ---------------------------------------------------------------- operations

def create_channel(session: Session, auth: AuthContext, body: Any, egress: EgressPolicy
                   ) -> schemas.NotificationChannel:
    request = body.root
    target = _entity_target(session, auth.organization_id, request.entityType, request.entityId)
    auth.principal.require(_permission(request.entityType, "create"), target)
    _check_name(request.name)
    definition = _check_definition(session, auth.organization_id, request.type, _definition(request), None, egress)
    row = NotificationChannel(
        organization_id=auth.organization_id, workspace_id=target.workspace_id, deployment_id=target.deployment_id,
        entity_type=request.entityType, name=request.name, channel_type=request.type,
        is_shared=bool(request.isShared) and request.entityType != DEPLOYMENT,
        definition=json.dumps(definition, sort_keys=True))
    row.stamp_author(auth.principal.subject, created=True)
    NotificationChannelRepository(session).add(row)
    return _render(session, row)


def load(session: Session, auth: AuthContext, channel_id: str, action: str) -> NotificationChannel:
    row = NotificationChannelRepository(session).get(auth.organization_id, channel_id)
    if row is None:
        raise NotFound("Notification channel not found")
    auth.principal.require(_permission(row.entity_type, action), target_of(row))
    return row


def get_channel(session: Session, auth: AuthContext, channel_id: str) -> schemas.NotificationChannel:
    return _render(session, load(session, auth, channel_id, "get"))


def update_channel(session: Session, auth: AuthContext, channel_id: str, body: Any, raw: dict[str, Any],
                   egress: EgressPolicy) -> schemas.NotificationChannel:
    row = load(session, auth, channel_id, "update")
    # a body may leave out its type: the stored channel's type applies
    request = body.root if body.tag_given else parse_variant(schemas.UPDATE_VARIANTS[row.channel_type],
                                                               {**raw, "type": row.channel_type})
    if request.type != row.channel_type:
        raise BadRequest(f"type: a {row.channel_type} channel cannot become {request.type}; create a new channel",
                         field="type")
    _check_name(request.name)
    if request.name is not None:
        row.name = request.name
    if request.definition is not None:
        definition = _check_definition(session, auth.organization_id, row.channel_type, _definition(request),
                                       definition_of(row), egress)
        row.definition = json.dumps(definition, sort_keys=True)
    if request.isShared is not None and row.entity_type != DEPLOYMENT and request.isShared != row.is_shared:
        for guard in SHARING_GUARDS:
            reason = guard(session, row, request.isShared)
            if reason:
                raise BadRequest(f"isShared: {reason}", field="isShared")
        row.is_shared = request.isShared
    row.stamp_author(auth.principal.subject)
    session.flush()
    return _render(session, row)


def delete_channel(session: Session, auth: AuthContext, channel_id: str) -> None:
    row = load(session, auth, channel_id, "delete")
    for cleanup in DELETE_CLEANUPS:
        cleanup(session, row)
    NotificationChannelRepository(session).delete(row)


def _visible(principal: Principal, organization_id: str) -> sa.ColumnElement | None:
    """SQL condition for the channels this caller may read; None means all of the organization's."""
    channel = NotificationChannel
    reaches = {kind: principal.reach(_permission(kind, "get"), organization_id)
               for kind in (ORGANIZATION, WORKSPACE, DEPLOYMENT)}
    if all(reach.everywhere for reach in reaches.values()):
        return None
    conditions = []
    for kind, reach in reaches.items():
        of_kind = channel.entity_type == kind
        if reach.everywhere:
            conditions.append(of_kind)
        elif kind != ORGANIZATION:
            scoped = [channel.workspace_id.in_(reach.workspace_ids)] if reach.workspace_ids else []
            if kind == DEPLOYMENT and reach.deployment_ids:
                scoped.append(channel.deployment_id.in_(reach.deployment_ids))
            if scoped:
                conditions.append(sa.and_(of_kind, sa.or_(*scoped)))
    return sa.or_(*conditions) if conditions else sa.false()


def list_channels(session: Session, auth: AuthContext, params: ListParams, *, channel_ids: list[str] | None,
                  deployment_ids: list[str] | None, workspace_ids: list[str] | None,
                  channel_types: list[str] | None, entity_type: str | None) -> schemas.NotificationChannelsPaginated:
    if deployment_ids and workspace_ids:
        raise BadRequest("give deploymentIds or workspaceIds, not both", field="workspaceIds")
    channel = NotificationChannel
    filters: list[sa.ColumnElement] = []
    if channel_ids:
        filters.append(channel.id.in_(channel_ids))
    if channel_types:
        filters.append(channel.channel_type.in_(channel_types))
    if entity_type:
        filters.append(channel.entity_type == entity_type)
    if deployment_ids:
        scopes = NotificationChannelRepository(session).deployment_scopes(auth.organization_id, deployment_ids)
        filters.append(sa.or_(*(reaches_deployment(ws, dep) for dep, ws in scopes)) if scopes else sa.false())
    if workspace_ids:
        filters.append(sa.or_(channel.workspace_id.in_(workspace_ids),
                              sa.and_(channel.entity_type == ORGANIZATION, channel.is_shared)))
    rows, total = NotificationChannelRepository(session).page(
        auth.organization_id, params, visible=_visible(auth.principal, auth.organization_id), filters=filters)
    profiles = SubjectProfiles(session).prefetch(rows)
    names = _entity_names(session, rows)
    return schemas.NotificationChannelsPaginated(
        notificationChannels=[to_public(row, profiles, names) for row in rows],
        limit=params.limit, offset=params.offset, totalCount=total)


def _delete_rows(session: Session, rows: list[NotificationChannel]) -> None:
    repository = NotificationChannelRepository(session)
    for row in rows:
        for cleanup in DELETE_CLEANUPS:
            cleanup(session, row)
        repository.delete(row)


def delete_for_workspace(session: Session, workspace: Workspace) -> None:
    _delete_rows(session, NotificationChannelRepository(session).owned_by(workspace_id=workspace.id))


def delete_for_deployment(session: Session, deployment: Deployment) -> None:
    _delete_rows(session, NotificationChannelRepository(session).owned_by(deployment_id=deployment.id))
