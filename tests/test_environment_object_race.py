"""Clients racing to create the same environment object on a two-worker server: one wins, the
others get 409 (the unique constraint, not only the service's check), never a 5xx."""

import threading

import pytest

from live import LiveServer
from test_concurrency import _call

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_racing_creates_of_one_key_end_in_one_object_and_409s(backend, databases, tmp_path):
    server = LiveServer(tmp_path, databases.url(backend), workers=2)
    org = server.cli("init", "--organization", "race", "--owner-email", "race@example.com")
    server.start()
    try:
        base = f"{server.base}/v1/organizations/{org['organizationId']}"
        status, workspace = _call(base, org["token"], "POST", "/workspaces", {"name": "race"})
        assert status == 200
        statuses, lock, start = [], threading.Lock(), threading.Barrier(8)

        def client(round_: int) -> None:
            start.wait()
            for attempt in range(3):
                status, _ = _call(base, org["token"], "POST", "/environment-objects", {
                    "objectKey": f"RACED_{attempt}", "objectType": "ENVIRONMENT_VARIABLE", "scope": "WORKSPACE",
                    "scopeEntityId": workspace["id"], "environmentVariable": {"value": str(round_)}})
                with lock:
                    statuses.append(status)

        threads = [threading.Thread(target=client, args=(n,)) for n in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(set(statuses)) == [200, 409], statuses
        assert statuses.count(200) == 3
        _, page = _call(base, org["token"], "GET", f"/environment-objects?workspaceId={workspace['id']}")
        assert sorted(o["objectKey"] for o in page["environmentObjects"]) == ["RACED_0", "RACED_1", "RACED_2"]
        assert "Traceback" not in server.logs()
    finally:
        server.stop()
