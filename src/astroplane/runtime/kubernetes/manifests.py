"""What a deployment becomes on a cluster: pure functions from its spec to Kubernetes objects.

Every object carries the labels naming its organization, workspace and deployment, and is applied
server-side under one field manager. Components that read the DAGs (dag-processor and Celery
workers) fetch the archive in place through an init container; the signed URL lives in a Secret
refreshed by astroplane, so only a new DAG version (an annotation of their pod template) rolls them.
"""

import base64
import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal

from astroplane.runtime.base import DeploymentSpec, QueueSpec, Topology

MANAGED_BY = "astroplane"
LABEL_MANAGED = "app.kubernetes.io/managed-by"
LABEL_COMPONENT = "app.kubernetes.io/component"
LABEL_ORGANIZATION = "astroplane.io/organization-id"
LABEL_WORKSPACE = "astroplane.io/workspace-id"
LABEL_DEPLOYMENT = "astroplane.io/deployment-id"
CONFIG_HASH = "astroplane.io/config-hash"  # the deployment's configuration (DeploymentSpec.config_hash)
SHAPE_HASH = "astroplane.io/shape-hash"  # the component's own size and command
DAG_VERSION = "astroplane.io/dag-version"
BUNDLE_VERSIONS = "astroplane.io/bundle-versions"
WORKER_PREFIX = "worker-"
AIRFLOW_HOME = "/usr/local/airflow"
DAGS_FOLDER = f"{AIRFLOW_HOME}/dags"
# bundles (e.g. dbt projects) land in one volume, a folder each, mounted at their mount paths
BUNDLES_ROOT = "/opt/astroplane/bundles"
API_PORT = 8080
REDIS_PORT = 6379
# the init container's fetch: the runtime image has Python; the URLs come from the dag-source Secret
# (the DAG archive's, and a JSON object of bundle folder -> URL)
FETCH_DAGS = (
    "import io,json,os,sys,tarfile,urllib.request\n"
    "def fetch(url,into):\n"
    "    data=urllib.request.urlopen(url,timeout=60).read()\n"
    "    tarfile.open(fileobj=io.BytesIO(data)).extractall(into,filter='data')\n"
    "url=os.environ.get('DAGS_URL','')\n"
    "if url: fetch(url,sys.argv[1])\n"
    "for folder,url in json.loads(os.environ.get('BUNDLES') or '{}').items(): fetch(url,os.path.join(sys.argv[2],folder))\n"
)
SMALL = {"cpu": "250m", "memory": "512Mi"}
# the ASTRO executor's agents are Astronomer's own: here its queues run as Celery workers
QUEUED_EXECUTORS = frozenset({"CELERY", "ASTRO"})


@dataclass(frozen=True)
class Component:
    name: str
    replicas: int
    cpu: str
    memory: str
    command: tuple[str, ...]
    reads_dags: bool = False
    autoscaled: QueueSpec | None = None  # worker replicas stay within the queue's bounds (an HPA)


def labels(spec: DeploymentSpec, component: str | None = None) -> dict[str, str]:
    topology = _topology(spec)
    found = {LABEL_MANAGED: MANAGED_BY, LABEL_ORGANIZATION: spec.organization_id.lower(),
             LABEL_WORKSPACE: topology.workspace_id.lower(), LABEL_DEPLOYMENT: spec.deployment_id.lower()}
    if component:
        found[LABEL_COMPONENT] = component
    return found


def _topology(spec: DeploymentSpec) -> Topology:
    if spec.topology is None:
        raise ValueError("the kubernetes runtime needs the deployment's topology")
    return spec.topology


def components(spec: DeploymentSpec) -> list[Component]:
    """Airflow 3: api-server, scheduler, dag-processor, triggerer; a Celery worker per queue (CELERY
    and ASTRO executors) and their broker."""
    topology = _topology(spec)
    airflow3 = spec.airflow_version.startswith("3.")
    web = "api-server" if airflow3 else "webserver"
    found = [Component(web, topology.api_server_replicas, "500m", "1Gi", ("airflow", web)),
             Component("scheduler", topology.scheduler_replicas, topology.scheduler_cpu, topology.scheduler_memory,
                       ("airflow", "scheduler")),
             Component("triggerer", 1, "500m", "1Gi", ("airflow", "triggerer"))]
    if airflow3:
        found.append(Component("dag-processor", 1, "500m", "1Gi", ("airflow", "dag-processor"), reads_dags=True))
    if spec.executor in QUEUED_EXECUTORS:
        found.append(Component("redis", 1, "250m", "256Mi", ()))
        for queue in topology.queues:
            found.append(Component(WORKER_PREFIX + queue.name, max(1, queue.min_workers), queue.cpu, queue.memory,
                                   ("airflow", "celery", "worker", "--queues", queue.name,
                                    "--concurrency", str(queue.concurrency)), reads_dags=True, autoscaled=queue))
    return found


def shape_hash(component: Component) -> str:
    payload = json.dumps([component.cpu, component.memory, list(component.command)])
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


def _metadata(spec: DeploymentSpec, name: str, kind_labels: dict[str, str] | None = None, **extra) -> dict:
    return {"name": name, "namespace": _topology(spec).namespace, "labels": kind_labels or labels(spec), **extra}


def namespace(spec: DeploymentSpec) -> dict:
    return {"apiVersion": "v1", "kind": "Namespace",
            "metadata": {"name": _topology(spec).namespace, "labels": labels(spec)}}


def _quantity(value: str) -> Decimal:
    from kubernetes.utils.quantity import parse_quantity

    return Decimal(parse_quantity(value))


def resource_quota(spec: DeploymentSpec) -> dict:
    """The deployment's quota when it names one; else room for every component at its largest,
    twice over (a rolling update runs old and new pods side by side)."""
    topology = _topology(spec)
    cpu = sum(_quantity(c.cpu) * (c.autoscaled.max_workers if c.autoscaled else c.replicas) for c in components(spec))
    memory = sum(_quantity(c.memory) * (c.autoscaled.max_workers if c.autoscaled else c.replicas)
                 for c in components(spec))
    hard_cpu = topology.quota_cpu or str(int(cpu * 2 + 1))
    hard_memory = topology.quota_memory or f"{int(memory * 2 / (1 << 20)) + 1024}Mi"
    return {"apiVersion": "v1", "kind": "ResourceQuota", "metadata": _metadata(spec, "astroplane"),
            "spec": {"hard": {"limits.cpu": hard_cpu, "limits.memory": hard_memory,
                              "requests.cpu": hard_cpu, "requests.memory": hard_memory}}}


def secret(spec: DeploymentSpec, name: str, data: dict[str, str]) -> dict:
    # `data`, not `stringData`: the API server stores data, so applying it again is a true no-op
    encoded = {key: base64.b64encode(value.encode()).decode() for key, value in sorted(data.items())}
    return {"apiVersion": "v1", "kind": "Secret", "metadata": _metadata(spec, name), "type": "Opaque", "data": encoded}


def config_map(spec: DeploymentSpec, name: str, data: dict[str, str]) -> dict:
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": _metadata(spec, name), "data": dict(sorted(data.items()))}


def environment(spec: DeploymentSpec) -> list[dict]:
    """The deployment's variables and linked objects: plain variables in a ConfigMap, secret ones
    (and every connection and Airflow variable) in a Secret."""
    secret_keys = _topology(spec).secret_keys
    plain = {k: v for k, v in spec.environment.items() if k not in secret_keys}
    hidden = {k: v for k, v in spec.environment.items() if k in secret_keys}
    return [config_map(spec, "airflow-env", plain), secret(spec, "airflow-env-secret", hidden)]


def airflow_config(spec: DeploymentSpec) -> dict:
    """Airflow's own settings, not secret."""
    executor = {"CELERY": "CeleryExecutor", "KUBERNETES": "KubernetesExecutor"}.get(spec.executor, "CeleryExecutor")
    data = {"AIRFLOW_HOME": AIRFLOW_HOME, "AIRFLOW__CORE__DAGS_FOLDER": DAGS_FOLDER,
            "AIRFLOW__CORE__EXECUTOR": executor, "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
            "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://api-server:{API_PORT}/execution/",
            "AIRFLOW__API__PORT": str(API_PORT), "AIRFLOW__SCHEDULER__ENABLE_HEALTH_CHECK": "True"}
    if spec.executor == "KUBERNETES":
        data["AIRFLOW__KUBERNETES_EXECUTOR__NAMESPACE"] = _topology(spec).namespace
        data["AIRFLOW__KUBERNETES_EXECUTOR__POD_TEMPLATE_FILE"] = "/opt/astroplane/pod-template/pod-template.yaml"
    return config_map(spec, "airflow-config", data)


def _container_resources(cpu: str, memory: str) -> dict:
    return {"requests": {"cpu": cpu, "memory": memory}, "limits": {"cpu": cpu, "memory": memory}}


def _env_from() -> list[dict]:
    # later sources win: Airflow's settings, then the deployment's own variables
    return [{"configMapRef": {"name": "airflow-config"}}, {"configMapRef": {"name": "airflow-env"}},
            {"secretRef": {"name": "airflow-env-secret"}}]


def _env() -> list[dict]:
    def from_secret(variable: str, name: str, key: str) -> dict:
        return {"name": variable, "valueFrom": {"secretKeyRef": {"name": name, "key": key}}}

    return [from_secret("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN", "airflow-metadata", "connection"),
            from_secret("AIRFLOW__CELERY__RESULT_BACKEND", "airflow-metadata", "celery-result-backend"),
            from_secret("AIRFLOW__CELERY__BROKER_URL", "airflow-metadata", "celery-broker"),
            from_secret("AIRFLOW__CORE__FERNET_KEY", "airflow-keys", "fernet-key"),
            from_secret("AIRFLOW__API_AUTH__JWT_SECRET", "airflow-keys", "jwt-secret")]


def _probe(component: Component) -> dict:
    if component.name in ("api-server", "webserver"):
        path = "/api/v2/monitor/health" if component.name == "api-server" else "/health"
        return {"httpGet": {"path": path, "port": API_PORT}, "periodSeconds": 10, "timeoutSeconds": 5,
                "failureThreshold": 6}
    if component.name == "redis":
        return {"exec": {"command": ["redis-cli", "ping"]}, "periodSeconds": 10}
    job = {"scheduler": "SchedulerJob", "triggerer": "TriggererJob", "dag-processor": "DagProcessorJob"}.get(component.name)
    command = (["airflow", "jobs", "check", "--job-type", job, "--local"] if job else
               ["sh", "-c", "celery --app airflow.providers.celery.executors.celery_executor.app inspect ping "
                "-d celery@$HOSTNAME"])
    return {"exec": {"command": command}, "periodSeconds": 30, "timeoutSeconds": 20, "failureThreshold": 5}


def _init_containers(spec: DeploymentSpec, component: Component, image: str) -> list[dict]:
    resources = _container_resources(SMALL["cpu"], SMALL["memory"])
    common = {"image": image, "envFrom": _env_from(), "env": _env(), "resources": resources}
    found = []
    if component.name == "scheduler":
        found.append({"name": "migrate-db", "command": ["airflow", "db", "migrate"], **common})
    elif component.name != "redis":
        found.append({"name": "wait-for-migrations", **common,
                      "command": ["airflow", "db", "check-migrations", "--migration-wait-timeout", "600"]})
    if component.reads_dags:
        sources = [{"name": variable, "valueFrom": {"secretKeyRef": {"name": "dag-source", "key": key,
                                                                     "optional": True}}}
                   for variable, key in (("DAGS_URL", "url"), ("BUNDLES", "bundles"))]
        mounts = [{"name": "dags", "mountPath": DAGS_FOLDER}]
        if spec.bundles:
            mounts.append({"name": "bundles", "mountPath": BUNDLES_ROOT})
        found.append({"name": "fetch-dags", "image": image, "resources": resources,
                      "command": ["python", "-c", FETCH_DAGS, DAGS_FOLDER, BUNDLES_ROOT],
                      "env": sources, "volumeMounts": mounts})
    return found


def bundle_folder(mount_path: str) -> str:
    """A bundle's folder in the bundles volume: named by its mount path (any path, one safe name)."""
    return "b-" + hashlib.sha256(mount_path.encode()).hexdigest()[:16]


def _dag_volumes(spec: DeploymentSpec) -> tuple[list[dict], list[dict]]:
    """(mounts, volumes) of a container that reads DAGs: the DAGs folder, and each bundle at its
    mount path."""
    mounts = [{"name": "dags", "mountPath": DAGS_FOLDER}]
    volumes = [{"name": "dags", "emptyDir": {}}]
    if spec.bundles:
        mounts += [{"name": "bundles", "mountPath": bundle.mount_path, "subPath": bundle_folder(bundle.mount_path)}
                   for bundle in spec.bundles]
        volumes.append({"name": "bundles", "emptyDir": {}})
    return mounts, volumes


def deployment(spec: DeploymentSpec, component: Component, image: str, redis_image: str, *,
               pinned_hash: str | None) -> dict:
    """A component's Deployment. `pinned_hash` keeps the configuration annotation running pods were
    started with, so a change of linked objects waits for the next rollout instead of rolling now."""
    component_labels = labels(spec, component.name)
    selector = {LABEL_DEPLOYMENT: component_labels[LABEL_DEPLOYMENT], LABEL_COMPONENT: component.name}
    annotations = {SHAPE_HASH: shape_hash(component)}
    if component.name != "redis":  # the broker reads none of the deployment's configuration
        annotations[CONFIG_HASH] = pinned_hash or spec.config_hash
    if component.reads_dags and spec.dag_version:
        annotations[DAG_VERSION] = spec.dag_version
    if component.reads_dags and spec.bundles:  # a new, changed or removed bundle rolls these components
        annotations[BUNDLE_VERSIONS] = ",".join(sorted(f"{b.mount_path}={b.version}" for b in spec.bundles))
    if component.name == "redis":
        container = {"name": "redis", "image": redis_image, "ports": [{"containerPort": REDIS_PORT}],
                     "resources": _container_resources(component.cpu, component.memory),
                     "readinessProbe": _probe(component), "livenessProbe": _probe(component)}
        volumes, init = [], []
    else:
        mounts, volumes = _dag_volumes(spec) if component.reads_dags else (
            [{"name": "dags", "mountPath": DAGS_FOLDER}], [{"name": "dags", "emptyDir": {}}])
        if spec.executor == "KUBERNETES" and component.name == "scheduler":
            mounts.append({"name": "pod-template", "mountPath": "/opt/astroplane/pod-template"})
            volumes.append({"name": "pod-template", "configMap": {"name": "pod-template"}})
        container = {"name": _container_name(component),
                     "image": image, "command": list(component.command), "envFrom": _env_from(), "env": _env(),
                     "resources": _container_resources(component.cpu, component.memory),
                     "readinessProbe": _probe(component), "livenessProbe": _probe(component),
                     "volumeMounts": mounts}
        if component.name in ("api-server", "webserver"):
            container["ports"] = [{"containerPort": API_PORT, "name": "http"}]
        init = _init_containers(spec, component, image)
    template_spec = {"containers": [container], "volumes": volumes, "enableServiceLinks": False,
                     "serviceAccountName": "airflow"}
    if init:
        template_spec["initContainers"] = init
    body = {"selector": {"matchLabels": selector},
            "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1, "maxUnavailable": 0}},
            "revisionHistoryLimit": 5, "progressDeadlineSeconds": 600,
            "template": {"metadata": {"labels": component_labels, "annotations": annotations},
                         "spec": template_spec}}
    if component.autoscaled is None:  # workers: the HorizontalPodAutoscaler owns their replicas
        body["replicas"] = component.replicas
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": _metadata(spec, component.name, component_labels),
            "spec": body}


def _container_name(component: Component) -> str:
    return "worker" if component.autoscaled else component.name


def autoscaler(spec: DeploymentSpec, component: Component) -> dict:
    """Keeps a queue's workers within its min/max (at least one: scaling to zero needs KEDA)."""
    queue = component.autoscaled
    assert queue is not None
    return {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
            "metadata": _metadata(spec, component.name, labels(spec, component.name)),
            "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": component.name},
                     "minReplicas": max(1, queue.min_workers), "maxReplicas": max(1, queue.max_workers),
                     "metrics": [{"type": "Resource", "resource": {"name": "cpu", "target": {
                         "type": "Utilization", "averageUtilization": 70}}}]}}


def service(spec: DeploymentSpec, name: str, port: int) -> dict:
    return {"apiVersion": "v1", "kind": "Service", "metadata": _metadata(spec, name, labels(spec, name)),
            "spec": {"selector": {LABEL_DEPLOYMENT: spec.deployment_id.lower(), LABEL_COMPONENT: name},
                     "ports": [{"port": port, "targetPort": port, "name": "tcp"}]}}


def service_account(spec: DeploymentSpec) -> list[dict]:
    """The components' identity; with the KUBERNETES executor the scheduler starts task pods."""
    found = [{"apiVersion": "v1", "kind": "ServiceAccount", "metadata": _metadata(spec, "airflow")}]
    if spec.executor == "KUBERNETES":
        found += [
            {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": _metadata(spec, "airflow-pods"),
             "rules": [{"apiGroups": [""], "resources": ["pods"],
                        "verbs": ["create", "delete", "get", "list", "patch", "watch"]},
                       {"apiGroups": [""], "resources": ["pods/log"], "verbs": ["get"]}]},
            {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
             "metadata": _metadata(spec, "airflow-pods"),
             "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "airflow-pods"},
             "subjects": [{"kind": "ServiceAccount", "name": "airflow", "namespace": _topology(spec).namespace}]}]
    return found


def pod_template(spec: DeploymentSpec, image: str) -> dict:
    """The KUBERNETES executor's task pod, sized by the deployment's default task pod resources."""
    topology = _topology(spec)
    cpu, memory = topology.task_pod_cpu or "1", topology.task_pod_memory or "2Gi"
    mounts, volumes = _dag_volumes(spec)
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"labels": labels(spec, "task")},
           "spec": {"containers": [{"name": "base", "image": image, "envFrom": _env_from(), "env": _env(),
                                    "resources": _container_resources(cpu, memory),
                                    "volumeMounts": mounts}],
                    "initContainers": [c for c in _init_containers(spec, Component("task", 1, cpu, memory, (),
                                                                                    reads_dags=True), image)
                                       if c["name"] == "fetch-dags"],
                    "volumes": volumes, "restartPolicy": "Never",
                    "serviceAccountName": "airflow"}}
    return config_map(spec, "pod-template", {"pod-template.yaml": json.dumps(pod, indent=1, sort_keys=True)})


def desired(spec: DeploymentSpec, *, image: str, redis_image: str, keys: dict[str, str], metadata_url: str,
            dag_url: str | None, pinned_hashes: dict[str, str], bundle_urls: dict[str, str] | None = None
            ) -> list[dict]:
    """Every object of the deployment, in the order they are applied (what others refer to first)."""
    topology = _topology(spec)
    broker = f"redis://redis.{topology.namespace}.svc:{REDIS_PORT}/0"
    objects = [namespace(spec), resource_quota(spec), *service_account(spec), airflow_config(spec),
               *environment(spec),
               secret(spec, "airflow-keys", keys),
               secret(spec, "airflow-metadata", {"connection": metadata_url, "celery-broker": broker,
                                                 "celery-result-backend": "db+" + metadata_url})]
    sources = {"url": dag_url} if dag_url else {}
    if bundle_urls:  # bundle folder -> URL, for the fetch
        sources["bundles"] = json.dumps(bundle_urls, sort_keys=True)
    objects.append(secret(spec, "dag-source", sources))
    if spec.executor == "KUBERNETES":
        objects.append(pod_template(spec, image))
    for component in components(spec):
        objects.append(deployment(spec, component, image, redis_image, pinned_hash=pinned_hashes.get(component.name)))
        if component.autoscaled:
            objects.append(autoscaler(spec, component))
    web = "api-server" if spec.airflow_version.startswith("3.") else "webserver"
    objects.append(service(spec, web, API_PORT))
    if spec.executor in QUEUED_EXECUTORS:
        objects.append(service(spec, "redis", REDIS_PORT))
    return objects
