"""The admin CLI, run as a user would run it (a subprocess with its own data directory)."""

import json
import os
import subprocess
import sys
import urllib.request

import pytest

from astroplane.testing import free_port
from waiting import PATIENCE, wait_until

CLI = [sys.executable, "-m", "astroplane.cli"]


@pytest.fixture
def env(tmp_path, databases, request):
    url = databases.url(getattr(request, "param", "sqlite"))
    return {**os.environ, "ASTROPLANE_DATA_DIR": str(tmp_path), "ASTROPLANE_DATABASE_URL": url}


def run(env, *args):
    result = subprocess.run([*CLI, *args], capture_output=True, text=True, env=env, timeout=PATIENCE)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("env", ["sqlite", "postgresql"], indirect=True)
def test_init_reuses_organizations_by_name_and_mints_fresh_tokens(env):
    first = json.loads(run(env, "init", "--organization", "acme", "--owner-email", "ops@acme.test", "--json"))
    assert set(first) == {"organizationId", "userId", "token"}
    again = json.loads(run(env, "init", "--organization", "acme", "--owner-email", "ops@acme.test", "--json"))
    assert again["organizationId"] == first["organizationId"] and again["userId"] == first["userId"]
    assert again["token"] != first["token"]
    other = json.loads(run(env, "init", "--organization", "globex", "--owner-email", "ops@acme.test", "--json"))
    assert other["organizationId"] != first["organizationId"] and other["userId"] == first["userId"]
    minted = json.loads(run(env, "user-token", "--email", "ops@acme.test", "--json"))
    assert minted["userId"] == first["userId"] and minted["token"]


def test_cli_errors_are_clear(env):
    result = subprocess.run([*CLI, "user-token", "--email", "nobody@example.com"], capture_output=True,
                            text=True, env=env, timeout=PATIENCE)
    assert result.returncode == 2 and "no user with email" in result.stderr


def test_serve_bootstraps_on_first_start_only(env):
    port = free_port()
    server = subprocess.Popen([*CLI, "serve", "--port", str(port)], stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True, env={**env, "ASTROPLANE_RUN_RECONCILER": "false"})
    try:
        token = None
        for line in server.stdout:
            if "export TOKEN=" in line:
                token = line.split("export TOKEN=", 1)[1].strip()
            if "Uvicorn running" in line or "Application startup complete" in line:
                break
        assert token, "serve did not print a token on first start"
        request = urllib.request.Request(f"http://127.0.0.1:{port}/v1/organizations",
                                         headers={"Authorization": f"Bearer {token}"})
        def organizations():
            try:
                return json.load(urllib.request.urlopen(request, timeout=5))
            except OSError:
                return None
        body = wait_until("the server to answer", organizations)
        assert body["organizations"][0]["name"] == "astroplane"
    finally:
        server.terminate()
        server.wait(timeout=PATIENCE)
    second = subprocess.Popen([*CLI, "serve", "--port", str(port)], stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True, env={**env, "ASTROPLANE_RUN_RECONCILER": "false"})
    try:
        output = []
        for line in second.stdout:
            output.append(line)
            if "Uvicorn running" in line or "Application startup complete" in line:
                break
        assert not any("export TOKEN=" in line for line in output)
    finally:
        second.terminate()
        second.wait(timeout=PATIENCE)
