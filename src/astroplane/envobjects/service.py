"""Environment objects: workspace or deployment connections, variables and metrics exports.

Workspace objects reach deployments through explicit links (with per-deployment overrides) or
through autoLinkDeployments minus exclusions. Secrets are encrypted at rest (the whole typed block
is one EncryptedText column) and shown only with showSecrets=true in an organization that allows
secret fetching. See docs/environment-objects.md for the decisions this file encodes.
"""

import json
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from astroplane.auth.subjects import SubjectProfiles
from astroplane.deployments.models import Deployment
from astroplane.deployments.repository import DeploymentRepository
from astroplane.envobjects import payloads as p
from astroplane.envobjects import schemas
from astroplane.envobjects.models import EnvironmentObject, EnvironmentObjectLink
from astroplane.envobjects.repository import EXCLUDE, LINK, EnvironmentObjectRepository
from astroplane.kit.errors import BadRequest, Conflict, NotFound
from astroplane.kit.pagination import ListParams
from astroplane.kit.time import utcnow
from astroplane.organizations.repository import OrganizationRepository
from astroplane.rbac import service as roles
from astroplane.rbac.authorize import SCOPE_RESOLVERS, AuthContext
from astroplane.rbac.permissions import ScopeType
from astroplane.rbac.principal import Principal, Target
from astroplane.workspaces.models import Workspace

WORKSPACE, DEPLOYMENT = "WORKSPACE", "DEPLOYMENT"
MAX_DESCRIPTION_LENGTH = 1000
SECRETS_NOT_ALLOWED = ("showSecrets is not allowed: this organization does not allow fetching "
                       "environment secrets (an administrator can enable it with "
                       "`astroplane org-settings --allow-secrets-fetching`)")
_OVERRIDE_KEYS = {"connection": "connectionOverrides", "airflowVariable": "airflowVariableOverrides",
                  "environmentVariable": "environmentVariableOverrides", "metricsExport": "metricsExportOverrides"}
_RESPONSE_BLOCKS = {
    p.CONNECTION: schemas.EnvironmentObjectConnection, p.METRICS_EXPORT: schemas.EnvironmentObjectMetricsExport,
    p.AIRFLOW_VARIABLE: schemas.EnvironmentObjectAirflowVariable,
    p.ENVIRONMENT_VARIABLE: schemas.EnvironmentObjectEnvironmentVariable,
}
_OVERRIDE_BLOCKS = {
    p.CONNECTION: schemas.EnvironmentObjectConnectionOverrides,
    p.METRICS_EXPORT: schemas.EnvironmentObjectMetricsExportOverrides,
    p.AIRFLOW_VARIABLE: schemas.EnvironmentObjectAirflowVariableOverrides,
    p.ENVIRONMENT_VARIABLE: schemas.EnvironmentObjectEnvironmentVariableOverrides,
}


def _timestamp(value) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


def _payload(row: EnvironmentObject) -> dict[str, Any]:
    return json.loads(row.payload)


def _overrides(link: EnvironmentObjectLink) -> dict[str, Any]:
    return json.loads(link.overrides) if link.overrides else {}


def _dump(value: dict[str, Any]) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def _target(row: EnvironmentObject) -> Target:
    return Target(row.organization_id, row.workspace_id, row.deployment_id)


def _permission(scope: str, action: str) -> str:
    return f"{'workspace' if scope == WORKSPACE else 'deployment'}.envObjects.{action}"


# ---------------------------------------------------------------- rendering

def _typed_block(object_type: str, payload: dict[str, Any], is_secret: bool, show: bool) -> dict[str, Any]:
    shown = p.mask(object_type, payload, is_secret, show)
    if object_type in (p.AIRFLOW_VARIABLE, p.ENVIRONMENT_VARIABLE):
        # a hidden secret value is an empty string, not absent
        return {p.BLOCKS[object_type]: _RESPONSE_BLOCKS[object_type](isSecret=is_secret,
                                                                      value=shown.get("value", ""))}
    return {p.BLOCKS[object_type]: _RESPONSE_BLOCKS[object_type](**shown)}


def _public_link(row: EnvironmentObject, link: EnvironmentObjectLink, show: bool) -> schemas.EnvironmentObjectLink:
    overrides = _overrides(link)
    shown = p.mask(row.object_type, overrides, row.is_secret, show)
    block = None
    if shown and not (row.object_type in (p.AIRFLOW_VARIABLE, p.ENVIRONMENT_VARIABLE) and "value" not in shown):
        block = _OVERRIDE_BLOCKS[row.object_type](**shown)
    extra = {_OVERRIDE_KEYS[p.BLOCKS[row.object_type]]: block} if block is not None else {}
    return schemas.EnvironmentObjectLink(scope=DEPLOYMENT, scopeEntityId=link.deployment_id,
                                         setFields=p.set_fields(overrides), **extra)


def to_public(row: EnvironmentObject, links: list[EnvironmentObjectLink], profiles: SubjectProfiles,
              show: bool = False) -> schemas.EnvironmentObject:
    payload = _payload(row)
    linking: dict[str, Any] = {}
    if row.scope == WORKSPACE:
        linking = dict(
            autoLinkDeployments=True if row.auto_link_deployments else None,
            # left out when empty (clients read absent and [] alike; the contract makes them optional)
            links=[_public_link(row, link, show) for link in links if link.kind == LINK] or None,
            excludeLinks=[schemas.EnvironmentObjectExcludeLink(scope=DEPLOYMENT, scopeEntityId=link.deployment_id)
                          for link in links if link.kind == EXCLUDE] or None)
    return schemas.EnvironmentObject(
        id=row.id, objectKey=row.object_key, objectType=row.object_type, scope=row.scope,
        scopeEntityId=row.scope_entity_id, description=row.description, setFields=p.set_fields(payload),
        createdAt=_timestamp(row.created_at), updatedAt=_timestamp(row.updated_at),
        createdBy=profiles.created_by(row), updatedBy=profiles.updated_by(row),
        **linking, **_typed_block(row.object_type, payload, row.is_secret, show))


def _linked_view(row: EnvironmentObject, link: EnvironmentObjectLink | None, deployment_id: str,
                 profiles: SubjectProfiles, show: bool) -> schemas.EnvironmentObject:
    """A workspace object as a linked deployment sees it: overrides applied, no id of its own."""
    values = p.linked_values(row.object_type, _payload(row), _overrides(link) if link is not None else {})
    return schemas.EnvironmentObject(
        objectKey=row.object_key, objectType=row.object_type, scope=DEPLOYMENT, scopeEntityId=deployment_id,
        sourceScope=WORKSPACE, sourceScopeEntityId=row.workspace_id, description=row.description,
        setFields=p.set_fields(values), createdAt=_timestamp(row.created_at), updatedAt=_timestamp(row.updated_at),
        createdBy=profiles.created_by(row), updatedBy=profiles.updated_by(row),
        **_typed_block(row.object_type, values, row.is_secret, show))


# ---------------------------------------------------------------- validation helpers

def _block(body: Any, object_type: str, *, for_update: bool) -> dict[str, Any] | None:
    """The typed block of a request as a payload dict (None when not sent); other blocks refused."""
    p.check_block_matches(object_type, {name: getattr(body, name, None) for name in p.BLOCKS.values()})
    block = getattr(body, p.BLOCKS[object_type])
    if block is None:
        return None
    return block.model_dump(by_alias=True, exclude_unset=for_update, exclude_none=not for_update)


def _check_description(description: str | None) -> None:
    if description is not None and len(description) > MAX_DESCRIPTION_LENGTH:
        raise BadRequest(f"description must be at most {MAX_DESCRIPTION_LENGTH} characters", field="description")


def _check_deployment(session: Session, row: EnvironmentObject, deployment_id: str, field: str) -> None:
    workspace_id = DeploymentRepository(session).workspace_of(row.organization_id, deployment_id)
    if workspace_id is None:
        raise BadRequest(f"{field}: no deployment {deployment_id} in this organization", field=field)
    if workspace_id != row.workspace_id:
        raise BadRequest(f"{field}: deployment {deployment_id} is not in the object's workspace", field=field)


@dataclass
class _Links:
    """The wanted state of an object's links: deployment -> overrides, and the excluded deployments."""

    linked: dict[str, dict[str, Any]] = field(default_factory=dict)
    excluded: dict[str, str] = field(default_factory=dict)  # deployment -> field that named it
    prefixes: dict[str, str] = field(default_factory=dict)  # deployment -> "links[i]." for error fields


def _override_payload(row: EnvironmentObject, overrides: Any, prefix: str) -> dict[str, Any]:
    if overrides is None:
        return {}
    blocks = {name: getattr(overrides, name, None) for name in p.BLOCKS.values()}
    p.check_block_matches(row.object_type, blocks, prefix)
    block = blocks[p.BLOCKS[row.object_type]]
    if block is None:
        return {}
    return block.model_dump(by_alias=True, exclude_unset=True)


def _wanted_links(session: Session, row: EnvironmentObject, links: list | None, excludes: list | None,
                  current: list[EnvironmentObjectLink]) -> _Links:
    """Validate the requested links and exclusions; None keeps the current ones (see the docs)."""
    wanted = _Links()
    existing = {link.deployment_id: link for link in current}
    secrets = p.secret_fields(row.object_type, row.is_secret)
    if links is None:
        wanted.linked = {link.deployment_id: _overrides(link) for link in current if link.kind == LINK}
    else:
        for index, entry in enumerate(links):
            prefix = f"links[{index}]."
            deployment_id = entry.scopeEntityId
            if deployment_id in wanted.linked:
                raise BadRequest(f"{prefix}scopeEntityId: deployment {deployment_id} is linked twice",
                                 field=prefix + "scopeEntityId")
            _check_deployment(session, row, deployment_id, prefix + "scopeEntityId")
            changes = _override_payload(row, entry.overrides, prefix + "overrides.")
            unset_paths = list(getattr(entry.overrides, "unsetFields", None) or [])
            for path in unset_paths:
                if path.partition(".")[0] not in p.FIELDS[row.object_type]:
                    raise BadRequest(f"{prefix}overrides.unsetFields: {path!r} is not a field of a "
                                     f"{row.object_type}", field=prefix + "overrides.unsetFields")
            clash = {path.partition(".")[0] for path in unset_paths} & {k for k, v in changes.items() if v is not None}
            if clash:
                name = sorted(clash)[0]
                raise BadRequest(f"{prefix}overrides: {name} cannot be both set and unset",
                                 field=prefix + "overrides.unsetFields")
            previous = existing.get(deployment_id)
            base = _overrides(previous) if previous is not None and previous.kind == LINK else {}
            merged = p.merge(p.unset(base, unset_paths, prefix + "overrides."), changes, secrets)
            p.check_fields(row.object_type, merged, prefix + "overrides." + p.BLOCKS[row.object_type] + ".")
            wanted.linked[deployment_id] = merged
            wanted.prefixes[deployment_id] = prefix
    if excludes is None:
        wanted.excluded = {link.deployment_id: "excludeLinks" for link in current if link.kind == EXCLUDE}
    else:
        for index, entry in enumerate(excludes):
            name = f"excludeLinks[{index}].scopeEntityId"
            _check_deployment(session, row, entry.scopeEntityId, name)
            wanted.excluded[entry.scopeEntityId] = name
    for deployment_id, name in wanted.excluded.items():
        if deployment_id in wanted.linked:
            raise BadRequest(f"{name}: deployment {deployment_id} cannot be both linked and excluded", field=name)
    return wanted


def _check_effective(row: EnvironmentObject, payload: dict[str, Any], wanted: _Links) -> None:
    p.check_complete(row.object_type, payload, p.BLOCKS[row.object_type] + ".")
    for deployment_id, overrides in wanted.linked.items():
        values = p.linked_values(row.object_type, payload, overrides)
        prefix = wanted.prefixes.get(deployment_id, "links.") + "overrides." + p.BLOCKS[row.object_type] + "."
        p.check_complete(row.object_type, values, prefix)


def _store_links(repo: EnvironmentObjectRepository, row: EnvironmentObject, wanted: _Links,
                 current: list[EnvironmentObjectLink]) -> None:
    existing = {link.deployment_id: link for link in current}
    desired = {**{d: (LINK, o) for d, o in wanted.linked.items()},
               **{d: (EXCLUDE, None) for d in wanted.excluded}}
    for deployment_id, link in existing.items():
        if deployment_id not in desired:
            repo.delete_link(link)
    for deployment_id, (kind, overrides) in desired.items():
        stored = _dump(overrides) if overrides else None
        link = existing.get(deployment_id)
        if link is None:
            repo.add_link(EnvironmentObjectLink(object_id=row.id, deployment_id=deployment_id, kind=kind,
                                                overrides=stored))
        elif link.kind != kind or link.overrides != stored:
            link.kind, link.overrides = kind, stored


def _scope_only_fields(scope: str, body: Any) -> None:
    if scope == WORKSPACE:
        return
    for name in ("links", "excludeLinks"):
        if getattr(body, name):
            raise BadRequest(f"{name} applies only to WORKSPACE objects", field=name)
    if body.autoLinkDeployments:
        raise BadRequest("autoLinkDeployments applies only to WORKSPACE objects", field="autoLinkDeployments")


# ---------------------------------------------------------------- operations

def _load(session: Session, auth: AuthContext, object_id: str, action: str) -> EnvironmentObject:
    row = EnvironmentObjectRepository(session).get(auth.organization_id, object_id)
    if row is None:
        raise NotFound("Environment object not found")
    auth.principal.require(_permission(row.scope, action), _target(row))
    return row


def _render(session: Session, row: EnvironmentObject) -> schemas.EnvironmentObject:
    links = EnvironmentObjectRepository(session).links_of([row.id])[row.id]
    return to_public(row, links, SubjectProfiles(session))


def create_object(session: Session, auth: AuthContext,
                  body: schemas.CreateEnvironmentObjectRequest) -> schemas.CreateEnvironmentObject:
    scope_type = ScopeType.WORKSPACE if body.scope == WORKSPACE else ScopeType.DEPLOYMENT
    target = roles.resolve_entity(session, auth.organization_id, scope_type, body.scopeEntityId, "scopeEntityId")
    auth.principal.require(_permission(body.scope, "create"), target)
    key = p.check_key(body.objectType, body.objectKey)
    _check_description(body.description)
    _scope_only_fields(body.scope, body)
    block = _block(body, body.objectType, for_update=False)
    if block is None:
        raise BadRequest(f"{p.BLOCKS[body.objectType]} is required for objectType {body.objectType}",
                         field=p.BLOCKS[body.objectType])
    is_secret = bool(block.pop("isSecret", False))
    payload = p.compact(block)
    if body.objectType == p.METRICS_EXPORT:
        payload = p.without_other_auth(payload)
    p.check_fields(body.objectType, payload, p.BLOCKS[body.objectType] + ".")
    repo = EnvironmentObjectRepository(session)
    if repo.key_taken(body.scope, body.scopeEntityId, body.objectType, key):
        raise Conflict(f"A {body.objectType} with objectKey {key!r} already exists in this "
                       f"{body.scope.lower()}")
    row = EnvironmentObject(organization_id=auth.organization_id, workspace_id=target.workspace_id,
                            deployment_id=target.deployment_id, scope=body.scope, scope_entity_id=body.scopeEntityId,
                            object_type=body.objectType, object_key=key, description=body.description,
                            is_secret=is_secret, auto_link_deployments=bool(body.autoLinkDeployments),
                            payload=_dump(payload))
    wanted = _wanted_links(session, row, body.links or [], body.excludeLinks or [], [])
    _check_effective(row, payload, wanted)
    row.stamp_author(auth.principal.subject, created=True)
    repo.add(row)
    _store_links(repo, row, wanted, [])
    session.flush()
    return schemas.CreateEnvironmentObject(id=row.id)


def get_object(session: Session, auth: AuthContext, object_id: str) -> schemas.EnvironmentObject:
    return _render(session, _load(session, auth, object_id, "get"))


def update_object(session: Session, auth: AuthContext, object_id: str,
                  body: schemas.UpdateEnvironmentObjectRequest) -> schemas.EnvironmentObject:
    row = _load(session, auth, object_id, "update")
    _check_description(body.description)
    _scope_only_fields(row.scope, body)
    payload = _payload(row)
    changes = _block(body, row.object_type, for_update=True)
    if changes is not None:
        if "isSecret" in changes:
            sent = changes.pop("isSecret")
            if sent is not None and bool(sent) != row.is_secret:
                field_name = p.BLOCKS[row.object_type] + ".isSecret"
                raise BadRequest(f"{field_name} cannot change; delete the object and create it again",
                                 field=field_name)
        old_auth = payload.get("authType")
        payload = p.merge(payload, changes, p.secret_fields(row.object_type, row.is_secret))
        if row.object_type == p.METRICS_EXPORT and payload.get("authType") != old_auth:
            payload = p.without_other_auth(payload)
        p.check_fields(row.object_type, payload, p.BLOCKS[row.object_type] + ".")
    repo = EnvironmentObjectRepository(session)
    current = repo.links_of([row.id])[row.id]
    wanted = _wanted_links(session, row, body.links, body.excludeLinks, current)
    _check_effective(row, payload, wanted)
    if "description" in body.model_fields_set:
        row.description = body.description
    if body.autoLinkDeployments is not None:
        row.auto_link_deployments = body.autoLinkDeployments
    row.payload = _dump(payload)
    _store_links(repo, row, wanted, current)
    row.stamp_author(auth.principal.subject)
    row.updated_at = utcnow()  # also when only the links changed (the row itself may be clean)
    session.flush()
    session.expire(row)
    return _render(session, row)


def delete_object(session: Session, auth: AuthContext, object_id: str) -> None:
    EnvironmentObjectRepository(session).delete(_load(session, auth, object_id, "delete"))


def exclude_linking(session: Session, auth: AuthContext, object_id: str,
                    body: schemas.ExcludeLinkEnvironmentObjectRequest) -> None:
    """Stop a workspace object reaching one deployment (an explicit link to it is dropped). Idempotent."""
    row = _load(session, auth, object_id, "update")
    if row.scope != WORKSPACE:
        raise BadRequest("only WORKSPACE objects can exclude deployments", field="scope")
    _check_deployment(session, row, body.scopeEntityId, "scopeEntityId")
    repo = EnvironmentObjectRepository(session)
    link = repo.link_for(row.id, body.scopeEntityId)
    if link is None:
        repo.add_link(EnvironmentObjectLink(object_id=row.id, deployment_id=body.scopeEntityId, kind=EXCLUDE))
    elif link.kind != EXCLUDE:
        link.kind, link.overrides = EXCLUDE, None
    else:
        return
    row.stamp_author(auth.principal.subject)
    row.updated_at = utcnow()
    session.flush()


# ---------------------------------------------------------------- listing

def _visible(principal: Principal, organization_id: str) -> sa.ColumnElement | None:
    """SQL condition for the objects this caller may read; None means all of the organization's."""
    ws_all = dep_all = False
    workspaces: set[str] = set()
    deployment_workspaces: set[str] = set()
    deployments: set[str] = set()
    for grant in principal.grants:
        if grant.organization_id != organization_id or grant.scope_type == ScopeType.DAG:
            continue
        reads_ws = "workspace.envObjects.get" in grant.permissions
        reads_dep = "deployment.envObjects.get" in grant.permissions
        if grant.scope_type == ScopeType.ORGANIZATION:
            ws_all |= reads_ws
            dep_all |= reads_dep
        elif grant.scope_type == ScopeType.WORKSPACE:
            if reads_ws:
                workspaces.add(grant.workspace_id)
            if reads_dep:
                deployment_workspaces.add(grant.workspace_id)
        elif grant.scope_type == ScopeType.DEPLOYMENT and reads_dep:
            deployments.add(grant.deployment_id)
    if ws_all and dep_all:
        return None
    is_ws = EnvironmentObject.scope == WORKSPACE
    ws_condition = is_ws if ws_all else sa.and_(is_ws, EnvironmentObject.workspace_id.in_(workspaces))
    dep_condition = (~is_ws if dep_all else sa.and_(~is_ws, sa.or_(
        EnvironmentObject.workspace_id.in_(deployment_workspaces), EnvironmentObject.deployment_id.in_(deployments))))
    return sa.or_(ws_condition, dep_condition)


def _resolve(session: Session, organization_id: str, scope: ScopeType, entity_id: str) -> Target:
    target = SCOPE_RESOLVERS[scope][1](session, organization_id, entity_id)
    if target is None:
        raise NotFound(f"{scope.value.capitalize()} not found")
    return target


def _page_in_memory(items: list[tuple[str, schemas.EnvironmentObject]], params: ListParams
                    ) -> list[schemas.EnvironmentObject]:
    items.sort(key=lambda item: (item[1].createdAt, item[0]))  # the default order, then the tie-break
    for name, descending in reversed(params.sorts):
        items.sort(key=lambda item, n=name: getattr(item[1], n), reverse=descending)
    return [view for _, view in items[params.offset:params.offset + params.limit]]


def _seen_by_deployment(session: Session, workspace_id: str, deployment_id: str, object_type: str | None,
                        object_key: str | None
                        ) -> tuple[list[EnvironmentObject], list[tuple[EnvironmentObject, EnvironmentObjectLink | None]]]:
    """What a deployment sees: its own objects, and the workspace objects linked to it (explicitly, or
    by auto-link without an exclusion) that none of its own shadows, each with its link."""
    repo = EnvironmentObjectRepository(session)
    rows = repo.seen_by_deployment(workspace_id, deployment_id, object_type, object_key)
    own = [row for row in rows if row.deployment_id == deployment_id]
    shadowed = {(row.object_type, row.object_key) for row in own}
    candidates = [row for row in rows if row.scope == WORKSPACE and (row.object_type, row.object_key) not in shadowed]
    links = repo.links_of([row.id for row in candidates])
    linked = []
    for row in candidates:
        mine = next((link for link in links[row.id] if link.deployment_id == deployment_id), None)
        if (mine is not None and mine.kind == LINK) or (row.auto_link_deployments and mine is None):
            linked.append((row, mine))
    return own, linked


def _resolved_for_deployment(session: Session, target: Target, params: ListParams, object_type: str | None,
                             object_key: str | None, show: bool) -> schemas.EnvironmentObjectsPaginated:
    own, linked = _seen_by_deployment(session, target.workspace_id, target.deployment_id, object_type, object_key)
    profiles = SubjectProfiles(session).prefetch([*own, *(row for row, _ in linked)])
    items = [(row.id, to_public(row, [], profiles, show)) for row in own]
    items += [(row.id, _linked_view(row, link, target.deployment_id, profiles, show)) for row, link in linked]
    total = len(items)
    return schemas.EnvironmentObjectsPaginated(environmentObjects=_page_in_memory(items, params),
                                               limit=params.limit, offset=params.offset, totalCount=total)


def effective_for_deployment(session: Session, workspace_id: str, deployment_id: str
                             ) -> list[tuple[str, str, dict[str, Any]]]:
    """(objectType, objectKey, values with secrets) of everything a deployment's runtime receives,
    link overrides applied. Only the runtime calls this: the values go into its process environment."""
    own, linked = _seen_by_deployment(session, workspace_id, deployment_id, None, None)
    found = [(row.object_type, row.object_key, _payload(row)) for row in own]
    found += [(row.object_type, row.object_key,
               p.linked_values(row.object_type, _payload(row), _overrides(link) if link is not None else {}))
              for row, link in linked]
    return sorted(found, key=lambda item: (item[0], item[1]))


def list_objects(session: Session, auth: AuthContext, params: ListParams, *, workspace_id: str | None,
                 deployment_id: str | None, object_type: str | None, object_key: str | None,
                 show_secrets: bool, resolve_linked: bool) -> schemas.EnvironmentObjectsPaginated:
    if workspace_id and deployment_id:
        raise BadRequest("send workspaceId or deploymentId, not both", field="deploymentId")
    if show_secrets:
        organization = OrganizationRepository(session).get(auth.organization_id)
        if organization is None or not organization.allow_secrets_fetching:
            raise BadRequest(SECRETS_NOT_ALLOWED, field="showSecrets")
    principal, organization_id = auth.principal, auth.organization_id
    visible: sa.ColumnElement | None
    if deployment_id:
        target = _resolve(session, organization_id, ScopeType.DEPLOYMENT, deployment_id)
        principal.require("deployment.envObjects.get", target)
        if resolve_linked:
            return _resolved_for_deployment(session, target, params, object_type, object_key, show_secrets)
        visible = EnvironmentObject.deployment_id == deployment_id
    elif workspace_id:
        target = _resolve(session, organization_id, ScopeType.WORKSPACE, workspace_id)
        principal.require("workspace.envObjects.get", target)
        visible = sa.and_(EnvironmentObject.scope == WORKSPACE, EnvironmentObject.workspace_id == workspace_id)
    else:
        visible = _visible(principal, organization_id)
    repo = EnvironmentObjectRepository(session)
    rows, total = repo.page(organization_id, params, visible=visible, object_type=object_type, object_key=object_key)
    links = repo.links_of([row.id for row in rows])
    profiles = SubjectProfiles(session).prefetch(rows)
    return schemas.EnvironmentObjectsPaginated(
        environmentObjects=[to_public(row, links[row.id], profiles, show_secrets) for row in rows],
        limit=params.limit, offset=params.offset, totalCount=total)


# ---------------------------------------------------------------- hooks and settings

def delete_for_workspace(session: Session, workspace: Workspace) -> None:
    """Workspace deletion: its objects (both scopes) and their links go in the same transaction."""
    EnvironmentObjectRepository(session).delete_for_workspace(workspace.id)


def delete_for_deployment(session: Session, deployment: Deployment) -> None:
    """Deployment deletion: its own objects go; workspace objects lose their links and exclusions to it."""
    EnvironmentObjectRepository(session).delete_for_deployment(deployment.id)


def set_secrets_fetching(session: Session, organization: str, allow: bool | None) -> tuple[str, str, bool]:
    """Show or change whether showSecrets=true may reveal secrets in an organization (by id or name)."""
    repo = OrganizationRepository(session)
    found = repo.get(organization) or repo.by_name(organization)
    if found is None:
        raise NotFound(f"No organization named or with the id {organization!r}")
    if allow is not None:
        found.allow_secrets_fetching = allow
        session.flush()
    return found.id, found.name, found.allow_secrets_fetching

