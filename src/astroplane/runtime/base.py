"""The runtime interface the reconciler drives. The API layer records desired state only; a backend
makes a deployment's runtime match it and reports what it observes."""

import hashlib
import json
from dataclasses import dataclass, field
from typing import Literal, Protocol

State = Literal["stopped", "starting", "healthy", "failing"]


@dataclass(frozen=True)
class BundleSpec:
    """A bundle (e.g. a dbt project, `astro dbt deploy`) the deployment should have at a mount path."""

    mount_path: str  # absolute, as the deploy named it (e.g. /usr/local/airflow/dbt/jaffle)
    version: str  # its upload version id
    digest: str  # where the archive is in the blob store


@dataclass(frozen=True)
class QueueSpec:
    """One Celery worker queue: its worker count bounds and machine."""

    name: str
    min_workers: int
    max_workers: int
    concurrency: int
    cpu: str
    memory: str


@dataclass(frozen=True)
class Topology:
    """How a deployment is laid out on a cluster (the kubernetes backend; the others ignore it)."""

    workspace_id: str
    namespace: str
    runtime_version: str
    image: str  # repository:tag of the deployment's Astro Runtime image
    scheduler_replicas: int
    scheduler_cpu: str
    scheduler_memory: str
    api_server_replicas: int
    queues: tuple[QueueSpec, ...] = ()
    quota_cpu: str | None = None
    quota_memory: str | None = None
    task_pod_cpu: str | None = None
    task_pod_memory: str | None = None
    secret_keys: frozenset[str] = frozenset()  # environment keys whose values are secret


@dataclass(frozen=True)
class DeploymentSpec:
    """Everything a backend needs to run one deployment, read from the database in one pass."""

    deployment_id: str
    organization_id: str
    airflow_version: str
    executor: str
    # the process environment: deployment variables and linked environment objects (secrets decrypted)
    environment: dict[str, str] = field(repr=False)
    dag_version: str | None = None  # the DAG archive (its upload version id) that should be in place
    dag_digest: str | None = None  # where that archive is in the blob store
    # a rollout (create, update or deploy) is in progress: each one gets a fresh attempt, even for
    # components that had given up crashing
    rollout: bool = False
    # the bundles in place, by mount path; a bundle not listed any more is removed
    bundles: tuple[BundleSpec, ...] = ()
    topology: Topology | None = field(default=None, repr=False)

    @property
    def config_hash(self) -> str:
        """Changes whenever a restart is needed to apply the spec (DAGs are swapped in place)."""
        payload = json.dumps([self.airflow_version, self.executor, sorted(self.environment.items())])
        return hashlib.sha256(payload.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Observation:
    state: State
    reason: str | None = None
    config_hash: str | None = None  # what the running processes were started with
    dag_version: str | None = None  # the DAG archive really in place


HEALTHY = Observation("healthy")


class RuntimeBackend(Protocol):
    # whether the backend runs something: then the reconciler reads each deployment's spec, asks the
    # backend to converge on it, watches running deployments on every pass and collects their
    # logs. A backend that runs nothing is healthy by definition and only paced by the step timer.
    supervises: bool

    def converge(self, spec: DeploymentSpec, *, restart_on_change: bool) -> Observation:
        """Move towards running `spec` without blocking; report where things stand (supervising
        backends only)."""

    def stop(self, deployment_id: str) -> None:
        """Stop every process of the deployment (hibernation); its files stay."""

    def remove(self, deployment_id: str) -> None:
        """Stop the deployment and delete everything it had on this machine."""

    def sweep(self) -> None:
        """Once per reconciler pass: finish what earlier calls began (stopping processes)."""

    def collect_logs(self, deployment_id: str) -> list[tuple[str, str]]:
        """(source, line) written by the deployment's components since the last call (supervising
        backends only)."""

    def endpoint(self, deployment_id: str) -> str | None:
        """Where the deployment's Airflow answers, when one is running."""

    def shutdown(self) -> None:
        """The server is stopping."""
