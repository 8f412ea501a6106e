"""The alert loop without a real Airflow: a stand-in Airflow REST API and a webhook on 127.0.0.1.

Runs the loop's passes by hand against the test database (both backends): a failed run fires once,
however many passes and servers see it; deliveries are retried with back-off and their outcome
recorded; the audit log and the Prometheus counters show each firing and delivery."""

import dataclasses
import datetime as dt
import http.server
import ipaddress
import json
import threading
import time
import urllib.parse

import pytest
import sqlalchemy as sa

from alert_receivers import Webhook
from alerts_helpers import alert, platform, slack, workspace_with_deployments
from astroplane.alerts import loop as alert_loop
from astroplane.kit.time import utcnow
from conftest import LOOPBACK_RECEIVERS
from live import free_port


class FakeAirflow:
    """Answers the few Airflow REST API v2 reads the loop makes, from lists the test fills."""

    def __init__(self):
        self.runs: list[dict] = []
        self.tasks: list[dict] = []
        self.triggered: list[tuple[str, dict]] = []
        fake = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _send(self, payload: dict, status: int = 200):
                body = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                url = urllib.parse.urlsplit(self.path)
                query = urllib.parse.parse_qs(url.query)
                if url.path.endswith("/taskInstances") and query.get("order_by") == ["updated_at"]:
                    return self._send({"detail": "Ordering with 'updated_at' is disallowed"}, 400)  # as Airflow 3.3
                if int(query.get("offset", ["0"])[0]):
                    items = []
                elif url.path.endswith("/taskInstances"):
                    items = fake.select(fake.tasks, query)
                elif url.path.endswith("/dagRuns"):
                    items = fake.select(fake.runs, query)
                else:
                    items = []
                key = "task_instances" if url.path.endswith("/taskInstances") else "dag_runs"
                self._send({key: items, "total_entries": len(items)})

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                fake.triggered.append((self.path, body))
                self._send({"dag_run_id": "triggered"})

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @staticmethod
    def select(items: list[dict], query: dict) -> list[dict]:
        states = query.get("state")
        return [item for item in items if not states or item["state"] in states]


class Runtime:
    """The runtime as the loop sees it: one deployment's Airflow at the fake's address."""

    supervises = True

    def __init__(self, deployment_id: str, url: str):
        self.deployment_id, self.url = deployment_id, url

    def endpoint(self, deployment_id: str):
        return self.url if deployment_id == self.deployment_id else None

    def api_token(self, deployment_id: str) -> str:
        return "airflow-token"


@pytest.fixture
def airflow(loopback_receivers):
    fake = FakeAirflow()
    yield fake
    fake.server.shutdown()
    fake.server.server_close()


def _iso(value: dt.datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _loop(server, deployment_id: str, airflow: FakeAirflow, **settings) -> alert_loop.AlertLoop:
    values = server.settings.model_copy(update={"alert_retry_base_seconds": 0.01, "alert_max_attempts": 3,
                                                "egress_allow": LOOPBACK_RECEIVERS, **settings})
    app_state = server.client.app.state
    return alert_loop.AlertLoop(server.database, Runtime(deployment_id, airflow.url), values, app_state.token_codec)


def _deliveries(server, alert_id: str) -> list[dict]:
    with server.database.engine.connect() as connection:
        return [dict(row._mapping) for row in connection.execute(sa.text(
            "SELECT d.status, d.attempts, d.last_error, d.channel_type FROM alert_deliveries d "
            "JOIN alert_firings f ON f.id = d.firing_id WHERE f.alert_id = :a"), {"a": alert_id})]


def _audit(api) -> list[dict]:
    response = api.get("/audit-logs")  # gzip on the wire, decoded by the client
    assert response.status_code == 200
    return [json.loads(line) for line in response.text.splitlines()]


def test_a_failed_run_fires_once_across_passes_and_servers(server, api, airflow):
    _, (deployment,) = workspace_with_deployments(server, api)
    v = platform(api)
    with Webhook() as webhook:
        channel = v.ok("POST", "/notification-channels", json=slack("DEPLOYMENT", deployment, f"{webhook.url}/x"))
        made = v.ok("POST", "/alerts", json=alert(deployment, [channel["id"]], "TASK_FAILURE", patterns=[]))
        later = _iso(utcnow() + dt.timedelta(seconds=1))
        airflow.tasks.append({"dag_id": "etl", "dag_run_id": "r1", "task_id": "load", "map_index": -1,
                              "try_number": 1, "state": "failed", "start_date": later, "end_date": later})
        airflow.runs.append({"dag_id": "etl", "dag_run_id": "r1", "state": "failed", "start_date": later,
                             "end_date": later})
        first, second = _loop(server, deployment, airflow), _loop(server, deployment, airflow)
        for _ in range(2):
            for each in (first, second):  # two servers on one database
                asyncio_run(each.run_once())
        assert len(webhook.received) == 1
        payload = webhook.bodies()[0]
        assert payload["astroplane"]["task_id"] == "load" and payload["astroplane"]["alert_id"] == made["id"]
        # a restarted server reads from the alert's creation again and still fires nothing new
        asyncio_run(_loop(server, deployment, airflow).run_once())
        assert len(webhook.received) == 1
    assert _deliveries(server, made["id"]) == [{"status": "DELIVERED", "attempts": 1, "last_error": None,
                                                "channel_type": "SLACK"}]
    entries = _audit(api)
    assert [e["status"] for e in entries if e["method"] == "ALERT"] == [200]
    assert [e["status"] for e in entries if e["method"] == "NOTIFY"] == [200]
    assert "Task load of DAG etl failed" in next(e for e in entries if e["method"] == "ALERT")["userAgent"]
    metrics = api.get("/metrics").text
    assert 'astroplane_alert_firings_total{type="TASK_FAILURE"}' in metrics


def test_failed_deliveries_are_retried_then_given_up(server, api, airflow):
    _, (deployment,) = workspace_with_deployments(server, api)
    v = platform(api)
    with Webhook(status=503) as webhook:
        channel = v.ok("POST", "/notification-channels", json=slack("DEPLOYMENT", deployment, f"{webhook.url}/x"))
        made = v.ok("POST", "/alerts", json=alert(deployment, [channel["id"]], "DAG_SUCCESS", patterns=[]))
        later = _iso(utcnow() + dt.timedelta(seconds=1))
        airflow.runs.append({"dag_id": "etl", "dag_run_id": "r1", "state": "success", "start_date": later,
                             "end_date": later})
        runner = _loop(server, deployment, airflow)
        asyncio_run(runner.run_once())
        assert _deliveries(server, made["id"])[0]["status"] == "PENDING"
        for _ in range(3):
            time.sleep(0.05)
            asyncio_run(runner.deliver_due())
        assert len(webhook.received) == 3
    [outcome] = _deliveries(server, made["id"])
    assert outcome["status"] == "FAILED" and outcome["attempts"] == 3 and "503" in outcome["last_error"]
    assert [e["status"] for e in _audit(api) if e["method"] == "NOTIFY"] == [502, 502, 502]


def test_a_retry_that_succeeds_is_delivered(server, api, airflow):
    _, (deployment,) = workspace_with_deployments(server, api)
    v = platform(api)
    with Webhook(status=500) as webhook:
        channel = v.ok("POST", "/notification-channels", json=slack("DEPLOYMENT", deployment, f"{webhook.url}/x"))
        made = v.ok("POST", "/alerts", json=alert(deployment, [channel["id"]], "DAG_DURATION", patterns=[],
                                                  dagDurationSeconds=60))
        started = _iso(utcnow() - dt.timedelta(seconds=90))
        airflow.runs.append({"dag_id": "etl", "dag_run_id": "slow", "state": "running", "start_date": started,
                             "end_date": None})
        runner = _loop(server, deployment, airflow)
        asyncio_run(runner.run_once())
        webhook.status = 200
        time.sleep(0.05)
        asyncio_run(runner.deliver_due())
        assert len(webhook.received) == 2
    assert _deliveries(server, made["id"])[0]["status"] == "DELIVERED"


def test_a_delivery_the_egress_policy_refuses_fails_at_once_and_is_never_retried(server, api, airflow):
    """The channel's name passed at create; by send time it resolves to loopback (DNS changed)."""
    _, (deployment,) = workspace_with_deployments(server, api)
    v = platform(api)
    with Webhook() as webhook:
        channel = v.ok("POST", "/notification-channels",
                       json=slack("DEPLOYMENT", deployment, f"http://receiver.example:{webhook.port}/x"))
        made = v.ok("POST", "/alerts", json=alert(deployment, [channel["id"]], "DAG_SUCCESS", patterns=[]))
        later = _iso(utcnow() + dt.timedelta(seconds=1))
        airflow.runs.append({"dag_id": "etl", "dag_run_id": "r1", "state": "success", "start_date": later,
                             "end_date": later})
        runner = _loop(server, deployment, airflow, egress_allow=[])  # 127.0.0.1 not allowed

        async def resolver(host, port):
            return [ipaddress.ip_address("127.0.0.1")]

        runner.egress = dataclasses.replace(runner.egress, resolver=resolver)
        refused_before = _counter(api, "SLACK", "refused")
        asyncio_run(runner.run_once())
        for _ in range(3):  # later passes do not try it again
            time.sleep(0.05)
            asyncio_run(runner.deliver_due())
        assert webhook.received == []
    [outcome] = _deliveries(server, made["id"])
    assert outcome["status"] == "FAILED" and outcome["attempts"] == 1
    assert "resolves to 127.0.0.1, a loopback address" in outcome["last_error"]
    [notified] = [e for e in _audit(api) if e["method"] == "NOTIFY"]
    assert notified["status"] == 502 and "refused (try 1)" in notified["userAgent"] and "loopback" in notified["userAgent"]
    assert _counter(api, "SLACK", "refused") == refused_before + 1


def _counter(api, channel: str, outcome: str) -> float:
    wanted = f'astroplane_alert_deliveries_total{{channel="{channel}",outcome="{outcome}"}} '
    return next((float(line[len(wanted):]) for line in api.get("/metrics").text.splitlines()
                 if line.startswith(wanted)), 0.0)


def test_nothing_runs_under_the_simulated_runtime(server):
    assert server.client.app.state.runtime.supervises is False
    stop = alert_loop.start(server.client.app)
    asyncio_run(stop())


def asyncio_run(coroutine):
    import asyncio
    return asyncio.run(coroutine)
