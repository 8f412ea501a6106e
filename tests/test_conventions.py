"""Conventions every route follows: error body, validation as 400, paging, ids, timestamps, no nulls."""

import re

from conftest import assert_error, assert_no_nulls, make_workspace

TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
CUID = re.compile(r"^c[0-9a-z]{24}$")


def test_unknown_route_is_404_with_error_body(api):
    assert_error(api.get("/v1/no-such-thing"), 404)
    assert_error(api.get("/no-such-thing"), 404)


def test_wrong_method_is_405_with_error_body(api):
    assert_error(api.request("PUT", "/workspaces"), 405)


def test_missing_and_malformed_tokens_are_401(api):
    assert_error(api.get("/workspaces", token=""), 401)
    assert_error(api.get("/workspaces", token="not-a-jwt"), 401)
    assert_error(api.get("/workspaces", headers={"Authorization": "Basic abc"}, token=""), 401)


def test_token_signed_with_another_key_is_401(api):
    import jwt
    forged = jwt.encode({"sub": "x", "jti": "y", "iat": 1, "kind": "API_TOKEN", "iss": "astroplane",
                         "aud": "astro-api"}, "another-key-" + "z" * 40, algorithm="HS256")
    assert_error(api.get("/workspaces", token=forged), 401)


def test_validation_errors_are_400_with_field_errors(api):
    body = assert_error(api.post("/workspaces", json={"description": "no name"}), 400, "name")
    assert body["fieldErrors"][0]["field"] == "name"
    assert body["fieldErrors"][0]["message"]
    body = assert_error(api.post("/workspaces", content=b"{not json", headers={"content-type": "application/json"}),
                        400)
    assert body["fieldErrors"]


def test_wrong_types_are_400(api):
    assert_error(api.post("/workspaces", json={"name": "x", "cicdEnforcedDefault": "maybe"}), 400,
                 "cicdEnforcedDefault")
    assert_error(api.post("/workspaces", json={"name": "x", "defaultCloudProvider": "IBM"}), 400)


def test_unknown_request_fields_are_ignored(api):
    created = make_workspace(api, description="d", organizationId="cxxxxxxxxxxxxxxxxxxxxxxxx", bogus=1)
    assert "bogus" not in created
    assert created["organizationId"] == api.org.id


def test_ids_timestamps_and_no_nulls(api):
    created = make_workspace(api)
    assert CUID.match(created["id"])
    assert TIMESTAMP.match(created["createdAt"]) and TIMESTAMP.match(created["updatedAt"])
    assert "defaultClusterId" not in created and "description" not in created
    assert_no_nulls(created)
    assert_no_nulls(api.ok("GET", "/workspaces"))
    assert_no_nulls(api.ok("GET", ""))


def test_paging_limits(api):
    assert_error(api.get("/workspaces", params={"limit": 1001}), 400, "limit")
    assert_error(api.get("/workspaces", params={"offset": -1}), 400, "offset")
    assert_error(api.get("/workspaces", params={"offset": 10**22}), 400, "offset")
    assert_error(api.get("/workspaces", params={"limit": 10**9}), 400, "limit")
    assert_error(api.get("/workspaces", params={"limit": "many"}), 400, "limit")
    assert_error(api.get("/workspaces", params={"sorts": "color:asc"}), 400, "sorts")
    page = api.ok("GET", "/workspaces", params={"limit": 1000})
    assert page["limit"] == 1000 and page["offset"] == 0


def test_pages_never_overlap_and_sorts_apply(api):
    names = ["delta", "alpha", "charlie", "bravo", "alpha"]
    for name in names:
        make_workspace(api, name)
    seen = []
    for offset in range(0, 6, 2):
        page = api.ok("GET", "/workspaces", params={"limit": 2, "offset": offset, "sorts": "name:asc"})
        assert page["totalCount"] == 5 and page["limit"] == 2 and page["offset"] == offset
        seen += page["workspaces"]
    assert [w["name"] for w in seen] == sorted(names)
    assert len({w["id"] for w in seen}) == 5
    desc = api.ok("GET", "/workspaces", params=[("sorts", "name:desc"), ("sorts", "createdAt:asc")])
    assert [w["name"] for w in desc["workspaces"]] == sorted(names, reverse=True)


def test_default_limit_is_20(api):
    page = api.ok("GET", "/workspaces")
    assert page["limit"] == 20 and page["offset"] == 0


def test_internal_errors_carry_request_id_and_no_trace(server, api):
    from fastapi import APIRouter
    from fastapi.testclient import TestClient

    from astroplane.app import create_app

    app = create_app(server.settings, server.database)  # a private app: the crash route stays out of others
    router = APIRouter()

    @router.get("/v1/test-crash")
    def crash():
        raise RuntimeError("secret internals")

    app.include_router(router)
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/v1/test-crash")
    body = assert_error(response, 500)
    assert "secret internals" not in str(body) and "Traceback" not in str(body)


def test_oversized_body_is_413(server, api):
    limit = server.settings.max_body_bytes
    body = assert_error(api.post("/workspaces", content=b"x" * (limit + 1),
                                 headers={"content-type": "application/json"}), 413)
    assert body["statusCode"] == 413


def test_method_not_allowed_lists_every_method_of_the_path(api):
    workspace = make_workspace(api)
    response = api.request("PUT", f"/workspaces/{workspace['id']}")
    assert_error(response, 405)
    assert set(response.headers["allow"].replace(" ", "").split(",")) >= {"GET", "POST", "DELETE"}
