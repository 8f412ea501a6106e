"""API tokens: scoped, role-bearing JWT credentials whose text is shown once (create, rotate)."""

import datetime as dt

from sqlalchemy.orm import Session

from astroplane.auth.codec import TokenCodec, short_token
from astroplane.auth.subjects import SubjectProfiles
from astroplane.kit.errors import BadRequest, NotFound
from astroplane.kit.ids import new_id
from astroplane.kit.pagination import ListParams
from astroplane.kit.time import utcnow
from astroplane.rbac import service as roles
from astroplane.rbac.authorize import AuthContext
from astroplane.rbac.models import RoleBinding
from astroplane.rbac.permissions import ScopeType
from astroplane.rbac.principal import Principal, Target
from astroplane.rbac.repository import RoleBindingRepository
from astroplane.tokens import models, schemas
from astroplane.tokens.repository import ApiTokenRepository, TokenVisibility

MAX_NAME_LENGTH = 256
MAX_DESCRIPTION_LENGTH = 500
MAX_EXPIRY_DAYS = 3650
_PERMISSION_PREFIX = {"ORGANIZATION": "organization", "WORKSPACE": "workspace", "DEPLOYMENT": "deployment"}
_ROLE_ENTITY_TYPES = {"ORGANIZATION": ScopeType.ORGANIZATION, "WORKSPACE": ScopeType.WORKSPACE,
                      "DEPLOYMENT": ScopeType.DEPLOYMENT, "DAG": ScopeType.DAG, "DAG_TAG": ScopeType.DAG}
# Which role entity types a token of each scope may hold.
_ALLOWED_ROLE_TYPES = {
    "ORGANIZATION": {"ORGANIZATION", "WORKSPACE", "DEPLOYMENT", "DAG", "DAG_TAG"},
    "WORKSPACE": {"WORKSPACE", "DEPLOYMENT", "DAG", "DAG_TAG"},
    "DEPLOYMENT": {"DEPLOYMENT", "DAG", "DAG_TAG"},
}


def home_target(token: models.ApiToken) -> Target:
    return Target(token.organization_id,
                  token.workspace_id if token.scope in ("WORKSPACE", "DEPLOYMENT") else None,
                  token.entity_id if token.scope == "DEPLOYMENT" else None)


def _token_permission(token: models.ApiToken, action: str) -> str:
    kind = "agentTokens" if token.is_agent else "apiTokens"
    return f"{_PERMISSION_PREFIX[token.scope]}.{kind}.{action}"


def _role_entries(bindings: list[RoleBinding], token: models.ApiToken) -> list[schemas.ApiTokenRole]:
    entries = []
    for b in bindings:
        if b.scope_type == ScopeType.ORGANIZATION:
            entries.append(schemas.ApiTokenRole(entityType="ORGANIZATION", entityId=b.organization_id, role=b.role))
        elif b.scope_type == ScopeType.WORKSPACE:
            entries.append(schemas.ApiTokenRole(entityType="WORKSPACE", entityId=b.workspace_id, role=b.role))
        elif b.scope_type == ScopeType.DEPLOYMENT:
            entries.append(schemas.ApiTokenRole(entityType="DEPLOYMENT", entityId=b.deployment_id, role=b.role))
        else:
            entries.append(schemas.ApiTokenRole(
                entityType="DAG" if b.dag_id else "DAG_TAG", entityId=b.dag_id or b.dag_tag,
                deploymentId=b.deployment_id, role=b.role))
    return entries


def to_public(session: Session, token: models.ApiToken, profiles: SubjectProfiles,
              value: str | None = None, bindings: list[RoleBinding] | None = None) -> schemas.ApiToken:
    """`bindings`: the token's role bindings when the caller loaded them (a page: one query for all)."""
    if bindings is None:
        bindings = RoleBindingRepository(session).own("API_TOKEN", token.id)
    return schemas.ApiToken(
        id=token.id, name=token.name, description=token.description, shortToken=token.short_token,
        scope=token.scope, kind=token.kind, startAt=token.start_at, endAt=token.end_at,
        expiryPeriodInDays=token.expiry_period_in_days, lastRotatedAt=token.last_rotated_at,
        # an agent token holds no roles: omitted rather than []
        lastUsedAt=token.last_used_at, roles=_role_entries(bindings, token) or None, token=value,
        createdAt=token.created_at, updatedAt=token.updated_at,
        createdBy=profiles.created_by(token), updatedBy=profiles.updated_by(token))


def _claims_permissions(token: models.ApiToken) -> list[str]:
    permissions = [f"organizationId:{token.organization_id}"]
    if token.workspace_id:
        permissions.append(f"workspaceId:{token.workspace_id}")
    if token.scope == "DEPLOYMENT":
        permissions.append(f"deploymentId:{token.entity_id}")
    return permissions


def issue_value(codec: TokenCodec, token: models.ApiToken) -> str:
    """A new token text for `token`; any earlier text stops working."""
    token.secret_version = TokenCodec.new_version()
    value = codec.mint(kind="API_TOKEN", subject_id=token.id, version=token.secret_version,
                       organization_id=token.organization_id, permissions=_claims_permissions(token),
                       issued_at=utcnow(), expires_at=token.end_at, scope=token.scope)
    token.short_token = short_token(value)
    return value


def _validate_text(name: str, description: str | None) -> None:
    if not name.strip() or len(name) > MAX_NAME_LENGTH:
        raise BadRequest(f"name must be 1 to {MAX_NAME_LENGTH} characters", field="name")
    if description is not None and len(description) > MAX_DESCRIPTION_LENGTH:
        raise BadRequest(f"description must be at most {MAX_DESCRIPTION_LENGTH} characters", field="description")


def expiry(days: int | None, start: dt.datetime) -> dt.datetime | None:
    if days is None:
        return None
    if not 1 <= days <= MAX_EXPIRY_DAYS:
        raise BadRequest(f"tokenExpiryPeriodInDays must be between 1 and {MAX_EXPIRY_DAYS}",
                         field="tokenExpiryPeriodInDays")
    return start + dt.timedelta(days=days)


def new_token(session: Session, codec: TokenCodec, principal: Principal, organization_id: str, *,
              name: str, description: str | None, scope: str, target: Target, entity_id: str,
              expiry_days: int | None, kind: str = "STANDARD", is_agent: bool = False
              ) -> tuple[models.ApiToken, str]:
    """Create a token row and its first value (shared with agent tokens)."""
    _validate_text(name, description)
    start = utcnow()
    token = models.ApiToken(id=new_id(), organization_id=organization_id, name=name.strip(), description=description or "",
                            scope=scope, entity_id=entity_id, workspace_id=target.workspace_id, kind=kind,
                            is_agent=is_agent, start_at=start, end_at=expiry(expiry_days, start),
                            expiry_period_in_days=expiry_days, secret_version="", short_token="")
    token.stamp_author(principal.subject, created=True)
    value = issue_value(codec, token)
    ApiTokenRepository(session).add(token)
    return token, value


def create_token(session: Session, codec: TokenCodec, auth: AuthContext,
                 body: schemas.CreateApiTokenRequest) -> schemas.ApiToken:
    principal, organization_id = auth.principal, auth.organization_id
    scope = ScopeType(body.scope)
    if scope == ScopeType.ORGANIZATION:
        entity_id = body.entityId or organization_id
    elif not body.entityId:
        raise BadRequest(f"entityId is required for {scope.value} tokens", field="entityId")
    else:
        entity_id = body.entityId
    target = roles.resolve_entity(session, organization_id, scope, entity_id, "entityId")
    principal.require(f"{_PERMISSION_PREFIX[scope.value]}.apiTokens.create", target)
    roles.check_role(session, principal, organization_id, body.role, scope, target, "role")
    token, value = new_token(session, codec, principal, organization_id, name=body.name,
                             description=body.description, scope=scope.value, target=target,
                             entity_id=entity_id, expiry_days=body.tokenExpiryPeriodInDays,
                             kind=body.kind or "STANDARD")
    RoleBindingRepository(session).add(roles.binding(organization_id, "API_TOKEN", token.id, scope, body.role, target))
    session.flush()
    return to_public(session, token, SubjectProfiles(session), value)


def _visibility(principal: Principal, organization_id: str) -> TokenVisibility:
    if principal.can("organization.apiTokens.get", Target(organization_id)):
        return TokenVisibility(True, set(), set(), set())
    workspaces, deployment_workspaces, deployments = set(), set(), set()
    for grant in principal.grants:
        if grant.organization_id != organization_id:
            continue
        if grant.scope_type == ScopeType.WORKSPACE:
            if "workspace.apiTokens.get" in grant.permissions:
                workspaces.add(grant.workspace_id)
            if "deployment.apiTokens.get" in grant.permissions:
                deployment_workspaces.add(grant.workspace_id)
        elif grant.scope_type == ScopeType.DEPLOYMENT and "deployment.apiTokens.get" in grant.permissions:
            deployments.add(grant.deployment_id)
    return TokenVisibility(False, workspaces, deployment_workspaces, deployments)


def list_tokens(session: Session, auth: AuthContext, params: ListParams, **filters) -> schemas.ApiTokensPaginated:
    rows, total = ApiTokenRepository(session).page(
        auth.organization_id, params, _visibility(auth.principal, auth.organization_id), **filters)
    return schemas.ApiTokensPaginated(tokens=page_views(session, rows),
                                      limit=params.limit, offset=params.offset, totalCount=total)


def page_views(session: Session, rows: list[models.ApiToken]) -> list[schemas.ApiToken]:
    """The views of a page of tokens, with their authors and role bindings in one query each."""
    profiles = SubjectProfiles(session).prefetch(rows)
    bindings = RoleBindingRepository(session).own_by_subject("API_TOKEN", [row.id for row in rows])
    return [to_public(session, row, profiles, bindings=bindings[row.id]) for row in rows]


def load(session: Session, auth: AuthContext, token_id: str, action: str, *, agent: bool = False
         ) -> models.ApiToken:
    """The token, if the caller may see it (else 404) and may do `action` to it (else 403)."""
    token = ApiTokenRepository(session).get(auth.organization_id, token_id, agent=agent)
    if token is None or not auth.principal.can(_token_permission(token, "get"), home_target(token)):
        raise NotFound("API token not found")
    auth.principal.require(_token_permission(token, action), home_target(token))
    return token


def get_token(session: Session, auth: AuthContext, token_id: str) -> schemas.ApiToken:
    return to_public(session, load(session, auth, token_id, "get"), SubjectProfiles(session))


def update_token(session: Session, auth: AuthContext, token_id: str,
                 body: schemas.UpdateApiTokenRequest) -> schemas.ApiToken:
    token = load(session, auth, token_id, "update")
    _validate_text(body.name, body.description)
    token.name = body.name.strip()
    if body.description is not None:
        token.description = body.description
    token.stamp_author(auth.principal.subject)
    session.flush()
    return to_public(session, token, SubjectProfiles(session))


def rotate_token(session: Session, codec: TokenCodec, auth: AuthContext, token_id: str) -> schemas.ApiToken:
    token = load(session, auth, token_id, "rotate")
    value = issue_value(codec, token)
    token.last_rotated_at = utcnow()
    token.stamp_author(auth.principal.subject)
    session.flush()
    return to_public(session, token, SubjectProfiles(session), value)


def delete_token(session: Session, auth: AuthContext, token_id: str, *, agent: bool = False) -> None:
    token = load(session, auth, token_id, "delete", agent=agent)
    RoleBindingRepository(session).delete_subject("API_TOKEN", token.id)
    ApiTokenRepository(session).delete(token)


def update_token_roles(session: Session, auth: AuthContext, token_id: str,
                       body: schemas.UpdateApiTokenRolesRequest) -> schemas.SubjectRoles:
    token = load(session, auth, token_id, "update")
    if not body.roles:
        raise BadRequest("roles must hold at least one role", field="roles")
    organization_id, home = auth.organization_id, home_target(token)
    new_bindings, seen, has_home_role = [], set(), False
    for index, entry in enumerate(body.roles):
        field = f"roles[{index}]"
        if entry.entityType not in _ALLOWED_ROLE_TYPES[token.scope]:
            raise BadRequest(f"{field}.entityType: a {token.scope} token cannot hold {entry.entityType} roles",
                             field=f"{field}.entityType")
        scope = _ROLE_ENTITY_TYPES[entry.entityType]
        if scope == ScopeType.DAG:
            if not entry.deploymentId:
                raise BadRequest(f"{field}.deploymentId is required for {entry.entityType} roles",
                                 field=f"{field}.deploymentId")
            target = roles.resolve_entity(session, organization_id, ScopeType.DEPLOYMENT, entry.deploymentId,
                                          f"{field}.deploymentId")
        else:
            target = roles.resolve_entity(session, organization_id, scope, entry.entityId, f"{field}.entityId")
        if token.scope != "ORGANIZATION" and target.workspace_id != home.workspace_id:
            raise BadRequest(f"{field}: a {token.scope} token can only hold roles inside its own workspace",
                             field=f"{field}.entityId")
        if token.scope == "DEPLOYMENT" and target.deployment_id != home.deployment_id:
            raise BadRequest(f"{field}: a DEPLOYMENT token can only hold roles on its own deployment",
                             field=f"{field}.entityId")
        key = (entry.entityType, entry.entityId, entry.deploymentId)
        if key in seen:
            raise BadRequest(f"{field}: {entry.entityType} {entry.entityId} appears more than once",
                             field=f"{field}.entityId")
        seen.add(key)
        roles.check_role(session, auth.principal, organization_id, entry.role, scope, target, f"{field}.role")
        is_home = entry.entityType == token.scope and entry.entityId == token.entity_id
        has_home_role = has_home_role or is_home
        new_bindings.append(roles.binding(
            organization_id, "API_TOKEN", token.id, scope, entry.role, target,
            dag_id=entry.entityId if entry.entityType == "DAG" else None,
            dag_tag=entry.entityId if entry.entityType == "DAG_TAG" else None))
    if not has_home_role:
        raise BadRequest(f"roles must include exactly one role for the token's own {token.scope.lower()} "
                         f"({token.entity_id})", field="roles")
    repository = RoleBindingRepository(session)
    repository.replace("API_TOKEN", token.id, organization_id, new_bindings)
    token.stamp_author(auth.principal.subject)
    session.flush()
    return roles.subject_roles(repository.own("API_TOKEN", token.id))
