"""Deployment options, read from the package's data file (not from code)."""

import functools
import json
from decimal import Decimal
from importlib import resources
from typing import Any

from astroplane.contract.models import (
    DeploymentOptions,
    ResourceQuotaOptions,
    RuntimeRelease,
    SchedulerMachine,
    WorkerMachine,
    WorkerQueueOptions,
)


@functools.cache
def data() -> dict[str, Any]:
    return json.loads(resources.files("astroplane.deployments").joinpath("data/deployment_options.json").read_text())


def defaults() -> dict[str, Any]:
    return data()["defaults"]


def releases() -> list[dict[str, Any]]:
    return data()["runtimeReleases"]


def latest_runtime() -> str:
    return releases()[0]["version"]


def release(version: str) -> dict[str, Any] | None:
    return next((r for r in releases() if r["version"] == version), None)


def airflow_version(runtime_version: str) -> str:
    found = release(runtime_version)
    return found["airflowVersion"] if found else ""


def is_airflow3(runtime_version: str) -> bool:
    return airflow_version(runtime_version).startswith("3.")


def executors(deployment_type: str) -> list[str]:
    return list(data()["executors"][deployment_type])


def scheduler_machine(size: str) -> dict[str, Any]:
    return next(m for m in data()["schedulerMachines"] if m["name"] == size)


def worker_machine(name: str) -> dict[str, Any] | None:
    return next((m for m in data()["workerMachines"] if m["name"] == name), None)


def standard_regions(provider: str) -> list[str]:
    return list(data()["standardRegions"].get(provider, []))


def quantity(value: str) -> Decimal:
    """A Kubernetes quantity ('1.5', '500m', '10Gi') as a number, parsed by the Kubernetes client
    library; ValueError when it is not one."""
    from kubernetes.utils.quantity import parse_quantity  # imported on first use: a heavy package

    return Decimal(parse_quantity(value))


def deployment_options(deployment_type: str | None, executor: str | None) -> DeploymentOptions:
    source = data()
    available = executors(deployment_type or "DEDICATED")
    runtime = releases()
    if executor == "ASTRO":
        runtime = [r for r in runtime if r["airflowVersion"].startswith("3.")]
    hosted = deployment_type != "HYBRID"
    return DeploymentOptions(
        executors=available,
        runtimeReleases=[RuntimeRelease(**r) for r in runtime],
        schedulerMachines=[SchedulerMachine(**m) for m in source["schedulerMachines"]] if hosted else [],
        workerMachines=[WorkerMachine(**m) for m in source["workerMachines"]] if hosted else [],
        workerQueues=WorkerQueueOptions(**source["workerQueues"]),
        resourceQuotas=ResourceQuotaOptions(**source["resourceQuotas"]),
    )
