"""Lists as hot reads (rbac.hot_lists): every list the hot path takes answers exactly what the full
route answers (visibility, paging, sorts, filters, omitted fields), refusals and bad input still come
from the full route, and a change reaches the very next list. `astroplane_hot_reads_total` tells
which path answered."""

import datetime as dt

import pytest
import sqlalchemy as sa
from prometheus_client import REGISTRY

from astroplane.invites.models import Invite
from astroplane.rbac import hot_lists
from conftest import CLIENT_ADDRESS, assert_error, assert_no_nulls, make_token, make_workspace
from identity_helpers import invite
from waiting import wait_until

STANDARD = {"type": "STANDARD", "cloudProvider": "AWS", "region": "us-east-1"}


def _hot_total(outcome: str) -> float:
    return sum(sample.value for metric in REGISTRY.collect() if metric.name == "astroplane_hot_reads"
               for sample in metric.samples
               if sample.name == "astroplane_hot_reads_total" and sample.labels["outcome"] == outcome)


class Hot:
    def __enter__(self):
        self.start = _hot_total("served"), _hot_total("passed")
        return self

    def __exit__(self, *exc):
        self.served = _hot_total("served") - self.start[0]
        self.passed = _hot_total("passed") - self.start[1]


def _full_route(api, monkeypatch, path: str):
    """The response of the ordinary route: the hot path is told it knows no caller."""
    with monkeypatch.context() as patch:
        patch.setattr(hot_lists, "known_principal", lambda *args: None)
        with Hot() as hot:
            response = api.get(path)
    assert hot.served == 0
    return response


def _hot(api, path: str):
    api.get(path)  # the first request of a new token resolves it on the full route
    with Hot() as hot:
        response = api.get(path)
    assert (hot.served, hot.passed) == (1, 0), path
    return response


@pytest.fixture
def populated(api):
    workspaces = [make_workspace(api, name=f"ws-{n}", defaultCloudProvider="AWS", defaultRegion="us-east-1")
                  for n in range(3)]
    deployments = [api.ok("POST", "/deployments", json={"name": f"d-{n}", "workspaceId": workspaces[n % 2]["id"],
                                                        **STANDARD}) for n in range(3)]
    make_token(api, "ORGANIZATION", "ORGANIZATION_MEMBER")
    make_token(api, "WORKSPACE", "WORKSPACE_MEMBER", workspaces[0]["id"])
    api.ok("POST", "/environment-objects", json={
        "objectKey": "HOT_VAR", "objectType": "ENVIRONMENT_VARIABLE", "scope": "WORKSPACE",
        "scopeEntityId": workspaces[0]["id"], "environmentVariable": {"value": "v"}})
    api.ok("POST", "/teams", json={"name": "hot-team"})
    api.ok("POST", "/allowed-ip-address-ranges", json={"ipAddressRange": f"{CLIENT_ADDRESS[0]}/32"})
    return {"workspaces": workspaces, "deployments": deployments}


LISTS = [
    "/v1/organizations/{org}/workspaces",
    "/v1/organizations/{org}/workspaces?limit=2&offset=1&sorts=name:desc",
    "/v1/organizations/{org}/workspaces?names=ws-1&names=ws-2",
    "/v1/organizations/{org}/deployments?limit=2",
    "/v1/organizations/{org}/deployments?workspaceIds={ws0}&sorts=name:asc",
    "/v1/organizations/{org}/tokens?limit=1&offset=1",
    "/v1/organizations/{org}/users",
    "/v1/organizations/{org}/environment-objects",
    "/v1/organizations/{org}/environment-objects?workspaceId={ws0}",
    "/v1/organizations/{org}/clusters",
    "/v1/organizations/{org}/teams",
    "/v1/organizations/{org}/roles",
    "/v1/organizations/{org}/allowed-ip-address-ranges",
    "/v1/organizations/{org}/deployments/{d0}/deploys",
    "/v1/organizations",
    "/platform/v1beta1/organizations/{org}/workspaces?limit=1",
    "/platform/v1beta1/organizations/{org}/alerts",
    "/platform/v1beta1/organizations/{org}/notification-channels",
    "/iam/v1beta1/organizations/{org}/users",
]


def test_every_list_served_hot_answers_what_the_full_route_answers(api, populated, monkeypatch):
    for template in LISTS:
        path = template.format(org=api.org.id, ws0=populated["workspaces"][0]["id"],
                               d0=populated["deployments"][0]["id"])
        full = _full_route(api, monkeypatch, path)
        assert full.status_code == 200, (path, full.text)
        hot = _hot(api, path)
        assert hot.content == full.content, path
        assert hot.headers["content-type"] == "application/json"
        assert_no_nulls(hot.json())


def test_a_caller_who_sees_part_of_the_organization_gets_the_same_filtered_page(api, populated, monkeypatch):
    token, _ = make_token(api, "WORKSPACE", "WORKSPACE_MEMBER", populated["workspaces"][0]["id"])
    scoped = api.as_token(token)
    for path in ("/deployments", "/workspaces", "/environment-objects", "/tokens"):
        full = _full_route(scoped, monkeypatch, path)
        hot = _hot(scoped, path)
        assert hot.status_code == full.status_code
        assert hot.content == full.content, path
    names = {d["name"] for d in _hot(scoped, "/deployments").json()["deployments"]}
    assert names == {"d-0", "d-2"}


def test_a_change_reaches_the_next_list(api, populated):
    before = _hot(api, "/workspaces").json()
    make_workspace(api, name="ws-new")
    with Hot() as hot:
        after = api.ok("GET", "/workspaces")
    assert hot.served == 1
    assert after["totalCount"] == before["totalCount"] + 1
    assert "ws-new" in {w["name"] for w in after["workspaces"]}


def test_bad_input_and_refusals_come_from_the_full_route(api, populated, server):
    _hot(api, "/workspaces")
    for query in ("limit=abc", "limit=1001", "offset=-1", "sorts=color:asc", "limit=1&limit=2"):
        with Hot() as hot:
            response = api.get(f"/workspaces?{query}")
        assert hot.served == 0, query
        if query != "limit=1&limit=2":
            assert_error(response, 400)
    # a member of no organization's workspace list: 403 from the full route, never served hot
    other = api.as_token(make_token(api, "ORGANIZATION", "ORGANIZATION_MEMBER")[0])
    other.get("/workspaces")
    with Hot() as hot:
        refused = other.get(f"/v1/organizations/{'c' + 'x' * 24}/workspaces")
    assert hot.served == 0 and refused.status_code == 403
    # a deploys list of a deployment that does not exist: 404 from the full route
    with Hot() as hot:
        missing = api.get(f"/deployments/{'c' + 'y' * 24}/deploys")
    assert hot.served == 0 and missing.status_code == 404


def test_a_deleted_token_is_refused_at_once(api, populated):
    token, body = make_token(api, "ORGANIZATION", "ORGANIZATION_OWNER")
    doomed = api.as_token(token)
    _hot(doomed, "/workspaces")
    api.ok("DELETE", f"/tokens/{body['id']}", status=204)
    with Hot() as hot:
        response = doomed.get("/workspaces")
    assert hot.served == 0
    assert_error(response, 401)


def test_pages_kept_at_the_epoch_follow_every_change_of_their_rows(api, populated):
    """ListApiTokens, ListTeams, ListRoles and ListAllowedIpAddressRanges keep each caller's page while
    the authz epoch stands still (kit.hot.pages_follow_epoch): every change of their rows moves it."""
    before = _hot(api, "/tokens").json()
    _, made = make_token(api, "ORGANIZATION", "ORGANIZATION_MEMBER")
    after = _hot(api, "/tokens").json()
    assert after["totalCount"] == before["totalCount"] + 1 and made["id"] in {t["id"] for t in after["tokens"]}
    api.ok("POST", f"/tokens/{made['id']}", json={"name": "renamed"})
    assert {t["name"] for t in api.ok("GET", "/tokens")["tokens"] if t["id"] == made["id"]} == {"renamed"}
    api.ok("POST", f"/tokens/{made['id']}/roles", json={"roles": [
        {"entityType": "WORKSPACE", "entityId": populated["workspaces"][1]["id"], "role": "WORKSPACE_MEMBER"},
        {"entityType": "ORGANIZATION", "entityId": api.org.id, "role": "ORGANIZATION_MEMBER"}]})
    roles = next(t["roles"] for t in api.ok("GET", "/tokens")["tokens"] if t["id"] == made["id"])
    assert {r["entityType"] for r in roles} == {"ORGANIZATION", "WORKSPACE"}

    ranges = _hot(api, "/allowed-ip-address-ranges").json()["totalCount"]
    api.ok("POST", "/allowed-ip-address-ranges/bulk-create", json={"allowedIpAddressRanges": ["10.9.0.0/16", "10.8.0.0/16"]})
    assert api.ok("GET", "/allowed-ip-address-ranges")["totalCount"] == ranges + 2

    teams = _hot(api, "/teams").json()["totalCount"]
    api.ok("POST", "/teams", json={"name": "second-team"})
    assert api.ok("GET", "/teams")["totalCount"] == teams + 1


def test_workspace_and_environment_object_pages_follow_their_tables(api, populated):
    """ListWorkspaces and ListEnvironmentObjects keep pages under their tables' versions
    (kit.data_versions): a rename, an edit, a link, a deletion reach the next page."""
    workspace = populated["workspaces"][2]
    _hot(api, "/workspaces")
    api.ok("POST", f"/workspaces/{workspace['id']}", json={"name": "renamed-ws", "description": "", "cicdEnforcedDefault": False})
    assert "renamed-ws" in {w["name"] for w in api.ok("GET", "/workspaces")["workspaces"]}

    made = api.ok("POST", "/environment-objects", json={
        "objectKey": "KEPT", "objectType": "ENVIRONMENT_VARIABLE", "scope": "WORKSPACE",
        "scopeEntityId": workspace["id"], "environmentVariable": {"value": "one"}})
    page = _hot(api, "/environment-objects").json()
    assert made["id"] in {o["id"] for o in page["environmentObjects"]}
    api.ok("POST", f"/environment-objects/{made['id']}", json={"environmentVariable": {"value": "two"}})
    edited = next(o for o in api.ok("GET", "/environment-objects")["environmentObjects"] if o["id"] == made["id"])
    assert edited["environmentVariable"]["value"] == "two"
    api.ok("DELETE", f"/workspaces/{workspace['id']}", status=204)
    after = api.ok("GET", "/environment-objects")
    assert made["id"] not in {o["id"] for o in after["environmentObjects"]}
    assert after["totalCount"] == page["totalCount"] - 1
    assert "renamed-ws" not in {w["name"] for w in api.ok("GET", "/workspaces")["workspaces"]}


def test_kept_pages_end_when_the_clock_changes_what_they_show(api, server, populated):
    """A kept page holds only until the instant its service said it changes by the clock alone
    (kit.data_versions.holds_until): an invitation lapsing drops its pending user from ListUsers, and
    an override lapsing turns `isActive` off in ListDeployments, with no write in between."""
    soon = (dt.datetime.now(dt.UTC) + dt.timedelta(seconds=3)).replace(microsecond=0)
    invited = invite(api)
    with server.database.session() as session:  # an invitation that lapses in a few seconds
        session.execute(sa.update(Invite).where(Invite.id == invited["inviteId"]).values(expires_at=soon))
        session.commit()
    kept = _hot(api, "/users").json()
    assert invited["userId"] in {u["id"] for u in kept["users"]}

    workspace = populated["workspaces"][0]["id"]
    deployment = api.ok("POST", "/deployments", json={"name": "dev", "workspaceId": workspace, **STANDARD,
                                                      "isDevelopmentMode": True})
    api.ok("POST", f"/deployments/{deployment['id']}/hibernation-override",
           json={"isHibernating": False, "overrideUntil": soon.strftime("%Y-%m-%dT%H:%M:%SZ")})

    def override() -> dict:
        listed = api.ok("GET", "/deployments?limit=100")["deployments"]
        return next(d for d in listed if d["id"] == deployment["id"])["scalingSpec"]["hibernationSpec"]["override"]

    if dt.datetime.now(dt.UTC) < soon:  # a busy machine may already be past it: then only the end is checked
        assert override()["isActive"] is True
        assert _hot(api, "/deployments?limit=100").status_code == 200
    wait_until("the lapsed override in the kept page", lambda: override()["isActive"] is False)
    after = wait_until("the lapsed invitation out of the kept page", lambda: (
        page := api.ok("GET", "/users"))["totalCount"] == kept["totalCount"] - 1 and page)
    assert invited["userId"] not in {u["id"] for u in after["users"]}


def test_pages_kept_in_the_other_api_versions_follow_the_same_changes(api, populated):
    """The platform and iam adapters keep their pages under the v1 list's versions (kit.versions):
    a change reaches the next page in every version."""
    org = api.org.id
    pages = {"workspaces": f"/platform/v1beta1/organizations/{org}/workspaces",
             "deployments": f"/platform/v1beta1/organizations/{org}/deployments",
             "users": f"/iam/v1beta1/organizations/{org}/users",
             "organizations": "/platform/v1beta1/organizations"}
    before = {name: _hot(api, path).json()["totalCount"] for name, path in pages.items()}
    make_workspace(api, name="ws-versions")
    api.ok("POST", "/deployments", json={"name": "d-versions", "workspaceId": populated["workspaces"][2]["id"],
                                         **STANDARD})
    invite(api)
    after = {name: api.ok("GET", path)["totalCount"] for name, path in pages.items()}
    assert after == {"workspaces": before["workspaces"] + 1, "deployments": before["deployments"] + 1,
                     "users": before["users"] + 1, "organizations": before["organizations"]}


def test_kept_pages_stay_within_their_byte_budget_and_their_instant():
    pages = hot_lists.KeptPages(max_bytes=10)
    pages.put(("a",), 1, (1,), b"aaaa", None)
    pages.put(("b",), 1, (1,), b"bbbb", None)
    assert pages.get(("a",), 1, (1,)) == b"aaaa"  # now the most recently served
    pages.put(("c",), 1, (1,), b"cccc", None)  # past 10 bytes: the least recently served leaves
    assert pages.get(("b",), 1, (1,)) is None and pages.get(("a",), 1, (1,)) == b"aaaa"
    assert pages.bytes == 8
    assert pages.get(("a",), 2, (1,)) is None and pages.get(("a",), 1, (2,)) is None  # another epoch, versions
    pages.put(("huge",), 1, (1,), b"x" * 11, None)  # larger than the budget: never kept
    assert pages.get(("huge",), 1, (1,)) is None and pages.bytes == 8
    past = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    pages.put(("a",), 1, (1,), b"aa", past)  # replaced; it changed by the clock a second ago
    assert pages.get(("a",), 1, (1,)) is None and pages.bytes == 6
    pages.put(("a",), 1, (1,), b"aa", past + dt.timedelta(hours=1))
    assert pages.get(("a",), 1, (1,)) == b"aa"
