"""GetDeployment's hot read (kit.hot) answers only what the full route would answer, and never
outlives a change: a revoked, rotated or re-scoped token, a new allow-list, an edited deployment
reach the very next request. The counter `astroplane_hot_reads_total` shows which path answered."""

import asyncio
import datetime as dt

from fastapi.testclient import TestClient
from prometheus_client import REGISTRY

from astroplane.auth.codec import TokenCodec
from astroplane.auth.dependencies import known_principal
from astroplane.deployments.models import Deployment
from astroplane.deployments.repository import VIEW_VERSION_BY_ID
from astroplane.kit.cache import EpochCache
from astroplane.rbac.principal import Principal
from conftest import assert_error, make_token, make_workspace, new_org, Api
from test_deployments import _update_body

ROUTE = "/organizations/{organizationId}/deployments/{deploymentId}"
STANDARD = {"type": "STANDARD", "cloudProvider": "AWS", "region": "us-east-1"}


def _count(outcome: str) -> float:
    return REGISTRY.get_sample_value("astroplane_hot_reads_total", {"route": ROUTE, "outcome": outcome}) or 0.0


class Hot:
    """Counts how the GETs made inside the block were answered."""

    def __enter__(self):
        self.start = (_count("served"), _count("passed"))
        return self

    def __exit__(self, *exc):
        self.served = _count("served") - self.start[0]
        self.passed = _count("passed") - self.start[1]


def _deployment(api, workspace=None, **fields) -> dict:
    workspace = workspace or make_workspace(api)
    return api.ok("POST", "/deployments", json={"name": "hot", "workspaceId": workspace["id"], **STANDARD, **fields})


def _warm(api, path: str) -> dict:
    """GET until the hot path answers (the first GET renders and fills the caches)."""
    first = api.ok("GET", path)
    with Hot() as hot:
        assert api.ok("GET", path) == first
    assert (hot.served, hot.passed) == (1, 0)
    return first


def test_the_second_get_is_served_hot_with_the_same_response(api):
    path = f"/deployments/{_deployment(api)['id']}"
    with Hot() as hot:
        slow = api.get(path)
    assert (hot.served, hot.passed) == (0, 1)
    with Hot() as hot:
        fast = api.get(path)
    assert (hot.served, hot.passed) == (1, 0)
    assert fast.status_code == slow.status_code == 200 and fast.content == slow.content
    assert fast.headers["content-type"] == slow.headers["content-type"] == "application/json"
    assert fast.headers["content-length"] == str(len(fast.content))
    # the request metrics label it like any other GetDeployment
    assert REGISTRY.get_sample_value("astroplane_http_requests_total",
                                     {"method": "GET", "route": ROUTE, "status": "200"}) >= 2


def test_an_edit_reaches_the_next_get_and_is_then_served_hot(api):
    deployment = _deployment(api)
    path = f"/deployments/{deployment['id']}"
    _warm(api, path)
    api.ok("POST", path, json=_update_body(deployment, description="edited", **STANDARD,
                                           scalingSpec={"hibernationSpec": {"schedules": []}},
                                           isDevelopmentMode=False))
    with Hot() as hot:
        assert api.ok("GET", path)["description"] == "edited"
    assert hot.passed == 1
    assert _warm(api, path)["description"] == "edited"


def test_rotation_and_deletion_of_a_token_take_effect_at_once(api):
    path = f"/deployments/{_deployment(api)['id']}"
    token, created = make_token(api, "ORGANIZATION", "ORGANIZATION_OWNER")
    caller = api.as_token(token)
    _warm(caller, path)
    rotated = api.ok("POST", f"/tokens/{created['id']}/rotate")["token"]
    with Hot() as hot:
        assert_error(caller.get(path), 401)
    assert hot.served == 0
    _warm(api.as_token(rotated), path)
    api.ok("DELETE", f"/tokens/{created['id']}", status=204)
    with Hot() as hot:
        assert_error(api.as_token(rotated).get(path), 401)
    assert hot.served == 0


def test_a_role_change_takes_effect_at_once(api):
    mine, other = make_workspace(api), make_workspace(api)
    path = f"/deployments/{_deployment(api, mine)['id']}"
    token, created = make_token(api, "ORGANIZATION", "ORGANIZATION_MEMBER")
    organization_role = {"entityType": "ORGANIZATION", "entityId": api.org.id, "role": "ORGANIZATION_MEMBER"}
    api.ok("POST", f"/tokens/{created['id']}/roles", json={"roles": [
        organization_role, {"entityType": "WORKSPACE", "entityId": mine["id"], "role": "WORKSPACE_MEMBER"}]})
    caller = api.as_token(token)
    _warm(caller, path)
    api.ok("POST", f"/tokens/{created['id']}/roles", json={"roles": [
        organization_role, {"entityType": "WORKSPACE", "entityId": other["id"], "role": "WORKSPACE_MEMBER"}]})
    with Hot() as hot:
        assert_error(caller.get(path), 403)
    assert hot.served == 0


def test_an_allow_list_applies_to_the_next_get(api, server):
    path = f"/v1/organizations/{api.org.id}/deployments/{_deployment(api)['id']}"
    headers = {"Authorization": f"Bearer {api.token}"}
    outsider = TestClient(server.client.app, raise_server_exceptions=False, client=("192.0.2.10", 40000))
    for _ in range(2):
        assert outsider.get(path, headers=headers).status_code == 200
    with Hot() as hot:
        assert outsider.get(path, headers=headers).status_code == 200
    assert hot.served == 1
    api.ok("POST", "/allowed-ip-address-ranges", json={"ipAddressRange": "127.0.0.0/8"})
    with Hot() as hot:
        assert_error(outsider.get(path, headers=headers), 403, "192.0.2.10")
    assert hot.served == 0
    _warm(api, path.removeprefix(f"/v1/organizations/{api.org.id}"))  # the caller inside still is served
    with Hot() as hot:  # and the view it cached is still not for the outsider
        assert_error(outsider.get(path, headers=headers), 403, "192.0.2.10")
    assert hot.served == 0


def test_what_the_full_route_refuses_is_never_served_hot(api, server):
    deployment = _deployment(api)
    path = f"/deployments/{deployment['id']}"
    other = new_org(server)
    stranger = Api(server, other, other.token)  # another organization's owner
    member_token, _ = make_token(api, "ORGANIZATION", "ORGANIZATION_MEMBER")  # no deployment.get
    member = api.as_token(member_token)
    _warm(api, path)  # the view is cached for this epoch from here on
    with Hot() as hot:
        for _ in range(2):  # the first refusal caches the caller's principal; the second must still refuse
            assert_error(stranger.get(f"/v1/organizations/{api.org.id}/deployments/{deployment['id']}"), 403)
            assert_error(stranger.get(path), 404)  # its own organization has no such deployment
            assert_error(member.get(path), 403, "deployment.get")
            assert_error(api.get(path, token="not-a-token"), 401)
            assert_error(api.get(path, token=""), 401)
    assert hot.served == 0
    api.ok("DELETE", path, status=204)
    from lifecycle_helpers import reconcile
    reconcile(server)
    with Hot() as hot:
        assert_error(api.get(path), 404)
    assert hot.served == 0


def test_development_deployments_are_always_rendered(api):
    path = f"/deployments/{_deployment(api, isDevelopmentMode=True)['id']}"
    with Hot() as hot:
        for _ in range(3):
            api.ok("GET", path)
    assert (hot.served, hot.passed) == (0, 3)


def test_lookups_answer_each_id_alone_and_together(api, server):
    """Concurrent lookups (batched into one query on PostgreSQL) each get their own row."""
    ids = [_deployment(api)["id"] for _ in range(3)]
    lookup = server.database.rows_by_id("test_view_version", VIEW_VERSION_BY_ID, Deployment.id)

    async def look_up(keys):
        return await asyncio.gather(*(lookup.get(key) for key in keys))

    rows = asyncio.run(look_up([*ids, "c" + "0" * 24, ids[0]]))
    assert [row[0] for row in rows[:3]] == ids and rows[4][0] == ids[0]
    assert rows[3] is None
    assert {row[1] for row in rows[:3]} == {api.org.id}
    lookup.close()
    assert asyncio.run(look_up(ids[:1])) == [None]  # closed: the ordinary path takes over


def test_a_lost_postgres_connection_costs_one_fallback(api, server):
    if server.backend != "postgresql":
        return
    deployment_id = _deployment(api)["id"]
    lookup = server.database.rows_by_id("test_reconnect", VIEW_VERSION_BY_ID, Deployment.id)

    async def scenario():
        assert (await lookup.get(deployment_id))[0] == deployment_id
        with server.database.engine.connect() as connection:
            connection.exec_driver_sql(
                "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid() AND state = 'idle' "
                "AND query LIKE '%%authz_epoch%%'")
        assert await lookup.get(deployment_id) is None  # the broken connection is dropped ...
        return await lookup.get(deployment_id)  # ... and the next lookup connects again

    assert asyncio.run(scenario())[0] == deployment_id
    lookup.close()


def test_known_principal_refuses_expired_and_other_epochs(server):
    codec = TokenCodec(server.settings)
    now = dt.datetime.now(dt.UTC)
    token = codec.mint(kind="API_TOKEN", subject_id="t1", version="v1", organization_id="o1",
                       permissions=["organizationId:o1"], issued_at=now)
    cache = EpochCache()
    cache.sync(7)

    class State:
        token_codec, epoch_cache = codec, cache

    principal = Principal(kind="API_TOKEN", id="t1", name="t", home_organization_id="o1")
    cache.put("principal", ("API_TOKEN", "t1", "v1"), principal)
    assert known_principal(State, token, 7) is principal
    assert known_principal(State, token, 8) is None  # the epoch moved: decide again
    assert known_principal(State, token + "x", 7) is None  # a forged signature
    principal.expires_at = now - dt.timedelta(seconds=1)
    assert known_principal(State, token, 7) is None
