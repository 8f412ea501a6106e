"""Where a deployment stands, read from its Kubernetes objects: pure functions over the API's JSON."""

from dataclasses import dataclass

from astroplane.runtime.kubernetes.manifests import LABEL_COMPONENT

# container states that will not fix themselves
FAILING_WAITING = frozenset({"CrashLoopBackOff", "ImagePullBackOff", "ErrImagePull", "InvalidImageName",
                             "CreateContainerConfigError", "CreateContainerError", "RunContainerError"})


@dataclass(frozen=True)
class Standing:
    state: str  # healthy | starting | failing
    reason: str | None = None


def rolled_out(deployment: dict) -> bool:
    """Every replica runs the current template and is available, and no old one is left."""
    want = deployment["spec"].get("replicas", 1)
    status = deployment.get("status", {})
    return (status.get("observedGeneration", 0) >= deployment["metadata"].get("generation", 0)
            and status.get("updatedReplicas", 0) >= want and status.get("availableReplicas", 0) >= want
            and status.get("replicas", 0) <= want)


def deployment_failure(deployment: dict) -> str | None:
    """A controller's verdict: a rollout past its deadline, or pods it cannot create (a quota)."""
    for condition in deployment.get("status", {}).get("conditions", []):
        if condition["type"] == "Progressing" and condition.get("reason") == "ProgressDeadlineExceeded":
            return f"{deployment['metadata']['name']}: {condition.get('message', 'rollout past its deadline')}"
        if condition["type"] == "ReplicaFailure" and condition.get("status") == "True":
            return f"{deployment['metadata']['name']}: {condition.get('message', condition.get('reason', ''))}"
    return None


def pod_failure(pod: dict) -> str | None:
    """Why a pod cannot run: unschedulable, or a container crashing or without its image."""
    component = pod["metadata"].get("labels", {}).get(LABEL_COMPONENT, pod["metadata"]["name"])
    status = pod.get("status", {})
    for condition in status.get("conditions", []):
        if condition["type"] == "PodScheduled" and condition.get("status") == "False" \
                and condition.get("reason") == "Unschedulable":
            return f"{component}: Unschedulable: {condition.get('message', '')}".strip()
    for container in status.get("initContainerStatuses", []) + status.get("containerStatuses", []):
        state = container.get("state", {})
        waiting, terminated = state.get("waiting"), state.get("terminated")
        if waiting and waiting.get("reason") in FAILING_WAITING:
            return f"{component}: container {container['name']} {waiting['reason']}: {waiting.get('message', '')}".strip()
        if terminated and terminated.get("exitCode", 0) != 0 and not container.get("ready"):
            detail = terminated.get("message") or f"exit code {terminated.get('exitCode')}"
            return f"{component}: container {container['name']} {terminated.get('reason', 'Error')}: {detail}"
    return None


def standing(expected: list[str], deployments: dict[str, dict], pods: list[dict] | None) -> Standing:
    """`pods` is read only when something is not rolled out (None: not read yet)."""
    waiting = []
    for name in expected:
        found = deployments.get(name)
        if found is None:
            waiting.append(name)
            continue
        failure = deployment_failure(found)
        if failure:
            return Standing("failing", failure)
        if not rolled_out(found):
            waiting.append(name)
    if not waiting:
        return Standing("healthy")
    for pod in pods or []:
        if pod["metadata"].get("labels", {}).get(LABEL_COMPONENT) in waiting and not pod["metadata"].get(
                "deletionTimestamp"):
            failure = pod_failure(pod)
            if failure:
                return Standing("failing", failure)
    return Standing("starting", f"Waiting for {', '.join(waiting)} to become available")
