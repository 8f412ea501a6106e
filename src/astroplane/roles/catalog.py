"""Permission groups and role templates: the vocabulary custom roles are built from."""

from astroplane.contract.models import DefaultRole, PermissionEntry, PermissionGroup, RoleTemplate
from astroplane.rbac.permissions import (
    DAG_PERMISSIONS,
    DEPLOYMENT_PERMISSIONS,
    ROLE_DESCRIPTIONS,
    ROLE_PERMISSIONS,
    ROLE_SCOPES,
    ScopeType,
)

_ACTION_WORDS = {"get": "Read", "create": "Create", "update": "Update", "delete": "Delete", "rotate": "Rotate"}


def _split(permission: str) -> tuple[str, str]:
    group, _, action = permission.rpartition(".")
    return group, action


def _label(group: str) -> str:
    words = []
    for part in group.split("."):
        words.append(part[:1].upper() + part[1:])
    return " ".join(words)


def _groups(permissions: frozenset[str]) -> list[PermissionGroup]:
    by_group: dict[str, list[str]] = {}
    for permission in sorted(permissions):
        group, action = _split(permission)
        by_group.setdefault(group, []).append(action)
    return [PermissionGroup(
        name=group, scope=_label(group), description=f"Permissions on {_label(group).lower()}",
        permissions=[PermissionEntry(action=action, description=f"{_ACTION_WORDS.get(action, action.capitalize())} "
                                                                 f"{_label(group).lower()}") for action in actions])
        for group, actions in by_group.items()]


# What custom roles of each scope may hold. A deployment role may also carry DAG permissions
# (they then apply to every DAG of the deployment), as DEPLOYMENT_ADMIN does.
CUSTOM_ROLE_PERMISSIONS = {
    ScopeType.DEPLOYMENT: DEPLOYMENT_PERMISSIONS | DAG_PERMISSIONS,
    ScopeType.DAG: DAG_PERMISSIONS,
}


def permission_groups(scope: str | None) -> list[PermissionGroup]:
    if scope is None:
        return _groups(CUSTOM_ROLE_PERMISSIONS[ScopeType.DEPLOYMENT])
    return _groups(CUSTOM_ROLE_PERMISSIONS.get(ScopeType(scope), frozenset()))


def _built_in(scope_types: list[str] | None) -> list[tuple[str, ScopeType]]:
    return [(name, scope) for name, scope in ROLE_SCOPES.items() if scope_types is None or scope.value in scope_types]


def role_templates(scope_types: list[str] | None) -> list[RoleTemplate]:
    return [RoleTemplate(name=name, scopeType=scope.value, description=ROLE_DESCRIPTIONS.get(name),
                         permissions=sorted(ROLE_PERMISSIONS[name])) for name, scope in _built_in(scope_types)]


def default_roles(scope_types: list[str] | None) -> list[DefaultRole]:
    return [DefaultRole(name=name, scopeType=scope.value, description=ROLE_DESCRIPTIONS.get(name),
                        permissions=sorted(ROLE_PERMISSIONS[name])) for name, scope in _built_in(scope_types)]
