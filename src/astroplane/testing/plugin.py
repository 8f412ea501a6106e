"""pytest plugin (entry point `astroplane`): the `astroplane_server` fixture.

One server per test session (started on first use), handed to each test with a clean slate: the
organization's data dropped, faults cleared, the clock back on system time. Options:
`--astroplane-database-url` (or ASTROPLANE_TEST_DATABASE_URL) to run it on an empty PostgreSQL
database instead of a temporary SQLite file; `--astroplane-id-seed` for reproducible ids.
"""

import os

import pytest

from astroplane.testing import TestServer, running_server


def pytest_addoption(parser) -> None:
    group = parser.getgroup("astroplane")
    group.addoption("--astroplane-database-url", default=os.environ.get("ASTROPLANE_TEST_DATABASE_URL"),
                    help="database of the astroplane_server fixture (default: a temporary SQLite file)")
    group.addoption("--astroplane-id-seed", type=int, default=None,
                    help="seed for reproducible ids in the astroplane_server fixture")


@pytest.fixture(scope="session")
def astroplane_session_server(request) -> TestServer:
    with running_server(request.config.getoption("astroplane_database_url"),
                        id_seed=request.config.getoption("astroplane_id_seed")) as server:
        yield server


@pytest.fixture
def astroplane_server(astroplane_session_server: TestServer) -> TestServer:
    """A real astroplane (controls on, owner token in `.token`), reset before the test."""
    astroplane_session_server.reset()
    return astroplane_session_server
