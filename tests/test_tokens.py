import datetime as dt

import jwt
import sqlalchemy as sa

from conftest import assert_error, assert_no_nulls, make_token, make_workspace


def test_create_org_token_value_shown_once_and_works(api):
    token, created = make_token(api, "ORGANIZATION", "ORGANIZATION_MEMBER", description="ci")
    assert created["scope"] == "ORGANIZATION" and created["kind"] == "STANDARD"
    assert created["roles"] == [{"entityType": "ORGANIZATION", "entityId": api.org.id, "role": "ORGANIZATION_MEMBER"}]
    assert created["shortToken"] and created["shortToken"] in token
    assert "endAt" not in created and "expiryPeriodInDays" not in created
    fetched = api.ok("GET", f"/tokens/{created['id']}")
    assert "token" not in fetched
    assert all("token" not in t for t in api.ok("GET", "/tokens")["tokens"])
    assert_no_nulls(fetched)
    assert api.as_token(token).ok("GET", "")["id"] == api.org.id


def test_token_claims_satisfy_the_astro_cli(api):
    token, created = make_token(api, "WORKSPACE", "WORKSPACE_OWNER", make_workspace(api)["id"])
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["permissions"] and f"organizationId:{api.org.id}" in claims["permissions"]
    assert claims["apiTokenId"] == created["id"] and claims["org_id"] == api.org.id


def test_rotate_invalidates_old_value_at_once(api):
    old, created = make_token(api, "ORGANIZATION", "ORGANIZATION_OWNER")
    rotated = api.ok("POST", f"/tokens/{created['id']}/rotate")
    assert rotated["token"] != old and rotated["lastRotatedAt"]
    assert rotated["name"] == created["name"] and rotated["roles"] == created["roles"]
    assert_error(api.as_token(old).get(""), 401)
    assert api.as_token(rotated["token"]).ok("GET", "")["id"] == api.org.id


def test_delete_invalidates_token(api):
    token, created = make_token(api, "ORGANIZATION", "ORGANIZATION_OWNER")
    api.ok("DELETE", f"/tokens/{created['id']}", 204)
    assert_error(api.as_token(token).get(""), 401)
    assert_error(api.get(f"/tokens/{created['id']}"), 404)


def test_expiry_sets_end_and_expired_token_is_401(server, api):
    token, created = make_token(api, "ORGANIZATION", "ORGANIZATION_OWNER", tokenExpiryPeriodInDays=30)
    assert created["expiryPeriodInDays"] == 30
    start = dt.datetime.fromisoformat(created["startAt"].replace("Z", "+00:00"))
    end = dt.datetime.fromisoformat(created["endAt"].replace("Z", "+00:00"))
    assert end - start == dt.timedelta(days=30)
    assert jwt.decode(token, options={"verify_signature": False})["exp"] == int(end.timestamp())
    with server.database.engine.begin() as connection:  # the server's own record says it ended
        connection.execute(sa.text("UPDATE api_tokens SET end_at = :past WHERE id = :id"),
                           {"past": dt.datetime(2020, 1, 1), "id": created["id"]})
    assert_error(api.as_token(token).get(""), 401, "expired")
    assert_error(api.post("/tokens", json={"name": "x", "scope": "ORGANIZATION", "role": "ORGANIZATION_MEMBER",
                                           "tokenExpiryPeriodInDays": 0}), 400, "tokenExpiryPeriodInDays")


def test_update_name_and_description(api):
    _, created = make_token(api, "ORGANIZATION", "ORGANIZATION_MEMBER")
    updated = api.ok("POST", f"/tokens/{created['id']}", json={"name": "renamed", "description": "new"})
    assert updated["name"] == "renamed" and updated["description"] == "new" and "token" not in updated
    assert_error(api.post(f"/tokens/{created['id']}", json={"name": ""}), 400, "name")
    assert_error(api.post(f"/tokens/{created['id']}", json={"name": "x", "description": "d" * 501}), 400)


def test_role_must_fit_scope_and_entity_must_exist(api):
    workspace = make_workspace(api)
    cases = [
        ({"scope": "ORGANIZATION", "role": "WORKSPACE_OWNER"}, "role"),
        ({"scope": "WORKSPACE", "role": "ORGANIZATION_OWNER", "entityId": workspace["id"]}, "role"),
        ({"scope": "WORKSPACE", "role": "WORKSPACE_OWNER"}, "entityId"),
        ({"scope": "WORKSPACE", "role": "WORKSPACE_OWNER", "entityId": "c" + "0" * 24}, "entityId"),
        ({"scope": "ORGANIZATION", "role": "NOT_A_ROLE"}, "role"),
        ({"scope": "GALAXY", "role": "ORGANIZATION_OWNER"}, "scope"),
    ]
    before = api.ok("GET", "/tokens")["totalCount"]
    for body, field in cases:
        assert_error(api.post("/tokens", json={"name": "t", **body}), 400, field)
    assert api.ok("GET", "/tokens")["totalCount"] == before


def test_no_caller_grants_above_its_own_role(api):
    workspace = make_workspace(api)
    operator_token, _ = make_token(api, "WORKSPACE", "WORKSPACE_OPERATOR", workspace["id"])
    operator = api.as_token(operator_token)
    assert_error(operator.post("/tokens", json={"name": "t", "scope": "WORKSPACE", "role": "WORKSPACE_OWNER",
                                                "entityId": workspace["id"]}), 400, "role")
    assert_error(operator.post("/tokens", json={"name": "t", "scope": "ORGANIZATION",
                                                "role": "ORGANIZATION_MEMBER"}), 403)
    made = operator.ok("POST", "/tokens", json={"name": "t", "scope": "WORKSPACE", "role": "WORKSPACE_AUTHOR",
                                                "entityId": workspace["id"]})
    assert made["roles"][0]["role"] == "WORKSPACE_AUTHOR"


def test_update_roles_replaces_the_set(api):
    first, second = make_workspace(api), make_workspace(api)
    _, token = make_token(api, "ORGANIZATION", "ORGANIZATION_MEMBER")
    roles = api.ok("POST", f"/tokens/{token['id']}/roles", json={"roles": [
        {"entityType": "ORGANIZATION", "entityId": api.org.id, "role": "ORGANIZATION_MEMBER"},
        {"entityType": "WORKSPACE", "entityId": first["id"], "role": "WORKSPACE_AUTHOR"},
    ]})
    assert roles["organizationRole"] == "ORGANIZATION_MEMBER"
    assert roles["workspaceRoles"] == [{"workspaceId": first["id"], "role": "WORKSPACE_AUTHOR"}]
    roles = api.ok("POST", f"/tokens/{token['id']}/roles", json={"roles": [
        {"entityType": "ORGANIZATION", "entityId": api.org.id, "role": "ORGANIZATION_MEMBER"},
        {"entityType": "WORKSPACE", "entityId": second["id"], "role": "WORKSPACE_MEMBER"},
    ]})
    assert roles["workspaceRoles"] == [{"workspaceId": second["id"], "role": "WORKSPACE_MEMBER"}]
    listed = api.ok("GET", "/tokens", params={"workspaceId": second["id"]})
    assert [t["id"] for t in listed["tokens"]] == [token["id"]]
    assert api.ok("GET", "/tokens", params={"workspaceId": first["id"]})["totalCount"] == 0


def test_update_roles_rules(api):
    workspace, other = make_workspace(api), make_workspace(api)
    _, token = make_token(api, "WORKSPACE", "WORKSPACE_MEMBER", workspace["id"])
    path = f"/tokens/{token['id']}/roles"
    assert_error(api.post(path, json={"roles": []}), 400, "roles")
    assert_error(api.post(path, json={"roles": [
        {"entityType": "ORGANIZATION", "entityId": api.org.id, "role": "ORGANIZATION_MEMBER"}]}), 400, "entityType")
    assert_error(api.post(path, json={"roles": [
        {"entityType": "WORKSPACE", "entityId": other["id"], "role": "WORKSPACE_MEMBER"}]}), 400)
    assert_error(api.post(path, json={"roles": [
        {"entityType": "WORKSPACE", "entityId": workspace["id"], "role": "WORKSPACE_MEMBER"},
        {"entityType": "WORKSPACE", "entityId": workspace["id"], "role": "WORKSPACE_OWNER"}]}), 400, "more than once")
    assert_error(api.post(path, json={"roles": [
        {"entityType": "DAG", "entityId": "my_dag", "role": "DAG_VIEWER"}]}), 400, "deploymentId")
    assert api.ok("GET", f"/tokens/{token['id']}")["roles"][0]["role"] == "WORKSPACE_MEMBER"


def test_list_filters_and_visibility(api):
    workspace = make_workspace(api)
    _, org_token = make_token(api, "ORGANIZATION", "ORGANIZATION_MEMBER")
    ws_value, ws_token = make_token(api, "WORKSPACE", "WORKSPACE_OWNER", workspace["id"])
    everything = api.ok("GET", "/tokens", params={"limit": 1000})
    assert {org_token["id"], ws_token["id"]} <= {t["id"] for t in everything["tokens"]}
    only_org = api.ok("GET", "/tokens", params={"includeOnlyOrganizationTokens": "true", "limit": 1000})
    assert all(t["scope"] == "ORGANIZATION" for t in only_org["tokens"])
    assert ws_token["id"] not in {t["id"] for t in only_org["tokens"]}
    workspace_view = api.as_token(ws_value).ok("GET", "/tokens")
    assert [t["id"] for t in workspace_view["tokens"]] == [ws_token["id"]]
    assert_error(api.as_token(ws_value).get(f"/tokens/{org_token['id']}"), 404)
    named = api.ok("GET", "/tokens", params={"sorts": "name:desc", "limit": 1000})
    names = [t["name"] for t in named["tokens"]]
    assert names == sorted(names, reverse=True)


def test_revocation_and_role_changes_reach_every_server_process_at_once(server, api):
    """Two app instances on one database stand in for two workers with their own caches."""
    from fastapi.testclient import TestClient

    from astroplane.app import create_app
    from conftest import Api

    workspace = make_workspace(api)
    value, created = make_token(api, "WORKSPACE", "WORKSPACE_OPERATOR", workspace["id"])
    with TestClient(create_app(server.settings, server.database)) as other_client:
        other = Api(type(server)(server.settings, server.database, other_client, server.backend), api.org, value)
        assert other.ok("GET", f"/workspaces/{workspace['id']}")["id"] == workspace["id"]  # now cached there
        api.ok("POST", f"/tokens/{created['id']}/roles", json={"roles": [
            {"entityType": "WORKSPACE", "entityId": workspace["id"], "role": "WORKSPACE_ACCESSOR"}]})
        assert other.get("/tokens").json()["tokens"] == []  # the operator's token view is gone
        rotated = api.ok("POST", f"/tokens/{created['id']}/rotate")["token"]
        assert_error(other.get(f"/workspaces/{workspace['id']}"), 401)
        assert other.as_token(rotated).ok("GET", f"/workspaces/{workspace['id']}")["id"] == workspace["id"]
        api.ok("DELETE", f"/tokens/{created['id']}", 204)
        assert_error(other.as_token(rotated).get(f"/workspaces/{workspace['id']}"), 401)
