from conftest import assert_error, assert_no_nulls, make_token, make_workspace, new_org


def test_list_shows_only_the_callers_organizations(server, api):
    other = new_org(server)
    page = api.ok("GET", "/v1/organizations")
    assert [o["id"] for o in page["organizations"]] == [api.org.id]
    assert page["totalCount"] == 1 and other.id not in str(page)


def test_get_organization_shape(api):
    org = api.ok("GET", "")
    assert org["id"] == api.org.id and org["name"] == api.org.name
    assert org["hasAllowedIpAddressRanges"] is False
    assert org["shouldEnforceDedicatedClusters"] is False
    assert org["productPlans"][0]["organizationId"] == api.org.id
    assert org["createdBy"]["id"]
    assert_no_nulls(org)
    assert api.ok("GET", "", params={"isLookUpOnly": "true"})["id"] == api.org.id


def test_update_organization(api):
    body = {"name": api.org.name + "-renamed", "billingEmail": "billing@example.com", "isScimEnabled": False,
            "shouldEnforceDedicatedClusters": True}
    updated = api.ok("POST", "", json=body)
    assert updated["name"] == body["name"] and updated["billingEmail"] == "billing@example.com"
    assert updated["shouldEnforceDedicatedClusters"] is True
    assert updated["updatedBy"]["subjectType"] == "SERVICEKEY" and updated["updatedBy"]["apiTokenName"]
    assert api.ok("GET", "")["shouldEnforceDedicatedClusters"] is True


def test_update_organization_validation(server, api):
    other = new_org(server)
    base = {"billingEmail": "b@example.com", "isScimEnabled": False}
    assert_error(api.post("", json={**base, "name": other.name}), 400, "already exists")
    assert_error(api.post("", json={**base, "name": ""}), 400, "name")
    assert_error(api.post("", json={"name": "x", "isScimEnabled": False}), 400, "billingEmail")


def test_foreign_organization_is_refused(server, api):
    other = new_org(server)
    assert_error(api.get(f"/v1/organizations/{other.id}"), 403)
    assert_error(api.post(f"/v1/organizations/{other.id}", json={"name": "x", "billingEmail": "a@b.c",
                                                                 "isScimEnabled": False}), 403)
    assert_error(api.get("/v1/organizations/cdoesnotexist000000000000"), 403)


def test_workspace_token_reads_but_cannot_update_organization(api):
    workspace = make_workspace(api)
    token, _ = make_token(api, "WORKSPACE", "WORKSPACE_OWNER", workspace["id"])
    scoped = api.as_token(token)
    assert scoped.ok("GET", "/v1/organizations")["organizations"][0]["id"] == api.org.id
    assert scoped.ok("GET", "")["id"] == api.org.id
    assert_error(scoped.post("", json={"name": "x", "billingEmail": "a@b.c", "isScimEnabled": False}), 403)
