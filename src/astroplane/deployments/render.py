"""A deployment row (with its queues, variables and cluster) as the contract's Deployment."""

import datetime as dt


from astroplane.auth.subjects import SubjectProfiles
from astroplane.clusters import options as cluster_options
from astroplane.clusters.models import Cluster, NodePool
from astroplane.contract.models import BasicSubjectProfile
from astroplane.deployments import lifecycle, options, schemas
from astroplane.deployments.models import Deployment, EnvironmentVariable, WorkerQueue
from astroplane.kit.time import utcnow

# Shown as author of rows written without one (by the server itself).
SYSTEM_PROFILE = BasicSubjectProfile(id="system", subjectType="SERVICEKEY", apiTokenName="astroplane")
AU_MILLICPU = 100
AU_MEBIBYTES = 384


def schedules_of(deployment: Deployment) -> list[lifecycle.Schedule]:
    return [lifecycle.Schedule(s["hibernateAtCron"], s["wakeAtCron"], bool(s.get("isEnabled", True)))
            for s in deployment.hibernation_schedules or []]


def hibernation(deployment: Deployment, now: dt.datetime) -> lifecycle.HibernationState:
    return lifecycle.hibernation_state(schedules_of(deployment), deployment.hibernation_override,
                                       deployment.hibernation_override_until, now)


def view_changes_at(deployment: Deployment, now: dt.datetime) -> dt.datetime | None:
    """When the view rendered at `now` changes by the clock alone (development deployments show
    hibernation times); None when only a write can change it."""
    if not deployment.is_development_mode:
        return None
    return lifecycle.hibernation_changes_at(schedules_of(deployment), deployment.hibernation_override,
                                            deployment.hibernation_override_until, now)


def override_view(deployment: Deployment, now: dt.datetime) -> schemas.DeploymentHibernationOverride:
    return schemas.DeploymentHibernationOverride(
        isActive=lifecycle.override_active(deployment.hibernation_override, deployment.hibernation_override_until, now),
        isHibernating=deployment.hibernation_override, overrideUntil=deployment.hibernation_override_until)


def _scaling(deployment: Deployment, now: dt.datetime):
    if not deployment.is_development_mode:
        return None, None
    override = override_view(deployment, now) if deployment.hibernation_override is not None else None
    schedules = [schemas.DeploymentHibernationSchedule(**s) for s in deployment.hibernation_schedules or []]
    spec = schemas.DeploymentScalingSpec(hibernationSpec=schemas.DeploymentHibernationSpec(
        schedules=schedules, override=override))
    state = hibernation(deployment, now)
    status = schemas.DeploymentScalingStatus(hibernationStatus=schemas.DeploymentHibernationStatus(
        isHibernating=deployment.status == "HIBERNATING", nextEventType=state.next_event_type,
        nextEventAt=state.next_event_at.strftime("%Y-%m-%dT%H:%M:%SZ") if state.next_event_at else None,
        reason=state.reason))
    return spec, status


def _pool_size(pool: NodePool | None, provider: str) -> tuple[str, str]:
    if pool is None:
        return "1", "2Gi"
    instance = next((i for i in cluster_options.provider(provider)["nodeInstances"]
                     if i["name"] == pool.node_instance_type), None)
    return (str(instance["cpu"]), instance["memory"]) if instance else ("1", "2Gi")


def _queue(queue: WorkerQueue, pools: dict[str, NodePool], provider: str) -> schemas.WorkerQueue:
    if queue.astro_machine:
        spec = options.worker_machine(queue.astro_machine)["spec"]
        cpu, memory = spec["cpu"], spec["memory"]
    else:
        cpu, memory = _pool_size(pools.get(queue.node_pool_id or ""), provider)
    return schemas.WorkerQueue(
        id=queue.id, name=queue.name, isDefault=queue.is_default, minWorkerCount=queue.min_worker_count,
        maxWorkerCount=queue.max_worker_count, workerConcurrency=queue.worker_concurrency,
        astroMachine=queue.astro_machine, nodePoolId=queue.node_pool_id,
        podEphemeralStorage=queue.pod_ephemeral_storage, podCpu=cpu, podMemory=memory)


def _variable(variable: EnvironmentVariable) -> schemas.DeploymentEnvironmentVariable:
    return schemas.DeploymentEnvironmentVariable(
        key=variable.key, isSecret=variable.is_secret, updatedAt=variable.updated_at,
        value=None if variable.is_secret else (variable.value or ""))


def _scheduler(deployment: Deployment) -> tuple[str, str, int]:
    if deployment.type == "HYBRID":
        au = deployment.scheduler_au or 5
        return f"{au * AU_MILLICPU}m", f"{au * AU_MEBIBYTES}Mi", deployment.scheduler_replicas or 1
    spec = options.scheduler_machine(deployment.scheduler_size or "SMALL")["spec"]
    return spec["cpu"], spec["memory"], 2 if deployment.is_high_availability else 1


# Session info key: the server's public URL when it runs the local runtime (each deployment's
# Airflow is then reached through astroplane), absent otherwise.
LOCAL_AIRFLOW_BASE = "local_airflow_base"


def urls(deployment: Deployment, local_base: str | None = None) -> dict[str, str]:
    """The deployment's URLs, shaped as Astro gives them: `webServerIngressHostname`, `webServerUrl`
    and `webServerAirflowApiUrl` without a scheme (the Astro CLI puts https:// in front of the
    last one), `apiUrl` and `uiUrl` with one. On the local runtime they lead to the deployment's
    Airflow through astroplane's proxy (runtime/proxy_endpoints.py)."""
    if local_base is not None:
        airflow = f"{local_base}/v1/organizations/{deployment.organization_id}/deployments/{deployment.id}/airflow"
        bare = airflow.split("://", 1)[-1]
        return {"webServerIngressHostname": local_base.split("://", 1)[-1], "webServerUrl": bare,
                "webServerAirflowApiUrl": f"{bare}/api/v2", "apiUrl": f"{airflow}/api/v2", "uiUrl": airflow}
    domain = options.defaults()["ingressDomain"]
    suffix = deployment.id[-8:]
    host = f"{deployment.organization_id}.{domain}"
    return {
        "webServerIngressHostname": f"{deployment.cluster_id or deployment.organization_id}.{domain}/{suffix}",
        "webServerUrl": f"{host}/{suffix}?orgId={deployment.organization_id}",
        "webServerAirflowApiUrl": f"{host}/{suffix}/api/v1",
        "apiUrl": f"https://{host}/{suffix}/api/v2",
        "uiUrl": f"https://{host}/{suffix}",
    }


def to_public(deployment: Deployment, *, cluster: Cluster | None, pools: list[NodePool],
              workspace_name: str | None, queues: list[WorkerQueue], variables: list[EnvironmentVariable],
              profiles: SubjectProfiles, now: dt.datetime | None = None, local_base: str | None = None
              ) -> schemas.Deployment:
    now = now or utcnow()
    hosted = deployment.type != "HYBRID"
    scheduler_cpu, scheduler_memory, scheduler_replicas = _scheduler(deployment)
    web = options.defaults()["webServer"]
    spec, status = _scaling(deployment, now)
    remote = deployment.remote_execution
    provider = deployment.cloud_provider or (cluster.cloud_provider if cluster else "AWS")
    pool_index = {pool.id: pool for pool in pools}
    return schemas.Deployment(
        id=deployment.id, organizationId=deployment.organization_id, workspaceId=deployment.workspace_id,
        workspaceName=workspace_name, name=deployment.name, description=deployment.description,
        type=deployment.type, status=deployment.status, statusReason=deployment.status_reason,
        clusterId=deployment.cluster_id, clusterName=cluster.name if cluster else None,
        cloudProvider=deployment.cloud_provider, region=deployment.region, namespace=deployment.namespace or "",
        astroRuntimeVersion=deployment.runtime_version, runtimeVersion=deployment.runtime_version,
        airflowVersion=options.airflow_version(deployment.runtime_version),
        executor=deployment.executor, imageRepository=deployment.image_repository, imageTag=deployment.image_tag,
        imageVersion=deployment.image_tag or None,
        isCicdEnforced=deployment.is_cicd_enforced, isDagDeployEnabled=deployment.is_dag_deploy_enabled,
        dagTarballVersion=deployment.dag_tarball_version,
        desiredDagTarballVersion=deployment.desired_dag_tarball_version,
        contactEmails=deployment.contact_emails,
        effectiveWorkloadIdentity=deployment.workload_identity,
        effectiveDRWorkloadIdentity=deployment.dr_workload_identity,
        isDevelopmentMode=deployment.is_development_mode if hosted else None,
        isHighAvailability=deployment.is_high_availability if hosted else None,
        schedulerSize=deployment.scheduler_size if hosted else None,
        schedulerAu=deployment.scheduler_au if not hosted else None,
        schedulerCpu=scheduler_cpu, schedulerMemory=scheduler_memory, schedulerReplicas=scheduler_replicas,
        webServerCpu=web["cpu"], webServerMemory=web["memory"],
        webServerReplicas=2 if deployment.is_high_availability else 1,
        resourceQuotaCpu=deployment.resource_quota_cpu, resourceQuotaMemory=deployment.resource_quota_memory,
        defaultTaskPodCpu=deployment.default_task_pod_cpu, defaultTaskPodMemory=deployment.default_task_pod_memory,
        taskPodNodePoolId=deployment.task_pod_node_pool_id,
        remoteExecution=schemas.DeploymentRemoteExecution(
            enabled=True, allowedIpAddressRanges=remote.get("allowedIpAddressRanges") or [],
            taskLogBucket=remote.get("taskLogBucket"), taskLogUrlPattern=remote.get("taskLogUrlPattern"),
            remoteApiUrl=urls(deployment, local_base)["apiUrl"]) if remote else None,
        scalingSpec=spec, scalingStatus=status,
        # omitted, not [], where the executor takes no queues (KUBERNETES, ASTRO with remote execution), as
        # Astro does: Terraform reads [] as a change from its unset worker_queues
        workerQueues=[_queue(q, pool_index, provider) for q in queues] or None,
        environmentVariables=[_variable(v) for v in variables],
        createdAt=deployment.created_at, updatedAt=deployment.updated_at,
        createdBy=profiles.created_by(deployment) or SYSTEM_PROFILE,
        updatedBy=profiles.updated_by(deployment) or SYSTEM_PROFILE,
        **urls(deployment, local_base),
    )
