"""End to end on the kubernetes runtime, against a real kube-apiserver with kwok as its nodes.

scripts/ensure_kube.py builds the control plane once (etcd, kube-apiserver, controller-manager,
scheduler, kwok) and starts a throw-away cluster; kwok reports pods Running/ready, fails the
containers of pods carrying its chaos label, and serves container logs from a file. Each test
drives astroplane through its HTTP API and runs reconciler passes (the server's own loop is off),
and looks at the cluster through the Kubernetes API as an observer.
"""

import base64
import json
import pathlib
import subprocess
import sys
import time
import urllib.parse
import uuid
from dataclasses import dataclass

import psycopg
import pytest
import sqlalchemy as sa
import yaml
from fastapi.testclient import TestClient

from archive_helpers import tarball
from test_local_runtime_supervision import Local
from conftest import BACKENDS, CLIENT_ADDRESS, PG_ADMIN_URL, Api, Server, make_settings, make_workspace, new_org
from astroplane.app import create_app
from astroplane.deployments.reconciler import Reconciler
from astroplane.deployments.steps import Steps
from astroplane.kit.db import Database
from astroplane.kit.migrate import upgrade
from astroplane.runtime.kubernetes import KubernetesRuntime
from astroplane.runtime.kubernetes.cluster import Cluster

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("kubernetes")]
ROOT = pathlib.Path(__file__).resolve().parents[1]
DEADLINE = 120.0
STANDARD = {"type": "STANDARD", "cloudProvider": "AWS", "region": "us-east-1"}
COMPONENTS = {"api-server", "scheduler", "dag-processor", "triggerer", "redis", "worker-default"}
CHAOS = "pod-container-running-failed.stage.kwok.x-k8s.io"


@pytest.fixture(scope="session")
def admin_kubeconfig() -> str:
    """The test cluster's admin kubeconfig; built and started by the script on first use (~10 min cold)."""
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "ensure_kube.py")], capture_output=True, text=True)
    if result.returncode != 0:
        lines = (result.stderr or result.stdout).strip().splitlines()
        pytest.fail(f"the Kubernetes test cluster could not be had: {lines[-1] if lines else result.returncode}",
                    pytrace=False)
    return result.stdout.strip().splitlines()[-1]


@pytest.fixture(scope="session")
def kubeconfig(admin_kubeconfig, tmp_path_factory) -> str:
    """astroplane's own identity: the service account of the shipped RBAC manifest, and nothing more."""
    admin = Cluster(kubeconfig=admin_kubeconfig)
    for manifest in yaml.safe_load_all((ROOT / "deploy" / "kubernetes" / "rbac.yaml").read_text()):
        admin.apply(manifest)
    token = admin.request("POST", "/api/v1/namespaces/astroplane/serviceaccounts/astroplane/token",
                          body={"apiVersion": "authentication.k8s.io/v1", "kind": "TokenRequest",
                                "spec": {"expirationSeconds": 86400}})["status"]["token"]
    admin.close()
    config = yaml.safe_load(pathlib.Path(admin_kubeconfig).read_text())
    config["users"] = [{"name": "astroplane", "user": {"token": token}}]
    config["contexts"][0]["context"]["user"] = "astroplane"
    path = tmp_path_factory.mktemp("kube") / "astroplane.kubeconfig"
    path.write_text(yaml.safe_dump(config))
    return str(path)


@dataclass
class Kube:
    server: Server
    runtime: KubernetesRuntime
    reconciler: Reconciler
    cluster: Cluster  # the observer's own client

    def api(self) -> Api:
        org = new_org(self.server)
        return Api(self.server, org, org.token)

    def until(self, what: str, check, deadline: float = DEADLINE):
        """Reconciler passes until `check()` is truthy; its value."""
        limit = time.monotonic() + deadline
        while True:
            self.reconciler.run_once()
            found = check()
            if found:
                return found
            if time.monotonic() > limit:
                raise AssertionError(f"timed out after {deadline:.0f} s waiting for {what}")
            time.sleep(0.3)

    def status(self, api: Api, path: str, wanted: str, deadline: float = DEADLINE) -> dict:
        return self.until(f"{path} {wanted}", lambda: (lambda body: body if body["status"] == wanted else None)(
            api.ok("GET", path)), deadline)

    def deployments(self, namespace: str) -> dict[str, dict]:
        return {d["metadata"]["name"]: d for d in self.cluster.list("apps/v1", "Deployment", namespace)}


@pytest.fixture(scope="module", params=BACKENDS)
def kube(request, databases, tmp_path_factory, kubeconfig, admin_kubeconfig) -> Kube:
    url = databases.url(request.param)
    database = Database(url)
    upgrade(database.engine)
    settings = make_settings(tmp_path_factory.mktemp("data"), url, runtime_backend="kubernetes",
                             k8s_kubeconfig=kubeconfig, k8s_metadata_db_url=PG_ADMIN_URL,
                             k8s_log_interval_seconds=0.5)
    app = create_app(settings, database)
    observer = Cluster(kubeconfig=admin_kubeconfig)
    with TestClient(app, raise_server_exceptions=False, client=CLIENT_ADDRESS) as client:
        runtime = app.state.runtime
        assert isinstance(runtime, KubernetesRuntime)
        yield Kube(Server(settings, database, client, request.param), runtime,
                   Reconciler(database, Steps(0), runtime), observer)
        # the cluster and PostgreSQL outlive this run: remove what the tests left there
        with database.engine.connect() as connection:
            for (deployment_id,) in connection.execute(sa.text("SELECT id FROM deployments")):
                runtime.remove(deployment_id)
    observer.close()
    database.dispose()


def _create(kube: Kube, api: Api, **fields) -> tuple[dict, str]:
    workspace = make_workspace(api)
    body = {"name": f"k8s-{uuid.uuid4().hex[:6]}", "workspaceId": workspace["id"], **STANDARD, **fields}
    deployment = api.ok("POST", "/deployments", json=body)
    return deployment, f"/deployments/{deployment['id']}"


def _healthy(kube: Kube, **fields) -> tuple[Api, dict, str, str]:
    """A new organization's deployment, HEALTHY: (its client, the deployment, its path, its namespace)."""
    api = kube.api()
    deployment, path = _create(kube, api, **fields)
    kube.status(api, path, "HEALTHY")
    return api, deployment, path, deployment["namespace"]


def _update_body(current: dict, **changes) -> dict:
    body = {key: current[key] for key in ("name", "workspaceId", "type", "executor", "isCicdEnforced",
                                          "isDagDeployEnabled", "isHighAvailability", "schedulerSize",
                                          "isDevelopmentMode", "workerQueues", "environmentVariables")
            if key in current}
    body["environmentVariables"] = [{k: v for k, v in variable.items() if k in ("key", "value", "isSecret")}
                                    for variable in current.get("environmentVariables", [])]
    body["workerQueues"] = [{k: v for k, v in queue.items() if k in ("id", "name", "isDefault", "astroMachine",
                                                                     "minWorkerCount", "maxWorkerCount",
                                                                     "workerConcurrency")}
                            for queue in current.get("workerQueues", [])]
    body.update(changes)
    return body


def _generations(kube: Kube, namespace: str) -> dict[str, int]:
    return {name: d["metadata"]["generation"] for name, d in kube.deployments(namespace).items()}


def _secret(kube: Kube, namespace: str, name: str) -> dict[str, str]:
    found = kube.cluster.request("GET", f"/api/v1/namespaces/{namespace}/secrets/{name}")
    return {key: base64.b64decode(value).decode() for key, value in (found.get("data") or {}).items()}


def test_a_deployment_becomes_airflow_on_the_cluster_and_converges_idempotently(kube):
    api = kube.api()
    deployment, path = _create(kube, api, environmentVariables=[
        {"key": "TEAM", "value": "data", "isSecret": False}, {"key": "TOKEN", "value": "s3cr3t", "isSecret": True}])
    namespace = deployment["namespace"]
    healthy = kube.status(api, path, "HEALTHY")
    assert healthy["statusReason"] == "Successfully Deployed"

    found = kube.deployments(namespace)
    assert COMPONENTS <= set(found), set(found)
    for name, component in found.items():
        labels = component["metadata"]["labels"]
        assert labels["astroplane.io/deployment-id"] == deployment["id"].lower()
        assert labels["astroplane.io/organization-id"] == api.org.id.lower()
        assert labels["astroplane.io/workspace-id"] == deployment["workspaceId"].lower()
        assert component["status"].get("availableReplicas") == component["spec"]["replicas"] >= 1, name
        container = component["spec"]["template"]["spec"]["containers"][0]
        assert container["resources"]["requests"] and (name == "redis" or container["readinessProbe"])
        if name != "redis":
            assert container["image"] == f"quay.io/astronomer/astro-runtime:{deployment['runtimeVersion']}"
    hpa = kube.cluster.request("GET", f"/apis/autoscaling/v2/namespaces/{namespace}/horizontalpodautoscalers/"
                                      "worker-default")
    queue = deployment["workerQueues"][0]
    assert (hpa["spec"]["minReplicas"], hpa["spec"]["maxReplicas"]) == (max(1, queue["minWorkerCount"]),
                                                                         queue["maxWorkerCount"])
    assert kube.cluster.request("GET", f"/api/v1/namespaces/{namespace}/resourcequotas/astroplane")["spec"]["hard"]
    # a secret variable never sits in a ConfigMap; the plain one does
    config = kube.cluster.request("GET", f"/api/v1/namespaces/{namespace}/configmaps/airflow-env")["data"]
    assert config == {"TEAM": "data"}
    assert _secret(kube, namespace, "airflow-env-secret") == {"TOKEN": "s3cr3t"}
    # its own metadata database, which its pods reach with its own role
    metadata_url = _secret(kube, namespace, "airflow-metadata")["connection"]
    assert metadata_url.endswith(f"/airflow_{deployment['id'].lower()}")
    with psycopg.connect(metadata_url, connect_timeout=5) as connection:
        assert connection.execute("SELECT current_database()").fetchone()[0] == f"airflow_{deployment['id'].lower()}"

    # idempotent: applying everything again changes nothing (resourceVersions and generations)
    def versions() -> dict:
        kinds = ["secrets", "configmaps", "serviceaccounts", "services", "resourcequotas"]
        found = {(kind, o["metadata"]["name"]): o["metadata"]["resourceVersion"] for kind in kinds
                 for o in kube.cluster.request("GET", f"/api/v1/namespaces/{namespace}/{kind}")["items"]
                 if o["metadata"].get("labels", {}).get("app.kubernetes.io/managed-by") == "astroplane"}
        found.update({("deployments", n): g for n, g in _generations(kube, namespace).items()})
        return found

    before = versions()
    kube.runtime.forget_applied()  # as after a restart: the next pass applies everything
    calls = kube.runtime.cluster.calls
    kube.reconciler.run_once()
    assert kube.runtime.cluster.calls - calls > len(before), "the pass did not apply the objects again"
    assert versions() == before
    # a missing object is recreated
    kube.cluster.delete("apps/v1", "Deployment", "triggerer", namespace)
    kube.until("the triggerer recreated", lambda: "triggerer" in kube.deployments(namespace)
               and not kube.deployments(namespace)["triggerer"]["metadata"].get("deletionTimestamp"))
    kube.status(api, path, "HEALTHY")


def test_updates_roll_only_what_they_change(kube):
    api, deployment, path, namespace = _healthy(kube)
    healthy = api.ok("GET", path)

    # a queue's bounds: the autoscaler changes, no component rolls; its workers follow the new minimum
    before = _generations(kube, namespace)
    queues = _update_body(healthy)["workerQueues"]
    queues[0].update(minWorkerCount=2, maxWorkerCount=4)
    changed = api.ok("POST", path, json=_update_body(healthy, workerQueues=queues))
    assert changed["status"] == "DEPLOYING"
    healthy = kube.status(api, path, "HEALTHY")
    hpa = kube.cluster.request("GET", f"/apis/autoscaling/v2/namespaces/{namespace}/horizontalpodautoscalers/"
                                      "worker-default")
    assert (hpa["spec"]["minReplicas"], hpa["spec"]["maxReplicas"]) == (2, 4)
    kube.until("two workers", lambda: kube.deployments(namespace)["worker-default"]["status"].get(
        "availableReplicas") == 2)
    after = _generations(kube, namespace)
    assert {n: g for n, g in after.items() if n != "worker-default"} == \
           {n: g for n, g in before.items() if n != "worker-default"}

    # an environment variable rolls every Airflow component, not the broker
    before = after
    changed = api.ok("POST", path, json=_update_body(healthy, environmentVariables=[
        {"key": "NEW_SETTING", "value": "on", "isSecret": False}]))
    assert changed["status"] == "DEPLOYING"
    kube.status(api, path, "HEALTHY")
    after = _generations(kube, namespace)
    assert after["redis"] == before["redis"]
    assert all(after[name] == before[name] + 1 for name in COMPONENTS - {"redis"}), (before, after)
    template = kube.deployments(namespace)["scheduler"]["spec"]["template"]
    assert template["spec"]["containers"][0]["envFrom"]


def test_hibernation_scales_everything_to_zero_and_back(kube):
    api, deployment, path, namespace = _healthy(kube, isDevelopmentMode=True)
    api.ok("POST", path + "/hibernation-override", json={"isHibernating": True})
    kube.status(api, path, "HIBERNATING")

    def scaled_down():
        found = kube.deployments(namespace)
        pods = kube.cluster.list("v1", "Pod", namespace)
        return all(d["spec"]["replicas"] == 0 for d in found.values()) and not pods

    kube.until("every component at 0 replicas and no pod left", scaled_down)
    api.ok("DELETE", path + "/hibernation-override", 204)
    kube.status(api, path, "HEALTHY")
    assert all(d["status"].get("availableReplicas", 0) >= 1 for d in kube.deployments(namespace).values())


def test_a_failing_pod_makes_the_deployment_unhealthy_with_its_reason(kube):
    api, deployment, path, namespace = _healthy(kube)
    # what a crashing scheduler looks like: kwok's chaos stage fails the containers of labelled pods
    # (its template puts the message in YAML unquoted: no colon in it)
    patch = {"spec": {"template": {"metadata": {
        "labels": {CHAOS: "true"},
        "annotations": {f"{CHAOS}/reason": "Error", f"{CHAOS}/message": "scheduler exited with a bad config"}}}}}
    kube.cluster.request("PATCH", f"/apis/apps/v1/namespaces/{namespace}/deployments/scheduler", body=patch,
                         content_type="application/merge-patch+json")
    unhealthy = kube.status(api, path, "UNHEALTHY")
    assert "scheduler" in unhealthy["statusReason"] and "bad config" in unhealthy["statusReason"]
    # astroplane's applies leave the label alone (it is not theirs); taking it away recovers
    kube.cluster.request("PATCH", f"/apis/apps/v1/namespaces/{namespace}/deployments/scheduler",
                         body={"spec": {"template": {"metadata": {"labels": {CHAOS: None}}}}},
                         content_type="application/merge-patch+json")
    assert kube.status(api, path, "HEALTHY")["statusReason"] == "Successfully Deployed"


def _put(kube: Kube, url: str, body: bytes) -> str:
    parts = urllib.parse.urlsplit(url)
    response = kube.server.client.put(f"{parts.path}?{parts.query}", content=body,
                                      headers={"x-ms-blob-type": "BlockBlob"})
    assert response.status_code == 201, response.text
    return response.headers["x-ms-version-id"]


def test_deploys_roll_out_dags_and_images_and_roll_back(kube):
    api, deployment, path, namespace = _healthy(kube)
    base = f"{path}/deploys"
    before = _generations(kube, namespace)

    archive = tarball({"dags/hello.py": b"print('hello')\n"})
    deploy = api.ok("POST", base, json={"type": "DAG_ONLY"})
    version = _put(kube, deploy["dagsUploadUrl"], archive)
    api.ok("POST", f"{base}/{deploy['id']}/finalize", json={"dagTarballVersion": version})
    assert api.ok("GET", path)["status"] == "DEPLOYING"
    done = kube.status(api, path, "HEALTHY")
    assert done["dagTarballVersion"] == version
    after = _generations(kube, namespace)
    # only what reads DAG files rolled: the dag-processor and the workers
    assert {n for n in after if after[n] != before[n]} == {"dag-processor", "worker-default"}
    processor = kube.deployments(namespace)["dag-processor"]["spec"]["template"]
    assert processor["metadata"]["annotations"]["astroplane.io/dag-version"] == version
    assert [c["name"] for c in processor["spec"]["initContainers"]] == ["wait-for-migrations", "fetch-dags"]
    # the init container's short-lived URL serves exactly the archive, without an API token
    url = urllib.parse.urlsplit(_secret(kube, namespace, "dag-source")["url"])
    fetched = kube.server.client.get(f"{url.path}?{url.query}")
    assert fetched.status_code == 200 and fetched.content == archive
    assert kube.server.client.get(f"{url.path}?sig=forged").status_code == 403

    # an image deploy sets the image on every Airflow component
    image_deploy = api.ok("POST", base, json={"type": "IMAGE_AND_DAG"})
    version2 = _put(kube, image_deploy["dagsUploadUrl"], tarball({"dags/two.py": b"x = 2\n"}))
    api.ok("POST", f"{base}/{image_deploy['id']}/finalize", json={"dagTarballVersion": version2})
    kube.status(api, path, "HEALTHY")
    images = {c["spec"]["template"]["spec"]["containers"][0]["image"]
              for n, c in kube.deployments(namespace).items() if n != "redis"}
    assert images == {f"{image_deploy['imageRepository']}:{image_deploy['imageTag']}"}

    # rollback to the first deploy: its image and DAGs again
    api.ok("POST", f"{base}/{deploy['id']}/rollback", json={"description": "back"})
    back = kube.status(api, path, "HEALTHY")
    assert back["dagTarballVersion"] == version
    images = {c["spec"]["template"]["spec"]["containers"][0]["image"]
              for n, c in kube.deployments(namespace).items() if n != "redis"}
    assert images == {f"{deploy['imageRepository']}:{deploy['imageTag']}"}


def test_a_bundle_deploy_is_mounted_where_it_names_and_dbt_delete_removes_it(kube):
    """`astro dbt deploy` then `astro dbt delete` (the calls tests/astro_cli.py replays): the bundle is
    fetched by the components that read DAGs and mounted at its path; the empty finalize removes it."""
    api, deployment, path, namespace = _healthy(kube)
    base = f"{path}/deploys"
    mount = "/usr/local/airflow/dbt/jaffle"
    body = {"description": "dbt", "type": "BUNDLE", "bundleMountPath": mount, "bundleType": "dbt"}
    archive = tarball({"dbt_project.yml": b"name: jaffle\n"})
    deploy = api.ok("POST", base, json=body)
    version = _put(kube, deploy["bundleUploadUrl"], archive)
    api.ok("POST", f"{base}/{deploy['id']}/finalize", json={"bundleTarballVersion": version})

    def processor() -> dict:
        return kube.deployments(namespace)["dag-processor"]["spec"]["template"]

    kube.until("the bundle reaches the dag-processor",
               lambda: processor()["metadata"]["annotations"].get("astroplane.io/bundle-versions") == f"{mount}={version}")
    kube.status(api, path, "HEALTHY")
    mounts = processor()["spec"]["containers"][0]["volumeMounts"]
    assert any(m["name"] == "bundles" and m["mountPath"] == mount for m in mounts), mounts
    folder, url = next(iter(json.loads(_secret(kube, namespace, "dag-source")["bundles"]).items()))
    assert any(m.get("subPath") == folder for m in mounts)
    url = urllib.parse.urlsplit(url)
    fetched = kube.server.client.get(f"{url.path}?{url.query}")
    assert fetched.status_code == 200 and fetched.content == archive

    removal = api.ok("POST", base, json={**body, "description": "dbt delete"})
    api.ok("POST", f"{base}/{removal['id']}/finalize", json={"bundleTarballVersion": ""})
    kube.until("the bundle leaves the dag-processor",
               lambda: "astroplane.io/bundle-versions" not in processor()["metadata"]["annotations"])
    kube.status(api, path, "HEALTHY")
    assert all(m["name"] != "bundles" for m in processor()["spec"]["containers"][0]["volumeMounts"])
    assert "bundles" not in _secret(kube, namespace, "dag-source")


def test_logs_come_from_the_pods_with_filters_and_paging(kube):
    api, deployment, path, namespace = _healthy(kube)
    logs_path = f"{path}/logs"

    def read(**params) -> dict:
        return api.ok("GET", logs_path, params={"sources": ["scheduler", "worker"], "range": 3600, **params})

    found = kube.until("scheduler and worker logs", lambda: (lambda body: body if {
        r["source"] for r in body.get("results", [])} >= {"scheduler", "worker"} else None)(read()), 60)
    assert any("Connected to the metadata database" in r["raw"] for r in found["results"])
    errors = read(searchText="ERROR")
    assert errors["results"] and all("ERROR" in r["raw"] for r in errors["results"])
    everything = [r["raw"] for r in read(limit=500)["results"]]
    first = read(limit=2)
    assert first["resultCount"] == 2 and first["searchId"]
    following = read(limit=2, offset=2, searchId=first["searchId"])
    assert following["offset"] == 2 and following["searchId"] == first["searchId"]
    assert [r["raw"] for r in first["results"] + following["results"]] == everything[:4]


def test_delete_removes_the_namespace_and_the_database(kube):
    api, deployment, path, namespace = _healthy(kube)
    database = f"airflow_{deployment['id'].lower()}"
    api.ok("DELETE", path, 204)
    kube.until("the deployment gone", lambda: api.get(path).status_code == 404)
    kube.until("the namespace gone", lambda: kube.cluster.request("GET", f"/api/v1/namespaces/{namespace}") is None)
    with psycopg.connect(PG_ADMIN_URL.replace("+psycopg", ""), connect_timeout=5) as connection:
        assert connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (database,)).fetchone() is None
        assert connection.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (database,)).fetchone() is None


def _scenario(api: Api, passes) -> list[str]:
    """The statuses a client sees through create → update → hibernate → wake → delete, each once."""
    seen: list[str] = []

    def look(path: str) -> str:
        response = api.get(path)
        status = "GONE" if response.status_code == 404 else response.json()["status"]
        if not seen or seen[-1] != status:
            seen.append(status)
        return status

    def until(path: str, wanted: str) -> None:
        limit = time.monotonic() + DEADLINE
        while look(path) != wanted:
            assert time.monotonic() < limit, f"{path} never became {wanted}: {seen}"
            passes()

    workspace = make_workspace(api)
    created = api.ok("POST", "/deployments", json={"name": "same", "workspaceId": workspace["id"], **STANDARD,
                                                   "isDevelopmentMode": True})
    path = f"/deployments/{created['id']}"
    until(path, "HEALTHY")
    api.ok("POST", path, json=_update_body(api.ok("GET", path), environmentVariables=[
        {"key": "A", "value": "1", "isSecret": False}]))
    until(path, "HEALTHY")
    api.ok("POST", path + "/hibernation-override", json={"isHibernating": True})
    until(path, "HIBERNATING")
    api.ok("DELETE", path + "/hibernation-override", 204)
    until(path, "HEALTHY")
    api.ok("DELETE", path, 204)
    until(path, "GONE")
    return seen


def test_the_same_calls_give_the_same_lifecycle_on_every_backend(kube, tmp_path):
    """Kubernetes, the simulated runtime, and the local runtime with its stand-in `airflow`."""
    on_kubernetes = _scenario(kube.api(), lambda: (kube.reconciler.run_once(), time.sleep(0.2)))

    url = f"sqlite:///{tmp_path / 'simulated.db'}"
    database = Database(url)
    upgrade(database.engine)
    (tmp_path / "data").mkdir()
    settings = make_settings(tmp_path / "data", url)
    with TestClient(create_app(settings, database), raise_server_exceptions=False, client=CLIENT_ADDRESS) as client:
        simulated = Server(settings, database, client, "sqlite")
        org = new_org(simulated)
        reconciler = Reconciler(database, Steps(0))
        on_simulated = _scenario(Api(simulated, org, org.token), reconciler.run_once)
    database.dispose()

    (tmp_path / "local").mkdir()
    local = Local(tmp_path / "local")
    try:
        server = Server(local.settings, local.database, local.client, "sqlite")
        org = new_org(server)
        reconciler = Reconciler(local.database, Steps(0), local.runtime)
        on_local = _scenario(Api(server, org, org.token), lambda: (reconciler.run_once(), time.sleep(0.1)))
    finally:
        local.close()
    assert on_kubernetes == on_simulated == on_local, (on_kubernetes, on_simulated, on_local)
    assert on_simulated[0] == "CREATING" and on_simulated[-1] == "GONE" and "HIBERNATING" in on_simulated
