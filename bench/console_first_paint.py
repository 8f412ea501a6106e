"""The console's deployments list with 1,000 deployments, in headless Debian chromium: first paint,
first contentful paint, and the time until the list's rows are in the page (Performance API, from
the start of navigation). Prints its figures; not a test.

    .venv/bin/python bench/console_first_paint.py [--deployments 1000] [--runs 7] [--backend sqlite|postgresql]

The server is `astroplane serve` (production settings) in its own process. The first deployment is
made through the API, the rest are copies (bench/seed.py). Each "cold" run is a fresh browser
context (empty cache); each "warm" run a new tab in one context (the files revalidate: 304s).
"""

import argparse
import os
import pathlib
import statistics
import sys
import tempfile
import uuid

import httpx
import sqlalchemy as sa

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests"))

import seed  # noqa: E402
from browser import launch  # noqa: E402
from live import LiveServer  # noqa: E402

from astroplane.kit.db import Database  # noqa: E402

# the server scripts/ensure_postgres.py found or brought up, as for the suite
PG_ADMIN_URL = os.environ.get("ASTROPLANE_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
SIGNED_IN = """sessionStorage.setItem('astroplane.console.token', %r);
sessionStorage.setItem('astroplane.console.organizationId', %r);"""
FIGURES = """() => {
  const paint = Object.fromEntries(performance.getEntriesByType('paint').map((e) => [e.name, e.startTime]));
  return {firstPaint: paint['first-paint'], firstContentfulPaint: paint['first-contentful-paint'],
          listRendered: performance.getEntriesByName('deployments-rendered')[0].startTime,
          rows: document.querySelectorAll('#deployment-list tbody tr').length,
          total: document.querySelector('.pager-status').textContent};
}"""


def database_url(backend: str, workdir: pathlib.Path) -> tuple[str, str | None]:
    if backend == "sqlite":
        return f"sqlite:///{workdir / 'bench.db'}", None
    name = f"astroplane_console_bench_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name, name


def drop(name: str | None) -> None:
    if name:
        admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def seeded_server(workdir: pathlib.Path, url: str, count: int) -> tuple[LiveServer, str, str]:
    server = LiveServer(workdir, url).start()
    init = server.cli("init", "--organization", "bench", "--owner-email", "bench@console.test")
    org, token = init["organizationId"], init["token"]
    http = httpx.Client(base_url=f"{server.base}/v1/organizations/{org}", headers={"Authorization": f"Bearer {token}"})
    workspace = http.post("/workspaces", json={"name": "bench", "defaultCloudProvider": "AWS",
                                               "defaultRegion": "us-east-1"}).json()
    first = http.post("/deployments", json={"name": "bench-first", "workspaceId": workspace["id"]}).json()
    server.stop()  # copies go in behind the server's back: start it again afterwards, caches empty
    seed.copy_deployment(Database(url), first["id"], count - 1)
    server.start()
    listed = http.get("/deployments", params={"limit": 1}).json()
    assert listed["totalCount"] == count, listed
    return server, org, token


def measure(browser, base: str, org: str, token: str, runs: int) -> dict[str, list[dict]]:
    url = f"{base}/console/#/deployments"

    def load(page) -> dict:
        page.goto(url)
        page.wait_for_selector("#deployment-list[data-rendered]")
        return page.evaluate(FIGURES)

    results = {"cold": [], "warm": []}
    warm = browser.new_context()
    warm.add_init_script(SIGNED_IN % (token, org))
    load(warm.new_page())  # warm-up: the server's first requests, chromium's first process
    for _ in range(runs):
        cold = browser.new_context()
        cold.add_init_script(SIGNED_IN % (token, org))
        results["cold"].append(load(cold.new_page()))
        cold.close()
        page = warm.new_page()
        results["warm"].append(load(page))
        page.close()
    warm.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deployments", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="console-bench-") as tmp:
        url, pg_name = database_url(args.backend, pathlib.Path(tmp))
        server = None
        try:
            server, org, token = seeded_server(pathlib.Path(tmp), url, args.deployments)
            with sync_playwright() as playwright:
                browser = launch(playwright)
                results = measure(browser, server.base, org, token, args.runs)
                version = browser.version
                browser.close()
        finally:
            if server:
                server.stop()
            drop(pg_name)
    sample = results["cold"][0]
    print(f"console deployments list: {args.deployments} deployments on {args.backend}, chromium {version}, "
          f"{args.runs} runs each; first page shows {sample['rows']} rows ({sample['total']})")
    print(f"{'figure (ms from navigation start)':<36} {'cold p50':>9} {'cold max':>9} {'warm p50':>9} {'warm max':>9}")
    for key, label in (("firstPaint", "first paint"), ("firstContentfulPaint", "first contentful paint"),
                       ("listRendered", "list rendered (rows in the page)")):
        row = [f(run[key] for run in results[kind]) for kind in ("cold", "warm")
               for f in (statistics.median, max)]
        print(f"{label:<36} " + " ".join(f"{value:>9.1f}" for value in row))


if __name__ == "__main__":
    main()
