"""Idle memory of `astroplane serve` on SQLite and PostgreSQL, measured as `make bench` does it
(bench/processes.py: RSS of the server and all its processes, right after /healthz answers, before
any other request). Issue 21 asks for < 100 MB on both; this prints the figures, it asserts nothing.

    .venv/bin/python bench/idle_memory.py [--backend sqlite|postgresql] [--runs N] [--after-request]

--after-request also prints the RSS after one authenticated API request (ListWorkspaces), and then
after a request no route matches (a 404 is matched against every route, so FastAPI has then built
the state of every route of the four APIs): what requests build on top of the idle figure. PostgreSQL: ASTROPLANE_TEST_PG_URL (as `make bench`); a
database of its own is made and dropped.
"""

import argparse
import json
import os
import pathlib
import statistics
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request

import sqlalchemy as sa

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

import processes  # noqa: E402

PG_ADMIN_URL = os.environ.get("ASTROPLANE_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
PG_DB = "astroplane_idle_memory"


def _admin(statement: str) -> None:
    engine = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(sa.text(statement))
    engine.dispose()


def measure(backend: str, after_request: bool) -> tuple[float, float | None, float | None]:
    with tempfile.TemporaryDirectory(prefix="astroplane-idle-") as data_dir:
        if backend == "sqlite":
            url = f"sqlite:///{data_dir}/astroplane.db"
        else:
            _admin(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
            _admin(f"CREATE DATABASE {PG_DB}")
            url = PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + PG_DB
        env = {"ASTROPLANE_DATA_DIR": data_dir, "ASTROPLANE_DATABASE_URL": url, "ASTROPLANE_LOG_LEVEL": "warning"}
        try:
            init = json.loads(subprocess.run(
                [sys.executable, "-m", "astroplane.cli", "init", "--organization", "idle",
                 "--owner-email", "idle@example.com", "--json"],
                capture_output=True, text=True, env={**os.environ, **env}, check=True).stdout)
            port = processes.free_port()
            server = processes.start([sys.executable, "-m", "astroplane.cli", "serve", "--port", str(port)], env,
                                     log_path=f"{data_dir}/server.log")
            try:
                processes.wait_until_up(f"http://127.0.0.1:{port}/healthz", server)
                idle = processes.rss_mb(server)
                listed = every_route = None
                if after_request:
                    headers = {"Authorization": f"Bearer {init['token']}"}
                    base = f"http://127.0.0.1:{port}"
                    urllib.request.urlopen(urllib.request.Request(
                        f"{base}/v1/organizations/{init['organizationId']}/workspaces", headers=headers), timeout=60).read()
                    listed = processes.rss_mb(server)
                    try:
                        urllib.request.urlopen(urllib.request.Request(f"{base}/no-such-path", headers=headers), timeout=60)
                    except urllib.error.HTTPError as error:
                        assert error.code == 404, error.code
                    every_route = processes.rss_mb(server)
                return idle, listed, every_route
            finally:
                processes.stop(server)
        finally:
            if backend == "postgresql":
                _admin(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], action="append")
    parser.add_argument("--runs", type=int, default=1, help="starts per database; the median is printed")
    parser.add_argument("--after-request", action="store_true")
    args = parser.parse_args()
    print("idle RSS of `astroplane serve`, all processes (MB; issue 21 target < 100)")
    for backend in args.backend or ["sqlite", "postgresql"]:
        runs = [measure(backend, args.after_request) for _ in range(args.runs)]
        idle = statistics.median(run[0] for run in runs)
        line = f"  {backend}: idle {idle:.1f}"
        if args.after_request:
            line += (f", after one list request {statistics.median(run[1] for run in runs):.1f}, after a 404 "
                     f"(every route's state built) {statistics.median(run[2] for run in runs):.1f}")
        print(line + (f" (median of {args.runs})" if args.runs > 1 else ""), flush=True)


if __name__ == "__main__":
    main()
