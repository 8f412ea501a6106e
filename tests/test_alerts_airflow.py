"""End to end on the local runtime: alerts fired by what a real Airflow 3 does.

A live server (ASTROPLANE_RUNTIME_BACKEND=local) runs one deployment with two DAGs: `breaks`, whose
only task fails, and `follow_up`. A DAG_FAILURE and a TASK_FAILURE alert notify a Slack-style webhook
and an SMTP server this test runs on 127.0.0.1; the DAG_FAILURE alert also has a DAG_TRIGGER channel
that starts `follow_up`. The test talks to the deployment's Airflow directly (its port and password
are in the deployment's home), not through astroplane's proxy. It prints the firing latency: from the
task's end in Airflow to the webhook's receipt.

Installs Airflow on first use (about 40 s) and runs a real Airflow: marked slow and airflow.
"""

import datetime as dt
import json
import time
import urllib.parse

import httpx
import pytest

from alert_receivers import Mailbox, Webhook
from archive_helpers import tarball
from live import LiveServer
from test_local_runtime import AIRFLOW_DIR, _processes_in, _wait

# one worker runs every real-Airflow test, one after another: two at once would share two cores
pytestmark = [pytest.mark.slow, pytest.mark.airflow, pytest.mark.xdist_group("airflow")]
DAGS = b'''
import pendulum
from airflow.sdk import dag, task


@dag(schedule=None, start_date=pendulum.datetime(2024, 1, 1), catchup=False, default_args={"retries": 0})
def breaks():
    @task
    def explode():
        raise RuntimeError("this task fails on purpose")

    explode()


@dag(schedule=None, start_date=pendulum.datetime(2024, 1, 1), catchup=False)
def follow_up():
    @task
    def react():
        print("following up")

    react()


breaks()
follow_up()
'''


@pytest.fixture()
def receivers():
    with Webhook() as webhook, Mailbox() as mailbox:
        yield webhook, mailbox


@pytest.fixture()
def live(tmp_path, receivers):
    _, mailbox = receivers
    server = LiveServer(tmp_path, f"sqlite:///{tmp_path}/astroplane.db", run_reconciler="true",
                        runtime_backend="local", airflow_dir=str(AIRFLOW_DIR), local_max_deployments="1",
                        dag_refresh_seconds="3", reconcile_interval_seconds="1", alert_interval_seconds="1",
                        smtp_host="127.0.0.1", smtp_port=str(mailbox.port), smtp_from="alerts@astroplane.test",
                        # the receivers listen on loopback, which the egress policy refuses unless allowed
                        egress_allow='["127.0.0.1/32"]')
    server.start()
    yield server
    server.stop()
    assert not _processes_in(tmp_path / "runtime"), "the server left Airflow processes behind"


def _parse(value: str) -> float:
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()


def _airflow(tmp_path, deployment_id: str) -> httpx.Client:
    """The deployment's own Airflow API, as the control plane's user."""
    keys = json.loads((tmp_path / "runtime" / deployment_id / "keys.json").read_text())
    base = f"http://127.0.0.1:{keys['port']}"
    token = httpx.post(f"{base}/auth/token", json={"username": "admin", "password": keys["password"]}).json()
    return httpx.Client(base_url=f"{base}/api/v2", timeout=30,
                        headers={"Authorization": f"Bearer {token['access_token']}"})


def test_a_failing_task_fires_alerts_to_slack_email_and_a_dag_trigger(live, receivers, tmp_path):
    webhook, mailbox = receivers
    init = live.cli("init", "--organization", "alerting", "--owner-email", "ops@example.com")
    org = init["organizationId"]
    v1 = httpx.Client(base_url=f"{live.base}/v1/organizations/{org}", timeout=60,
                      headers={"Authorization": f"Bearer {init['token']}"})
    platform = httpx.Client(base_url=f"{live.base}/platform/v1beta1/organizations/{org}", timeout=60,
                            headers={"Authorization": f"Bearer {init['token']}"})

    def ok(client, method: str, path: str, status: int = 200, **kwargs):
        response = client.request(method, path, **kwargs)
        assert response.status_code == status, f"{method} {path}: {response.status_code} {response.text}"
        return response.json() if response.content else None

    workspace = ok(v1, "POST", "/workspaces", json={"name": "data", "defaultCloudProvider": "AWS",
                                                   "defaultRegion": "us-east-1"})
    deployment = ok(v1, "POST", "/deployments", json={"name": "real", "workspaceId": workspace["id"],
                                                      "isDevelopmentMode": True})
    path = f"/deployments/{deployment['id']}"
    _wait("HEALTHY", lambda: ok(v1, "GET", path)["status"] == "HEALTHY", timeout=420)
    deploy = ok(v1, "POST", f"{path}/deploys", json={"type": "DAG_ONLY"})
    upload = urllib.parse.urlsplit(deploy["dagsUploadUrl"])
    put = httpx.put(f"{live.base}{upload.path}?{upload.query}", content=tarball({"dags/alerting.py": DAGS}),
                    headers={"x-ms-blob-type": "BlockBlob"})
    assert put.status_code == 201, put.text
    ok(v1, "POST", f"{path}/deploys/{deploy['id']}/finalize", json={"dagTarballVersion": put.headers["x-ms-version-id"]})
    airflow = _airflow(tmp_path, deployment["id"])
    for dag_id in ("breaks", "follow_up"):
        _wait(f"{dag_id} in Airflow", lambda: airflow.get(f"/dags/{dag_id}").status_code == 200, timeout=120)
        assert airflow.patch(f"/dags/{dag_id}", json={"is_paused": False}).status_code == 200

    token = ok(v1, "POST", "/tokens", json={"name": "trigger", "scope": "DEPLOYMENT", "entityId": deployment["id"],
                                            "role": "DEPLOYMENT_ADMIN"})["token"]
    scope = {"entityType": "DEPLOYMENT", "entityId": deployment["id"]}
    slack = ok(platform, "POST", "/notification-channels", json={
        "name": "ops slack", "type": "SLACK", **scope, "definition": {"webhookUrl": f"{webhook.url}/hook"}})
    mail = ok(platform, "POST", "/notification-channels", json={
        "name": "ops mail", "type": "EMAIL", **scope, "definition": {"recipients": ["oncall@example.com"]}})
    trigger = ok(platform, "POST", "/notification-channels", json={
        "name": "react", "type": "DAG_TRIGGER", **scope,
        "definition": {"dagId": "follow_up", "deploymentId": deployment["id"], "deploymentApiToken": token}})
    assert slack["definition"]["webhookUrl"] != f"{webhook.url}/hook" and token not in json.dumps(trigger)
    only_breaks = [{"entityType": "DAG_ID", "operatorType": "IS", "values": ["breaks"]}]
    for alert_type, channels in (("DAG_FAILURE", [slack["id"], mail["id"], trigger["id"]]),
                                 ("TASK_FAILURE", [slack["id"], mail["id"]])):
        ok(platform, "POST", "/alerts", json={
            "name": f"breaks {alert_type.lower()}", "type": alert_type, "severity": "CRITICAL", **scope,
            "notificationChannelIds": channels,
            "rules": {"properties": {"deploymentId": deployment["id"]}, "patternMatches": only_breaks}})

    run = airflow.post("/dags/breaks/dagRuns", json={"logical_date": None})
    assert run.status_code == 200, run.text
    run_id = run.json()["dag_run_id"]
    _wait("two Slack posts", lambda: len(webhook.received) >= 2, timeout=180, every=0.2)
    _wait("two emails", lambda: len(mailbox.messages) >= 2, timeout=60, every=0.2)
    follow_ups = _wait("the follow-up run", lambda: airflow.get("/dags/follow_up/dagRuns").json()["dag_runs"],
                       timeout=60)

    texts = {entry[2]["body"]["astroplane"]["alert_type"]: entry for entry in webhook.received}
    assert set(texts) == {"DAG_FAILURE", "TASK_FAILURE"}
    assert texts["TASK_FAILURE"][2]["body"]["astroplane"]["task_id"] == "explode"
    assert all(entry[2]["body"]["astroplane"]["run_id"] == run_id for entry in webhook.received)
    subjects = sorted(message["Subject"] for _, message in mailbox.messages)
    assert all("[CRITICAL]" in subject and "breaks" in subject for subject in subjects)
    assert {message["To"] for _, message in mailbox.messages} == {"oncall@example.com"}
    assert follow_ups[0]["conf"]["astroplane_alert"]["dag_id"] == "breaks"
    follow_up_path = f"/dags/follow_up/dagRuns/{urllib.parse.quote(follow_ups[0]['dag_run_id'], safe='')}"
    assert _wait("the follow-up run to finish", lambda: airflow.get(follow_up_path).json()["state"]
                 in ("success", "failed") and airflow.get(follow_up_path).json()["state"], timeout=120) == "success"

    task = airflow.get(f"/dags/breaks/dagRuns/{run_id}/taskInstances/explode").json()
    ended = _parse(task["end_date"])
    latency = texts["TASK_FAILURE"][0] - ended
    run_ended = _parse(airflow.get(f"/dags/breaks/dagRuns/{run_id}").json()["end_date"])
    # nothing fires twice: later passes see the same run and task try
    time.sleep(4)
    assert len(webhook.received) == 2 and len(mailbox.messages) == 2
    assert len(airflow.get("/dags/follow_up/dagRuns").json()["dag_runs"]) == 1
    metrics = httpx.get(f"{live.base}/metrics").text
    assert 'astroplane_alert_firings_total{type="DAG_FAILURE"} 1.0' in metrics
    assert 'astroplane_alert_deliveries_total{channel="DAG_TRIGGER",outcome="delivered"} 1.0' in metrics
    print("\nalert firing latency:", {"task end -> webhook (s)": round(latency, 2),
                                      "run end -> webhook (s)": round(texts["DAG_FAILURE"][0] - run_ended, 2)})

