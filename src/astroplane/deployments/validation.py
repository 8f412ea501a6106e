"""Checks on deployment requests: resources, worker queues, environment variables, hibernation.

Each raises BadRequest naming the offending field; nothing here touches the database.
"""

import datetime as dt
import ipaddress
from decimal import Decimal
from typing import Any

from astroplane.deployments import lifecycle, options
from astroplane.kit.errors import BadRequest

GI = Decimal(2**30)
MAX_NAME_LENGTH = 256
MAX_DESCRIPTION_LENGTH = 1000
MAX_QUEUE_NAME = 63
MAX_SCHEDULES = 10
MAX_SCHEDULE_DESCRIPTION = 200
MAX_ENV_KEY = 256


def name(value: str) -> str:
    value = value.strip()
    if not value or len(value) > MAX_NAME_LENGTH:
        raise BadRequest(f"name must be 1 to {MAX_NAME_LENGTH} characters", field="name")
    return value


def description(value: str | None) -> str | None:
    if value is not None and len(value) > MAX_DESCRIPTION_LENGTH:
        raise BadRequest(f"description must be at most {MAX_DESCRIPTION_LENGTH} characters", field="description")
    return value


def contact_emails(values: list[str] | None) -> list[str] | None:
    for index, email in enumerate(values or []):
        local, _, domain = email.partition("@")
        if not local or "." not in domain or len(email) > 320:
            raise BadRequest(f"contactEmails[{index}] is not an email address", field=f"contactEmails[{index}]")
    return list(values) if values is not None else None


def quantity(field: str, value: str) -> Decimal:
    try:
        parsed = options.quantity(value)
    except (ValueError, ArithmeticError, TypeError):
        raise BadRequest(f"{field} must be a Kubernetes quantity such as '1', '500m' or '2Gi': {value[:40]!r}",
                         field=field) from None
    if parsed <= 0:
        raise BadRequest(f"{field} must be greater than zero", field=field)
    return parsed


def _in_range(field: str, value: Decimal, bounds: dict[str, str]) -> None:
    floor, ceiling = options.quantity(bounds["floor"]), options.quantity(bounds["ceiling"])
    if not floor <= value <= ceiling:
        raise BadRequest(f"{field} must be between {bounds['floor']} and {bounds['ceiling']}", field=field)


def _format_memory(cpu: Decimal) -> str:
    gib = cpu * 2
    return f"{gib.normalize():f}Gi"


def cpu_memory_pair(cpu_field: str, memory_field: str, cpu: str | None, memory: str | None,
                    current: tuple[str | None, str | None], bounds: dict[str, Any]) -> tuple[str, str]:
    """A CPU/memory pair: quantities within the options' range, memory twice the CPU in GiB.
    A missing CPU keeps the current (or default) value; a missing memory follows the CPU."""
    cpu = cpu or current[0] or bounds["cpu"]["default"]
    cpu_value = quantity(cpu_field, cpu)
    _in_range(cpu_field, cpu_value, bounds["cpu"])
    if memory is None:
        memory = current[1] if cpu == current[0] and current[1] else _format_memory(cpu_value)
    memory_value = quantity(memory_field, memory)
    _in_range(memory_field, memory_value, bounds["memory"])
    if memory_value != cpu_value * 2 * GI:
        raise BadRequest(f"{memory_field} must be twice {cpu_field} in GiB ({_format_memory(cpu_value)} for "
                         f"{cpu_field} {cpu})", field=memory_field)
    return cpu, memory


def executor(deployment_type: str, value: str, runtime: str) -> str:
    if value not in options.executors(deployment_type):
        raise BadRequest(f"executor {value} is not available for {deployment_type} deployments", field="executor")
    if value == "ASTRO" and not options.is_airflow3(runtime):
        raise BadRequest("the ASTRO executor needs an Airflow 3 runtime", field="executor")
    return value


def runtime(value: str | None) -> str:
    if value is None:
        return options.latest_runtime()
    if options.release(value) is None:
        raise BadRequest(f"astroRuntimeVersion {value[:40]!r} is not a runtime release this server offers "
                         "(see GET deployment-options)", field="astroRuntimeVersion")
    return value


def queues_needed(executor_name: str, remote_execution_enabled: bool) -> bool:
    return executor_name == "CELERY" or (executor_name == "ASTRO" and not remote_execution_enabled)


def worker_queues(queues: list[Any], *, hosted: bool, node_pool_ids: set[str]) -> None:
    """Unique names, exactly one default queue named `default`, worker counts within the options,
    known machines and node pools, ephemeral storage a valid quantity."""
    if not queues:
        raise BadRequest("workerQueues needs at least one queue", field="workerQueues")
    limits = options.data()["workerQueues"]
    storage = options.data()["podEphemeralStorage"]
    names: set[str] = set()
    defaults = []
    for index, queue in enumerate(queues):
        prefix = f"workerQueues[{index}]"
        if not queue.name or len(queue.name) > MAX_QUEUE_NAME:
            raise BadRequest(f"{prefix}.name must be 1 to {MAX_QUEUE_NAME} characters", field=f"{prefix}.name")
        if queue.name in names:
            raise BadRequest(f"{prefix}.name {queue.name!r} is used by another queue", field=f"{prefix}.name")
        names.add(queue.name)
        if queue.isDefault:
            defaults.append(queue)
        if not limits["minWorkers"]["floor"] <= queue.minWorkerCount <= limits["minWorkers"]["ceiling"]:
            raise BadRequest(f"{prefix}.minWorkerCount must be between {limits['minWorkers']['floor']:g} and "
                             f"{limits['minWorkers']['ceiling']:g}", field=f"{prefix}.minWorkerCount")
        if not limits["maxWorkers"]["floor"] <= queue.maxWorkerCount <= limits["maxWorkers"]["ceiling"]:
            raise BadRequest(f"{prefix}.maxWorkerCount must be between {limits['maxWorkers']['floor']:g} and "
                             f"{limits['maxWorkers']['ceiling']:g}", field=f"{prefix}.maxWorkerCount")
        if queue.minWorkerCount > queue.maxWorkerCount:
            raise BadRequest(f"{prefix}.minWorkerCount must not exceed maxWorkerCount", field=f"{prefix}.minWorkerCount")
        ceiling = limits["workerConcurrency"]["ceiling"]
        if hosted:
            machine = options.worker_machine(queue.astroMachine) if getattr(queue, "astroMachine", None) else None
            if machine is None:
                raise BadRequest(f"{prefix}.astroMachine is required and must be one of the worker machines "
                                 "(see GET deployment-options)", field=f"{prefix}.astroMachine")
            ceiling = machine["concurrency"]["ceiling"]
            storage_value = getattr(queue, "podEphemeralStorage", None)
            if storage_value is not None:
                parsed = quantity(f"{prefix}.podEphemeralStorage", storage_value)
                _in_range(f"{prefix}.podEphemeralStorage", parsed, storage)
        else:
            if getattr(queue, "nodePoolId", None) not in node_pool_ids:
                raise BadRequest(f"{prefix}.nodePoolId must name a node pool of the deployment's cluster",
                                 field=f"{prefix}.nodePoolId")
        if not 1 <= queue.workerConcurrency <= ceiling:
            raise BadRequest(f"{prefix}.workerConcurrency must be between 1 and {ceiling:g}",
                             field=f"{prefix}.workerConcurrency")
    if len(defaults) != 1:
        raise BadRequest(f"workerQueues needs exactly one default queue (isDefault true), found {len(defaults)}",
                         field="workerQueues")
    if defaults[0].name != "default":
        raise BadRequest("the default worker queue must be named 'default'", field="workerQueues")


def environment_variables(variables: list[Any] | None) -> list[Any]:
    keys: set[str] = set()
    for index, variable in enumerate(variables or []):
        prefix = f"environmentVariables[{index}]"
        if not variable.key or len(variable.key) > MAX_ENV_KEY or any(c.isspace() or c == "=" for c in variable.key):
            raise BadRequest(f"{prefix}.key must be 1 to {MAX_ENV_KEY} characters without spaces or '='",
                             field=f"{prefix}.key")
        if variable.key in keys:
            raise BadRequest(f"{prefix}.key {variable.key!r} appears twice", field=f"{prefix}.key")
        keys.add(variable.key)
    return list(variables or [])


def remote_execution(request: Any, deployment_type: str, executor_name: str) -> dict[str, Any] | None:
    if request is None or not request.enabled:
        return None
    if deployment_type != "DEDICATED" or executor_name != "ASTRO":
        raise BadRequest("remoteExecution needs a DEDICATED deployment with the ASTRO executor",
                         field="remoteExecution")
    for index, cidr in enumerate(request.allowedIpAddressRanges or []):
        try:
            ipaddress.ip_network(cidr, strict=False)
        except ValueError:
            raise BadRequest(f"remoteExecution.allowedIpAddressRanges[{index}] is not a CIDR range",
                             field=f"remoteExecution.allowedIpAddressRanges[{index}]") from None
    return {"enabled": True, "allowedIpAddressRanges": list(request.allowedIpAddressRanges or []),
            "taskLogBucket": request.taskLogBucket, "taskLogUrlPattern": request.taskLogUrlPattern}


def parse_override_until(field: str, value: str | dt.datetime | None, now: dt.datetime) -> dt.datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise BadRequest(f"{field} must be an RFC 3339 time such as 2030-01-01T00:00:00Z", field=field) from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    value = value.astimezone(dt.UTC).replace(microsecond=0)
    if value <= now:
        raise BadRequest(f"{field} must be in the future", field=field)
    return value


def hibernation_schedules(schedules: list[Any] | None) -> list[dict[str, Any]]:
    if schedules is None:
        return []
    if len(schedules) > MAX_SCHEDULES:
        raise BadRequest(f"scalingSpec.hibernationSpec.schedules takes at most {MAX_SCHEDULES} schedules",
                         field="scalingSpec.hibernationSpec.schedules")
    result = []
    for index, schedule in enumerate(schedules):
        prefix = f"scalingSpec.hibernationSpec.schedules[{index}]"
        for attribute in ("hibernateAtCron", "wakeAtCron"):
            if not lifecycle.valid_cron(getattr(schedule, attribute)):
                raise BadRequest(f"{prefix}.{attribute} must be a five-field cron expression (UTC)",
                                 field=f"{prefix}.{attribute}")
        if schedule.description is not None and len(schedule.description) > MAX_SCHEDULE_DESCRIPTION:
            raise BadRequest(f"{prefix}.description must be at most {MAX_SCHEDULE_DESCRIPTION} characters",
                             field=f"{prefix}.description")
        result.append({"hibernateAtCron": schedule.hibernateAtCron, "wakeAtCron": schedule.wakeAtCron,
                       "isEnabled": schedule.isEnabled, "description": schedule.description})
    return result
