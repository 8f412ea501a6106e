"""Route-level authorization: every route declares a Permission (or Authenticated) dependency.

Order of checks, the same on every route: a valid token (401) → membership of the organization in
the path (403) → organization guards such as the IP allow-list (403) → the entity in the path exists
in that organization (404, so existence never leaks) → the permission on it (403).
"""

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Path, Request
from sqlalchemy.orm import Session
from starlette.types import Scope

from astroplane.auth.dependencies import PrincipalDep
from astroplane.kit.db import SessionDep
from astroplane.kit.errors import Forbidden, NotFound
from astroplane.kit.ids import is_id
from astroplane.rbac.permissions import ScopeType
from astroplane.rbac.principal import Principal, Target

# path parameter -> function(session, organization_id, entity_id) -> Target | None
ScopeResolver = Callable[[Session, str, str], Target | None]
SCOPE_RESOLVERS: dict[ScopeType, tuple[str, ScopeResolver]] = {}
# Checks run on every request that names an organization, after membership (IP allow-list, ...).
OrganizationGuard = Callable[[Request, Session, Principal, str], None]
ORGANIZATION_GUARDS: list[OrganizationGuard] = []
# For hot reads (kit.hot): (ASGI scope, organization id, epoch) -> True when this process already
# knows the guard passes for the request at that epoch. A guard without one keeps reads off the hot path.
KnownToPass = Callable[[Scope, str, int], bool]
GUARDS_KNOWN_TO_PASS: dict[OrganizationGuard, KnownToPass] = {}


# The path parameter that names each scope's entity, fixed so routes can declare it up front.
SCOPE_PATH_PARAMS = {ScopeType.WORKSPACE: "workspaceId", ScopeType.DEPLOYMENT: "deploymentId"}


def register_scope_resolver(scope: ScopeType, path_param: str, resolver: ScopeResolver) -> None:
    if SCOPE_PATH_PARAMS.get(scope) != path_param:
        raise ValueError(f"{scope.value} entities are named by the path parameter {SCOPE_PATH_PARAMS.get(scope)}")
    SCOPE_RESOLVERS[scope] = (path_param, resolver)


def register_organization_guard(guard: OrganizationGuard, known_to_pass: KnownToPass | None = None) -> None:
    ORGANIZATION_GUARDS.append(guard)
    if known_to_pass is not None:
        GUARDS_KNOWN_TO_PASS[guard] = known_to_pass


@dataclass(slots=True)
class AuthContext:
    principal: Principal
    organization_id: str
    target: Target


def check_organization(request: Request, session: Session, principal: Principal, organization_id: str) -> None:
    if not principal.is_member(organization_id):
        raise Forbidden("The caller is not a member of this organization")
    guard_organization(request, session, principal, organization_id)


def guard_organization(request: Request, session: Session, principal: Principal, organization_id: str) -> None:
    """The organization's guards (the IP allow-list, ...) for this request; Forbidden when one refuses."""
    for guard in ORGANIZATION_GUARDS:
        guard(request, session, principal, organization_id)


def organization_admits(request: Request, session: Session, principal: Principal, organization_id: str) -> bool:
    try:
        guard_organization(request, session, principal, organization_id)
    except Forbidden:
        return False
    return True


def known_to_pass_organization(scope: Scope, principal: Principal, organization_id: str, epoch: int) -> bool:
    """check_organization for hot reads: True only when it is known to pass at `epoch`."""
    if not principal.is_member(organization_id):
        return False
    for guard in ORGANIZATION_GUARDS:
        known = GUARDS_KNOWN_TO_PASS.get(guard)
        if known is None or not known(scope, organization_id, epoch):
            return False
    return True


def known_authorized(scope: Scope, session: Session | None, principal: Principal, permission: "Permission",
                     path: dict[str, str], epoch: int) -> AuthContext | None:
    """What `permission` (a route's Permission) gives, for hot reads: the AuthContext when every check
    is known to pass at `epoch`, None whenever the full route has to decide (or refuse). Without a
    session (`None`), only organization-scoped permissions can be decided."""
    organization_id = path["organizationId"]
    if any(name.endswith("Id") and name != "organizationId" and not is_id(value) for name, value in path.items()):
        return None
    if not known_to_pass_organization(scope, principal, organization_id, epoch):
        return None
    target: Target | None = Target(organization_id)
    if permission.scope != ScopeType.ORGANIZATION:
        if session is None:
            return None
        path_param, resolver = SCOPE_RESOLVERS[permission.scope]
        target = resolver(session, organization_id, path[path_param])
        if target is None:
            return None
    if permission.permission is not None and not principal.can(permission.permission, target):
        return None
    return AuthContext(principal=principal, organization_id=organization_id, target=target)


class Permission:
    """Dependency: the caller holds `permission` on the entity the route's path names.

    `permission=None` asks only for membership of the organization; the service then filters
    what the caller sees (lists) or checks the entity named in the body (creates). The path
    parameters it reads are declared in its signature, so they appear in the OpenAPI document.
    """

    def __init__(self, permission: str | None, scope: ScopeType = ScopeType.ORGANIZATION):
        self.permission = permission
        self.scope = scope
        path_params = ["organizationId"]
        if scope != ScopeType.ORGANIZATION:
            path_params.append(SCOPE_PATH_PARAMS[scope])
        self.__signature__ = inspect.Signature([
            inspect.Parameter("request", inspect.Parameter.KEYWORD_ONLY, annotation=Request),
            inspect.Parameter("principal", inspect.Parameter.KEYWORD_ONLY, annotation=PrincipalDep),
            inspect.Parameter("session", inspect.Parameter.KEYWORD_ONLY, annotation=SessionDep),
            *(inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=Annotated[str, Path()])
              for name in path_params),
        ], return_annotation=AuthContext)

    def __repr__(self) -> str:
        return f"Permission({self.permission!r}, {self.scope.value})"

    async def __call__(self, *, request: Request, principal: Principal, session: Session, **path: str
                       ) -> AuthContext:
        organization_id = path["organizationId"]
        # A malformed organization id is just an organization the caller is not in (403, as the
        # contract declares no 404 on organization routes); other malformed ids are 404.
        for name, value in request.path_params.items():
            if name.endswith("Id") and name != "organizationId" and not is_id(value):
                raise NotFound(f"No resource has the id {value[:40]!r}")
        check_organization(request, session, principal, organization_id)
        target = Target(organization_id)
        if self.scope != ScopeType.ORGANIZATION:
            path_param, resolver = SCOPE_RESOLVERS[self.scope]
            resolved = resolver(session, organization_id, path[path_param])
            if resolved is None:
                raise NotFound(f"{self.scope.value.capitalize()} not found")
            target = resolved
        if self.permission is not None:
            principal.require(self.permission, target)
        return AuthContext(principal=principal, organization_id=organization_id, target=target)


class PermissionWithout404(Permission):
    """For the few operations whose contract declares no 404 (FinalizeDeploy, GetDeploymentLogs,
    the hibernation override): an entity the caller cannot reach answers 403, as a foreign or
    malformed organization id does everywhere, so clients only ever see documented statuses."""

    async def __call__(self, **kwargs) -> AuthContext:
        try:
            return await super().__call__(**kwargs)
        except NotFound as exc:
            raise Forbidden("No such resource is reachable with this token") from exc


class Authenticated:
    """Dependency for the few routes outside an organization (GetSelfUser, ListOrganizations,
    ListPermissionGroups): any valid token, seen from only those of its organizations whose guards
    (the IP allow-list) admit this request, so what it answers holds nothing of the others. A
    caller that belongs to organizations and none of them admits it is refused as their own routes
    refuse it (403)."""

    def __repr__(self) -> str:
        return "Authenticated()"

    async def __call__(self, request: Request, principal: PrincipalDep, session: SessionDep) -> Principal:
        member_of = principal.organization_ids()
        admitted = {org for org in member_of if organization_admits(request, session, principal, org)}
        if admitted == member_of:
            return principal
        if not admitted:  # answer with the refusal of one of them (the guards' results are cached)
            guard_organization(request, session, principal, min(member_of))
        return principal.within(admitted)


def permission(name: str | None, scope: ScopeType = ScopeType.ORGANIZATION):
    """`Annotated` alias for a route parameter that enforces and returns the AuthContext."""
    return Annotated[AuthContext, Depends(Permission(name, scope))]


def declared_permission(alias) -> str | None:
    """The permission a `permission(...)` alias asks for (hot reads check the same one)."""
    return alias.__metadata__[0].dependency.permission


def permission_without_404(name: str, scope: ScopeType):
    return Annotated[AuthContext, Depends(PermissionWithout404(name, scope))]


AuthenticatedDep = Annotated[Principal, Depends(Authenticated())]
