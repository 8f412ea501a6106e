"""`astro deployment airflow-variable|connection|pool …` on the local runtime: the CLI calls
`https://<webServerAirflowApiUrl>/…` (the scheme is its own), which reaches the deployment's
Airflow through astroplane's proxy when astroplane serves TLS. Replayed (tests/astro_cli.py, from
astronomer/astro-cli's cmd/cloud/deployment.go and airflow-client/airflow-client.go) against a live
`astroplane serve --tls` whose deployments run the stand-in Airflow (tests/fake_airflow.py),
verifying the server's certificate with its own authority."""

import ssl
import time

import httpx
import pytest

import fake_airflow
from astro_cli import AstroCli
from conftest import BACKENDS
from live import LiveServer


@pytest.fixture(params=BACKENDS)
def tls_server(request, databases, tmp_path):
    server = LiveServer(tmp_path, databases.url(request.param), runtime_backend="local",
                        airflow_dir=str(fake_airflow.install(tmp_path / "airflow")),
                        runtime_dir=str(tmp_path / "runtime"), run_reconciler="true",
                        reconcile_interval_seconds="0.2")
    server.env["ASTROPLANE_PUBLIC_URL"] = f"https://127.0.0.1:{server.port}"  # covered by the certificate
    created = server.cli("init", "--organization", "tls", "--owner-email", "ops@example.com")
    from astroplane.kit.tls import ensure_certificate
    authority = ensure_certificate((tmp_path / "tls").resolve()).authority  # what serve --tls will use
    trust = ssl.create_default_context(cafile=str(authority))
    server.start("--tls", health_context=trust)
    try:
        with httpx.Client(verify=trust, timeout=30) as client:
            yield server, client, created
    finally:
        server.stop()


def _wait(what: str, check, timeout: float = 120):
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        assert time.monotonic() < deadline, f"waited {timeout} s for {what}"
        time.sleep(0.2)


def test_airflow_variable_connection_and_pool_commands_over_tls(tls_server):
    server, client, created = tls_server
    cli = AstroCli(client, server.base, created["token"], created["organizationId"])
    workspace = cli.v1("POST", f"/organizations/{cli.organization}/workspaces", {"name": "w"}).json()
    cli.workspace = workspace["id"]
    deployment = cli.v1("POST", f"/organizations/{cli.organization}/deployments", {
        "name": "local", "workspaceId": workspace["id"], "type": "STANDARD", "cloudProvider": "AWS",
        "region": "us-east-1",
        "environmentVariables": [{"key": "FAKE_AIRFLOW_API", "value": "1", "isSecret": False}]}).json()
    path = f"/organizations/{cli.organization}/deployments/{deployment['id']}"
    _wait("HEALTHY", lambda: cli.v1("GET", path).json()["status"] == "HEALTHY")

    url = cli.airflow_url(deployment["id"])
    assert url == f"127.0.0.1:{server.port}/v1{path}/airflow/api/v2"  # host:port/path, no scheme, as Astro

    cli.airflow_variable("create", deployment["id"], key="team", value="data", description="owner")
    cli.airflow_variable("update", deployment["id"], key="team", value="platform")
    assert [(v["key"], v["value"]) for v in cli.airflow_variable("list", deployment["id"])] == [("team", "platform")]

    cli.airflow_connection("create", deployment["id"], conn_id="warehouse", conn_type="postgres",
                           host="db.internal", login="etl", password="s3cret", port=5432)
    cli.airflow_connection("update", deployment["id"], conn_id="warehouse", conn_type="postgres", host="db2.internal")
    [connection] = cli.airflow_connection("list", deployment["id"])
    assert (connection["connection_id"], connection["host"]) == ("warehouse", "db2.internal")

    cli.airflow_pool("create", deployment["id"], name="etl", slots=4, description="nightly")
    cli.airflow_pool("update", deployment["id"], name="default_pool", slots=64)
    pools = {p["name"]: p["slots"] for p in cli.airflow_pool("list", deployment["id"])}
    assert pools == {"default_pool": 64, "etl": 4}

    # without astroplane's token the proxy answers before Airflow sees anything; plain HTTP is not served
    assert client.get(f"https://{url}/variables").status_code == 401
    with pytest.raises(httpx.HTTPError):
        httpx.get(f"http://{url}/variables", timeout=5)
