"""astroplane as a test double inside your test process.

    from astroplane.testing import running_server

    with running_server() as server:          # a real server on a free loopback port
        client = server.client()              # httpx.Client with the owner token
        client.get(f"/v1/organizations/{server.organization_id}/workspaces")
        server.advance(seconds=60)            # the test controls (docs/testing.md)

The pytest plugin (astroplane.testing.plugin, registered as `astroplane`) gives the same server as
the `astroplane_server` fixture.
"""

import contextlib
import datetime as dt
import secrets
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import uvicorn

from astroplane.kit.protocol import AstroHttpToolsProtocol

CONTROLS_PREFIX = "/astroplane/v1"
# The cipher of secrets at rest is process-wide (astroplane.kit.crypto): every server this process
# starts shares one key, so two of them side by side can both read what they stored.
_PROCESS_KEY: list[str] = []


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class TestServer:
    """A running astroplane with the test controls on, and one organization with its owner token."""

    __test__ = False  # not a pytest test class

    url: str
    organization_id: str
    token: str
    database_url: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def client(self, **options: Any) -> httpx.Client:
        """An httpx client on the server, authenticated as the organization's owner."""
        return httpx.Client(base_url=self.url, headers=self.headers, **options)

    def control(self, method: str, path: str, json: Any = None) -> Any:
        """Call the control API: `path` is relative to /astroplane/v1/organizations/<id>."""
        response = httpx.request(method, f"{self.url}{CONTROLS_PREFIX}/organizations/{self.organization_id}{path}",
                                 headers=self.headers, json=json, timeout=60)
        response.raise_for_status()
        return response.json() if response.content else None

    def clock(self) -> dict:
        return self.control("GET", "/clock")

    def advance(self, seconds: float | None = None, *, duration: str | None = None) -> dict:
        """Move the server's time forward (seconds, or an ISO 8601 duration such as 'PT5M'); the
        reconciler catches up before this returns."""
        return self.control("POST", "/clock/advance", {"duration": duration if duration is not None else seconds})

    def freeze(self, at: dt.datetime | str | None = None) -> dict:
        at = at.isoformat() if isinstance(at, dt.datetime) else at
        return self.control("POST", "/clock/freeze", {"at": at} if at else {})

    def arm_fault(self, operation_id: str, **fault: Any) -> dict:
        """Arm a fault for calls to `operation_id` (kind, statusCode, message, latencyMs, count, fraction)."""
        return self.control("POST", "/faults", {"operationId": operation_id, **fault})

    def clear_faults(self) -> None:
        self.control("DELETE", "/faults")

    def reset(self) -> dict:
        """Drop the organization's data (the owner token stays), clear faults, put the clock back."""
        self.control("DELETE", "/faults")
        self.control("DELETE", "/clock")
        return self.control("POST", "/reset")


@contextlib.contextmanager
def running_server(database_url: str | None = None, *, id_seed: int | None = None,
                   frozen_at: dt.datetime | None = None, organization: str = "astroplane-test",
                   owner_email: str = "owner@astroplane.test", **settings: Any) -> Iterator[TestServer]:
    """Start astroplane in this process (uvicorn in a thread) on a free 127.0.0.1 port, on a
    temporary SQLite database or `database_url` (an empty PostgreSQL database, say), with the test
    controls on and an organization whose owner token the TestServer carries; stop it afterwards.
    `frozen_at` stops the clock before the organization is created (reproducible timestamps, with
    `id_seed` reproducible ids); other keyword arguments are Settings fields (step_delay_seconds...)."""
    from astroplane import bootstrap
    from astroplane.app import create_app
    from astroplane.auth.codec import TokenCodec
    from astroplane.controls.repository import ControlsRepository
    from astroplane.kit import crypto
    from astroplane.kit.db import Database
    from astroplane.kit.ids import using_ids
    from astroplane.kit.migrate import upgrade
    from astroplane.kit.time import using_clock
    from astroplane.settings import Settings

    if not _PROCESS_KEY:
        _PROCESS_KEY.append(crypto.generate_key())
    with tempfile.TemporaryDirectory(prefix="astroplane-") as data_dir:
        port = free_port()
        values: dict[str, Any] = dict(
            data_dir=data_dir, database_url=database_url or "", host="127.0.0.1", port=port,
            signing_key=secrets.token_urlsafe(48), encryption_keys=list(_PROCESS_KEY), test_controls=True,
            id_seed=id_seed, reconcile_interval_seconds=0.2)
        values.update(settings)
        config = Settings(**values)
        database = Database(config.resolved_database_url)
        try:
            upgrade(database.engine)
            app = create_app(config, database)
            session = database.session()
            try:
                if frozen_at is not None:
                    ControlsRepository(session).state().clock_frozen_at = frozen_at
                    session.flush()
                with using_clock(app.state.controls.shared), using_ids(app.state.seeded_ids):
                    created = bootstrap.init_organization(session, TokenCodec(config), organization, owner_email)
                session.commit()
            finally:
                session.close()
            app.state.controls.shared.invalidate()
            with serving(app, port):
                yield TestServer(url=f"http://127.0.0.1:{port}", organization_id=created.organization_id,
                                 token=created.token, database_url=config.resolved_database_url)
        finally:
            database.dispose()


@contextlib.contextmanager
def serving(app, port: int) -> Iterator[None]:
    """Serve `app` with uvicorn in a thread of this process on 127.0.0.1:`port` until the block ends."""
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                           lifespan="on", http=AstroHttpToolsProtocol))
    thread = threading.Thread(target=server.run, name=f"astroplane-{port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + 120  # a laptop busy with other things starts slowly
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("astroplane did not start")
        time.sleep(0.02)
    try:
        yield
    finally:
        server.should_exit = True
        thread.join(timeout=30)
