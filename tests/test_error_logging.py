"""An unexpected failure is answered 500 in the Astro error body and logged once by the server,
with its traceback, the request id the client was given, the method and the path, never a token."""


import httpx
import pytest
import sqlalchemy as sa

from conftest import BACKENDS
from live import LiveServer
from waiting import wait_until


@pytest.fixture(params=BACKENDS)
def live(request, databases, tmp_path):
    url = databases.url(request.param)
    server = LiveServer(tmp_path, url)
    server.url = url
    server.org = server.cli("init", "--organization", "broken", "--owner-email", "ops@example.com")
    server.start()
    yield server
    server.stop()


def test_an_unhandled_error_is_logged_once_with_its_request_id(live):
    token = live.org["token"]
    path = f"/v1/organizations/{live.org['organizationId']}/workspaces"
    engine = sa.create_engine(live.url)
    with engine.begin() as connection:  # the database loses a table under the running server
        connection.execute(sa.text("DROP TABLE workspaces CASCADE" if engine.dialect.name == "postgresql"
                                   else "DROP TABLE workspaces"))
    engine.dispose()

    answered = httpx.get(live.base + path, params={"limit": 5}, headers={"Authorization": f"Bearer {token}"})
    assert answered.status_code == 500
    body = answered.json()
    assert body["message"] == "Internal server error" and body["statusCode"] == 500
    request_id = body["requestId"]

    wait_until("the error in the server's log", lambda: request_id in live.logs())
    log = live.logs()
    lines = [line for line in log.splitlines() if request_id in line]
    assert len(lines) == 1, log
    assert f"GET {path}" in lines[0] and "limit=5" not in lines[0]
    assert "Traceback (most recent call last)" in log and "workspaces" in log.split(request_id, 1)[1]
    assert "Exception in ASGI application" not in log  # not logged a second time by the server
    assert token not in log
