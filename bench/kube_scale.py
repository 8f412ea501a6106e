"""What the kubernetes runtime costs per deployment: N deployments on the kwok test cluster.

    .venv/bin/python bench/kube_scale.py [--deployments 200] [--passes 5]

Starts the test cluster (scripts/ensure_kube.py), an in-process astroplane on SQLite with
ASTROPLANE_RUNTIME_BACKEND=kubernetes and the metadata databases on ASTROPLANE_TEST_PG_URL (or
the local default), creates N deployments through the API, runs reconciler passes until every one
is HEALTHY, then measures steady passes (nothing changed), passes after a restart (everything
applied again), astroplane's memory, and deletes them all. Prints a Markdown table (docs/kubernetes.md).
"""

import argparse
import os
import pathlib
import resource
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from fastapi.testclient import TestClient  # noqa: E402

from processes import rss_of  # noqa: E402

from astroplane import bootstrap  # noqa: E402
from astroplane.app import create_app  # noqa: E402
from astroplane.auth.codec import TokenCodec  # noqa: E402
from astroplane.deployments.reconciler import Reconciler  # noqa: E402
from astroplane.deployments.steps import Steps  # noqa: E402
from astroplane.kit.db import Database  # noqa: E402
from astroplane.kit.migrate import upgrade  # noqa: E402
from astroplane.settings import Settings  # noqa: E402

PG = os.environ.get("ASTROPLANE_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:55432/postgres")


def cluster_rss_mib() -> float:
    state = ROOT / ".astroplane" / "kube" / "cluster"
    return rss_of(int(pid_file.read_text()) for pid_file in state.glob("*.pid"))


def timed_pass(reconciler, runtime) -> tuple[float, int]:
    calls = runtime.cluster.calls
    started = time.perf_counter()
    reconciler.run_once()
    return time.perf_counter() - started, runtime.cluster.calls - calls


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--deployments", type=int, default=200)
    parser.add_argument("--passes", type=int, default=5)
    args = parser.parse_args()
    kubeconfig = subprocess.run([sys.executable, str(ROOT / "scripts" / "ensure_kube.py")], check=True,
                                capture_output=True, text=True).stdout.strip().splitlines()[-1]
    folder = pathlib.Path(tempfile.mkdtemp(prefix="kube-scale-"))
    url = f"sqlite:///{folder / 'astroplane.db'}"
    database = Database(url)
    upgrade(database.engine)
    settings = Settings(database_url=url, data_dir=folder, signing_key="bench-signing-key-" + "k" * 32,
                        run_reconciler=False, step_delay_seconds=0, encryption_keys=["0" * 43 + "="],
                        runtime_backend="kubernetes", k8s_kubeconfig=kubeconfig, k8s_metadata_db_url=PG,
                        k8s_log_interval_seconds=30)
    app = create_app(settings, database)
    runtime = app.state.runtime
    reconciler = Reconciler(database, Steps(0), runtime)
    rows: list[tuple[str, str]] = []
    with TestClient(app) as client:
        session = database.session()
        init = bootstrap.init_organization(session, TokenCodec(settings), "bench", "bench@example.com")
        session.commit()
        session.close()
        headers = {"Authorization": f"Bearer {init.token}"}
        base = f"/v1/organizations/{init.organization_id}"
        workspace = client.post(f"{base}/workspaces", json={"name": "bench"}, headers=headers).json()
        rss_before = rss_of([os.getpid()])
        ids = []
        for n in range(args.deployments):
            response = client.post(f"{base}/deployments", headers=headers, json={
                "name": f"d{n}", "workspaceId": workspace["id"], "type": "STANDARD", "cloudProvider": "AWS",
                "region": "us-east-1"})
            assert response.status_code == 200, response.text
            ids.append(response.json()["id"])

        started = time.perf_counter()
        first_time, first_calls = timed_pass(reconciler, runtime)
        while True:
            statuses = [client.get(f"{base}/deployments/{i}", headers=headers).json()["status"] for i in ids]
            if all(s == "HEALTHY" for s in statuses):
                break
            if time.perf_counter() - started > 1800:
                raise SystemExit(f"not all HEALTHY after 30 min: {sorted(set(statuses))}")
            reconciler.run_once()
        all_healthy = time.perf_counter() - started
        rows.append(("first pass (creates every object)", f"{first_time:.1f} s, {first_calls} API calls"))
        rows.append((f"create → all {args.deployments} HEALTHY", f"{all_healthy:.0f} s"))

        steady = [timed_pass(reconciler, runtime) for _ in range(args.passes)]
        rows.append(("steady pass (nothing changed)",
                     f"{sum(t for t, _ in steady) / len(steady) * 1000:.0f} ms, "
                     f"{sum(c for _, c in steady) / len(steady):.0f} API calls"))
        runtime.forget_applied()
        resync_time, resync_calls = timed_pass(reconciler, runtime)
        rows.append(("pass applying everything again (restart, resync)", f"{resync_time:.1f} s, {resync_calls} API calls"))
        rows.append(("astroplane RSS: before → with the deployments", f"{rss_before:.0f} → {rss_of([os.getpid()]):.0f} MiB "
                     f"(peak {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB)"))
        rows.append(("test cluster RSS (etcd, apiserver, controllers, kwok)", f"{cluster_rss_mib():.0f} MiB"))

        started = time.perf_counter()
        for i in ids:
            client.delete(f"{base}/deployments/{i}", headers=headers)
        while any(client.get(f"{base}/deployments/{i}", headers=headers).status_code != 404 for i in ids):
            reconciler.run_once()
        rows.append(("delete all (namespaces and databases)", f"{time.perf_counter() - started:.0f} s"))
    print(f"| {args.deployments} deployments on the kwok cluster | |\n|---|---|")
    for name, value in rows:
        print(f"| {name} | {value} |")


if __name__ == "__main__":
    main()
