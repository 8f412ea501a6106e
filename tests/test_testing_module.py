"""astroplane.testing: a real server (uvicorn) in the test process, its fixture, and clients that
meet injected faults as they would meet a flaky network: retries, dropped connections."""

import datetime as dt
import time

import httpx
import pytest

from astroplane.kit.ids import SeededIds, is_id
from astroplane.testing import running_server
from conftest import BACKENDS
from live import LiveServer
from waiting import wait_until

SIGNING_KEY = "shared-signing-key-" + "s" * 32


@pytest.fixture(scope="module", params=BACKENDS)
def live(request, databases):
    url = databases.url(request.param)
    with running_server(url, signing_key=SIGNING_KEY) as server:
        server.backend = request.param
        yield server


def get_with_retries(client: httpx.Client, path: str, attempts: int = 4) -> httpx.Response:
    """What a well-behaved client does: retry 429/5xx and dropped connections, backing off."""
    for attempt in range(attempts):
        try:
            response = client.get(path)
        except httpx.TransportError:
            response = None
        if response is not None and response.status_code not in (429, 500, 502, 503, 504):
            return response
        time.sleep(0.01 * 2 ** attempt)
    raise AssertionError(f"{path} still failing after {attempts} attempts")


def test_a_retrying_client_survives_injected_503s(live):
    live.reset()
    live.arm_fault("ListWorkspaces", statusCode=503, count=2)
    with live.client() as client:
        response = get_with_retries(client, f"/v1/organizations/{live.organization_id}/workspaces")
    assert response.status_code == 200
    faults = live.control("GET", "/faults")["faults"]
    assert [(f["injected"], f["armed"]) for f in faults] == [(2, False)]


def test_a_dropped_connection_reaches_the_client_as_a_transport_error(live):
    live.reset()
    live.arm_fault("GetOrganization", kind="DROP")
    with live.client() as client:
        with pytest.raises(httpx.RemoteProtocolError):
            client.get(f"/v1/organizations/{live.organization_id}")
        assert get_with_retries(client, f"/v1/organizations/{live.organization_id}").status_code == 200


def test_the_token_of_a_client_expires_after_an_advance(live):
    live.reset()
    with live.client() as client:
        created = client.post(f"/v1/organizations/{live.organization_id}/tokens",
                              json={"name": "short", "role": "ORGANIZATION_MEMBER", "scope": "ORGANIZATION",
                                    "tokenExpiryPeriodInDays": 1}).json()
    short = httpx.Client(base_url=live.url, headers={"Authorization": f"Bearer {created['token']}"})
    with short:
        assert short.get(f"/v1/organizations/{live.organization_id}").status_code == 200
        live.advance(duration="P2D")
        assert short.get(f"/v1/organizations/{live.organization_id}").status_code == 401


@pytest.mark.slow  # starts a second server process (~15 s on a loaded machine)
def test_two_server_processes_on_one_database_share_the_clock(live, tmp_path):
    if live.backend != "postgresql":
        pytest.skip("several server processes share a PostgreSQL database")
    live.reset()
    with live.client() as client:
        created = client.post(f"/v1/organizations/{live.organization_id}/tokens",
                              json={"name": "short", "role": "ORGANIZATION_MEMBER", "scope": "ORGANIZATION",
                                    "tokenExpiryPeriodInDays": 1}).json()
    second = LiveServer(tmp_path, live.database_url, test_controls="true", signing_key=SIGNING_KEY).start()
    try:
        short = {"Authorization": f"Bearer {created['token']}"}
        organization = f"{second.base}/v1/organizations/{live.organization_id}"
        assert httpx.get(organization, headers=short).status_code == 200  # the other process caches the token
        advanced = live.advance(duration="P1DT1H")
        clock = httpx.get(f"{second.base}/astroplane/v1/organizations/{live.organization_id}/clock",
                          headers=live.headers).json()
        assert clock["offsetSeconds"] >= advanced["offsetSeconds"] - 1
        assert httpx.get(organization, headers=short).status_code == 401
    finally:
        second.stop()


def test_seeded_ids_repeat_run_after_run(tmp_path):
    first, again, other_block = SeededIds(42, 0), SeededIds(42, 0), SeededIds(42, 1)
    ids = first.new_ids(3) + first.new_ids(2)
    assert ids == again.new_ids(5)
    assert all(is_id(value) for value in ids) and ids == sorted(ids) and len(set(ids)) == 5
    assert not set(ids) & set(other_block.new_ids(5))


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_seeded_frozen_server_gives_the_same_answers_on_every_run(backend, databases):
    def run() -> tuple:
        with running_server(databases.url(backend), id_seed=7, frozen_at=dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
                            ) as server, server.client() as client:
            org = f"/v1/organizations/{server.organization_id}"
            workspace = client.post(f"{org}/workspaces", json={"name": "snap"}).json()
            deployment = client.post(f"{org}/deployments", json={"name": "d", "workspaceId": workspace["id"],
                                                                 "type": "STANDARD", "cloudProvider": "AWS",
                                                                 "region": "us-east-1"}).json()
            return server.organization_id, workspace["id"], workspace["createdAt"], deployment["id"]

    first = run()
    assert first == run()  # a fresh database each time, the same calls
    assert first[2] == "2030-01-01T00:00:00Z" and all(is_id(value) for value in (first[0], first[1], first[3]))


def test_the_fixture_hands_out_a_clean_organization(astroplane_server):
    with astroplane_server.client() as client:
        org = f"/v1/organizations/{astroplane_server.organization_id}"
        assert client.post(f"{org}/workspaces", json={"name": "ci"}).status_code == 200
        astroplane_server.arm_fault("ListWorkspaces", statusCode=429)
        assert client.get(f"{org}/workspaces").status_code == 429
        assert client.get(f"{org}/workspaces").json()["totalCount"] == 1
    astroplane_server.reset()
    with astroplane_server.client() as client:
        assert client.get(f"/v1/organizations/{astroplane_server.organization_id}/workspaces").json()["totalCount"] == 0


def test_the_background_reconciler_keeps_the_servers_time():
    # the step falls due 0.3 s after the deployment is created, in the server's time, a day ahead:
    # a loop on the system clock would wait a day
    with running_server(step_delay_seconds=0.3) as server, server.client() as client:
        server.advance(duration="P1D")
        org = f"/v1/organizations/{server.organization_id}"
        workspace = client.post(f"{org}/workspaces", json={"name": "bg"}).json()
        created = client.post(f"{org}/deployments", json={"name": "bg", "workspaceId": workspace["id"],
                                                          "type": "STANDARD", "cloudProvider": "AWS",
                                                          "region": "us-east-1"}).json()
        wait_until("the background loop to make it HEALTHY",
                   lambda: client.get(f"{org}/deployments/{created['id']}").json()["status"] == "HEALTHY", every=0.05)


def test_my_automation_retries_a_flaky_control_plane(astroplane_server):
    # docs/testing.md's example, as a user would copy it
    org = f"/v1/organizations/{astroplane_server.organization_id}"
    astroplane_server.arm_fault("CreateWorkspace", statusCode=503, count=2)
    with astroplane_server.client() as client:       # httpx.Client with the owner token
        for attempt in range(5):                     # the code under test would do this
            response = client.post(f"{org}/workspaces", json={"name": "data"})
            if response.status_code != 503:
                break
        assert response.status_code == 200

        created = client.post(f"{org}/tokens", json={"name": "ci", "scope": "ORGANIZATION",
                                                     "role": "ORGANIZATION_MEMBER",
                                                     "tokenExpiryPeriodInDays": 1}).json()
        astroplane_server.advance(duration="P2D")    # two days later...
        expired = httpx.get(f"{astroplane_server.url}{org}",
                            headers={"Authorization": f"Bearer {created['token']}"})
        assert expired.status_code == 401
