"""The kubernetes backend: each deployment is Apache Airflow in a namespace of its own on a cluster.

`converge` computes every object the deployment should have (manifests.py) and applies them
server-side under one field manager when they differ from what it last applied, when one of its
component Deployments is missing, or every `resync_seconds` (drift repair); applying unchanged
objects is a no-op on the API server. Where a deployment stands is read from its Deployments'
status (one cluster-wide list per reconciler pass) and, only while something is not rolled out,
from its pods. Kubernetes does the rest: rolling updates, restarts, scheduling.
"""

import base64
import hashlib
import hmac
import json
import logging
import time
from dataclasses import dataclass, field

from astroplane.runtime.base import DeploymentSpec, Observation
from astroplane.runtime.kubernetes import manifests
from astroplane.runtime.kubernetes.cluster import Cluster, KubeError
from astroplane.runtime.kubernetes.metadata_db import MetadataDatabases
from astroplane.runtime.kubernetes.observe import rolled_out, standing

log = logging.getLogger("astroplane.runtime.kubernetes")
OURS = f"{manifests.LABEL_MANAGED}={manifests.MANAGED_BY}"
# kinds pruned when the spec stops naming them (a removed worker queue, an executor change)
PRUNED = (("apps/v1", "Deployment"), ("autoscaling/v2", "HorizontalPodAutoscaler"), ("v1", "Service"),
          ("v1", "ConfigMap"), ("rbac.authorization.k8s.io/v1", "Role"),
          ("rbac.authorization.k8s.io/v1", "RoleBinding"))
MAX_LOG_LINE = 8_000


@dataclass
class Tracked:
    """What this server last did for one deployment."""

    namespace: str
    digest: str | None = None  # of the objects last applied
    applied_at: float = 0.0
    logs_read_at: float = 0.0
    log_cursors: dict[str, str] = field(default_factory=dict)  # pod/container -> last timestamp read


class KubernetesRuntime:
    supervises = True

    def __init__(self, settings, cluster: Cluster | None = None, databases: MetadataDatabases | None = None):
        self.settings = settings
        self.databases = databases or MetadataDatabases(settings.k8s_metadata_db_url)
        self.cluster = cluster or Cluster(kubeconfig=settings.k8s_kubeconfig, context=settings.k8s_context,
                                          in_cluster=settings.k8s_in_cluster)
        self._tracked: dict[str, Tracked] = {}
        self._snapshot: dict[str, dict[str, dict]] | None = None  # namespace -> name -> Deployment, per pass

    # ------------------------------------------------------------ the interface

    def converge(self, spec: DeploymentSpec, *, restart_on_change: bool) -> Observation:
        assert spec.topology is not None
        tracked = self._track(spec.deployment_id, spec.topology.namespace)
        try:
            self.databases.ensure(spec.deployment_id, self._password(spec.deployment_id))
        except Exception as error:  # psycopg's errors: the server is down or refuses us
            log.warning("deployment %s: metadata database not ready: %s", spec.deployment_id, error)
            return Observation("starting", f"Waiting for the metadata database: {str(error).strip()[:200]}")
        try:
            current = self._current(tracked.namespace)
            components = manifests.components(spec)
            pinned = {} if restart_on_change else {
                name: found["spec"]["template"]["metadata"].get("annotations", {}).get(manifests.CONFIG_HASH)
                for name, found in current.items()}
            objects = self._desired(spec, {k: v for k, v in pinned.items() if v})
            digest = hashlib.sha256(json.dumps(objects, sort_keys=True).encode()).hexdigest()
            missing = [c.name for c in components if c.name not in current]
            now = time.monotonic()
            if digest != tracked.digest or missing or now - tracked.applied_at > self.settings.k8s_resync_seconds:
                current = self._apply(tracked, objects)
                tracked.digest, tracked.applied_at = digest, now
            self._wake_workers(tracked.namespace, components, current)
            pods = None
            expected = [c.name for c in components]
            if not all(name in current and rolled_out(current[name]) for name in expected):
                pods = self.cluster.list("v1", "Pod", tracked.namespace, OURS)
            verdict = standing(expected, current, pods)
        except KubeError as error:
            log.warning("deployment %s: %s", spec.deployment_id, error.message)
            state = "failing" if 400 <= error.status < 500 and error.status not in (401, 403, 409, 429) else "starting"
            return Observation(state, f"Kubernetes API: {error.message}"[:250])
        web = current.get("api-server") or current.get("webserver")
        annotations = (web or {}).get("spec", {}).get("template", {}).get("metadata", {}).get("annotations", {})
        dags = current.get("dag-processor") or next((d for n, d in current.items()
                                                     if n.startswith(manifests.WORKER_PREFIX)), None)
        dag_version = None
        if dags is not None and rolled_out(dags):
            dag_version = dags["spec"]["template"]["metadata"].get("annotations", {}).get(manifests.DAG_VERSION)
        return Observation(verdict.state, verdict.reason, annotations.get(manifests.CONFIG_HASH), dag_version)

    def stop(self, deployment_id: str) -> None:
        """Hibernation: every component to 0 replicas (an HPA whose target has 0 stops scaling it)."""
        tracked = self._tracked.get(deployment_id)
        namespace = tracked.namespace if tracked else self._namespace_of(deployment_id)
        if namespace is None:
            return
        for found in self.cluster.list("apps/v1", "Deployment", namespace, OURS):
            if found["spec"].get("replicas", 1) != 0:
                self.cluster.scale(found["metadata"]["name"], namespace, 0)
        if tracked is not None:
            tracked.digest = None  # waking applies everything again
        self._snapshot = None

    def remove(self, deployment_id: str) -> None:
        tracked = self._tracked.pop(deployment_id, None)
        namespace = tracked.namespace if tracked else self._namespace_of(deployment_id)
        if namespace is not None:
            try:
                self.cluster.delete("v1", "Namespace", namespace)  # the namespace controller removes its contents
            except KubeError as error:
                if error.status != 409:  # 409: already terminating
                    raise
        self.databases.drop(deployment_id)
        self._snapshot = None

    def sweep(self) -> None:
        self._snapshot = None  # the next pass reads the cluster afresh

    def collect_logs(self, deployment_id: str) -> list[tuple[str, str]]:
        """New lines of the components' containers, every `k8s_log_interval_seconds`, through the
        pod logs API (sinceTime + the last timestamp read, so no line is read twice)."""
        tracked = self._tracked.get(deployment_id)
        now = time.monotonic()
        if tracked is None or now - tracked.logs_read_at < self.settings.k8s_log_interval_seconds:
            return []
        tracked.logs_read_at = now
        lines: list[tuple[str, str]] = []
        try:
            for pod in self.cluster.list("v1", "Pod", tracked.namespace, OURS):
                if pod.get("status", {}).get("phase") != "Running":
                    continue
                component = pod["metadata"]["labels"].get(manifests.LABEL_COMPONENT, "")
                source = _log_source(component)
                if source is None:
                    continue
                for container in pod["spec"]["containers"]:
                    key = f"{pod['metadata']['name']}/{container['name']}"
                    last = tracked.log_cursors.get(key)
                    text = self.cluster.logs(tracked.namespace, pod["metadata"]["name"], container["name"],
                                             last[:19] + "Z" if last else None)
                    for line in text.splitlines():
                        stamp, _, message = line.partition(" ")
                        if last is not None and stamp <= last or not message.strip():
                            continue
                        lines.append((source, message[:MAX_LOG_LINE]))
                        tracked.log_cursors[key] = stamp
        except KubeError as error:
            log.warning("deployment %s: logs not read: %s", deployment_id, error.message)
        return lines

    def endpoint(self, deployment_id: str) -> str | None:
        return None  # the deployment's Airflow answers inside the cluster (Service api-server)

    def shutdown(self) -> None:
        self.cluster.close()

    def forget_applied(self) -> None:
        """As after a restart: the next pass applies every deployment's objects again."""
        for tracked in self._tracked.values():
            tracked.digest = None

    # ------------------------------------------------------------ internals

    def _track(self, deployment_id: str, namespace: str) -> Tracked:
        tracked = self._tracked.get(deployment_id)
        if tracked is None or tracked.namespace != namespace:
            tracked = self._tracked[deployment_id] = Tracked(namespace)
        return tracked

    def _derived(self, deployment_id: str, purpose: str) -> bytes:
        """A deployment's own secret, derived from the server's signing key: stable across restarts
        and replicas, never stored by astroplane (it lives in the deployment's Secrets)."""
        key = self.settings.token_signing_key.encode()
        return hmac.new(key, f"k8s:{purpose}:{deployment_id}".encode(), hashlib.sha256).digest()

    def _password(self, deployment_id: str) -> str:
        return self._derived(deployment_id, "database").hex()

    def _desired(self, spec: DeploymentSpec, pinned: dict[str, str]) -> list[dict]:
        from astroplane.deploys.uploads import download_url

        keys = {"fernet-key": base64.urlsafe_b64encode(self._derived(spec.deployment_id, "fernet")).decode(),
                "jwt-secret": self._derived(spec.deployment_id, "jwt").hex()}
        password = self._password(spec.deployment_id)
        # the same URLs for a whole window (so applying again changes nothing), refreshed halfway
        window = self.settings.k8s_blob_url_ttl_seconds // 2
        expires = (int(time.time()) // window + 2) * window
        dag_url = download_url(self.settings, spec.dag_digest, expires) if spec.dag_digest else None
        bundle_urls = {manifests.bundle_folder(bundle.mount_path): download_url(self.settings, bundle.digest, expires)
                       for bundle in spec.bundles}
        return manifests.desired(spec, image=self._image(spec), redis_image=self.settings.k8s_redis_image, keys=keys,
                                 metadata_url=self.databases.url(spec.deployment_id, password), dag_url=dag_url,
                                 pinned_hashes=pinned, bundle_urls=bundle_urls)

    def _image(self, spec: DeploymentSpec) -> str:
        assert spec.topology is not None
        if not self.settings.k8s_image_repository:
            return spec.topology.image
        return f"{self.settings.k8s_image_repository}:{spec.topology.image.rpartition(':')[2]}"

    def _current(self, namespace: str) -> dict[str, dict]:
        if self._snapshot is None:
            snapshot: dict[str, dict[str, dict]] = {}
            for found in self.cluster.list("apps/v1", "Deployment", None, OURS):
                snapshot.setdefault(found["metadata"]["namespace"], {})[found["metadata"]["name"]] = found
            self._snapshot = snapshot
        return dict(self._snapshot.get(namespace, {}))

    def _apply(self, tracked: Tracked, objects: list[dict]) -> dict[str, dict]:
        """Apply every object, prune what the spec no longer names; the Deployments as applied."""
        applied: dict[str, dict] = {}
        wanted = {(o["apiVersion"], o["kind"], o["metadata"]["name"]) for o in objects}
        for manifest in objects:
            result = self.cluster.apply(manifest)
            if manifest["kind"] == "Deployment" and result:
                applied[manifest["metadata"]["name"]] = result
        for api_version, kind in PRUNED:
            for found in self.cluster.list(api_version, kind, tracked.namespace, OURS):
                if (api_version, kind, found["metadata"]["name"]) not in wanted:
                    log.info("pruning %s %s/%s", kind, tracked.namespace, found["metadata"]["name"])
                    self.cluster.delete(api_version, kind, found["metadata"]["name"], tracked.namespace)
        if self._snapshot is not None:
            self._snapshot[tracked.namespace] = dict(applied)
        return applied

    def _wake_workers(self, namespace: str, components, current: dict[str, dict]) -> None:
        """Workers left at 0 by hibernation: back to their queue's minimum (their HPA resumes)."""
        for component in components:
            found = current.get(component.name)
            if component.autoscaled and found is not None and found["spec"].get("replicas", 1) == 0:
                self.cluster.scale(component.name, namespace, component.replicas)
                found["spec"]["replicas"] = component.replicas

    def _namespace_of(self, deployment_id: str) -> str | None:
        selector = f"{OURS},{manifests.LABEL_DEPLOYMENT}={deployment_id.lower()}"
        found = self.cluster.list("v1", "Namespace", None, selector)
        return found[0]["metadata"]["name"] if found else None


def _log_source(component: str) -> str | None:
    """GetDeploymentLogs' source for a component; None for what is not Airflow (the broker)."""
    if component.startswith(manifests.WORKER_PREFIX):
        return "worker"
    return {"api-server": "apiserver", "webserver": "webserver", "scheduler": "scheduler", "triggerer": "triggerer",
            "dag-processor": "dag-processor"}.get(component)
