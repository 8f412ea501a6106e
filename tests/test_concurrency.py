"""Eight clients against a two-worker server: no 5xx, races surface as 400/409, a consistent end."""

import json
import threading
import urllib.error
import urllib.request

import pytest

from live import LiveServer
from waiting import PATIENCE

pytestmark = pytest.mark.slow


def _call(base, token, method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, method=method,
                                     headers={"Authorization": f"Bearer {token}", "content-type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=PATIENCE) as response:
            raw = response.read()
            return response.status, json.loads(raw) if raw else None
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_eight_clients_share_resources_without_server_errors(backend, databases, tmp_path):
    server = LiveServer(tmp_path, databases.url(backend), workers=2)
    first = server.cli("init", "--organization", "race-a", "--owner-email", "a@example.com")
    second = server.cli("init", "--organization", "race-b", "--owner-email", "b@example.com")
    server.start()
    try:
        base = f"{server.base}/v1/organizations/{first['organizationId']}"
        statuses, created, deleted, lock = [], [], [], threading.Lock()
        ranges_won: list[int] = []
        allow_local = {"ipAddressRange": "127.0.0.0/8"}
        assert _call(base, first["token"], "POST", "/allowed-ip-address-ranges", allow_local)[0] == 200

        def client(number: int) -> None:
            for round_ in range(12):
                status, body = _call(base, first["token"], "POST", "/workspaces", {"name": f"c{number}-{round_}"})
                with lock:
                    statuses.append(status)
                if status != 200:
                    continue
                workspace = body["id"]
                with lock:
                    created.append(workspace)
                status, _ = _call(base, first["token"], "POST", f"/workspaces/{workspace}",
                                  {"name": f"shared-{round_}", "description": "", "cicdEnforcedDefault": False})
                statuses.append(status)
                if round_ % 2:
                    status, _ = _call(base, first["token"], "DELETE", f"/workspaces/{workspace}")
                    statuses.append(status)
                    if status == 204:
                        with lock:
                            deleted.append(workspace)
                # two organizations race for one name: exactly one may hold it
                for org, token in ((first, first["token"]), (second, second["token"])):
                    status, _ = _call(f"{server.base}/v1/organizations/{org['organizationId']}", token, "POST", "",
                                      {"name": f"contested-{round_}", "billingEmail": "x@example.com",
                                       "isScimEnabled": False})
                    statuses.append(status)
                # every client adds a range that all of them add this round: one set lands whole
                status, _ = _call(base, first["token"], "POST", "/allowed-ip-address-ranges/bulk-create",
                                  {"allowedIpAddressRanges": [f"10.{round_}.0.0/16", f"10.{round_}.{number}.0/24"]})
                with lock:
                    statuses.append(status)
                    if status == 200:
                        ranges_won.append(round_)

        threads = [threading.Thread(target=client, args=(n,)) for n in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert all(status < 500 for status in statuses), sorted(set(statuses))
        assert set(statuses) <= {200, 204, 400, 409}
        _, page = _call(base, first["token"], "GET", "/workspaces?limit=1000")
        assert page["totalCount"] == len(created) - len(deleted)
        assert {w["id"] for w in page["workspaces"]} == set(created) - set(deleted)
        assert sorted(ranges_won) == list(range(12))
        _, allowed = _call(base, first["token"], "GET", "/allowed-ip-address-ranges?limit=100")
        assert allowed["totalCount"] == 1 + 2 * 12
        _, orgs_a = _call(server.base, first["token"], "GET", "/v1/organizations")
        _, orgs_b = _call(server.base, second["token"], "GET", "/v1/organizations")
        assert orgs_a["organizations"][0]["name"] != orgs_b["organizations"][0]["name"]
        assert "Traceback" not in server.logs()
    finally:
        server.stop()
