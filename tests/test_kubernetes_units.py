"""The kubernetes runtime's pure parts: what a spec becomes, and where a deployment stands."""

import base64
import json

from astroplane.runtime.base import DeploymentSpec, QueueSpec, Topology
from astroplane.runtime.kubernetes import manifests
from astroplane.runtime.kubernetes.observe import pod_failure, rolled_out, standing


def _spec(executor="CELERY", environment=None, secret_keys=frozenset(), **topology) -> DeploymentSpec:
    values = dict(workspace_id="WS", namespace="ns-1", runtime_version="3.1-4",
                  image="quay.io/astronomer/astro-runtime:3.1-4", scheduler_replicas=1, scheduler_cpu="1",
                  scheduler_memory="2Gi", api_server_replicas=1,
                  queues=(QueueSpec("default", 0, 10, 5, "1", "2Gi"), QueueSpec("heavy", 2, 4, 10, "2", "4Gi")),
                  secret_keys=secret_keys)
    values.update(topology)
    return DeploymentSpec("DEP", "ORG", "3.1.3", executor, environment or {}, topology=Topology(**values))


def _objects(spec: DeploymentSpec, **kw) -> dict[tuple[str, str], dict]:
    found = manifests.desired(spec, image="img:1", redis_image="redis:7", keys={"fernet-key": "f", "jwt-secret": "j"},
                              metadata_url="postgresql://u:p@db/x", dag_url=kw.get("dag_url"),
                              pinned_hashes=kw.get("pinned", {}), bundle_urls=kw.get("bundle_urls"))
    return {(o["kind"], o["metadata"]["name"]): o for o in found}


def test_celery_components_queues_and_autoscalers():
    objects = _objects(_spec())
    deployments = {name for kind, name in objects if kind == "Deployment"}
    assert deployments == {"api-server", "scheduler", "dag-processor", "triggerer", "redis", "worker-default",
                           "worker-heavy"}
    heavy = objects[("HorizontalPodAutoscaler", "worker-heavy")]["spec"]
    assert (heavy["minReplicas"], heavy["maxReplicas"]) == (2, 4)
    # min 0 keeps one worker: an HPA cannot scale to zero
    assert objects[("HorizontalPodAutoscaler", "worker-default")]["spec"]["minReplicas"] == 1
    assert "replicas" not in objects[("Deployment", "worker-heavy")]["spec"]  # the HPA owns it
    assert objects[("Deployment", "scheduler")]["spec"]["replicas"] == 1
    for (kind, name), found in objects.items():
        assert found["metadata"]["labels"]["astroplane.io/deployment-id"] == "dep", (kind, name)


def test_kubernetes_executor_has_a_pod_template_and_no_workers():
    objects = _objects(_spec(executor="KUBERNETES", queues=()))
    assert not [name for kind, name in objects if name.startswith("worker-") or name == "redis"]
    assert ("ConfigMap", "pod-template") in objects and ("Role", "airflow-pods") in objects


def test_secret_values_never_reach_a_config_map():
    objects = _objects(_spec(environment={"PLAIN": "1", "TOKEN": "hush"}, secret_keys=frozenset({"TOKEN"})))
    assert objects[("ConfigMap", "airflow-env")]["data"] == {"PLAIN": "1"}
    assert set(objects[("Secret", "airflow-env-secret")]["data"]) == {"TOKEN"}
    assert all("hush" not in str(o) for (kind, _), o in objects.items() if kind == "ConfigMap")


def test_only_what_changes_rolls():
    def templates(spec, **kw):
        return {name: o["spec"]["template"] for (kind, name), o in _objects(spec, **kw).items() if kind == "Deployment"}

    base = templates(_spec(environment={"A": "1"}))
    changed_env = templates(_spec(environment={"A": "2"}))
    assert {n for n in base if base[n] != changed_env[n]} == set(base) - {"redis"}
    bigger_queue = templates(_spec(environment={"A": "1"}, queues=(
        QueueSpec("default", 3, 12, 5, "1", "2Gi"), QueueSpec("heavy", 2, 4, 10, "2", "4Gi"))))
    assert bigger_queue == base
    dags = templates(_spec(environment={"A": "1"}).__class__(**{**_spec(environment={"A": "1"}).__dict__,
                                                               "dag_version": "v2"}), dag_url="http://x")
    assert {n for n in base if base[n] != dags[n]} == {"dag-processor", "worker-default", "worker-heavy"}
    # a pinned configuration (linked objects changed while HEALTHY) rolls nothing
    pinned = {n: t["metadata"]["annotations"].get(manifests.CONFIG_HASH) for n, t in base.items()}
    assert templates(_spec(environment={"A": "2"}), pinned={k: v for k, v in pinned.items() if v}) == base


def _deployment(replicas=1, available=1, updated=1, total=1, generation=2, observed=2, conditions=()):
    return {"metadata": {"name": "scheduler", "generation": generation}, "spec": {"replicas": replicas},
            "status": {"observedGeneration": observed, "availableReplicas": available, "updatedReplicas": updated,
                       "replicas": total, "conditions": list(conditions)}}


def test_rolled_out_needs_every_replica_updated_available_and_no_old_one():
    assert rolled_out(_deployment())
    assert not rolled_out(_deployment(observed=1))
    assert not rolled_out(_deployment(total=2))  # an old pod still there
    assert not rolled_out(_deployment(available=0))
    assert rolled_out(_deployment(replicas=0, available=0, updated=0, total=0))


def _pod(**status):
    return {"metadata": {"name": "scheduler-abc", "labels": {manifests.LABEL_COMPONENT: "scheduler"}},
            "status": status}


def test_failures_name_the_component_and_the_reason():
    crashing = _pod(containerStatuses=[{"name": "scheduler", "ready": False, "state": {
        "waiting": {"reason": "CrashLoopBackOff", "message": "back-off 5m"}}}])
    assert pod_failure(crashing) == "scheduler: container scheduler CrashLoopBackOff: back-off 5m"
    unschedulable = _pod(conditions=[{"type": "PodScheduled", "status": "False", "reason": "Unschedulable",
                                      "message": "0/4 nodes are available: insufficient cpu"}])
    assert "Unschedulable: 0/4 nodes" in pod_failure(unschedulable)
    assert pod_failure(_pod(containerStatuses=[{"name": "s", "ready": True, "state": {"running": {}}}])) is None
    verdict = standing(["scheduler"], {"scheduler": _deployment(available=0)}, [crashing])
    assert verdict.state == "failing" and "CrashLoopBackOff" in verdict.reason
    assert standing(["scheduler"], {"scheduler": _deployment(available=0)}, []).state == "starting"
    quota = _deployment(available=0, conditions=[{"type": "ReplicaFailure", "status": "True",
                                                  "message": "exceeded quota: astroplane"}])
    assert standing(["scheduler"], {"scheduler": quota}, None).reason == "scheduler: exceeded quota: astroplane"
    assert standing(["scheduler", "triggerer"], {"scheduler": _deployment()}, []).reason == \
        "Waiting for triggerer to become available"


def test_bundles_reach_the_components_that_read_dags_and_roll_them():
    from dataclasses import replace

    from astroplane.runtime.base import BundleSpec

    dbt = BundleSpec("/usr/local/airflow/dbt/jaffle", "v1", "digest-1")
    spec = replace(_spec(), bundles=(dbt,))
    folder = manifests.bundle_folder(dbt.mount_path)
    objects = _objects(spec, bundle_urls={folder: "https://astroplane.test/blobs/digest-1?sig=s"})
    sources = objects[("Secret", "dag-source")]["data"]
    assert json.loads(base64.b64decode(sources["bundles"])) == {folder: "https://astroplane.test/blobs/digest-1?sig=s"}
    for name in ("dag-processor", "worker-default"):
        template = objects[("Deployment", name)]["spec"]["template"]
        container = template["spec"]["containers"][0]
        assert {"name": "bundles", "mountPath": dbt.mount_path, "subPath": folder} in container["volumeMounts"]
        fetch = next(c for c in template["spec"]["initContainers"] if c["name"] == "fetch-dags")
        assert {"name": "bundles", "mountPath": manifests.BUNDLES_ROOT} in fetch["volumeMounts"]
        assert template["metadata"]["annotations"][manifests.BUNDLE_VERSIONS] == f"{dbt.mount_path}=v1"
    scheduler = objects[("Deployment", "scheduler")]["spec"]["template"]
    assert manifests.BUNDLE_VERSIONS not in scheduler["metadata"]["annotations"]

    # astro dbt delete: the bundle leaves the spec, so its mount, its URL and the annotation go
    objects = _objects(_spec())
    template = objects[("Deployment", "dag-processor")]["spec"]["template"]
    assert all(mount["name"] != "bundles" for mount in template["spec"]["containers"][0]["volumeMounts"])
    assert manifests.BUNDLE_VERSIONS not in template["metadata"]["annotations"]
    assert "bundles" not in objects[("Secret", "dag-source")]["data"]


def test_the_fetch_places_the_dags_and_each_bundle(tmp_path):
    """The init container's script itself, run here against archives served on loopback."""
    import io
    import os
    import subprocess
    import sys
    import tarfile
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    def archive(name: str, text: str) -> bytes:
        buffer = io.BytesIO()
        with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
            data = text.encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        return buffer.getvalue()

    served = {"/dags": archive("dag.py", "# a dag"), "/dbt": archive("dbt_project.yml", "name: jaffle")}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            body = served[self.path]
            self.send_response(200)
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        folder = manifests.bundle_folder("/usr/local/airflow/dbt/jaffle")
        environment = {**os.environ, "DAGS_URL": f"{base}/dags", "BUNDLES": json.dumps({folder: f"{base}/dbt"})}
        subprocess.run([sys.executable, "-c", manifests.FETCH_DAGS, str(tmp_path / "dags"), str(tmp_path / "bundles")],
                       env=environment, check=True)
    finally:
        server.shutdown()
    assert (tmp_path / "dags" / "dag.py").read_text() == "# a dag"
    assert (tmp_path / "bundles" / folder / "dbt_project.yml").read_text() == "name: jaffle"
