"""Reads a deployment's desired runtime from the database: what the API recorded, nothing more."""

import json

from sqlalchemy.orm import Session

from astroplane.deployments import options
from astroplane.deployments.lifecycle import RUNNING
from astroplane.deployments.models import Deployment
from astroplane.deployments.repository import DeploymentRepository
from astroplane.deploys.repository import DeployRepository
from astroplane.envobjects import service as envobjects
from astroplane.envobjects.payloads import AIRFLOW_VARIABLE, CONNECTION, ENVIRONMENT_VARIABLE
from astroplane.runtime.base import BundleSpec, DeploymentSpec, QueueSpec, Topology

# connection fields (API names) -> the keys of Airflow's JSON connection format
CONNECTION_FIELDS = {"type": "conn_type", "host": "host", "login": "login", "password": "password",
                     "schema": "schema", "port": "port", "extra": "extra"}


def environment_of(objects: list[tuple[str, str, dict]], variables: dict[str, str]) -> dict[str, str]:
    """The process environment: environment objects as Airflow reads them from the environment
    (AIRFLOW_VAR_<KEY>, AIRFLOW_CONN_<KEY> as JSON), then the deployment's own variables, which win.
    Metrics exports configure the platform, not Airflow, and are left out."""
    environment: dict[str, str] = {}
    for object_type, key, values in objects:
        if object_type == AIRFLOW_VARIABLE:
            environment[f"AIRFLOW_VAR_{key.upper()}"] = str(values.get("value", ""))
        elif object_type == CONNECTION:
            connection = {CONNECTION_FIELDS[name]: value for name, value in values.items() if name in CONNECTION_FIELDS}
            environment[f"AIRFLOW_CONN_{key.upper()}"] = json.dumps(connection, sort_keys=True)
        elif object_type == ENVIRONMENT_VARIABLE:
            environment[key] = str(values.get("value", ""))
    environment.update(variables)
    return environment


# a HYBRID scheduler's Astro Unit
AU_CPU_MILLIS, AU_MEMORY_MIB = 100, 384


def topology_of(deployment: Deployment, queues: list, environment: dict[str, str], plain_keys: set[str]) -> Topology:
    """Sizes, replicas and queues as a cluster runs them: hosted types size the scheduler by
    schedulerSize (two of each with high availability), HYBRID by its AU and replica count."""
    highly_available = bool(deployment.is_high_availability)
    if deployment.scheduler_au:
        replicas = deployment.scheduler_replicas or 1
        cpu, memory = f"{deployment.scheduler_au * AU_CPU_MILLIS}m", f"{deployment.scheduler_au * AU_MEMORY_MIB}Mi"
    else:
        machine = options.scheduler_machine(deployment.scheduler_size or options.defaults()["schedulerSize"])["spec"]
        replicas, cpu, memory = (2 if highly_available else 1), machine["cpu"], machine["memory"]
    default_machine = options.defaults()["workerQueue"]["astroMachine"]
    queue_specs = []
    for queue in queues if deployment.executor != "KUBERNETES" else []:
        machine = (options.worker_machine(queue.astro_machine or default_machine) or
                   options.worker_machine(default_machine))["spec"]
        queue_specs.append(QueueSpec(queue.name, queue.min_worker_count, queue.max_worker_count,
                                     queue.worker_concurrency, machine["cpu"], machine["memory"]))
    return Topology(
        workspace_id=deployment.workspace_id, namespace=deployment.namespace or deployment.id.lower(),
        runtime_version=deployment.runtime_version, image=f"{deployment.image_repository}:{deployment.image_tag}",
        scheduler_replicas=replicas, scheduler_cpu=cpu, scheduler_memory=memory,
        api_server_replicas=2 if highly_available else 1, queues=tuple(queue_specs),
        quota_cpu=deployment.resource_quota_cpu, quota_memory=deployment.resource_quota_memory,
        task_pod_cpu=deployment.default_task_pod_cpu, task_pod_memory=deployment.default_task_pod_memory,
        secret_keys=frozenset(set(environment) - plain_keys))


def deployment_spec(session: Session, deployment: Deployment) -> DeploymentSpec:
    repository = DeploymentRepository(session)
    rows = repository.environment([deployment.id])[deployment.id]
    variables = {row.key: row.value or "" for row in rows}
    objects = envobjects.effective_for_deployment(session, deployment.workspace_id, deployment.id)
    version = deployment.desired_dag_tarball_version if deployment.is_dag_deploy_enabled else None
    deploys = DeployRepository(session)
    upload = deploys.upload(version) if version else None
    bundles = []
    for bundle in deploys.current_bundles(deployment.id):
        archive = deploys.upload(bundle.bundle_version)
        if archive is not None:
            bundles.append(BundleSpec(bundle.bundle_mount_path, bundle.bundle_version, archive.digest))
    environment = environment_of(objects, variables)
    # only the deployment's own plain variables may sit in a ConfigMap; secret ones and linked objects may not
    plain = {row.key for row in rows if not row.is_secret and environment.get(row.key) == (row.value or "")}
    return DeploymentSpec(
        deployment_id=deployment.id, organization_id=deployment.organization_id,
        airflow_version=options.airflow_version(deployment.runtime_version), executor=deployment.executor,
        environment=environment,
        dag_version=version if upload is not None else None, dag_digest=upload.digest if upload else None,
        rollout=deployment.status in RUNNING, bundles=tuple(bundles),
        topology=topology_of(deployment, repository.queues([deployment.id])[deployment.id], environment, plain))
