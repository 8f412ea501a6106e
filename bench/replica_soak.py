"""Two replicas under load, one killed (issue 22): two `astroplane serve` processes on one fresh
PostgreSQL database, a load of mixed writes sent to both in turn, one replica SIGKILLed mid-run and
started again. Then checks and prints: every acknowledged write is there, no bulk batch is partial,
no cluster or deployment is stuck in a running step, no alert firing or delivery exists twice.

Loopback only; bounded by --requests and --deadline. Needs ASTROPLANE_TEST_PG_URL (or --pg-url),
the admin URL of a PostgreSQL server on which it may create (and afterwards drop) a database.

    .venv/bin/python bench/replica_soak.py [--requests 900] [--clients 6] [--kill-at 0.4]
"""

import argparse
import dataclasses
import itertools
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid

import sqlalchemy as sa

sys.path.insert(0, os.path.dirname(__file__))
from processes import free_port, start, stop, wait_until_up  # noqa: E402

from astroplane.clusters.lifecycle import TRANSIENT as CLUSTER_RUNNING  # noqa: E402
from astroplane.deployments.lifecycle import RUNNING as DEPLOYMENT_RUNNING  # noqa: E402

CLI = [sys.executable, "-m", "astroplane.cli"]
BATCH = 50  # ranges per bulk create
CLUSTER = {"cloudProvider": "AWS", "region": "us-east-1", "type": "DEDICATED", "vpcSubnetRange": "172.20.0.0/20"}


class Replica:
    def __init__(self, name: str, env: dict[str, str], data_dir: str):
        self.name, self.env, self.port = name, env, free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = os.path.join(data_dir, f"{name}.log")
        self.process = None
        self.up = False  # what a load balancer's health check would say: new requests go elsewhere

    def start(self) -> None:
        self.process = start([*CLI, "serve", "--host", "127.0.0.1", "--port", str(self.port)], self.env, self.log)
        wait_until_up(f"{self.base}/healthz", self.process, timeout=180)
        self.up = True

    def kill(self) -> None:
        """SIGKILL: requests in flight on it die unanswered, transactions open in it are cut."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.up = False
        self.process.wait()


@dataclasses.dataclass
class Tally:
    requests: int = 0
    acknowledged: int = 0
    refused: int = 0  # 4xx answers (the load stays valid, so these are races, e.g. a name taken)
    server_errors: int = 0
    unanswered: int = 0  # the replica died under the request
    refusals: dict = dataclasses.field(default_factory=dict)  # "status message" -> count
    lock: threading.Lock = dataclasses.field(default_factory=threading.Lock)

    def add(self, status: int | None, answer) -> None:
        with self.lock:
            self.requests += 1
            if status is None:
                self.unanswered += 1
            elif status < 300:
                self.acknowledged += 1
            else:
                if status >= 500:
                    self.server_errors += 1
                else:
                    self.refused += 1
                reason = f"{status} {(answer or {}).get('message', '')[:70]}"
                self.refusals[reason] = self.refusals.get(reason, 0) + 1


def call(base: str, token: str, method: str, path: str, body=None, timeout: float = 60):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, method=method,
                                     headers={"Authorization": f"Bearer {token}", "content-type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            raw = response.read()
            return response.status, json.loads(raw) if raw else None
    except urllib.error.HTTPError as error:
        raw = error.read()
        try:
            return error.code, json.loads(raw) if raw else None
        except ValueError:
            return error.code, None
    except (OSError, ValueError):  # refused, reset, cut short: no answer
        return None, None


@dataclasses.dataclass
class Written:
    """What the load wrote. `acked`: answered 2xx, so it must be there. `unanswered`: the answer
    never came (the replica died or was down), so it may or may not be there."""
    workspaces: dict = dataclasses.field(default_factory=dict)  # id -> last acknowledged name
    workspace_names_unanswered: set = dataclasses.field(default_factory=set)  # create or rename may have landed
    deployments: set = dataclasses.field(default_factory=set)
    clusters: set = dataclasses.field(default_factory=set)
    deploys: dict = dataclasses.field(default_factory=dict)  # deploy id -> deployment id
    batches: list = dataclasses.field(default_factory=list)  # (ranges, acknowledged)
    tokens: dict = dataclasses.field(default_factory=dict)  # token id -> (last acked value, unanswered since)
    lock: threading.Lock = dataclasses.field(default_factory=threading.Lock)


class Load:
    def __init__(self, replicas: list[Replica], org: str, token: str, requests: int, hold_at: int):
        self.replicas, self.org, self.token = replicas, org, token
        self.tally, self.written = Tally(), Written()
        self.budget = itertools.count()
        self.limit = requests
        # request number `hold_at` and later wait until the killed replica is back: the rest of the
        # load goes through both again
        self.hold_at, self.resumed = hold_at, threading.Event()
        self.turn = itertools.count()
        self.batch_numbers = itertools.count(1)

    def send(self, method: str, path: str, body=None, token: str | None = None):
        """One request to the next replica in turn; None when the budget is spent."""
        number = next(self.budget)
        if number >= self.limit:
            raise StopIteration
        if number >= self.hold_at:
            self.resumed.wait()
        turn = next(self.turn)
        replica = self.replicas[turn % len(self.replicas)]
        if not replica.up:
            replica = self.replicas[(turn + 1) % len(self.replicas)]
        status, answer = call(f"{replica.base}/v1/organizations/{self.org}", token or self.token, method, path, body)
        self.tally.add(status, answer)
        return status, answer

    # one client: its own workspaces, deployments and token, so that its updates have an order
    def client(self, number: int, seed: int) -> None:
        rng = random.Random(seed)
        mine: dict = {"workspaces": [], "deployments": [], "token": None}
        try:
            self._make_token(number, mine)
            while True:
                kind = rng.choices(["workspace", "rename", "deployment", "deploy", "ranges", "rotate", "cluster"],
                                   weights=[3, 4, 3, 3, 2, 2, 1])[0]
                getattr(self, f"_{kind}")(number, mine, rng)
        except StopIteration:
            return

    def _make_token(self, number: int, mine: dict) -> None:
        status, made = self.send("POST", "/tokens", {"name": f"soak-{number}", "role": "ORGANIZATION_MEMBER",
                                                     "scope": "ORGANIZATION"})
        if status == 200:
            mine["token"] = made["id"]
            with self.written.lock:
                self.written.tokens[made["id"]] = (made["token"], False)

    def _workspace(self, number: int, mine: dict, rng: random.Random) -> None:
        name = f"soak-{number}-{uuid.uuid4().hex[:8]}"
        status, made = self.send("POST", "/workspaces", {"name": name, "defaultCloudProvider": "AWS",
                                                         "defaultRegion": "us-east-1"})
        with self.written.lock:
            if status == 200:
                self.written.workspaces[made["id"]] = made["name"]
                mine["workspaces"].append(made["id"])
            elif status is None:
                self.written.workspace_names_unanswered.add(name)

    def _rename(self, number: int, mine: dict, rng: random.Random) -> None:
        if not mine["workspaces"]:
            return self._workspace(number, mine, rng)
        workspace = rng.choice(mine["workspaces"])
        name = f"soak-{number}-renamed-{uuid.uuid4().hex[:8]}"
        status, _ = self.send("POST", f"/workspaces/{workspace}", {"name": name, "description": "soak",
                                                                   "cicdEnforcedDefault": False})
        with self.written.lock:
            if status == 200:
                self.written.workspaces[workspace] = name
            elif status is None:
                self.written.workspace_names_unanswered.add(name)

    def _deployment(self, number: int, mine: dict, rng: random.Random) -> None:
        if not mine["workspaces"]:
            return self._workspace(number, mine, rng)
        status, made = self.send("POST", "/deployments", {"name": f"soak-{uuid.uuid4().hex[:8]}",
                                                          "workspaceId": rng.choice(mine["workspaces"]),
                                                          "type": "STANDARD", "cloudProvider": "AWS",
                                                          "region": "us-east-1"})
        if status == 200:
            mine["deployments"].append(made["id"])
            with self.written.lock:
                self.written.deployments.add(made["id"])

    def _deploy(self, number: int, mine: dict, rng: random.Random) -> None:
        if not mine["deployments"]:
            return self._deployment(number, mine, rng)
        deployment = rng.choice(mine["deployments"])
        status, made = self.send("POST", f"/deployments/{deployment}/deploys",
                                 {"type": "IMAGE_ONLY", "description": "soak"})
        if status != 200:
            return
        with self.written.lock:
            self.written.deploys[made["id"]] = deployment
        self.send("POST", f"/deployments/{deployment}/deploys/{made['id']}/finalize", {})

    def _ranges(self, number: int, mine: dict, rng: random.Random) -> None:
        batch = next(self.batch_numbers)
        ranges = [f"10.{batch // 250}.{batch % 250}.{n}/32" for n in range(BATCH)]
        status, _ = self.send("POST", "/allowed-ip-address-ranges/bulk-create",
                              {"allowedIpAddressRanges": ranges})
        with self.written.lock:
            self.written.batches.append((ranges, status == 200))

    def _rotate(self, number: int, mine: dict, rng: random.Random) -> None:
        if mine["token"] is None:
            return self._make_token(number, mine)
        status, rotated = self.send("POST", f"/tokens/{mine['token']}/rotate")
        with self.written.lock:
            value, unanswered = self.written.tokens[mine["token"]]
            if status == 200:
                self.written.tokens[mine["token"]] = (rotated["token"], False)
            elif status is None:
                self.written.tokens[mine["token"]] = (value, True)

    def _cluster(self, number: int, mine: dict, rng: random.Random) -> None:
        status, made = self.send("POST", "/clusters", {**CLUSTER, "name": f"soak-{uuid.uuid4().hex[:8]}"})
        if status == 200:
            with self.written.lock:
                self.written.clusters.add(made["id"])


def _all(base: str, token: str, path: str, key: str) -> list[dict]:
    found, offset = [], 0
    while True:
        separator = "&" if "?" in path else "?"
        status, page = call(base, token, "GET", f"{path}{separator}limit=1000&offset={offset}")
        assert status == 200, (path, status, page)
        found += page[key]
        offset += 1000
        if offset >= page["totalCount"]:
            return found


def settle(base: str, token: str, deadline: float) -> tuple[list[dict], list[dict]]:
    """Deployments and clusters once none is in a running step, or as they are at the deadline."""
    while True:
        deployments = _all(base, token, "/deployments", "deployments")
        clusters = _all(base, token, "/clusters", "clusters")
        running = [d for d in deployments if d["status"] in DEPLOYMENT_RUNNING]
        running += [c for c in clusters if c["status"] in CLUSTER_RUNNING]
        if not running or time.monotonic() > deadline:
            return deployments, clusters
        time.sleep(1)


def duplicates(url: str) -> dict[str, int]:
    """Alert firings and deliveries that exist twice (the unique constraints forbid it; counted anyway)."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            return {
                "firings": connection.execute(sa.text(
                    "SELECT count(*) FROM (SELECT 1 FROM alert_firings GROUP BY alert_id, event_key "
                    "HAVING count(*) > 1) AS twice")).scalar_one(),
                "deliveries": connection.execute(sa.text(
                    "SELECT count(*) FROM (SELECT 1 FROM alert_deliveries GROUP BY firing_id, channel_id "
                    "HAVING count(*) > 1) AS twice")).scalar_one(),
                "delivery rows": connection.execute(sa.text("SELECT count(*) FROM alert_deliveries")).scalar_one(),
            }
    finally:
        engine.dispose()


def verify(load: Load, base: str, deadline: float, database_url: str) -> dict:
    token, written = load.token, load.written
    figures: dict = {}
    workspaces = {w["id"]: w["name"] for w in _all(base, token, "/workspaces", "workspaces")}
    ranges = {r["ipAddressRange"] for r in _all(base, token, "/allowed-ip-address-ranges", "allowedIpAddressRanges")}
    deployments, clusters = settle(base, token, deadline)
    deployment_ids, cluster_ids = {d["id"] for d in deployments}, {c["id"] for c in clusters}

    missing: list[str] = []
    acked_workspaces = 0
    for workspace, name in written.workspaces.items():
        acked_workspaces += 1
        # an unanswered rename after the last acknowledged one may have landed
        if workspace not in workspaces or (workspaces[workspace] != name
                                           and workspaces[workspace] not in written.workspace_names_unanswered):
            missing.append(f"workspace {workspace} ({name!r}, found {workspaces.get(workspace)!r})")
    missing += [f"deployment {d}" for d in written.deployments - deployment_ids]
    missing += [f"cluster {c}" for c in written.clusters - cluster_ids]
    for deploy, deployment in written.deploys.items():
        status, _ = call(base, token, "GET", f"/deployments/{deployment}/deploys/{deploy}")
        if status != 200:
            missing.append(f"deploy {deploy} ({status})")
    acked_batches = sum(1 for _, acked in written.batches if acked)
    partial, unanswered_landed = 0, 0
    for batch, acked in written.batches:
        present = sum(1 for r in batch if r in ranges)
        if 0 < present < len(batch):
            partial += 1
        if acked and present != len(batch):
            missing.append(f"ranges batch {batch[0]}.. ({present}/{len(batch)})")
        if not acked and present == len(batch):
            unanswered_landed += 1
    token_ok = 0
    for token_id, (value, unanswered) in written.tokens.items():
        status, _ = call(base, value, "GET", "")
        if status == 200:
            token_ok += 1
        elif not unanswered:  # the last acknowledged value is the one that works, unless a rotation is unknown
            missing.append(f"token {token_id}: its last acknowledged value answers {status}")
    stuck = [f"{d['id']} {d['status']}" for d in deployments if d["status"] in DEPLOYMENT_RUNNING]
    stuck += [f"{c['id']} {c['status']}" for c in clusters if c["status"] in CLUSTER_RUNNING]
    acknowledged_writes = (acked_workspaces + len(written.deployments) + len(written.clusters)
                           + len(written.deploys) + acked_batches + len(written.tokens))
    figures.update({
        "acknowledged writes checked": acknowledged_writes,
        "found": acknowledged_writes - len(missing),
        "missing": missing,
        "bulk batches (acknowledged / sent)": f"{acked_batches} / {len(written.batches)}",
        "partial batches": partial,
        "unanswered batches that landed whole": unanswered_landed,
        "tokens whose last value works": f"{token_ok} / {len(written.tokens)}",
        "deployments / clusters": f"{len(deployments)} / {len(clusters)}",
        "deployments by status": _count(d["status"] for d in deployments),
        "clusters by status": _count(c["status"] for c in clusters),
        "stuck": stuck,
        "alert duplicates": duplicates(database_url),
    })
    return figures


def _count(values) -> dict[str, int]:
    counts: dict[str, int] = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pg-url", default=os.environ.get("ASTROPLANE_TEST_PG_URL", ""),
                        help="admin URL of a PostgreSQL server (a fresh database is made there)")
    parser.add_argument("--requests", type=int, default=900, help="requests in the load, all clients together")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--kill-at", type=float, default=0.4, help="kill a replica after this share of the load")
    parser.add_argument("--down-seconds", type=float, default=3.0, help="how long the killed replica stays down")
    parser.add_argument("--deadline", type=float, default=300, help="seconds for lifecycles to settle afterwards")
    parser.add_argument("--step-delay", type=float, default=2.0, help="seconds per lifecycle step")
    parser.add_argument("--seed", type=int, default=22)
    parser.add_argument("--keep", action="store_true", help="keep the database and data dir")
    args = parser.parse_args()
    assert args.pg_url, "set ASTROPLANE_TEST_PG_URL or --pg-url"

    name = f"astroplane_soak_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(args.pg_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    database_url = args.pg_url.rsplit("/", 1)[0] + f"/{name}"
    data_dir = tempfile.mkdtemp(prefix="astroplane-soak-")
    env = {"ASTROPLANE_DATABASE_URL": database_url, "ASTROPLANE_DATA_DIR": data_dir,  # one data dir: same keys
           "ASTROPLANE_STEP_DELAY_SECONDS": str(args.step_delay), "ASTROPLANE_RECONCILE_INTERVAL_SECONDS": "0.5",
           "ASTROPLANE_RUN_RECONCILER": "true"}
    replicas = [Replica("a", env, data_dir), Replica("b", env, data_dir)]
    try:
        out = subprocess.run([*CLI, "init", "--organization", "soak", "--owner-email", "soak@example.com", "--json"],
                             capture_output=True, text=True, env={**os.environ, **env}, timeout=180, check=True)
        init = json.loads(out.stdout)
        for replica in replicas:  # one after the other: each migrates on start
            replica.start()
        org, token = init["organizationId"], init["token"]
        base = f"{replicas[1].base}/v1/organizations/{org}"
        # the first range must admit the caller (lockout guard); the batches then land beside it
        assert call(base, token, "POST", "/allowed-ip-address-ranges", {"ipAddressRange": "127.0.0.1/32"})[0] == 200

        load = Load(replicas, org, token, args.requests, hold_at=int(args.requests * (args.kill_at + 0.2)))
        clients = [threading.Thread(target=load.client, args=(n, args.seed * 100 + n), daemon=True)
                   for n in range(args.clients)]
        started = time.monotonic()
        for thread in clients:
            thread.start()
        while load.tally.requests < args.requests * args.kill_at and any(t.is_alive() for t in clients):
            time.sleep(0.05)
        killed_at = load.tally.requests
        replicas[0].kill()
        time.sleep(args.down_seconds)
        replicas[0].start()
        restarted_at = load.tally.requests
        load.resumed.set()
        for thread in clients:
            thread.join(timeout=args.deadline)
        load_seconds = time.monotonic() - started
        figures = {"replicas": 2, "clients": args.clients, "load seconds": round(load_seconds, 1),
                   **{f.name: getattr(load.tally, f.name) for f in dataclasses.fields(load.tally) if f.name != "lock"},
                   "killed replica a after request": killed_at, "restarted after request": restarted_at}
        figures.update(verify(load, f"{replicas[0].base}/v1/organizations/{org}",
                              time.monotonic() + args.deadline, database_url))
        for key, value in figures.items():
            print(f"{key:40} {value}")
        failed = figures["missing"] or figures["partial batches"] or figures["stuck"] or figures["server_errors"] \
            or figures["alert duplicates"]["firings"] or figures["alert duplicates"]["deliveries"]
        print("RESULT", "FAIL" if failed else "OK")
        return 1 if failed else 0
    finally:
        for replica in replicas:
            if replica.process is not None:
                stop(replica.process)
        if not args.keep:
            with admin.connect() as connection:
                connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            shutil.rmtree(data_dir, ignore_errors=True)
        else:
            print(f"kept: database {name}, data dir {data_dir}")
        admin.dispose()


if __name__ == "__main__":
    sys.exit(main())
