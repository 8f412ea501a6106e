"""`make bench`: astroplane on SQLite and PostgreSQL against a trivial FastAPI route and Prism, one run.

Prints req/s, p50 and p99 per target and scenario, the ratios astroplane/Prism and
astroplane/trivial-route computed in this run, and the memory figures. Sizes shrink with --quick
(for trying the script, not for the README's table).
"""

import argparse
import json
import os
import pathlib
import platform
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

import sqlalchemy as sa

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

import baseline  # noqa: E402
import load  # noqa: E402
import processes  # noqa: E402
import seed  # noqa: E402

from astroplane.kit.db import Database  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[1]
SPEC = ROOT.parent / "shared" / "reference" / "astro-v1.openapi.yaml"
PRISM = ROOT / "bench" / "node_modules" / ".bin" / "prism"
# the server `make bench` found or brought up (scripts/ensure_postgres.py)
PG_ADMIN_URL = os.environ.get("ASTROPLANE_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
PG_BENCH_DB = "astroplane_bench"


class Figures(dict):
    """Results that also print as they arrive, so a long run shows progress."""

    def __init__(self, label: str):
        super().__init__()
        self.label = label

    def __setitem__(self, name, value):
        print(f"  [{self.label}] {name}: {value}", flush=True)
        super().__setitem__(name, value)


class Target:
    """One astroplane server with its data, answering on a free port. `src`: another revision's
    source tree to run instead of this one's (first on PYTHONPATH, same venv; bench/baseline.py)."""

    def __init__(self, backend: str, workdir: pathlib.Path, workers: int, *, name: str | None = None,
                 src: pathlib.Path | None = None):
        self.backend, self.workers = backend, workers
        self.data_dir = workdir / (name or backend)
        self.data_dir.mkdir(parents=True)
        self.url = (f"sqlite:///{self.data_dir}/astroplane.db" if backend == "sqlite"
                    else _fresh_postgres_database(PG_BENCH_DB + (f"_{name}" if name else "")))
        self.port = processes.free_port()
        self.base = f"http://127.0.0.1:{self.port}/v1"
        self.env = {"ASTROPLANE_DATA_DIR": str(self.data_dir), "ASTROPLANE_DATABASE_URL": self.url,
                    "ASTROPLANE_STEP_DELAY_SECONDS": "0", "ASTROPLANE_LOG_LEVEL": "warning"}
        if src is not None:
            self.env["PYTHONPATH"] = str(src)
        self.process = None
        self.database = Database(self.url)

    def seed(self, what: str, *args) -> None:
        """bench/seed.py's command, run by the astroplane this target serves (its own schema and code)."""
        subprocess.run([sys.executable, str(ROOT / "bench" / "seed.py"), what, self.url, *map(str, args)],
                       env={**os.environ, **self.env}, check=True)

    def cli(self, *args: str) -> dict:
        out = subprocess.run([sys.executable, "-m", "astroplane.cli", *args, "--json"], capture_output=True,
                             text=True, env={**os.environ, **self.env}, check=True)
        return json.loads(out.stdout)

    def start(self) -> None:
        self.process = processes.start([sys.executable, "-m", "astroplane.cli", "serve", "--port", str(self.port),
                                        "--workers", str(self.workers)], self.env,
                                       log_path=str(self.data_dir / "server.log"))
        processes.wait_until_up(f"http://127.0.0.1:{self.port}/healthz", self.process)

    def drain(self) -> None:
        """Wait until requests wrk left queued are answered, so that they do not weigh on the next
        scenario (a slow list leaves many)."""
        urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=600).read()

    def stop(self) -> None:
        processes.stop(self.process)
        self.database.dispose()

    def database_pids(self) -> list[int]:
        """The PostgreSQL backends connected to this target's database (none on SQLite)."""
        if self.backend != "postgresql":
            return []
        with self.database.engine.connect() as connection:
            return list(connection.execute(sa.text("SELECT pid FROM pg_stat_activity WHERE datname = "
                                                   "current_database() AND pid <> pg_backend_pid()")).scalars())

    def drop_database(self) -> None:
        """A PostgreSQL database is dropped once measured (a SQLite one goes with the work directory)."""
        if self.backend == "postgresql":
            _drop_postgres_database(self.url.rsplit("/", 1)[1])

    def call(self, method: str, path: str, body: dict | None = None) -> dict | None:
        request = urllib.request.Request(self.base + path, method=method, headers=self.headers,
                                         data=json.dumps(body).encode() if body is not None else None)
        with urllib.request.urlopen(request, timeout=60) as response:
            payload = response.read()
        return json.loads(payload) if payload else None

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"}


def _fresh_postgres_database(name: str) -> str:
    _drop_postgres_database(name, then=f"CREATE DATABASE {name}")
    return PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name


def _drop_postgres_database(name: str, then: str | None = None) -> None:
    engine = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        if then:
            connection.execute(sa.text(then))
    engine.dispose()


def deployment_body(workspace_id: str, name: str) -> dict:
    # the simplified create: placement comes from the workspace's defaults
    return {"name": name, "workspaceId": workspace_id}


# the lists of the benchmark: name -> path under the organization
LISTS = {"deployments": "deployments", "workspaces": "workspaces", "tokens": "tokens",
         "envobjects": "environment-objects", "users": "users"}
LIST_LABELS = {"deployments": "ListDeployments", "workspaces": "ListWorkspaces", "tokens": "ListApiTokens",
               "envobjects": "ListEnvironmentObjects", "users": "ListUsers"}


def source_requests(org_path: str, workspace_id: str) -> dict[str, tuple[str, dict]]:
    """The rows the Seeder copies that are made through the API here: name -> (path, body)."""
    return {"tokens": (f"{org_path}/tokens", {"name": "bench-token", "scope": "ORGANIZATION",
                                              "role": "ORGANIZATION_MEMBER"}),
            "envobjects": (f"{org_path}/environment-objects", {
                "objectKey": "BENCH_SOURCE", "objectType": "ENVIRONMENT_VARIABLE", "scope": "WORKSPACE",
                "scopeEntityId": workspace_id, "environmentVariable": {"value": "v"}})}


class Seeder:
    """Grows each benchmarked list's table by copying one row made through the API."""

    def __init__(self, database: Database, sources: dict[str, str]):
        """`sources`: list name -> the id of the row to copy."""
        self.database, self.sources = database, sources
        self.next = 0  # copies are numbered across rounds: names and keys stay unique

    def grow(self, name: str, count: int) -> None:
        source, start = self.sources[name], self.next
        if name == "deployments":
            seed.copy_deployment(self.database, source, count)
        elif name == "workspaces":
            seed.copy_rows(self.database, "workspaces", source, count, renamed={"name": "bench-{n:06d}"}, start=start)
        elif name == "tokens":
            seed.copy_rows(self.database, "api_tokens", source, count, renamed={"name": "bench-{n:06d}"},
                           children={"role_bindings": "subject_id"}, start=start)
        elif name == "envobjects":
            seed.copy_rows(self.database, "environment_objects", source, count,
                           renamed={"object_key": "BENCH_{n:06d}"}, start=start)
        else:
            seed.copy_rows(self.database, "users", source, count, renamed={"username": "bench-{n:06d}@example.com"},
                           children={"role_bindings": "subject_id"}, child_values={"role": "ORGANIZATION_MEMBER"},
                           start=start)
        self.next += count


class Scene:
    """A started target with the data every scenario starts from: the organization of `init`, 10
    workspaces with placement defaults, and one deployment made through the API."""

    def __init__(self, target: Target, args):
        self.target, self.args = target, args
        init = target.cli("init", "--organization", "bench", "--owner-email", "bench@example.com")
        target.token, self.org, self.user_id = init["token"], init["organizationId"], init["userId"]
        target.start()
        self.idle_rss_mb = processes.rss_mb(target.process)
        self.org_path = f"/organizations/{self.org}"
        # workspace defaults let the simplified create (name + workspaceId) place STANDARD deployments
        self.workspaces = [target.call("POST", f"{self.org_path}/workspaces", {
            "name": f"ws-{n}", "defaultCloudProvider": "AWS", "defaultRegion": "us-east-1"}) for n in range(10)]
        self.first = target.call("POST", f"{self.org_path}/deployments",
                                 deployment_body(self.workspaces[0]["id"], "bench-source"))
        self.deployment_path = f"{self.org_path}/deployments/{self.first['id']}"

    def wrk(self, path: str, seconds: int | None = None, warmup: int = 3) -> dict:
        figures = load.wrk(self.target.base + path, headers=self.target.headers,
                           seconds=seconds or self.args.seconds, warmup=warmup, connections=32,
                           watch=processes.CpuWatch(self.target.process, self.target.database_pids),
                           settle=self.target.drain)
        self.target.drain()
        return figures

    # the sequential scenarios: each gives a request factory for load.timed (or load.timed_interleaved)
    def create_deployment(self):
        counter = iter(range(10**9))
        return lambda: _request(self.target, "POST", f"{self.org_path}/deployments", deployment_body(
            self.workspaces[1 + next(counter) % 9]["id"], f"created-{next(counter)}"))

    def bulk_create_ranges(self):
        """Call bulk_create_ranges_done() after the timed calls."""
        # the first range must admit the caller (the lock-out guard); the timed batches land beside it
        self.admitting = self.target.call("POST", f"{self.org_path}/allowed-ip-address-ranges",
                                          {"ipAddressRange": "127.0.0.1/32"})
        batches = iter(range(10**6))
        return lambda: _request(self.target, "POST", f"{self.org_path}/allowed-ip-address-ranges/bulk-create",
                                {"allowedIpAddressRanges": _ranges(next(batches))})

    def bulk_create_ranges_done(self) -> None:
        # leave the allow-list as it was before the batches (checking 1,000s of ranges is not what the
        # log search measures)
        landed = [r["id"] for r in _all_ranges(self.target, self.org_path) if r["id"] != self.admitting["id"]]
        for start in range(0, len(landed), 1000):
            self.target.call("POST", f"{self.org_path}/allowed-ip-address-ranges/bulk-delete",
                             {"allowedIpAddressRangeIds": landed[start:start + 1000]})

    def seed_log_lines(self) -> float:
        started = time.perf_counter()
        self.target.seed("logs", self.org, self.first["id"], self.args.log_lines)
        return time.perf_counter() - started

    def search_logs(self):
        logs = f"{self.deployment_path}/logs?sources=scheduler&sources=worker&sources=webserver&range=86400&limit=100"
        return lambda: _request(self.target, "GET", logs + "&searchText=needle")


def measure_astroplane(backend: str, workdir: pathlib.Path, args) -> dict:
    target = Target(backend, workdir, 1)
    scene = Scene(target, args)
    results = Figures(backend)
    results["idle_rss_mb"] = scene.idle_rss_mb
    sources = {"deployments": scene.first["id"], "workspaces": scene.workspaces[0]["id"], "users": scene.user_id}
    for name, (path, body) in source_requests(scene.org_path, scene.workspaces[0]["id"]).items():
        sources[name] = target.call("POST", path, body)["id"]
    seeder = Seeder(target.database, sources)
    lists = args.lists.split(",")
    list20 = f"{scene.org_path}/deployments?limit=20"

    started = time.perf_counter()
    for name in lists:
        seeder.grow(name, args.small - 1)
    if "deployments" not in lists:
        seeder.grow("deployments", args.small - 1)
    results["get_deployment"] = scene.wrk(scene.deployment_path)
    for name in lists:
        for limit in (20, 100):
            results[f"{name}{limit}_small"] = scene.wrk(f"{scene.org_path}/{LISTS[name]}?limit={limit}")
    for name in lists:
        seeder.grow(name, args.large - args.small)
    if "deployments" not in lists:
        seeder.grow("deployments", args.large - args.small)
    results["seed_seconds"] = time.perf_counter() - started
    for name in lists:
        for limit in (20, 100):
            results[f"{name}{limit}_large"] = scene.wrk(f"{scene.org_path}/{LISTS[name]}?limit={limit}")
    results["get_deployment_large"] = scene.wrk(scene.deployment_path)

    results["create_deployment"] = load.timed(scene.create_deployment(), repeat=args.repeat)
    results["bulk_ip_1000"] = load.timed(scene.bulk_create_ranges(), repeat=args.repeat)
    scene.bulk_create_ranges_done()
    results["log_seed_seconds"] = scene.seed_log_lines()
    results["log_search"] = load.timed(scene.search_logs(), repeat=args.repeat)
    results["loaded_rss_mb"] = processes.rss_mb(target.process)

    # one worker against two on the same data, back to back (the figures above are minutes older)
    results["get_deployment_1w"] = scene.wrk(scene.deployment_path)
    results["deployments20_1w"] = scene.wrk(list20)
    processes.stop(target.process)
    target.workers = 2
    target.start()
    results["get_deployment_2w"] = scene.wrk(scene.deployment_path)
    results["deployments20_2w"] = scene.wrk(list20)
    target.stop()
    return results


def _ranges(batch: int) -> list[str]:
    # 1,000 distinct /32s per batch, never overlapping another batch's
    return [f"10.{batch % 250}.{n // 250}.{n % 250}/32" for n in range(1000)] if batch < 250 else \
        [f"172.{16 + batch % 16}.{n // 250}.{n % 250}/32" for n in range(1000)]


def _all_ranges(target: Target, org_path: str) -> list[dict]:
    found, offset = [], 0
    while True:
        page = target.call("GET", f"{org_path}/allowed-ip-address-ranges?limit=1000&offset={offset}")
        found += page["allowedIpAddressRanges"]
        offset += 1000
        if offset >= page["totalCount"]:
            return found


def _request(target: Target, method: str, path: str, body: dict | None = None) -> urllib.request.Request:
    return urllib.request.Request(target.base + path, method=method, headers=target.headers,
                                  data=json.dumps(body).encode() if body is not None else None)


def measure_trivial(workdir: pathlib.Path, args) -> dict:
    """The trivial route under one uvicorn worker, as astroplane's figures are, then under two, back
    to back: what two workers can gain on this machine, where wrk shares the cores."""
    result = {}
    for workers, key in ((1, "get"), (2, "get_2w")):
        port = processes.free_port()
        process = processes.start([sys.executable, "-m", "uvicorn", "trivial_app:app", "--port", str(port),
                                   "--workers", str(workers), "--log-level", "warning", "--no-access-log",
                                   "--app-dir", str(ROOT / "bench")], log_path=str(workdir / "trivial.log"))
        processes.wait_until_up(f"http://127.0.0.1:{port}/item", process)
        if workers == 1:
            result["idle_rss_mb"] = processes.rss_mb(process)
        result[key] = load.wrk(f"http://127.0.0.1:{port}/item", seconds=args.seconds, watch=processes.CpuWatch(process))
        processes.stop(process)
    return result


def measure_prism(workdir: pathlib.Path, args) -> dict | None:
    if shutil.which("node") is None:
        print("notice: Node.js is absent; Prism is skipped")
        return None
    if not PRISM.exists():
        subprocess.run(["npm", "install", "--silent", "--no-audit", "--no-fund", "--prefix", str(ROOT / "bench"),
                        "@stoplight/prism-cli@5"], check=True)
    port = processes.free_port()
    process = processes.start([str(PRISM), "mock", "-p", str(port), "-h", "127.0.0.1", str(SPEC)],
                              log_path=str(workdir / "prism.log"))
    url = f"http://127.0.0.1:{port}/organizations/o/deployments/d"
    processes.wait_until_up(url, process, timeout=120)
    idle = processes.rss_mb(process)
    result = {"idle_rss_mb": idle, "get": load.wrk(url, headers={"Authorization": "Bearer x"}, seconds=args.seconds)}
    processes.stop(process)
    return result


def _row(label: str, figures: dict, trivial_rps: float) -> str:
    errors = f"  ({figures['errors']} non-2xx!)" if figures["errors"] else ""
    return (f"{label:52} {figures['rps']:9.0f} {figures['p50']:8.2f} {figures['p99']:8.2f} "
            f"{figures['rps'] / trivial_rps:8.1%}{errors}")


def _cores(row: dict) -> str:
    servers = " + ".join(f"{on:.2f}/{waiting:.2f}" for on, waiting in row["servers"])
    database = row.get("database_cores", 0.0)
    others = row["busy_cores"] - sum(on for on, _ in row["servers"]) - row["wrk_cores"] - database
    return (f"servers {servers}; " + (f"PostgreSQL {database:.2f}; " if database else "") +
            f"wrk {row['wrk_cores']:.2f}; others {max(others, 0):.2f}; "
            f"machine {row['busy_cores']:.2f} of {os.cpu_count()} cores busy")


def report(results: dict, prism: dict | None, trivial: dict, args, load_averages: list[float],
           regressions: dict) -> None:
    base = trivial["get"]["rps"]
    print(f"\nmachine: {platform.node()} {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}; wrk 32 connections, {args.seconds}s measured after 3s warm-up; "
          f"load average during the run {min(load_averages):.1f}-{max(load_averages):.1f}")
    print(f"\n{'target / scenario (one worker unless said)':52} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} "
          f"{'/trivial':>8}")
    print(_row("trivial FastAPI route GET", trivial["get"], base))
    print(_row("trivial FastAPI route GET, 2 workers", trivial["get_2w"], base))
    trivial_scale = trivial["get_2w"]["rps"] / base
    if prism:
        print(_row("Prism mock GET deployment", prism["get"], base))
    checks = []
    for backend, figures in results.items():
        for key, label in (("get_deployment", f"GET deployment (N={args.small})"),
                           ("get_deployment_large", f"GET deployment (N={args.large})")):
            print(_row(f"{backend} {label}", figures[key], base))
            checks.append((f"{backend} {label} p99 < 10 ms", figures[key]["p99"] < 10, f"{figures[key]['p99']:.1f} ms"))
        for name in args.lists.split(","):
            for size, n in (("small", args.small), ("large", args.large)):
                for limit, floor in ((20, 0.5), (100, 0.25)):
                    row = figures[f"{name}{limit}_{size}"]
                    label = f"{backend} {LIST_LABELS[name]} limit={limit} (N={n})"
                    print(_row(label, row, base))
                    ratio = row["rps"] / base
                    checks.append((f"{label} >= {floor:.0%} of trivial, p99 < 10 ms",
                                   ratio >= floor and row["p99"] < 10, f"{ratio:.1%}, p99 {row['p99']:.1f} ms"))
        print(_row(f"{backend} GET deployment, 2 workers (N={args.large})", figures["get_deployment_2w"], base))
        print(_row(f"{backend} ListDeployments limit=20, 2 workers (N={args.large})", figures["deployments20_2w"],
                   base))
        for key, one, label in (("get_deployment_2w", "get_deployment_1w", "GET"),
                                ("deployments20_2w", "deployments20_1w", "list20")):
            scale = figures[key]["rps"] / figures[one]["rps"]
            checks.append((f"{backend} two workers >= 1.8x one on {label}", scale >= 1.8,
                           f"{scale:.2f}x ({figures[key]['rps']:.0f} / {figures[one]['rps']:.0f} req/s, back to "
                           f"back; the trivial route: {trivial_scale:.2f}x)"))
        for name, label in (("create_deployment", "create deployment (sequential)"),
                            ("bulk_ip_1000", "bulk-create 1,000 IP ranges (sequential)"),
                            ("log_search", f"log search over {args.log_lines:,} lines")):
            row = figures[name]
            print(f"{backend + ' ' + label:52} {'':>9} {row['p50']:8.2f} {row['p90']:8.2f} (p90)")
        checks.append((f"{backend} idle RSS < 100 MB", figures["idle_rss_mb"] < 100, f"{figures['idle_rss_mb']:.0f} MB"))
        if prism:
            get = figures["get_deployment"]["rps"] / prism["get"]["rps"]
            checks.append((f"{backend} GET deployment >= 4x Prism", get >= 4, f"{get:.2f}x"))
    print("\none worker and two, back to back: where the cores went during each measured run (servers: each "
          "serving process's share of the wall time on a core / waiting in the run queue for one; PostgreSQL: "
          "the backends connected to the server's database; others: the machine's busy cores used by none of these)")
    cores = [("trivial route GET, 1 worker", trivial["get"]), ("trivial route GET, 2 workers", trivial["get_2w"])]
    for backend, figures in results.items():
        cores += [(f"{backend} GET deployment, 1 worker", figures["get_deployment_1w"]),
                  (f"{backend} GET deployment, 2 workers", figures["get_deployment_2w"]),
                  (f"{backend} ListDeployments limit=20, 1 worker", figures["deployments20_1w"]),
                  (f"{backend} ListDeployments limit=20, 2 workers", figures["deployments20_2w"])]
    for label, row in cores:
        print(f"  {label:46} {row['rps']:6.0f} req/s  {_cores(row)}")
    print("\nmemory (MB RSS, all processes of the server)")
    print(f"  trivial route idle {trivial['idle_rss_mb']:.0f}" + (f"; Prism idle {prism['idle_rss_mb']:.0f}" if prism else ""))
    for backend, figures in results.items():
        print(f"  {backend}: idle {figures['idle_rss_mb']:.0f}, loaded {figures['loaded_rss_mb']:.0f}; seeding "
              f"{args.large:,} rows of each list took {figures['seed_seconds']:.0f}s, "
              f"{args.log_lines:,} log lines {figures['log_seed_seconds']:.0f}s")
    if regressions:
        checks.append(("no regression: this tree / the baseline, same run, same seeding (N=%d): req/s >= %.0f%%, "
                       "latency <= %.0f%%" % (args.small, 100 * (1 - baseline.TOLERANCE), 100 * (1 + baseline.TOLERANCE)),
                       None, args.baseline_rev))
        for backend, pair in regressions.items():
            checks += [(label, met, figure) for label, figure, met in baseline.rows(backend, pair, args)]
    print("\ntargets (issue 21)")
    for label, met, figure in checks:
        if met is None:
            print(f"  {label}, against {figure}:")
        else:
            print(f"  [{'met' if met else 'MISSED'}] {label}: {figure}")


def _load_average() -> float:
    return os.getloadavg()[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--lists", default=",".join(LISTS), help="which lists to measure (comma-separated)")
    parser.add_argument("--no-prism", action="store_true", help="skip the Prism baseline")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--log-lines", type=int, default=1_000_000)
    parser.add_argument("--baseline-rev", help="also measure GET deployment, creates, bulk IP and log search "
                        "of this git revision, in this run (bench/baseline.py)")
    parser.add_argument("--quick", action="store_true", help="small sizes and short runs, to try the script")
    args = parser.parse_args()
    if args.quick:
        args.seconds, args.repeat, args.small, args.large, args.log_lines = 3, 10, 100, 2_000, 20_000
    if not load.have_wrk():
        sys.exit("wrk is needed: apt-get install wrk")
    baseline_src = baseline.checkout(args.baseline_rev) if args.baseline_rev else None
    workdir = pathlib.Path(tempfile.mkdtemp(prefix="astroplane-bench-"))
    trivial = measure_trivial(workdir, args)
    load_averages = [_load_average()]
    prism = None if args.no_prism else measure_prism(workdir, args)
    results, regressions = {}, {}
    for backend in args.backends.split(","):
        results[backend] = measure_astroplane(backend, workdir, args)
        load_averages.append(_load_average())
        if baseline_src:
            regressions[backend] = baseline.measure(backend, workdir, args, baseline_src, Target, Scene)
            load_averages.append(_load_average())
    report(results, prism, trivial, args, load_averages, regressions)
    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
