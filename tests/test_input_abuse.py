"""Hostile input gets 400/404/413 with the error body, and the server stays healthy."""

from conftest import assert_error, make_workspace


def test_deeply_nested_json_is_400(api):
    body = b'{"name": ' + b"[" * 5000 + b"]" * 5000 + b"}"
    assert_error(api.post("/workspaces", content=body, headers={"content-type": "application/json"}), 400)
    assert api.ok("GET", "/healthz", token="") == {"status": "ok"}


def test_wrong_content_type_is_400(api):
    response = api.post("/workspaces", content=b"name=x", headers={"content-type": "application/x-www-form-urlencoded"})
    assert_error(response, 400)
    assert_error(api.post("/workspaces", content=b'{"name": "x"}', headers={"content-type": "text/plain"}), 400)


def test_invalid_utf8_is_400(api):
    response = api.post("/workspaces", content=b'{"name": "\xff\xfe"}', headers={"content-type": "application/json"})
    assert_error(response, 400)


def test_huge_query_arrays_are_answered(api):
    make_workspace(api, "needle")
    params = [("names", f"n{i}") for i in range(3000)] + [("names", "needle")]
    page = api.ok("GET", "/workspaces", params=params)
    assert [w["name"] for w in page["workspaces"]] == ["needle"]


def test_path_ids_that_are_not_ids(api):
    for bad in ["x", "'; DROP TABLE workspaces; --", "%00", "c" * 400, "..%2F..%2Fetc"]:
        response = api.get(f"/workspaces/{bad}")
        assert response.status_code in (400, 404), (bad, response.status_code)
        assert_error(response, response.status_code)
    assert api.ok("GET", "/workspaces")["totalCount"] >= 0


def test_malformed_organization_ids_are_403_like_any_foreign_organization(api):
    # The contract declares no 404 on organization-scoped lists, so a non-id is simply "not yours".
    for bad in ["x", "%F0%9F%98%8D", "c" * 400]:
        response = api.get(f"/v1/organizations/{bad}/workspaces")
        assert_error(response, 403)


def test_non_object_json_bodies_are_400(api):
    for body in (b"[]", b'"text"', b"null", b"42"):
        assert_error(api.post("/workspaces", content=body, headers={"content-type": "application/json"}), 400)


def test_nul_characters_are_refused_before_the_database(api):
    assert_error(api.post("/workspaces", json={"name": "a\u0000b"}), 400)
    assert_error(api.get("/workspaces", params={"names": "a\u0000b"}), 400, "NUL")
    assert api.ok("GET", "/workspaces")["totalCount"] == 0
