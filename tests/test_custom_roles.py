"""Custom roles, role templates and permission groups; custom roles really grant their permissions."""

import uuid

from conftest import assert_error, assert_no_nulls, make_workspace
from factories import insert_deployment
from identity_helpers import signed_in_member


def _role(api, scope="DEPLOYMENT", permissions=("deployment.get",), **extra):
    return api.ok("POST", "/roles", json={"name": f"role-{uuid.uuid4().hex[:6]}", "scopeType": scope,
                                          "permissions": list(permissions), **extra})


def test_permission_groups_and_templates(api):
    groups = api.ok("GET", "/v1/authorization/permission-groups")
    names = {g["name"] for g in groups}
    assert {"deployment", "deployment.apiTokens", "dag.airflow.dag"} <= names
    assert_no_nulls(groups)
    dag_groups = api.ok("GET", "/v1/authorization/permission-groups?scopeType=DAG")
    assert {g["name"] for g in dag_groups} == {n for n in names if n.startswith("dag.")}
    assert api.ok("GET", "/v1/authorization/permission-groups?scopeType=ORGANIZATION") == []
    templates = api.ok("GET", "/role-templates?scopeTypes=DAG")
    assert {t["name"] for t in templates} == {"DAG_AUTHOR", "DAG_VIEWER"}
    assert all(t["permissions"] for t in templates)
    everything = api.ok("GET", "/role-templates")
    assert "ORGANIZATION_OWNER" in {t["name"] for t in everything}


def test_custom_role_crud(api):
    ws = make_workspace(api)["id"]
    role = _role(api, permissions=["deployment.get", "deployment.update", "deployment.get"], description="ops",
                 restrictedWorkspaceIds=[ws])
    assert role["permissions"] == ["deployment.get", "deployment.update"]
    assert role["scopeType"] == "DEPLOYMENT" and role["restrictedWorkspaceIds"] == [ws]
    assert_no_nulls(role)
    assert api.ok("GET", f"/roles/{role['id']}") == role
    updated = api.ok("POST", f"/roles/{role['id']}", json={"name": "renamed-role", "permissions": ["deployment.logs.get"]})
    assert updated["name"] == "renamed-role" and updated["permissions"] == ["deployment.logs.get"]
    assert updated["scopeType"] == "DEPLOYMENT" and updated["description"] == "ops"
    dag = _role(api, scope="DAG", permissions=["dag.airflow.dag.get"])
    assert dag["restrictedWorkspaceIds"] == []
    listed = api.ok("GET", "/roles")
    assert listed["totalCount"] == 2 and "defaultRoles" not in listed
    by_scope = api.ok("GET", "/roles?scopeTypes=DAG&includeDefaultRoles=true")
    assert [r["id"] for r in by_scope["roles"]] == [dag["id"]]
    assert {d["name"] for d in by_scope["defaultRoles"]} == {"DAG_AUTHOR", "DAG_VIEWER"}
    api.ok("DELETE", f"/roles/{dag['id']}", status=204)
    assert_error(api.get(f"/roles/{dag['id']}"), 404)


def test_custom_role_input_errors(api):
    cases = [
        ({"permissions": []}, "permissions"),
        ({"permissions": ["organization.update"]}, "permissions[0]"),
        ({"scopeType": "DAG", "permissions": ["deployment.get"]}, "permissions[0]"),
        ({"name": "DEPLOYMENT_ADMIN"}, "built-in"),
        ({"name": ""}, "name"),
        ({"restrictedWorkspaceIds": ["c" + "0" * 24]}, "restrictedWorkspaceIds[0]"),
    ]
    for extra, fragment in cases:
        body = {"name": "r-" + uuid.uuid4().hex[:6], "scopeType": "DEPLOYMENT", "permissions": ["deployment.get"], **extra}
        assert_error(api.post("/roles", json=body), 400, fragment)
    assert_error(api.post("/roles", json={"name": "x", "scopeType": "WORKSPACE", "permissions": ["workspace.get"]}), 400)
    existing = _role(api)
    assert_error(api.post("/roles", json={"name": existing["name"], "scopeType": "DAG",
                                          "permissions": ["dag.airflow.dag.get"]}), 400, "already exists")
    assert api.ok("GET", "/roles")["totalCount"] == 1


def test_custom_role_grants_its_permissions_and_follows_renames(api, server):
    user_id, member = signed_in_member(api)
    ws = make_workspace(api)["id"]
    dep = insert_deployment(server, api.org.id, ws)
    role = _role(api, permissions=["deployment.get"])
    held = api.ok("POST", f"/users/{user_id}/roles", json={
        "organizationRole": "ORGANIZATION_MEMBER", "deploymentRoles": [{"deploymentId": dep, "role": role["name"]}]})
    assert held["deploymentRoles"] == [{"deploymentId": dep, "role": role["name"]}]
    principal = _principal(server, user_id)
    from astroplane.rbac.principal import Target
    target = Target(api.org.id, ws, dep)
    assert principal.can("deployment.get", target) and not principal.can("deployment.update", target)
    # renaming keeps the assignment; changing permissions changes what it grants
    api.ok("POST", f"/roles/{role['id']}", json={"name": "viewer-2", "permissions": ["deployment.update"]})
    assert api.ok("GET", f"/users/{user_id}")["deploymentRoles"] == [{"deploymentId": dep, "role": "viewer-2"}]
    principal = _principal(server, user_id)
    assert principal.can("deployment.update", target) and not principal.can("deployment.get", target)
    # in use: deleting is refused and names the reason
    assert_error(api.delete(f"/roles/{role['id']}"), 400, "viewer-2", "replace those roles")
    api.ok("POST", f"/users/{user_id}/roles", json={"organizationRole": "ORGANIZATION_MEMBER"})
    api.ok("DELETE", f"/roles/{role['id']}", status=204)


def test_custom_roles_fit_their_scope_and_workspaces(api, server):
    user_id, _ = signed_in_member(api)
    ws, other_ws = make_workspace(api)["id"], make_workspace(api)["id"]
    dep, other_dep = insert_deployment(server, api.org.id, ws), insert_deployment(server, api.org.id, other_ws)
    dag_role = _role(api, scope="DAG", permissions=["dag.airflow.dag.get"])
    restricted = _role(api, restrictedWorkspaceIds=[ws])
    url = f"/users/{user_id}/roles"
    base = {"organizationRole": "ORGANIZATION_MEMBER"}
    assert_error(api.post(url, json={**base, "deploymentRoles": [{"deploymentId": dep, "role": dag_role["name"]}]}),
                 400, "DAG role")
    assert_error(api.post(url, json={**base, "deploymentRoles": [{"deploymentId": other_dep,
                                                                  "role": restricted["name"]}]}),
                 400, "deploymentRoles[0].role")
    api.ok("POST", url, json={**base, "deploymentRoles": [{"deploymentId": dep, "role": restricted["name"]}],
                              "dagRoles": [{"deploymentId": dep, "dagTag": "finance", "role": dag_role["name"]}]})
    assert [u["id"] for u in api.ok("GET", "/users?dagTags=finance")["users"]] == [user_id]


def test_member_cannot_manage_roles(api):
    _, member = signed_in_member(api)
    member.ok("GET", "/roles")
    assert_error(member.post("/roles", json={"name": "m", "scopeType": "DAG", "permissions": ["dag.airflow.dag.get"]}),
                 403, "organization.roles.create")


def _principal(server, user_id):
    from astroplane.auth.dependencies import load_principal
    from astroplane.auth.codec import TokenClaims
    from astroplane.users.models import PersonalToken
    import sqlalchemy as sa
    with server.database.session() as session:
        version = session.scalar(sa.select(PersonalToken.id).where(PersonalToken.user_id == user_id))
        return load_principal(session, TokenClaims(kind="USER", subject_id=user_id, version=version,
                                                   organization_id=None))


def test_custom_role_is_enforced_through_http(api, server):
    user_id, member = signed_in_member(api)
    ws = make_workspace(api)["id"]
    dep = insert_deployment(server, api.org.id, ws)
    role = _role(api, permissions=["deployment.get", "deployment.apiTokens.get", "deployment.apiTokens.create"])
    body = {"name": "deploy-bot", "scope": "DEPLOYMENT", "entityId": dep, "role": role["name"]}
    assert_error(member.post("/tokens", json=body), 403, "deployment.apiTokens.create")
    api.ok("POST", f"/users/{user_id}/roles", json={"organizationRole": "ORGANIZATION_MEMBER",
                                                     "deploymentRoles": [{"deploymentId": dep, "role": role["name"]}]})
    created = member.ok("POST", "/tokens", json=body)
    assert created["roles"][0]["role"] == role["name"]
    # a role beyond the custom one is an escalation
    assert_error(member.post("/tokens", json={**body, "role": "DEPLOYMENT_ADMIN"}), 400, "does not hold")
    # through a team as well: the user's own binding goes, the team's gives it back
    api.ok("POST", f"/users/{user_id}/roles", json={"organizationRole": "ORGANIZATION_MEMBER"})
    assert_error(member.post("/tokens", json=body), 403)
    team = api.ok("POST", "/teams", json={"name": "deployers", "memberIds": [user_id]})
    api.ok("POST", f"/teams/{team['id']}/roles", json={"organizationRole": "ORGANIZATION_MEMBER",
                                                       "deploymentRoles": [{"deploymentId": dep, "role": role["name"]}]})
    member.ok("POST", "/tokens", json=body)
