"""Where one list request's time goes, in process: queries, SQL time, the rest, and a cProfile.

    .venv/bin/python bench/profile_list.py [--backend sqlite|postgresql] [--rows 1000] [--runs 300]
        [--path /organizations/{org}/deployments?limit=20] [--top 25] [--lists users,tokens] [--cold]

Builds the app as `astroplane serve` does (no reconciler), seeds `--rows` deployments by copying one
made through the API, then sends `--runs` requests straight to the ASGI app (no HTTP, no client
in the figures). Prints per request: wall time, the number of SQL statements and the time spent in
them (cursor execute to fetch done, so driver and database), and the top functions by cumulative
time. `{org}` in `--path` is the seeded organization.

A kept page (rbac.hot_lists) is answered after one lookup of the list's versions on the hot reads'
own connections (kit.readers), which these counts leave out; `--cold` measures the page rendered
afresh on every request, as after each change of what it shows.
"""

import argparse
import asyncio
import cProfile
import json
import os
import pathlib
import pstats
import sys
import tempfile
import time

import sqlalchemy as sa
from sqlalchemy import event

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

import run as bench_run  # noqa: E402

PG_ADMIN_URL = os.environ.get("ASTROPLANE_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


class SqlClock:
    """Counts statements and the time between cursor execute and the next statement's start or the
    request's end (fetching included, as the ORM fetches right after executing)."""

    def __init__(self, engine):
        self.count, self.seconds, self._started = 0, 0.0, None
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)

    def _before(self, *args):
        self._started = time.perf_counter()

    def _after(self, *args):
        self.count += 1
        self.seconds += time.perf_counter() - self._started


async def call(app, path: str, token: str) -> tuple[int, bytes]:
    raw_path, _, query = path.partition("?")
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
             "scheme": "http", "path": raw_path, "raw_path": raw_path.encode(), "query_string": query.encode(),
             "root_path": "", "headers": [(b"host", b"bench"), (b"authorization", f"Bearer {token}".encode())],
             "client": ("127.0.0.1", 5000), "server": ("127.0.0.1", 80), "state": {}}
    status, body = 0, []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body":
            body.append(message.get("body", b""))

    await app(scope, receive, send)
    return status, b"".join(body)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--backend", default="sqlite")
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--path", action="append")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--filter", help="only functions whose file matches this (e.g. astroplane)")
    parser.add_argument("--cold", action="store_true",
                        help="never serve a kept page: every request renders its page (the cost after each change)")
    parser.add_argument("--lists", default=",".join(bench_run.LISTS), help="which lists to seed (comma-separated)")
    args = parser.parse_args()
    workdir = pathlib.Path(tempfile.mkdtemp(prefix="astroplane-profile-"))
    if args.backend == "sqlite":
        url = f"sqlite:///{workdir}/astroplane.db"
    else:
        admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(sa.text("DROP DATABASE IF EXISTS astroplane_profile WITH (FORCE)"))
            connection.execute(sa.text("CREATE DATABASE astroplane_profile"))
        admin.dispose()
        url = PG_ADMIN_URL.rsplit("/", 1)[0] + "/astroplane_profile"
    os.environ.update({"ASTROPLANE_DATA_DIR": str(workdir), "ASTROPLANE_DATABASE_URL": url,
                       "ASTROPLANE_STEP_DELAY_SECONDS": "0", "ASTROPLANE_LOG_LEVEL": "warning",
                       "ASTROPLANE_RUN_RECONCILER": "false"})
    import subprocess
    out = subprocess.run([sys.executable, "-m", "astroplane.cli", "init", "--organization", "bench",
                          "--owner-email", "bench@example.com", "--json"], capture_output=True, text=True, check=True)
    init = json.loads(out.stdout)
    token, org = init["token"], init["organizationId"]

    from astroplane.app import create_app
    from astroplane.kit.db import Database
    from astroplane.rbac import hot_lists

    if args.cold:
        hot_lists.KeptPages.get = lambda self, key, epoch, versions: None

    database = Database(url)
    app = create_app(database=database)
    paths = [p.replace("{org}", org) for p in (args.path or [f"/organizations/{{org}}/{path}?limit=20"
                                                             for path in map(bench_run.LISTS.get, args.lists.split(","))])]

    async def run() -> None:
        async def post(path: str, body: dict) -> dict:
            from httpx import ASGITransport, AsyncClient
            async with AsyncClient(transport=ASGITransport(app=app), base_url="http://bench") as client:
                response = await client.post("/v1" + path, json=body, headers={"Authorization": f"Bearer {token}"})
                response.raise_for_status()
                return response.json()

        async with app.router.lifespan_context(app):
            workspace = await post(f"/organizations/{org}/workspaces", {
                "name": "ws", "defaultCloudProvider": "AWS", "defaultRegion": "us-east-1"})
            first = await post(f"/organizations/{org}/deployments", {"name": "src", "workspaceId": workspace["id"]})
            sources = {"deployments": first["id"], "workspaces": workspace["id"], "users": init["userId"]}
            for name, (path, body) in bench_run.source_requests(f"/organizations/{org}", workspace["id"]).items():
                sources[name] = (await post(path, body))["id"]
            seeder = bench_run.Seeder(database, sources)
            for name in args.lists.split(","):
                seeder.grow(name, args.rows - 1)
            clock = SqlClock(database.engine)
            for path in paths:
                for _ in range(20):  # warm caches, as a server under load has them
                    status, body = await call(app, "/v1" + path, token)
                    assert status == 200, (status, body[:300])
                clock.count, clock.seconds = 0, 0.0
                started, cpu_started = time.perf_counter(), time.process_time()
                for _ in range(args.runs):
                    await call(app, "/v1" + path, token)
                wall = (time.perf_counter() - started) / args.runs
                cpu = (time.process_time() - cpu_started) / args.runs
                print(f"\n{args.backend} N={args.rows} GET {path} ({len(body)} bytes){' cold' if args.cold else ''}")
                print(f"  per request: {cpu * 1000:.3f} ms CPU, {wall * 1000:.3f} ms wall, {clock.count / args.runs:.1f} statements, "
                      f"{clock.seconds / args.runs * 1000:.3f} ms in SQL (driver + database), "
                      f"{(wall - clock.seconds / args.runs) * 1000:.3f} ms elsewhere")
                profiler = cProfile.Profile()
                profiler.enable()
                for _ in range(args.runs):
                    await call(app, "/v1" + path, token)
                profiler.disable()
                stats = pstats.Stats(profiler)
                # JSON writing: the contract's models (kit.router.to_json) and the versions' adapters
                writing = sum(row[3] for function, row in stats.stats.items()
                              if function[2] in ("to_json", "to_version")) / args.runs
                print(f"  of which writing JSON {writing * 1000:.3f} ms (under cProfile, which inflates every figure)")
                stats.sort_stats("cumulative").print_stats(args.filter or "", args.top)
                stats.sort_stats("tottime").print_stats(args.top)

    asyncio.run(run())
    database.dispose()


if __name__ == "__main__":
    main()
