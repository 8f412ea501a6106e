"""Who is calling, and what they may do where."""

import dataclasses
import datetime as dt
from dataclasses import dataclass, field

from astroplane.kit.errors import Forbidden
from astroplane.rbac.permissions import ScopeType


@dataclass(frozen=True, slots=True)
class Target:
    """An entity a permission is checked against, with its ancestors."""

    organization_id: str
    workspace_id: str | None = None
    deployment_id: str | None = None


@dataclass(frozen=True, slots=True)
class Grant:
    """One role binding resolved to its permissions."""

    scope_type: str
    organization_id: str
    workspace_id: str | None
    deployment_id: str | None
    role: str
    permissions: frozenset[str]
    dag_id: str | None = None
    dag_tag: str | None = None

    def covers(self, target: Target) -> bool:
        if self.organization_id != target.organization_id:
            return False
        if self.scope_type == ScopeType.ORGANIZATION:
            return True
        if self.scope_type == ScopeType.WORKSPACE:
            return target.workspace_id is not None and self.workspace_id == target.workspace_id
        # DEPLOYMENT and DAG grants apply inside their deployment only
        return target.deployment_id is not None and self.deployment_id == target.deployment_id


@dataclass(frozen=True, slots=True)
class Reach:
    """Where a caller holds one permission in an organization: everywhere, or in these workspaces
    (and every deployment in them) and these deployments."""

    everywhere: bool
    workspace_ids: frozenset[str] = frozenset()
    deployment_ids: frozenset[str] = frozenset()


@dataclass(slots=True)
class Principal:
    kind: str  # "API_TOKEN" | "USER"
    id: str
    name: str
    grants: list[Grant] = field(default_factory=list)
    # API tokens belong to exactly one organization; users belong to those they hold roles in.
    home_organization_id: str | None = None
    token_scope: str | None = None
    token_entity_id: str | None = None
    expires_at: dt.datetime | None = None

    @property
    def subject(self) -> tuple[str, str]:
        """How rows record this caller as author."""
        return ("SERVICEKEY" if self.kind == "API_TOKEN" else "USER", self.id)

    def organization_ids(self) -> set[str]:
        ids = {grant.organization_id for grant in self.grants}
        if self.home_organization_id:
            ids.add(self.home_organization_id)
        return ids

    def is_member(self, organization_id: str) -> bool:
        return organization_id in self.organization_ids()

    def within(self, organization_ids: set[str]) -> "Principal":
        """This caller as seen from only these of its organizations (the others' guards refused it)."""
        home = self.home_organization_id if self.home_organization_id in organization_ids else None
        return dataclasses.replace(self, grants=[g for g in self.grants if g.organization_id in organization_ids],
                                   home_organization_id=home)

    def permissions_at(self, target: Target) -> frozenset[str]:
        found: set[str] = set()
        for grant in self.grants:
            if grant.covers(target):
                if grant.scope_type == ScopeType.DAG:
                    found.update(p for p in grant.permissions if p.startswith("dag."))
                else:
                    found.update(grant.permissions)
        return frozenset(found)

    def can(self, permission: str, target: Target) -> bool:
        return permission in self.permissions_at(target)

    def require(self, permission: str, target: Target) -> None:
        if not self.can(permission, target):
            raise Forbidden(f"Missing permission '{permission}' for this action")

    def visible_workspace_ids(self, organization_id: str) -> set[str] | None:
        """Workspaces this caller can see in an organization; None means all of them."""
        if self.can("workspace.get", Target(organization_id)):
            return None
        return {g.workspace_id for g in self.grants
                if g.organization_id == organization_id and g.workspace_id is not None}

    def reach(self, permission: str, organization_id: str) -> Reach:
        workspaces: set[str] = set()
        deployments: set[str] = set()
        for grant in self.grants:
            if grant.organization_id != organization_id or permission not in grant.permissions:
                continue
            if grant.scope_type == ScopeType.ORGANIZATION:
                return Reach(True)
            if grant.scope_type == ScopeType.WORKSPACE:
                workspaces.add(grant.workspace_id)
            elif grant.scope_type == ScopeType.DEPLOYMENT:
                deployments.add(grant.deployment_id)
        return Reach(False, frozenset(workspaces), frozenset(deployments))
