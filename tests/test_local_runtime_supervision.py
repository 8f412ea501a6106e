"""The local runtime's supervision, through the API and the reconciler, with a stand-in `airflow`
(tests/fake_airflow.py) so each case takes seconds: configuration reaching the processes, restarts
on update only, crash back-off to UNHEALTHY and recovery, DAG swap and rollback, hibernation,
re-adoption after a server restart, capacity, unsupported versions.
"""

import gzip
import json
import os
import pathlib
import time
import urllib.parse

import pytest
from fastapi.testclient import TestClient

from archive_helpers import tarball
from astroplane import bootstrap
from astroplane.app import create_app
from astroplane.auth.codec import TokenCodec
from astroplane.deployments.reconciler import CONFIG_PENDING, Reconciler
from astroplane.deployments.steps import steps_for
from astroplane.kit.db import Database
from astroplane.kit.migrate import upgrade
from astroplane.runtime.installs import Installs
from astroplane.runtime.local import LocalRuntime
from conftest import BACKENDS, CLIENT_ADDRESS, make_settings
import fake_airflow
from waiting import PATIENCE


class Local:
    """An app on the local backend, its reconciler, and an owner token."""

    def __init__(self, tmp_path: pathlib.Path, url: str | None = None, **overrides):
        url = url or f"sqlite:///{tmp_path / 'astroplane.db'}"
        self.database = Database(url)
        upgrade(self.database.engine)
        self.settings = make_settings(tmp_path, url, runtime_backend="local",
                                      airflow_dir=fake_airflow.install(tmp_path / "airflow"),
                                      runtime_dir=tmp_path / "runtime", **overrides)
        self.app = create_app(self.settings, self.database)
        self.runtime: LocalRuntime = self.app.state.runtime
        self.runtime.backoff_base, self.runtime.max_exits = 0.01, 3  # crash loops end in a pass or two
        self.runtime.health_interval = 0.1
        self.client = TestClient(self.app, raise_server_exceptions=False, client=CLIENT_ADDRESS)
        session = self.database.session()
        result = bootstrap.init_organization(session, TokenCodec(self.settings), "local", "ops@example.com")
        session.commit()
        session.close()
        self.base = f"/v1/organizations/{result.organization_id}"
        self.headers = {"Authorization": f"Bearer {result.token}"}

    def ok(self, method: str, path: str, status: int = 200, **kwargs):
        response = self.client.request(method, self.base + path, headers=self.headers, **kwargs)
        assert response.status_code == status, f"{method} {path}: {response.status_code} {response.text}"
        return response.json() if response.content else None

    def reconcile_until(self, path: str, status: str, timeout: float = PATIENCE) -> dict:
        reconciler = Reconciler(self.database, steps_for(self.settings), self.runtime)
        deadline = time.monotonic() + timeout
        while True:
            reconciler.run_once()
            body = self.ok("GET", path)
            if body["status"] == status:
                return body
            assert time.monotonic() < deadline, f"{path} stayed {body['status']} ({body.get('statusReason')})"
            time.sleep(0.1)

    def logs(self, path: str, source: str) -> list[str]:
        found = self.ok("GET", f"{path}/logs", params={"sources": source, "maxNumResults": 1000})
        return [line["raw"] for line in found["results"]]

    def has_logged(self, path: str, source: str, text: str, timeout: float = PATIENCE) -> bool:
        """Whether `text` reaches the deployment's logs: output is collected by reconciler passes,
        and a busy machine may start a component after the pass that found it healthy."""
        reconciler = Reconciler(self.database, steps_for(self.settings), self.runtime)
        deadline = time.monotonic() + timeout
        while not any(text in line for line in self.logs(path, source)):
            if time.monotonic() > deadline:
                return False
            reconciler.run_once()
            time.sleep(0.1)
        return True

    def close(self) -> None:
        self.runtime.shutdown()
        self.client.close()
        self.database.dispose()


@pytest.fixture(params=BACKENDS)
def local(request, tmp_path, databases):
    server = Local(tmp_path, databases.url(request.param))
    yield server
    server.close()


def _deployment(local: Local, **fields) -> tuple[dict, str]:
    workspace = local.ok("POST", "/workspaces", json={"name": "w", "defaultCloudProvider": "AWS",
                                                      "defaultRegion": "us-east-1"})
    deployment = local.ok("POST", "/deployments", json={"name": "d", "workspaceId": workspace["id"], **fields})
    return deployment, f"/deployments/{deployment['id']}"


def _update(local: Local, deployment: dict, **fields) -> dict:
    body = {key: deployment[key] for key in ("name", "workspaceId", "type", "executor", "isCicdEnforced",
                                             "isDagDeployEnabled", "isHighAvailability", "schedulerSize")}
    body["environmentVariables"] = [{k: v for k, v in variable.items() if k != "updatedAt"}
                                    for variable in deployment.get("environmentVariables", [])]
    body.update(fields)
    return local.ok("POST", f"/deployments/{deployment['id']}", json=body)


def _gone(local: Local, pids: list[int], timeout: float = PATIENCE) -> bool:
    """Whether the processes are gone, running reconciler passes meanwhile (stops finish there)."""
    reconciler = Reconciler(local.database, steps_for(local.settings), local.runtime)
    deadline = time.monotonic() + timeout
    while _alive(pids) and time.monotonic() < deadline:
        reconciler.run_once()
        time.sleep(0.05)
    return not _alive(pids)


def _alive(pids: list[int]) -> list[int]:
    alive = []
    for pid in pids:
        try:
            os.killpg(pid, 0)
            alive.append(pid)
        except ProcessLookupError:
            pass
    return alive


def test_configuration_reaches_airflow_and_applies_on_restart(local):
    deployment, path = _deployment(local, environmentVariables=[{"key": "TEAM", "value": "data", "isSecret": False}])
    workspace_id = deployment["workspaceId"]
    local.ok("POST", "/environment-objects", json={
        "objectKey": "greeting", "objectType": "AIRFLOW_VARIABLE", "scope": "WORKSPACE",
        "scopeEntityId": workspace_id, "airflowVariable": {"value": "hi"}, "autoLinkDeployments": True})
    healthy = local.reconcile_until(path, "HEALTHY")
    assert healthy["statusReason"] == "Successfully Deployed"
    assert healthy["webServerAirflowApiUrl"].endswith(f"{path}/airflow/api/v2")
    assert local.has_logged(path, "scheduler", "AIRFLOW_VAR_GREETING")
    started = local.runtime._instances[deployment["id"]].pids()

    # a new linked object does not restart a running Airflow: the deployment says it is pending
    local.ok("POST", "/environment-objects", json={
        "objectKey": "warehouse", "objectType": "CONNECTION", "scope": "WORKSPACE", "scopeEntityId": workspace_id,
        "connection": {"type": "postgres", "host": "db"}, "autoLinkDeployments": True})
    pending = local.reconcile_until(path, "HEALTHY")
    assert pending["statusReason"] == CONFIG_PENDING
    assert local.runtime._instances[deployment["id"]].pids() == started

    # an update restarts it with everything
    _update(local, local.ok("GET", path), description="restart please")
    restarted = local.reconcile_until(path, "HEALTHY")
    assert restarted["statusReason"] == "Successfully Deployed"
    assert _gone(local, started)
    assert local.has_logged(path, "scheduler", "AIRFLOW_CONN_WAREHOUSE AIRFLOW_VAR_GREETING")


def test_a_crashing_component_makes_the_deployment_unhealthy_until_fixed(local):
    deployment, path = _deployment(local, environmentVariables=[
        {"key": "FAKE_AIRFLOW_CRASH", "value": "scheduler", "isSecret": False}])
    broken = local.reconcile_until(path, "UNHEALTHY")
    assert "scheduler exited 3 times" in broken["statusReason"] and "scheduler crashed" in broken["statusReason"]
    crashes = sum("scheduler crashed" in line for line in local.logs(path, "scheduler"))
    # an update that changes nothing Airflow sees still rolls out: the scheduler gets another try
    local.reconcile_until(path, "UNHEALTHY")  # (no retry while merely UNHEALTHY)
    assert sum("scheduler crashed" in line for line in local.logs(path, "scheduler")) == crashes
    _update(local, local.ok("GET", path), description="try again")
    local.reconcile_until(path, "UNHEALTHY")
    assert sum("scheduler crashed" in line for line in local.logs(path, "scheduler")) >= crashes + 3
    _update(local, broken, environmentVariables=[])
    fixed = local.reconcile_until(path, "HEALTHY")
    assert fixed["statusReason"] == "Successfully Deployed"


def test_dag_archives_are_swapped_in_and_rolled_back(local):
    deployment, path = _deployment(local)
    local.reconcile_until(path, "HEALTHY")
    dags = local.settings.runtime_dir / deployment["id"] / "dags"
    versions, deploys = [], []
    for files in ({"dags/first.py": b"x = 1\n"}, {"dags/second.py": b"y = 2\n"}):
        deploy = local.ok("POST", f"{path}/deploys", json={"type": "DAG_ONLY"})
        upload = urllib.parse.urlsplit(deploy["dagsUploadUrl"])
        put = local.client.put(f"{upload.path}?{upload.query}", content=tarball(files),
                               headers={"x-ms-blob-type": "BlockBlob"})
        versions.append(put.headers["x-ms-version-id"])
        deploys.append(deploy["id"])
        local.ok("POST", f"{path}/deploys/{deploy['id']}/finalize", json={"dagTarballVersion": versions[-1]})
        settled = local.reconcile_until(path, "HEALTHY")
        assert settled["dagTarballVersion"] == versions[-1]
        assert sorted(p.name for p in dags.iterdir() if not p.name.startswith(".")) == [next(iter(files))[5:]]
    local.ok("POST", f"{path}/deploys/{deploys[0]}/rollback", json={"description": "back"})
    assert local.reconcile_until(path, "HEALTHY")["dagTarballVersion"] == versions[0]
    assert [p.name for p in dags.iterdir() if not p.name.startswith(".")] == ["first.py"]


def test_dbt_bundles_are_placed_and_removed(local):
    """`astro dbt deploy` / `astro dbt delete`, replayed as the CLI makes them (tests/astro_cli.py)."""
    from astro_cli import AstroCli

    deployment, path = _deployment(local)
    local.reconcile_until(path, "HEALTHY")
    cli = AstroCli(local.client, "http://testserver", local.headers["Authorization"].removeprefix("Bearer "),
                   local.base.rsplit("/", 1)[-1], deployment["workspaceId"])
    bundles = local.settings.runtime_dir / deployment["id"] / "bundles"
    jaffle = bundles / "usr/local/airflow/dbt/jaffle"
    for model in (b"select 1 as id\n", b"select 2 as id\n"):  # a new version replaces the files
        cli.dbt_deploy(deployment["id"], "jaffle", tarball({"dbt_project.yml": b"name: jaffle\n",
                                                            "models/one.sql": model}))
        local.reconcile_until(path, "HEALTHY")
        assert (jaffle / "models/one.sql").read_bytes() == model
    cli.dbt_deploy(deployment["id"], "other", tarball({"dbt_project.yml": b"name: other\n"}))
    local.reconcile_until(path, "HEALTHY")
    assert cli.dbt_delete(deployment["id"], "jaffle").status_code == 200
    local.reconcile_until(path, "HEALTHY")
    assert not jaffle.exists() and (bundles / "usr/local/airflow/dbt/other/dbt_project.yml").exists()
    assert cli.dbt_delete(deployment["id"], "other").status_code == 200
    local.reconcile_until(path, "HEALTHY")
    assert [p.name for p in bundles.iterdir()] == [".mounts.json"]  # empty folders go too


def test_hibernation_stops_processes_and_waking_starts_them(local):
    deployment, path = _deployment(local, isDevelopmentMode=True)
    local.reconcile_until(path, "HEALTHY")
    running = local.runtime._instances[deployment["id"]].pids()
    local.ok("POST", f"{path}/hibernation-override", json={"isHibernating": True})
    local.reconcile_until(path, "HIBERNATING")
    assert running and _gone(local, running)
    local.ok("DELETE", f"{path}/hibernation-override", status=204)
    local.reconcile_until(path, "HEALTHY")
    assert _alive(local.runtime._instances[deployment["id"]].pids())
    local.ok("DELETE", path, status=204)
    Reconciler(local.database, steps_for(local.settings), local.runtime).run_once()
    assert not (local.settings.runtime_dir / deployment["id"]).exists()


def test_a_new_server_stops_what_the_old_one_left_and_starts_it_again(local):
    deployment, path = _deployment(local)
    local.reconcile_until(path, "HEALTHY")
    old = local.runtime._instances[deployment["id"]]
    orphans = old.pids()
    # the old server is gone without stopping anything (killed): a new runtime on the same files
    local.runtime._instances.clear()
    local.runtime = LocalRuntime(local.settings.runtime_dir, Installs(local.settings.airflow_dir),
                                 local.runtime.store, max_unpacked_bytes=10**8)
    for component in old.components.values():  # reap: here they are this process's children
        component.process.wait(timeout=PATIENCE)
    assert orphans and not _alive(orphans)
    assert local.reconcile_until(path, "HEALTHY")["status"] == "HEALTHY"
    assert _alive(local.runtime._instances[deployment["id"]].pids())


def test_capacity_and_unsupported_airflow(tmp_path):
    local = Local(tmp_path, local_max_deployments=1)
    try:
        # Astro Runtime 13 is Airflow 2: the local runtime says so on the deployment
        deployment, path = _deployment(local, astroRuntimeVersion="13.2.0")
        unhealthy = local.reconcile_until(path, "UNHEALTHY")
        assert "Airflow 2.11.0 is not available locally" in unhealthy["statusReason"]
        refused = local.client.post(local.base + "/deployments", headers=local.headers,
                                    json={"name": "two", "workspaceId": deployment["workspaceId"]})
        assert refused.status_code == 400 and "at most 1 deployments" in refused.json()["message"]
    finally:
        local.close()


def test_the_airflow_proxy_checks_the_token_and_says_when_airflow_does_not_answer(local):
    deployment, path = _deployment(local)
    local.reconcile_until(path, "HEALTHY")
    url = f"{local.base}{path}/airflow/api/v2/dags"
    assert local.client.get(url).status_code == 401
    assert local.client.get(url.replace(deployment["id"], "c" + "0" * 24), headers=local.headers).status_code == 404
    # the stand-in serves only the health check: no token for the control plane, so 502, not a crash
    answered = local.client.get(url, headers=local.headers)
    assert answered.status_code == 502 and "did not answer" in answered.json()["message"]


def test_without_the_local_runtime_there_is_no_airflow_to_reach(api):
    workspace = api.ok("POST", "/workspaces", json={"name": "w", "defaultCloudProvider": "AWS",
                                                    "defaultRegion": "us-east-1"})
    deployment = api.ok("POST", "/deployments", json={"name": "d", "workspaceId": workspace["id"]})
    refused = api.get(f"/deployments/{deployment['id']}/airflow/api/v2/dags")
    assert refused.status_code == 400 and "simulated" in refused.json()["message"]


def test_proxied_writes_do_not_take_astroplanes_write_lock(local, monkeypatch):
    deployment, path = _deployment(local)
    local.reconcile_until(path, "HEALTHY")
    opened = []
    original = local.database.session

    def recording(*, write: bool = True):
        opened.append(write)
        return original(write=write)
    monkeypatch.setattr(local.database, "session", recording)
    answered = local.client.post(f"{local.base}{path}/airflow/api/v2/dags/x/dagRuns", headers=local.headers, json={})
    # the request's session only reads; the one write is the audit record of the (502) refusal,
    # made after the response
    assert answered.status_code == 502 and opened == [False, True]
    local.client.post(f"{local.base}/workspaces", headers=local.headers, json={"name": "w2"})
    assert opened[-1] is True  # while an ordinary write still takes it


def test_a_proxied_write_is_audited_while_astroplane_commits_meanwhile(tmp_path):
    """On SQLite a read transaction cannot turn into a write once another connection committed:
    the audit record of a proxied write must not ride on the request's read session (it was a 500)."""
    local = Local(tmp_path)
    try:
        deployment, path = _deployment(local, environmentVariables=[
            {"key": "FAKE_AIRFLOW_API", "value": "1", "isSecret": False},
            {"key": "FAKE_AIRFLOW_COMMIT_TO", "value": str(tmp_path / "astroplane.db"), "isSecret": False}])
        local.reconcile_until(path, "HEALTHY")
        answered = local.client.patch(f"{local.base}{path}/airflow/api/v2/dags/greet", headers=local.headers,
                                      json={"is_paused": False})
        assert answered.status_code == 200, answered.text
        assert answered.json() == {"path": "/api/v2/dags/greet", "method": "PATCH"}
        audit = local.client.get(f"{local.base}/audit-logs", headers={**local.headers, "Accept-Encoding": "identity"})
        raw = audit.content
        lines = (gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw).decode().splitlines()
        entries = [json.loads(line) for line in lines if line]
        assert [(e["method"], e["status"]) for e in entries if e["path"].endswith("/airflow/api/v2/dags/greet")] \
            == [("PATCH", 200)]
    finally:
        local.close()
