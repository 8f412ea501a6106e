"""End to end on the local runtime: a HEALTHY deployment is a real Apache Airflow.

A live server with ASTROPLANE_RUNTIME_BACKEND=local: create a deployment, wait for Airflow's own
health check, deploy a DAG that reads a linked Airflow variable and connection, trigger it through
the deployment's Airflow API (behind astroplane's token), find the task's output in
GetDeploymentLogs, hibernate (processes gone), wake, delete (processes and files gone).

Installs Airflow into <repo>/.astroplane/airflow on first use (about 40 s), so it is marked slow:
`make test` (and .ci/run) runs it, `make test-quick` skips it. Timings print at the end (-s).
"""

import os
import pathlib
import time
import urllib.parse
import uuid

import httpx
import pytest

from archive_helpers import tarball
from live import LiveServer

# one worker runs every real-Airflow test, one after another: two at once would share two cores
pytestmark = [pytest.mark.slow, pytest.mark.airflow, pytest.mark.xdist_group("airflow")]
ROOT = pathlib.Path(__file__).resolve().parents[1]
AIRFLOW_DIR = pathlib.Path(os.environ.get("ASTROPLANE_TEST_AIRFLOW_DIR", ROOT / ".astroplane" / "airflow"))
DAG = b'''
import pendulum
from airflow.sdk import dag, task, Variable
from airflow.sdk.bases.hook import BaseHook


@dag(schedule=None, start_date=pendulum.datetime(2024, 1, 1), catchup=False)
def greet():
    @task
    def say():
        warehouse = BaseHook.get_connection("warehouse")
        print("greeting is", Variable.get("greeting"), "and the warehouse is", warehouse.host)

    say()


greet()
'''


def _wait(what: str, check, timeout: float, every: float = 1.0):
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(every)


def _processes_in(home: pathlib.Path) -> list[int]:
    """Processes whose working directory is inside the deployment's home (every component's is)."""
    found = []
    for entry in pathlib.Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if pathlib.Path(os.readlink(entry / "cwd")).is_relative_to(home):
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def _rss_mb(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            for line in open(f"/proc/{pid}/status"):
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


@pytest.fixture()
def live(tmp_path):
    server = LiveServer(tmp_path, f"sqlite:///{tmp_path}/astroplane.db", run_reconciler="true",
                        runtime_backend="local", airflow_dir=str(AIRFLOW_DIR), local_max_deployments="1",
                        dag_refresh_seconds="3", reconcile_interval_seconds="1")
    server.start()
    yield server
    server.stop()
    assert not _processes_in(tmp_path / "runtime"), "the server left Airflow processes behind"


def test_a_deployment_is_a_running_airflow(live, tmp_path):
    init = live.cli("init", "--organization", "local", "--owner-email", "ops@example.com")
    client = httpx.Client(base_url=f"{live.base}/v1/organizations/{init['organizationId']}", timeout=60,
                          headers={"Authorization": f"Bearer {init['token']}"})

    def ok(method: str, path: str, status: int = 200, **kwargs):
        response = client.request(method, path, **kwargs)
        assert response.status_code == status, f"{method} {path}: {response.status_code} {response.text}"
        return response.json() if response.content else None

    marker = f"hello-{uuid.uuid4().hex[:10]}"
    workspace = ok("POST", "/workspaces", json={"name": "data", "defaultCloudProvider": "AWS",
                                                 "defaultRegion": "us-east-1"})
    for body in ({"objectKey": "greeting", "objectType": "AIRFLOW_VARIABLE",
                  "airflowVariable": {"value": marker, "isSecret": True}},
                 {"objectKey": "warehouse", "objectType": "CONNECTION",
                  "connection": {"type": "postgres", "host": "warehouse.internal", "password": "pw-1"}}):
        ok("POST", "/environment-objects", json={**body, "scope": "WORKSPACE", "scopeEntityId": workspace["id"],
                                                 "autoLinkDeployments": True})
    timings = {}

    started = time.monotonic()
    deployment = ok("POST", "/deployments", json={"name": "real", "workspaceId": workspace["id"],
                                                  "isDevelopmentMode": True})
    path = f"/deployments/{deployment['id']}"
    home = tmp_path / "runtime" / deployment["id"]
    _wait("HEALTHY", lambda: ok("GET", path)["status"] == "HEALTHY", timeout=420)
    timings["create -> HEALTHY (s)"] = time.monotonic() - started
    deployment = ok("GET", path)
    airflow_api = deployment["apiUrl"]  # webServerAirflowApiUrl is the same without the scheme
    assert airflow_api.startswith(f"{live.base}/v1/") and deployment["statusReason"] == "Successfully Deployed"
    assert deployment["webServerAirflowApiUrl"] == airflow_api.split("://", 1)[1]
    health = client.get(f"{airflow_api}/monitor/health").json()
    assert health["metadatabase"]["status"] == "healthy" and health["scheduler"]["status"] == "healthy"
    timings["RSS per deployment (MB)"] = _rss_mb(_processes_in(home))
    # the proxy checks astroplane's token before Airflow sees anything
    assert httpx.get(f"{airflow_api}/dags").status_code == 401

    # capacity: this server runs one local deployment
    refused = client.post("/deployments", json={"name": "second", "workspaceId": workspace["id"]})
    assert refused.status_code == 400 and "at most 1" in refused.json()["message"]

    started = time.monotonic()
    deploy = ok("POST", f"{path}/deploys", json={"type": "DAG_ONLY"})
    upload = urllib.parse.urlsplit(deploy["dagsUploadUrl"])
    put = httpx.put(f"{live.base}{upload.path}?{upload.query}", content=tarball({"dags/greet.py": DAG}),
                    headers={"x-ms-blob-type": "BlockBlob"})
    assert put.status_code == 201, put.text
    version = put.headers["x-ms-version-id"]
    ok("POST", f"{path}/deploys/{deploy['id']}/finalize", json={"dagTarballVersion": version})
    _wait("the DAG in Airflow", lambda: client.get(f"{airflow_api}/dags/greet").status_code == 200, timeout=120)
    timings["deploy -> DAG visible (s)"] = time.monotonic() - started
    _wait("HEALTHY after the deploy", lambda: ok("GET", path)["status"] == "HEALTHY", timeout=60)
    assert ok("GET", path)["dagTarballVersion"] == version

    assert client.patch(f"{airflow_api}/dags/greet", json={"is_paused": False}).status_code == 200
    started = time.monotonic()
    run = client.post(f"{airflow_api}/dags/greet/dagRuns", json={"logical_date": None})
    assert run.status_code == 200, run.text
    run_path = f"{airflow_api}/dags/greet/dagRuns/{urllib.parse.quote(run.json()['dag_run_id'], safe='')}"
    state = _wait("the run to finish", lambda: client.get(run_path).json()["state"] in ("success", "failed")
                  and client.get(run_path).json()["state"], timeout=180)
    timings["trigger -> run finished (s)"] = time.monotonic() - started
    assert state == "success"

    def task_log():
        found = ok("GET", f"{path}/logs", params={"sources": "worker", "searchText": marker, "range": 3600})
        return found["results"]
    lines = _wait("the task log in GetDeploymentLogs", task_log, timeout=30)
    assert any("warehouse.internal" in line["raw"] for line in lines)

    # hibernation stops every process; waking brings Airflow back
    ok("POST", f"{path}/hibernation-override", json={"isHibernating": True})
    _wait("HIBERNATING", lambda: ok("GET", path)["status"] == "HIBERNATING", timeout=60)
    _wait("processes to stop", lambda: not _processes_in(home), timeout=30)
    started = time.monotonic()
    ok("DELETE", f"{path}/hibernation-override", status=204)
    _wait("HEALTHY after waking", lambda: ok("GET", path)["status"] == "HEALTHY", timeout=180)
    timings["wake -> HEALTHY (s)"] = time.monotonic() - started
    assert _processes_in(home)

    ok("DELETE", path, status=204)
    assert client.get(path).status_code == 404  # gone from the API at once; the teardown follows
    _wait("the teardown", lambda: not _processes_in(home) and not home.exists(), timeout=90)
    print("\nlocal runtime timings:", {name: round(value, 1) for name, value in timings.items()})
