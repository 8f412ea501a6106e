from conftest import assert_error, make_token, make_workspace, new_org


def test_workspace_crud(api):
    created = make_workspace(api, "analytics", description="team space", cicdEnforcedDefault=True)
    assert created["name"] == "analytics" and created["cicdEnforcedDefault"] is True
    assert created["organizationName"] == api.org.name
    assert created["createdBy"]["subjectType"] == "SERVICEKEY"
    path = f"/workspaces/{created['id']}"
    assert api.ok("GET", path) == created
    updated = api.ok("POST", path, json={"name": "analytics-2", "description": "", "cicdEnforcedDefault": False})
    assert updated["name"] == "analytics-2" and updated["cicdEnforcedDefault"] is False
    assert api.ok("DELETE", path, 204) is None
    assert_error(api.get(path), 404)
    assert_error(api.delete(path), 404)


def test_update_requires_full_body(api):
    created = make_workspace(api)
    body = assert_error(api.post(f"/workspaces/{created['id']}", json={"name": "x"}), 400)
    assert {e["field"] for e in body["fieldErrors"]} == {"description", "cicdEnforcedDefault"}


def test_default_fields_rules(api):
    assert_error(api.post("/workspaces", json={"name": "w", "defaultClusterId": "c" + "1" * 24,
                                               "defaultCloudProvider": "AWS", "defaultRegion": "us-east-1"}),
                 400, "defaultClusterId")
    assert_error(api.post("/workspaces", json={"name": "w", "defaultCloudProvider": "AWS"}), 400, "defaultRegion")
    assert_error(api.post("/workspaces", json={"name": "w", "defaultCloudProvider": "ORACLE",
                                               "defaultRegion": "x"}), 400, "defaultCloudProvider")
    assert_error(api.post("/workspaces", json={"name": "x" * 51}), 400, "name")


def test_filters(api):
    first, second = make_workspace(api, "one"), make_workspace(api, "two")
    make_workspace(api, "three")
    by_name = api.ok("GET", "/workspaces", params=[("names", "one"), ("names", "three")])
    assert sorted(w["name"] for w in by_name["workspaces"]) == ["one", "three"]
    by_id = api.ok("GET", "/workspaces", params={"workspaceIds": second["id"]})
    assert [w["id"] for w in by_id["workspaces"]] == [second["id"]] and by_id["totalCount"] == 1
    assert first["id"] not in str(by_id)


def test_other_organizations_workspaces_are_invisible(server, api):
    other = new_org(server)
    from conftest import Api
    theirs = make_workspace(Api(server, other, other.token), "secret-project")
    assert_error(api.get(f"/workspaces/{theirs['id']}"), 404)
    assert_error(api.post(f"/workspaces/{theirs['id']}", json={"name": "x", "description": "",
                                                               "cicdEnforcedDefault": False}), 404)
    assert_error(api.delete(f"/workspaces/{theirs['id']}"), 404)
    assert "secret-project" not in str(api.ok("GET", "/workspaces"))
    assert_error(api.get(f"/v1/organizations/{other.id}/workspaces"), 403)


def test_workspace_roles_scope_visibility_and_actions(api):
    mine, other = make_workspace(api, "mine"), make_workspace(api, "other")
    member_token, _ = make_token(api, "WORKSPACE", "WORKSPACE_MEMBER", mine["id"])
    member = api.as_token(member_token)
    assert [w["id"] for w in member.ok("GET", "/workspaces")["workspaces"]] == [mine["id"]]
    assert member.ok("GET", f"/workspaces/{mine['id']}")["id"] == mine["id"]
    assert_error(member.get(f"/workspaces/{other['id']}"), 403)
    assert_error(member.post(f"/workspaces/{mine['id']}", json={"name": "x", "description": "",
                                                                "cicdEnforcedDefault": False}), 403)
    assert_error(member.post("/workspaces", json={"name": "new"}), 403)
    assert_error(member.delete(f"/workspaces/{mine['id']}"), 403)


def test_deleting_a_workspace_revokes_its_tokens(api):
    workspace = make_workspace(api)
    token, created = make_token(api, "WORKSPACE", "WORKSPACE_OWNER", workspace["id"])
    assert api.as_token(token).get(f"/workspaces/{workspace['id']}").status_code == 200
    api.ok("DELETE", f"/workspaces/{workspace['id']}", 204)
    assert_error(api.as_token(token).get("/workspaces"), 401)
    assert_error(api.get(f"/tokens/{created['id']}"), 404)


def test_cached_names_follow_renames_at_once(api):
    workspace = make_workspace(api)
    assert api.ok("GET", f"/workspaces/{workspace['id']}")["organizationName"] == api.org.name
    api.ok("POST", "", json={"name": api.org.name + "-x", "billingEmail": "b@example.com", "isScimEnabled": False})
    assert api.ok("GET", f"/workspaces/{workspace['id']}")["organizationName"] == api.org.name + "-x"
    token_id = workspace["createdBy"]["id"]
    api.ok("POST", f"/tokens/{token_id}", json={"name": "renamed-owner-token"})
    assert api.ok("GET", f"/workspaces/{workspace['id']}")["createdBy"]["apiTokenName"] == "renamed-owner-token"
