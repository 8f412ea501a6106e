"""Every API test runs twice: on a SQLite file and on a PostgreSQL database made for this run.

Databases are created per test session (per xdist worker) and dropped at the end; tests isolate
themselves by working in an organization of their own (the `org` fixture).
"""

import os
import uuid
from dataclasses import dataclass

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from astroplane import bootstrap
from astroplane.app import create_app
from astroplane.kit.db import Database
from astroplane.kit.egress import EgressPolicy
from astroplane.kit.migrate import upgrade
from astroplane.settings import Settings

# `make test` sets it to the server scripts/ensure_postgres.py found or brought up
PG_ADMIN_URL = os.environ.get("ASTROPLANE_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
BACKENDS = ["sqlite", "postgresql"]
# One key for every server in the run: the cipher is process-wide (see astroplane.kit.crypto).
TEST_ENCRYPTION_KEY = "0" * 43 + "="


def pytest_sessionstart(session):
    """Every database test runs on PostgreSQL too: without one the run stops here, loudly, never skips."""
    try:
        engine = sa.create_engine(PG_ADMIN_URL, connect_args={"connect_timeout": 5})
        with engine.connect():
            pass
        engine.dispose()
    except sa.exc.OperationalError as error:
        pytest.exit(f"PostgreSQL at {PG_ADMIN_URL} does not answer ({str(error.orig).strip().splitlines()[0]}); "
                    "run the suite with `make test`, which brings one up, or set ASTROPLANE_TEST_PG_URL",
                    returncode=1)


def _pg_url(database: str) -> str:
    return PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + database


class DatabaseFactory:
    """Creates throwaway databases and drops them when the run ends."""

    def __init__(self, tmp_path_factory):
        self.tmp = tmp_path_factory
        self.created: list[str] = []

    def url(self, backend: str) -> str:
        name = f"astroplane_test_{uuid.uuid4().hex[:12]}"
        if backend == "sqlite":
            return f"sqlite:///{self.tmp.mktemp('db') / (name + '.db')}"
        admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        self.created.append(name)
        return _pg_url(name)

    def drop_all(self) -> None:
        if not self.created:
            return
        admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            for name in self.created:
                connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def databases(tmp_path_factory):
    factory = DatabaseFactory(tmp_path_factory)
    yield factory
    factory.drop_all()


def make_settings(tmp_path, url: str, **overrides) -> Settings:
    values = dict(database_url=url, data_dir=tmp_path, signing_key="test-signing-key-" + "k" * 32,
                  run_reconciler=False, step_delay_seconds=0, encryption_keys=[TEST_ENCRYPTION_KEY])
    values.update(overrides)
    return Settings(**values)


CLIENT_ADDRESS = ("127.0.0.1", 50000)


@dataclass
class Server:
    settings: Settings
    database: Database
    client: TestClient
    backend: str


@pytest.fixture(scope="session", params=BACKENDS)
def server(request, databases, tmp_path_factory) -> Server:
    url = databases.url(request.param)
    database = Database(url)
    upgrade(database.engine)
    settings = make_settings(tmp_path_factory.mktemp("data"), url)
    app = create_app(settings, database)
    # a real address, so IP allow-lists can be created (they must cover the caller) and enforced
    with TestClient(app, raise_server_exceptions=False, client=CLIENT_ADDRESS) as client:
        yield Server(settings, database, client, request.param)
    database.dispose()


@dataclass
class Org:
    id: str
    owner_user_id: str
    token: str
    name: str


# Where each API is mounted: paths starting with one of these are sent as they are.
API_PREFIXES = ("/v1", "/platform/v1beta1", "/iam/v1beta1", "/labs/v1")


class Api:
    """A client bound to one token and one API (v1 unless `prefix` names another): `api.get("/workspaces")`
    is relative to the org under that API, unless it starts with an API prefix."""

    def __init__(self, server: Server, org: Org, token: str, prefix: str = "/v1"):
        self.server, self.org, self.token, self.prefix = server, org, token, prefix

    def url(self, path: str) -> str:
        if path.startswith(API_PREFIXES) or path.startswith("/healthz") or path.startswith("/metrics"):
            return path
        return f"{self.prefix}/organizations/{self.org.id}{path}"

    def at(self, prefix: str) -> "Api":
        """The same client on another API version."""
        return Api(self.server, self.org, self.token, prefix)

    def request(self, method: str, path: str, token: str | None = None, **kwargs):
        headers = kwargs.pop("headers", {})
        bearer = self.token if token is None else token
        if bearer:
            headers["Authorization"] = f"Bearer {bearer}"
        return self.server.client.request(method, self.url(path), headers=headers, **kwargs)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, **kw):
        return self.request("POST", path, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)

    def as_token(self, token: str) -> "Api":
        return Api(self.server, self.org, token, self.prefix)

    def ok(self, method: str, path: str, status: int = 200, **kw):
        response = self.request(method, path, **kw)
        assert response.status_code == status, (response.status_code, response.text)
        return response.json() if response.content else None


def new_org(server: Server, name: str | None = None, email: str | None = None) -> Org:
    name = name or f"org-{uuid.uuid4().hex[:8]}"
    email = email or f"owner-{uuid.uuid4().hex[:8]}@example.com"
    from astroplane.auth.codec import TokenCodec
    session = server.database.session()
    try:
        result = bootstrap.init_organization(session, TokenCodec(server.settings), name, email)
        session.commit()
    finally:
        session.close()
    return Org(result.organization_id, result.user_id, result.token, name)


@pytest.fixture
def org(server) -> Org:
    return new_org(server)


@pytest.fixture
def api(server, org) -> Api:
    return Api(server, org, org.token)


LOOPBACK_RECEIVERS = ["127.0.0.1/32"]  # ASTROPLANE_EGRESS_ALLOW for tests whose receivers listen on 127.0.0.1


@pytest.fixture
def loopback_receivers(server):
    """The shared server's egress policy with ASTROPLANE_EGRESS_ALLOW=["127.0.0.1/32"] for one test.
    (Not monkeypatch: its undo deletes an attribute of Starlette's State instead of restoring it.)"""
    state = server.client.app.state
    default = state.egress
    state.egress = EgressPolicy.from_settings(server.settings.model_copy(update={"egress_allow": LOOPBACK_RECEIVERS}))
    yield
    state.egress = default


def assert_no_nulls(value, path="$"):
    """Optional fields without a value are omitted, never null."""
    if isinstance(value, dict):
        for key, item in value.items():
            assert item is not None, f"{path}.{key} is null"
            assert_no_nulls(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            assert_no_nulls(item, f"{path}[{index}]")


def assert_error(response, status: int, *fragments: str):
    assert response.status_code == status, (response.status_code, response.text)
    body = response.json()
    assert set(body) >= {"message", "statusCode", "requestId"}, body
    assert body["statusCode"] == status
    uuid.UUID(body["requestId"])
    for fragment in fragments:
        assert fragment.lower() in body["message"].lower(), (fragment, body["message"])
    return body


def make_token(api: Api, scope: str, role: str, entity_id: str | None = None, **extra) -> tuple[str, dict]:
    """Create an API token through the API; returns (token text, ApiToken body)."""
    body = {"name": f"{scope.lower()}-{role.lower()}", "scope": scope, "role": role, **extra}
    if entity_id:
        body["entityId"] = entity_id
    created = api.ok("POST", "/tokens", json=body)
    return created["token"], created


def make_workspace(api: Api, name: str | None = None, **extra) -> dict:
    return api.ok("POST", "/workspaces", json={"name": name or f"ws-{uuid.uuid4().hex[:6]}", **extra})
