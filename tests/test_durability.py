"""SIGKILL in the middle of writes: after a restart no partial batch and no orphan row exist.

Several writers run at once and the server is killed while they are in flight, at a few different
moments, so some requests die before, some during and some after their transaction.
"""

import threading
import time

import pytest
import sqlalchemy as sa

from astroplane.kit.db import Base
from live import LiveServer
from test_concurrency import _call

pytestmark = pytest.mark.slow

BATCH = 1000


def _batch(number: int) -> list[str]:
    return [f"10.{number}.{n // 250}.{n % 250}/32" for n in range(BATCH)]


def _fire(base, token, calls: list[tuple[str, str, dict]]) -> None:
    def worker(method, path, body):
        try:
            _call(base, token, method, path, body)
        except OSError:
            pass  # the server died under this request: expected
    threads = [threading.Thread(target=worker, args=call, daemon=True) for call in calls]
    for thread in threads:
        thread.start()
    return threads


def _orphans(url: str) -> list[str]:
    """Rows that point at a deployment, workspace or organization that no longer exists."""
    engine = sa.create_engine(url)
    found = []
    try:
        with engine.connect() as connection:
            parents = {name: set(connection.execute(sa.text(f"SELECT id FROM {name}")).scalars())
                       for name in ("organizations", "workspaces", "deployments")}
            for table in Base.metadata.sorted_tables:
                for column, parent in (("organization_id", "organizations"), ("workspace_id", "workspaces"),
                                       ("deployment_id", "deployments")):
                    if column not in table.c or table.name == parent:
                        continue
                    values = set(connection.execute(sa.select(table.c[column]).where(table.c[column].isnot(None)))
                                 .scalars())
                    missing = values - parents[parent]
                    if missing:
                        found.append(f"{table.name}.{column}: {sorted(missing)[:3]}")
    finally:
        engine.dispose()
    return found


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_sigkill_during_bulk_ip_create_and_deployment_create(backend, databases, tmp_path):
    url = databases.url(backend)
    server = LiveServer(tmp_path, url, workers=1, run_reconciler="true")
    init = server.cli("init", "--organization", "crash", "--owner-email", "crash@example.com")
    token, base = init["token"], None
    server.start()
    base = f"{server.base}/v1/organizations/{init['organizationId']}"
    status, workspace = _call(base, token, "POST", "/workspaces", {"name": "crash"})
    assert status == 200
    # the first range must admit the caller (lockout guard); the batches then land beside it
    status, mine = _call(base, token, "POST", "/allowed-ip-address-ranges", {"ipAddressRange": "127.0.0.1/32"})
    assert status == 200, mine
    batch_number, outcomes = 0, []
    for delay in (0.05, 0.2, 0.5):
        calls = []
        for _ in range(3):
            batch_number += 1
            calls.append(("POST", "/allowed-ip-address-ranges/bulk-create",
                          {"allowedIpAddressRanges": _batch(batch_number)}))
            calls.append(("POST", "/deployments", {"name": f"crash-{batch_number}", "workspaceId": workspace["id"]}))
        threads = _fire(base, token, calls)
        time.sleep(delay)
        server.kill()
        for thread in threads:
            thread.join(timeout=30)
        server.start()
        ranges, offset = [], 0
        while True:
            status, page = _call(base, token, "GET", f"/allowed-ip-address-ranges?limit=1000&offset={offset}")
            assert status == 200, page
            ranges += page["allowedIpAddressRanges"]
            offset += 1000
            if offset >= page["totalCount"]:
                break
        present = {r["ipAddressRange"] for r in ranges}
        for number in range(batch_number - 2, batch_number + 1):
            landed = sum(1 for value in _batch(number) if value in present)
            assert landed in (0, BATCH), f"batch {number}: {landed} of {BATCH} rows after SIGKILL"
        assert mine["id"] in {r["id"] for r in ranges}
        landed_ids = [r["id"] for r in ranges if r["id"] != mine["id"]]
        for start in range(0, len(landed_ids), BATCH):  # at most 1,000 ids per call
            status, _ = _call(base, token, "POST", "/allowed-ip-address-ranges/bulk-delete",
                              {"allowedIpAddressRangeIds": landed_ids[start:start + BATCH]})
            assert status in (200, 204)
        outcomes.append(len(landed_ids) // BATCH)
        status, deployments = _call(base, token, "GET", "/deployments?limit=100")
        assert status == 200
        for deployment in deployments["deployments"]:
            status, fetched = _call(base, token, "GET", f"/deployments/{deployment['id']}")
            assert status == 200 and fetched["workspaceId"] == workspace["id"]
        assert _orphans(url) == []
    server.stop()
    print(f"batches landed per crash: {outcomes}")
