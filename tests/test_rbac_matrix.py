"""RBAC matrix: every operation × every built-in role bound where it matters, plus an unrelated
token. Expectations come from the permission table, never from the server: a route that declares
Permission(p, scope) must admit exactly the roles whose permissions hold p at a covering binding."""

import re
import uuid

import pytest

import scenario
from astroplane.rbac.authorize import Permission
from astroplane.rbac.permissions import ROLE_PERMISSIONS, ROLE_SCOPES, ScopeType

PARAM = re.compile(r"{(\w+)}")
WS = ScopeType.WORKSPACE
# Routes that ask only for membership and check in the service: the permission that decides, on the
# scenario's entity (its token is a WORKSPACE token on the scenario's workspace).
SERVICE_RULES = {
    "GetApiToken": Permission("workspace.apiTokens.get", WS),
    "UpdateApiToken": Permission("workspace.apiTokens.update", WS),
    "UpdateApiTokenRoles": Permission("workspace.apiTokens.update", WS),
    "RotateApiToken": Permission("workspace.apiTokens.rotate", WS),
    "DeleteApiToken": Permission("workspace.apiTokens.delete", WS),
    "CreateApiToken": Permission("workspace.apiTokens.create", WS),
    "CreateDeployment": Permission("workspace.deployments.create", WS),
    # the scenario's environment object is WORKSPACE-scoped
    "CreateEnvironmentObject": Permission("workspace.envObjects.create", WS),
    "GetEnvironmentObject": Permission("workspace.envObjects.get", WS),
    "UpdateEnvironmentObject": Permission("workspace.envObjects.update", WS),
    "DeleteEnvironmentObject": Permission("workspace.envObjects.delete", WS),
    "ExcludeLinkingEnvironmentObject": Permission("workspace.envObjects.update", WS),
}
# Bodies that make a call meaningful (a generic sample would fail validation for everyone).
BODIES = {
    "CreateApiToken": lambda ids: {"name": "m", "scope": "WORKSPACE", "role": "WORKSPACE_ACCESSOR",
                                   "entityId": ids["workspaceId"]},
    "CreateDeployment": lambda ids: {"name": "m", "workspaceId": ids["workspaceId"], "type": "DEDICATED",
                                     "clusterId": ids["clusterId"]},
    "UpdateApiTokenRoles": lambda ids: {"roles": [{"entityType": "WORKSPACE", "entityId": ids["workspaceId"],
                                                   "role": "WORKSPACE_ACCESSOR"}]},
    "CreateEnvironmentObject": lambda ids: {"objectKey": f"matrix_{uuid.uuid4().hex[:8]}",
                                            "objectType": "AIRFLOW_VARIABLE", "scope": "WORKSPACE",
                                            "scopeEntityId": ids["workspaceId"], "airflowVariable": {"value": "v"}},
    "UpdateEnvironmentObject": lambda ids: {"description": "matrix"},
    "ExcludeLinkingEnvironmentObject": lambda ids: {"scope": "DEPLOYMENT", "scopeEntityId": ids["deploymentId"]},
}
DESTRUCTIVE = re.compile(r"(DELETE .*)|(POST .*/rotate$)")
DENIED = (403, 404)


def _declared_permission(route) -> Permission | None:
    stack = list(route.dependant.dependencies)
    while stack:
        dependency = stack.pop()
        if isinstance(dependency.call, Permission):
            return dependency.call
        stack.extend(dependency.dependencies)
    return None


def _bindings(shape):
    """(label, token scope, role, entity id) for every built-in role, bound at its own scope."""
    entities = {ScopeType.ORGANIZATION: shape.ids["organizationId"], ScopeType.WORKSPACE: shape.ids["workspaceId"],
                ScopeType.DEPLOYMENT: shape.ids.get("deploymentId")}
    for role, scope in ROLE_SCOPES.items():
        if scope == ScopeType.DAG or entities.get(scope) is None:
            continue
        yield role, scope, entities[scope]


def _token(shape, scope, role, entity_id):
    return shape.api.ok("POST", "/tokens", json={"name": f"matrix-{role}", "scope": scope.value, "role": role,
                                                 "entityId": entity_id})["token"]


def _expected(permission: Permission, role: str, role_scope: ScopeType) -> bool:
    if permission.permission is None:
        return True  # membership: the service decides what the caller sees
    if permission.permission not in ROLE_PERMISSIONS[role]:
        return False
    order = [ScopeType.ORGANIZATION, ScopeType.WORKSPACE, ScopeType.DEPLOYMENT]
    # a binding covers its own entity and what lies below it
    return order.index(role_scope) <= order.index(permission.scope)


def _routes(server):
    prefix = server.client.app.state.api_prefix
    for route in server.client.app.state.api_routes:
        permission = _declared_permission(route)
        if permission is None:
            continue
        if permission.permission is None:
            permission = SERVICE_RULES.get(route.operation_id, permission)
        for method in route.methods:
            yield method, prefix + route.path, route, permission


# Principals whose grants come through a team or a custom role (issue 7): label -> how to make one in
# a shape, and the (permissions, scope) grants the table says it holds.
_DEPLOYMENT_CUSTOM_PERMISSIONS = frozenset({"deployment.get", "deployment.logs.get", "deployment.apiTokens.get",
                                            "deployment.deploys.get", "deployment.deploys.create"})


def _team_user(shape, role: str, scope: ScopeType) -> str:
    """A signed-in user whose only role beyond ORGANIZATION_MEMBER comes from a team."""
    from identity_helpers import user_token
    email = f"matrix-{uuid.uuid4().hex[:8]}@example.com"
    user_id = shape.api.ok("POST", "/invites", json={"inviteeEmail": email, "role": "ORGANIZATION_MEMBER"})["userId"]
    team = shape.api.ok("POST", "/teams", json={"name": f"matrix-{uuid.uuid4().hex[:8]}", "memberIds": [user_id]})
    roles = {"organizationRole": role} if scope == ScopeType.ORGANIZATION else {
        "organizationRole": "ORGANIZATION_MEMBER", "workspaceRoles": [{"workspaceId": shape.ids["workspaceId"], "role": role}]}
    shape.api.ok("POST", f"/teams/{team['id']}/roles", json=roles)
    return user_token(shape.api.server, email)[1]


def _custom_role_token(shape) -> str:
    name = f"matrix-{uuid.uuid4().hex[:8]}"
    shape.api.ok("POST", "/roles", json={"name": name, "scopeType": "DEPLOYMENT",
                                         "permissions": sorted(_DEPLOYMENT_CUSTOM_PERMISSIONS)})
    return _token(shape, ScopeType.DEPLOYMENT, name, shape.ids["deploymentId"])


_MEMBER = (ROLE_PERMISSIONS["ORGANIZATION_MEMBER"], ScopeType.ORGANIZATION)
INDIRECT = {
    "TEAM:ORGANIZATION_BILLING_ADMIN": (lambda shape: _team_user(shape, "ORGANIZATION_BILLING_ADMIN", ScopeType.ORGANIZATION),
                                        [(ROLE_PERMISSIONS["ORGANIZATION_BILLING_ADMIN"], ScopeType.ORGANIZATION)], False),
    "TEAM:WORKSPACE_OWNER": (lambda shape: _team_user(shape, "WORKSPACE_OWNER", ScopeType.WORKSPACE),
                             [(ROLE_PERMISSIONS["WORKSPACE_OWNER"], ScopeType.WORKSPACE), _MEMBER], False),
    "CUSTOM:DEPLOYMENT": (_custom_role_token, [(_DEPLOYMENT_CUSTOM_PERMISSIONS, ScopeType.DEPLOYMENT)], True),
}


def _covers(permission: Permission, held: frozenset[str], scope: ScopeType) -> bool:
    if permission.permission is None:
        return True
    order = [ScopeType.ORGANIZATION, ScopeType.WORKSPACE, ScopeType.DEPLOYMENT]
    return permission.permission in held and order.index(scope) <= order.index(permission.scope)


def test_rbac_matrix(server):
    document = server.client.get("/v1/openapi.json").json()
    operations = {(m, p): op for m, p, op in scenario.operations(document)}
    shared = scenario.build(server)
    tokens = {role: (_token(shared, scope, role, entity), scope) for role, scope, entity in _bindings(shared)}
    # a DEPLOYMENT-scoped token bound at the scenario's deployment takes part like every other role
    assert tokens["DEPLOYMENT_ADMIN"][1] == ScopeType.DEPLOYMENT
    unrelated_ws = shared.api.ok("POST", "/workspaces", json={"name": "unrelated"})["id"]
    unrelated = _token(shared, ScopeType.WORKSPACE, "WORKSPACE_OWNER", unrelated_ws)
    indirect = {label: make for label, make in INDIRECT.items() if not make[2] or "deploymentId" in shared.ids}
    indirect_tokens = {label: make[0](shared) for label, make in indirect.items()}
    checked, escalations, refusals = 0, [], []
    for method, path, route, permission in _routes(server):
        operation = operations[(method, path)]
        make_body = BODIES.get(operation["operationId"])
        destructive = bool(DESTRUCTIVE.match(f"{method} {path}"))
        subjects = [(role, token, role_scope) for role, (token, role_scope) in tokens.items()]
        subjects += [("UNRELATED", unrelated, None)]
        subjects += [(label, indirect_tokens[label], None) for label in indirect]
        for role, token, role_scope in subjects:
            shape, value = shared, token
            if destructive:  # a fresh target, so one allowed delete does not starve the next check
                shape = scenario.build(server)
                if role in indirect:
                    value = indirect[role][0](shape)
                elif role != "UNRELATED":
                    entity = {ScopeType.ORGANIZATION: shape.ids["organizationId"],
                              ScopeType.WORKSPACE: shape.ids["workspaceId"],
                              ScopeType.DEPLOYMENT: shape.ids.get("deploymentId")}[role_scope]
                    value = _token(shape, role_scope, role, entity)
                else:
                    other = shape.api.ok("POST", "/workspaces", json={"name": "unrelated"})["id"]
                    value = _token(shape, ScopeType.WORKSPACE, "WORKSPACE_OWNER", other)
            url = PARAM.sub(lambda m: shape.ids[m.group(1)], path)
            body = make_body(shape.ids) if make_body else scenario.request_body(document, operation)
            response = shape.api.as_token(value).request(method, url, json=body)
            if role == "UNRELATED":  # owner of another workspace: nothing here but what any member sees
                allowed = permission.permission is None
            elif role in indirect:
                allowed = any(_covers(permission, held, scope) for held, scope in indirect[role][1])
            else:
                allowed = _expected(permission, role, role_scope)
            checked += 1
            assert response.status_code < 500, (method, url, role, response.text[:200])
            if not allowed and response.status_code not in DENIED:
                escalations.append(f"{role} {method} {path} -> {response.status_code}")
            if allowed and response.status_code in DENIED:
                refusals.append(f"{role} {method} {path} -> {response.status_code} {response.text[:120]}")
    print(f"rbac matrix: {checked} checks")
    assert escalations == [], escalations
    assert refusals == [], refusals
    assert checked >= 100
