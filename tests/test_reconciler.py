"""The reconciler as it runs in production: the background loop, and several replicas at once."""

import threading

import sqlalchemy as sa
from fastapi.testclient import TestClient

from astroplane.app import create_app
from conftest import make_settings, make_workspace
from lifecycle_helpers import reconcile
from waiting import wait_until

STANDARD = {"type": "STANDARD", "cloudProvider": "AWS", "region": "us-east-1"}


def test_background_loop_advances_states(server, api, tmp_path):
    settings = make_settings(tmp_path, server.settings.database_url, run_reconciler=True,
                             reconcile_interval_seconds=0.05)
    workspace = make_workspace(api)
    with TestClient(create_app(settings, server.database)) as client:
        headers = {"Authorization": f"Bearer {api.org.token}"}
        base = f"/v1/organizations/{api.org.id}"
        created = client.post(f"{base}/deployments", headers=headers,
                              json={"name": "bg", "workspaceId": workspace["id"], **STANDARD}).json()
        wait_until("the background loop to make it HEALTHY", lambda: client.get(
            f"{base}/deployments/{created['id']}", headers=headers).json()["status"] == "HEALTHY", every=0.025)


def test_concurrent_replicas_take_each_row_once(server, api):
    workspace = make_workspace(api)
    ids = [api.ok("POST", "/deployments", json={"name": f"r{i}", "workspaceId": workspace["id"], **STANDARD})["id"]
           for i in range(12)]
    errors: list[BaseException] = []

    def replica():
        try:
            reconcile(server)
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=replica) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    reconcile(server)
    with server.database.engine.connect() as connection:
        started = connection.execute(sa.text(
            "SELECT deployment_id, count(*) FROM deployment_log_lines WHERE source = 'scheduler' "
            "AND raw LIKE 'Scheduler started%' GROUP BY deployment_id")).all()
    counts = {row[0]: row[1] for row in started if row[0] in ids}
    assert counts == {deployment_id: 1 for deployment_id in ids}
    assert {api.ok("GET", f"/deployments/{i}")["status"] for i in ids} == {"HEALTHY"}


def test_a_backlog_is_worked_through_in_batches_without_starving_anyone(server, api, monkeypatch):
    from astroplane.deployments import reconciler as reconciler_module
    from astroplane.deployments.reconciler import Reconciler
    from astroplane.deployments.steps import Steps

    workspace = make_workspace(api)
    reconciler = Reconciler(server.database, Steps(0))
    # development deployments are due on every pass (their hibernation clock) and sort first (older ids)
    for n in range(3):
        api.ok("POST", "/deployments", json={"name": f"dev{n}", "workspaceId": workspace["id"], **STANDARD,
                                             "isDevelopmentMode": True})
    reconciler.run_once()
    monkeypatch.setattr(reconciler_module, "BATCH", 2)
    pending = {api.ok("POST", "/deployments", json={"name": f"b{n}", "workspaceId": workspace["id"], **STANDARD})["id"]
               for n in range(2)}
    for _ in range(50):  # always taking the first 2 due rows would never reach these
        reconciler.run_once()
        pending = {i for i in pending if api.ok("GET", f"/deployments/{i}")["status"] != "HEALTHY"}
        if not pending:
            break
    assert not pending
