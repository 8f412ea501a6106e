"""Deployments: create (full and simplified), list, get, update, delete (the runtime torn down
afterwards by the reconciler), hibernation."""

import datetime as dt
import logging
import secrets
from typing import Any

from sqlalchemy.orm import Session

from astroplane.auth.subjects import SubjectProfiles
from astroplane.clusters.models import Cluster, NodePool
from astroplane.clusters.repository import ClusterRepository
from astroplane.deployments import lifecycle, options, placement, render, schemas, scope, validation
from astroplane.deployments.models import Deployment, EnvironmentVariable, WorkerQueue
from astroplane.deployments.repository import DeploymentRepository
from astroplane.deployments.scope import run_delete_cleanups
from astroplane.deployments.steps import Steps
from astroplane.kit import data_versions
from astroplane.kit.cache import ResponseCache, current_epoch
from astroplane.kit.router import PreRendered, to_json
from astroplane.kit.errors import BadRequest, NotFound
from astroplane.kit.ids import is_id, new_id
from astroplane.kit.pagination import ListParams
from astroplane.kit.time import utcnow
from astroplane.kit.unions import parse_variant, refuse_foreign_fields
from astroplane.logs.repository import DeploymentLogRepository
from astroplane.rbac.authorize import AuthContext
from astroplane.rbac.principal import Target
from astroplane.rbac.repository import RoleBindingRepository
from astroplane.workspaces.models import Workspace
from astroplane.workspaces.repository import WorkspaceRepository

log = logging.getLogger("astroplane.deployments")
# Rendered deployment views, reused by GET and lists while nothing they are built from has changed
# (clients poll these; see _version).
RESPONSES = ResponseCache()

_WORDS = (("quiet", "bright", "swift", "gentle", "orbital", "lunar", "silent", "amber", "polar", "cosmic"),
          ("nebula", "comet", "quasar", "meteor", "photon", "pulsar", "galaxy", "zenith", "aurora", "eclipse"))


def _namespace() -> str:
    return f"{secrets.choice(_WORDS[0])}-{secrets.choice(_WORDS[1])}-{secrets.randbelow(9000) + 1000}"


def _log(session: Session, deployment: Deployment, source: str, text: str) -> None:
    DeploymentLogRepository(session).append(deployment.organization_id, deployment.id, source, text)


# ---------------------------------------------------------------- rendering helpers

def _context(session: Session, deployment: Deployment) -> tuple[Cluster | None, list[NodePool]]:
    if not deployment.cluster_id:
        return None, []
    cluster = session.get(Cluster, deployment.cluster_id)
    pools = ClusterRepository(session).node_pools([deployment.cluster_id])[deployment.cluster_id]
    return cluster, pools


def _public(session: Session, deployment: Deployment) -> schemas.Deployment:
    repository = DeploymentRepository(session)
    cluster, pools = _context(session, deployment)
    workspace = session.get(Workspace, deployment.workspace_id)
    return render.to_public(deployment, cluster=cluster, pools=pools, workspace_name=workspace.name if workspace else None,
                            queues=repository.queues([deployment.id])[deployment.id],
                            variables=repository.environment([deployment.id])[deployment.id],
                            profiles=SubjectProfiles(session), local_base=session.info.get(render.LOCAL_AIRFLOW_BASE))


# ---------------------------------------------------------------- configuration (create and update)

def _default_queue(hosted: bool, pools: list[NodePool]) -> WorkerQueue:
    spec = options.defaults()["workerQueue"]
    default_pool = next((p for p in pools if p.is_default), pools[0] if pools else None)
    return WorkerQueue(name=spec["name"], is_default=True, min_worker_count=spec["minWorkerCount"],
                       max_worker_count=spec["maxWorkerCount"], worker_concurrency=spec["workerConcurrency"],
                       astro_machine=spec["astroMachine"] if hosted else None,
                       node_pool_id=None if hosted else (default_pool.id if default_pool else None))


def _sync_queues(session: Session, deployment: Deployment, requested: list[Any] | None, *, needed: bool,
                 hosted: bool, pools: list[NodePool], creating: bool) -> None:
    repository = DeploymentRepository(session)
    current = [] if creating else repository.queues([deployment.id])[deployment.id]
    if not needed:
        if requested:
            raise BadRequest(f"workerQueues are not used with the {deployment.executor} executor"
                             + (" and remote execution" if deployment.executor == "ASTRO" else ""),
                             field="workerQueues")
        for queue in current:
            repository.delete_row(queue)
        return
    if requested is None:
        if current:
            return
        queue = _default_queue(hosted, pools)
        queue.deployment_id = deployment.id
        repository.add_row(queue)
        return
    validation.worker_queues(requested, hosted=hosted, node_pool_ids={p.id for p in pools})
    by_id = {queue.id: queue for queue in current}
    for position, entry in enumerate(requested):
        if entry.id and entry.id not in by_id:
            raise BadRequest(f"workerQueues[{position}].id is not a queue of this deployment",
                             field=f"workerQueues[{position}].id")
    kept = {entry.id for entry in requested if entry.id}
    for queue in current:
        if queue.id not in kept:
            repository.delete_row(queue)
    session.flush()  # removals land before a new queue reuses a name
    for position, entry in enumerate(requested):
        if entry.id:
            queue = by_id[entry.id]
        else:
            queue = WorkerQueue(deployment_id=deployment.id)
            repository.add_row(queue)
        queue.name, queue.is_default, queue.position = entry.name, entry.isDefault, position
        queue.min_worker_count, queue.max_worker_count = entry.minWorkerCount, entry.maxWorkerCount
        queue.worker_concurrency = entry.workerConcurrency
        queue.astro_machine = getattr(entry, "astroMachine", None) if hosted else None
        queue.node_pool_id = None if hosted else getattr(entry, "nodePoolId", None)
        queue.pod_ephemeral_storage = getattr(entry, "podEphemeralStorage", None) if hosted else None
    session.flush()


def _sync_environment(session: Session, deployment: Deployment, requested: list[Any] | None, creating: bool) -> None:
    if requested is None and not creating:
        return
    requested = validation.environment_variables(requested)
    repository = DeploymentRepository(session)
    current = {} if creating else {v.key: v for v in repository.environment([deployment.id])[deployment.id]}
    now = utcnow()
    seen = set()
    for position, entry in enumerate(requested):
        seen.add(entry.key)
        existing = current.get(entry.key)
        value = entry.value
        if value is None and entry.isSecret and existing is not None and existing.is_secret:
            value = existing.value  # clients echo secrets back without their value: keep it
        if existing is None:
            existing = EnvironmentVariable(deployment_id=deployment.id, key=entry.key)
            repository.add_row(existing)
        elif existing.is_secret == entry.isSecret and existing.value == (value or "") \
                and existing.position == position:
            continue
        existing.is_secret, existing.value, existing.position, existing.updated_at = \
            entry.isSecret, value or "", position, now
    for key, variable in current.items():
        if key not in seen:
            repository.delete_row(variable)


def _configure_hosted(deployment: Deployment, request: Any, creating: bool) -> None:
    quotas = options.data()["resourceQuotas"]
    deployment.scheduler_size = request.schedulerSize or deployment.scheduler_size or options.defaults()["schedulerSize"]
    if request.isHighAvailability is not None:
        deployment.is_high_availability = request.isHighAvailability
    elif creating:
        deployment.is_high_availability = False
    deployment.resource_quota_cpu, deployment.resource_quota_memory = validation.cpu_memory_pair(
        "resourceQuotaCpu", "resourceQuotaMemory", request.resourceQuotaCpu, request.resourceQuotaMemory,
        (deployment.resource_quota_cpu, deployment.resource_quota_memory), quotas["resourceQuota"])
    deployment.default_task_pod_cpu, deployment.default_task_pod_memory = validation.cpu_memory_pair(
        "defaultTaskPodCpu", "defaultTaskPodMemory", request.defaultTaskPodCpu, request.defaultTaskPodMemory,
        (deployment.default_task_pod_cpu, deployment.default_task_pod_memory), quotas["defaultPodSize"])
    if options.quantity(deployment.default_task_pod_cpu) > options.quantity(deployment.resource_quota_cpu):
        raise BadRequest("defaultTaskPodCpu must not exceed resourceQuotaCpu", field="defaultTaskPodCpu")


def _configure_hibernation(deployment: Deployment, request: Any, creating: bool, now: dt.datetime) -> None:
    wanted = request.isDevelopmentMode
    if wanted is True and not creating and not deployment.is_development_mode:
        raise BadRequest("isDevelopmentMode cannot be turned on for an existing deployment; create a new one",
                         field="isDevelopmentMode")
    if wanted is not None:
        deployment.is_development_mode = wanted
    elif creating:
        deployment.is_development_mode = False
    spec = request.scalingSpec.hibernationSpec if request.scalingSpec else None
    if not deployment.is_development_mode:
        if spec is not None and (spec.schedules or spec.override):
            raise BadRequest("scalingSpec.hibernationSpec needs a development deployment (isDevelopmentMode true)",
                             field="scalingSpec.hibernationSpec")
        deployment.hibernation_schedules = None
        deployment.hibernation_override = deployment.hibernation_override_until = None
        return
    if request.scalingSpec is not None:
        deployment.hibernation_schedules = validation.hibernation_schedules(spec.schedules if spec else None)
        if spec is not None and spec.override is not None:
            if spec.override.isHibernating is None:
                raise BadRequest("scalingSpec.hibernationSpec.override.isHibernating is required",
                                 field="scalingSpec.hibernationSpec.override.isHibernating")
            deployment.hibernation_override = spec.override.isHibernating
            deployment.hibernation_override_until = validation.parse_override_until(
                "scalingSpec.hibernationSpec.override.overrideUntil", spec.override.overrideUntil, now)
    if deployment.hibernation_schedules:
        if deployment.is_high_availability:
            raise BadRequest("hibernation schedules need isHighAvailability false", field="isHighAvailability")
        if deployment.scheduler_size != "SMALL":
            raise BadRequest("hibernation schedules need the SMALL scheduler", field="schedulerSize")


def _configure(session: Session, deployment: Deployment, request: Any, *, cluster: Cluster | None,
               pools: list[NodePool], creating: bool, now: dt.datetime) -> None:
    hosted = deployment.type != "HYBRID"
    deployment.name = validation.name(request.name)
    deployment.description = validation.description(request.description)
    if request.contactEmails is not None or creating:
        deployment.contact_emails = validation.contact_emails(request.contactEmails)
    if request.workloadIdentity is not None:
        deployment.workload_identity = request.workloadIdentity or None
    if request.drWorkloadIdentity is not None:
        deployment.dr_workload_identity = request.drWorkloadIdentity or None
    if request.isCicdEnforced is not None:
        deployment.is_cicd_enforced = request.isCicdEnforced
    if request.isDagDeployEnabled is not None:
        deployment.is_dag_deploy_enabled = request.isDagDeployEnabled
    executor = request.executor or deployment.executor or (
        "ASTRO" if hosted and options.is_airflow3(deployment.runtime_version) else "CELERY")
    deployment.executor = validation.executor(deployment.type, executor, deployment.runtime_version)
    remote = None
    if hosted:
        _configure_hosted(deployment, request, creating)
        remote_request = getattr(request, "remoteExecution", None)
        if remote_request is not None or creating:
            deployment.remote_execution = validation.remote_execution(remote_request, deployment.type,
                                                                      deployment.executor)
        remote = deployment.remote_execution
        _configure_hibernation(deployment, request, creating, now)
    else:
        scheduler = request.scheduler
        fallback = options.defaults()["hybridScheduler"]
        deployment.scheduler_au = (scheduler.au if scheduler and scheduler.au is not None
                                   else deployment.scheduler_au or fallback["au"])
        deployment.scheduler_replicas = (scheduler.replicas if scheduler and scheduler.replicas is not None
                                         else deployment.scheduler_replicas or fallback["replicas"])
        pool_ids = {pool.id for pool in pools}
        node_pool = request.taskPodNodePoolId or deployment.task_pod_node_pool_id
        if deployment.executor == "KUBERNETES":
            if not node_pool:
                raise BadRequest("taskPodNodePoolId is required for HYBRID deployments with the KUBERNETES executor",
                                 field="taskPodNodePoolId")
        if node_pool is not None and node_pool not in pool_ids:
            raise BadRequest("taskPodNodePoolId must name a node pool of the deployment's cluster",
                             field="taskPodNodePoolId")
        deployment.task_pod_node_pool_id = node_pool
    session.flush()
    _sync_queues(session, deployment, request.workerQueues,
                 needed=validation.queues_needed(deployment.executor, bool(remote)),
                 hosted=hosted, pools=pools, creating=creating)
    _sync_environment(session, deployment, request.environmentVariables, creating)


# ---------------------------------------------------------------- operations

def deployment_options(session: Session, auth: AuthContext, deployment_type: str | None, executor: str | None,
                       deployment_id: str | None) -> schemas.DeploymentOptions:
    if deployment_id:
        deployment = DeploymentRepository(session).get(auth.organization_id, deployment_id) \
            if is_id(deployment_id) else None
        if deployment is None or not auth.principal.can(
                "deployment.get", Target(auth.organization_id, deployment.workspace_id, deployment.id)):
            # the contract declares no 404 here: an unknown deployment is a bad parameter
            raise BadRequest("deploymentId is not a deployment of this organization", field="deploymentId")
        deployment_type = deployment_type or deployment.type
    return options.deployment_options(deployment_type, executor)


def list_deployments(session: Session, auth: AuthContext, params: ListParams, *, ids: list[str] | None,
                     names: list[str] | None, workspace_ids: list[str] | None) -> PreRendered:
    principal, organization_id = auth.principal, auth.organization_id
    visible_workspaces: set[str] | None = None
    visible_deployments: set[str] | None = None
    if not principal.can("deployment.get", Target(organization_id)):
        visible_workspaces = {g.workspace_id for g in principal.grants
                              if g.organization_id == organization_id and g.scope_type == "WORKSPACE"
                              and "deployment.get" in g.permissions and g.workspace_id}
        visible_deployments = {g.deployment_id for g in principal.grants
                               if g.organization_id == organization_id and g.scope_type == "DEPLOYMENT"
                               and "deployment.get" in g.permissions and g.deployment_id}
    repository = DeploymentRepository(session)
    keys, total = repository.page(organization_id, params, visible_workspaces=visible_workspaces,
                                  visible_deployments=visible_deployments, ids=ids, names=names,
                                  workspace_ids=workspace_ids)
    epoch = current_epoch(session)
    versions = {key.id: _version(epoch, key) for key in keys}
    bodies = {key.id: RESPONSES.get(key.id, versions[key.id]) for key in keys}
    rendered = _render_page(session, organization_id, [i for i, body in bodies.items() if body is None])
    for deployment_id, public in rendered.items():
        bodies[deployment_id] = to_json(public)
        if versions[deployment_id] is not None:
            RESPONSES.put(deployment_id, versions[deployment_id], bodies[deployment_id])
    # the page is assembled from each deployment's JSON, rendered now or reused from GET and earlier pages
    items = b",".join(bodies[key.id] for key in keys if bodies[key.id] is not None)
    return PreRendered(b'{"deployments":[' + items + b'],"limit":%d,"offset":%d,"totalCount":%d}'
                       % (params.limit, params.offset, total))


def _render_page(session: Session, organization_id: str, deployment_ids: list[str]) -> dict[str, schemas.Deployment]:
    """The views of several deployments, in one query per kind rather than per row."""
    repository = DeploymentRepository(session)
    rows = list(repository.by_ids(organization_id, deployment_ids).values())
    row_ids = [row.id for row in rows]
    queues, variables = repository.queues(row_ids), repository.environment(row_ids)
    profiles = SubjectProfiles(session).prefetch(rows)
    cluster_ids = sorted({row.cluster_id for row in rows if row.cluster_id})
    clusters = {c.id: c for c in ClusterRepository(session).by_ids(organization_id, cluster_ids)}
    pools = ClusterRepository(session).node_pools(cluster_ids)
    workspace_names = WorkspaceRepository(session).names(organization_id, {row.workspace_id for row in rows})
    now = utcnow()
    for row in rows:
        data_versions.holds_until(session, render.view_changes_at(row, now))
    return {row.id: render.to_public(row, cluster=clusters.get(row.cluster_id or ""),
                                     pools=pools.get(row.cluster_id or "", []),
                                     workspace_name=workspace_names.get(row.workspace_id), queues=queues[row.id],
                                     variables=variables[row.id], profiles=profiles, now=now,
                                     local_base=session.info.get(render.LOCAL_AIRFLOW_BASE))
            for row in rows}


def _workspace(session: Session, organization_id: str, workspace_id: str) -> Workspace:
    workspace = WorkspaceRepository(session).get(organization_id, workspace_id) if is_id(workspace_id) else None
    if workspace is None:
        raise BadRequest("workspaceId is not a workspace of this organization", field="workspaceId")
    return workspace


def create_deployment(session: Session, auth: AuthContext, steps: Steps, body: schemas.CreateDeploymentRequest,
                      raw: dict[str, Any]) -> schemas.Deployment:
    parsed = body.root
    workspace = _workspace(session, auth.organization_id, parsed.workspaceId)
    auth.principal.require("workspace.deployments.create", Target(auth.organization_id, workspace.id))
    if steps.capacity is not None and DeploymentRepository(session).count_all() >= steps.capacity:
        raise BadRequest(f"this server runs at most {steps.capacity} deployments, each a real Airflow "
                         "(ASTROPLANE_LOCAL_MAX_DEPLOYMENTS); delete one before creating another", field="name")
    variants = schemas.CREATE_VARIANTS.values()
    if body.type_given:
        refuse_foreign_fields(raw, type(parsed), variants, f"{parsed.type} deployments")
    where = placement.resolve(session, workspace, parsed.type if body.type_given else None,
                              getattr(parsed, "clusterId", None), getattr(parsed, "cloudProvider", None),
                              getattr(parsed, "region", None))
    variant = schemas.CREATE_VARIANTS[where.type]
    request = parsed
    if not body.type_given:
        refuse_foreign_fields(raw, variant, variants, f"{where.type} deployments (the type inferred from the cluster)")
        request = parse_variant(variant, {**raw, "type": where.type})
    now = utcnow()
    runtime = validation.runtime(request.astroRuntimeVersion)
    deployment = Deployment(
        id=new_id(), organization_id=auth.organization_id, workspace_id=workspace.id, type=where.type, status="CREATING",
        cluster_id=where.cluster.id if where.cluster else None, cloud_provider=where.cloud_provider,
        region=where.region, runtime_version=runtime, executor=None,
        image_repository=options.defaults()["imageRepository"], image_tag=runtime, namespace=_namespace(),
        is_dag_deploy_enabled=True, is_cicd_enforced=workspace.cicd_enforced_default, step_due_at=steps.due(now))
    deployment.stamp_author(auth.principal.subject, created=True)
    pools = ClusterRepository(session).node_pools([where.cluster.id])[where.cluster.id] if where.cluster else []
    with session.no_autoflush:  # the row is complete only once configured
        DeploymentRepository(session).add_row(deployment)
        DeploymentRepository(session).adjust_count(deployment.organization_id, +1)
        _configure(session, deployment, request, cluster=where.cluster, pools=pools, creating=True, now=now)
    _log(session, deployment, "apiserver", f"Deployment {deployment.name} created; provisioning "
                                           f"{deployment.type.lower()} infrastructure in {deployment.region}")
    session.flush()
    return _public(session, deployment)


def _load(session: Session, auth: AuthContext, *, lock: bool = False) -> Deployment:
    repository = DeploymentRepository(session)
    deployment = repository.get(auth.organization_id, auth.target.deployment_id or "")
    if deployment is None:
        raise NotFound("Deployment not found")
    return repository.lock(deployment) if lock else deployment


def view_version(epoch: int | None, revision: int, is_development_mode: bool, workspace_name: str,
                 cluster_revision: int | None) -> tuple | None:
    """What a deployment's view is built from; None when it must not be reused."""
    if epoch is None or is_development_mode:
        return None  # development deployments show hibernation times that move with the clock
    # the epoch covers the author profiles the view embeds
    return (epoch, revision, workspace_name, cluster_revision)


def _version(epoch: int | None, row) -> tuple | None:
    if row is None:
        return None
    return view_version(epoch, row.revision, row.is_development_mode, row.workspace_name, row.cluster_revision)


def _response_version(session: Session, deployment_id: str) -> tuple | None:
    return _version(current_epoch(session), scope.version_read(session, deployment_id))


def get_deployment(session: Session, auth: AuthContext) -> schemas.Deployment | PreRendered:
    deployment_id = auth.target.deployment_id or ""
    version = _response_version(session, deployment_id)
    if version is not None and (body := RESPONSES.get(deployment_id, version)) is not None:
        return PreRendered(body)
    public = _public(session, _load(session, auth))
    if version is not None:
        RESPONSES.put(deployment_id, version, to_json(public))
    return public


def update_deployment(session: Session, auth: AuthContext, body: schemas.UpdateDeploymentRequest,
                      raw: dict[str, Any]) -> schemas.Deployment:
    deployment = _load(session, auth, lock=True)
    request = body.root
    if request.type != deployment.type:
        raise BadRequest(f"type {request.type} does not match this {deployment.type} deployment", field="type")
    refuse_foreign_fields(raw, type(request), schemas.UPDATE_VARIANTS.values(), f"{deployment.type} deployments")
    if request.workspaceId != deployment.workspace_id:
        raise BadRequest("workspaceId cannot change: a deployment stays in its workspace", field="workspaceId")
    cluster, pools = _context(session, deployment)
    _configure(session, deployment, request, cluster=cluster, pools=pools, creating=False, now=utcnow())
    status = lifecycle.next_status(deployment.status, "update")
    if status is not None and status != deployment.status:
        deployment.status, deployment.step_due_at = status, None
    deployment.status_reason = None
    deployment.stamp_author(auth.principal.subject)
    _log(session, deployment, "apiserver", "Deployment configuration updated; rolling out")
    session.flush()
    return _public(session, deployment)


def delete_deployment(session: Session, auth: AuthContext) -> None:
    """Remove the deployment and what belongs to it in this transaction, and queue its runtime's
    teardown for the reconciler: once this answers, the deployment no longer holds its workspace or
    cluster, and no read, list or count shows it (clients do not poll a deleted deployment)."""
    deployment = _load(session, auth, lock=True)
    log.info("deployment %s deleted; runtime teardown queued", deployment.id)
    run_delete_cleanups(session, deployment)
    DeploymentLogRepository(session).delete_for_deployment(deployment.id)
    RoleBindingRepository(session).delete_for_entity(deployment_id=deployment.id)
    repository = DeploymentRepository(session)
    repository.delete(deployment)
    repository.queue_teardown(deployment.id, utcnow())


def override_hibernation(session: Session, auth: AuthContext, body: schemas.OverrideDeploymentHibernationBody
                         ) -> schemas.DeploymentHibernationOverride:
    deployment = _load(session, auth, lock=True)
    if not deployment.is_development_mode:
        raise BadRequest("Hibernation overrides need a development deployment (isDevelopmentMode true)",
                         field="isHibernating")
    now = utcnow()
    deployment.hibernation_override = body.isHibernating
    deployment.hibernation_override_until = validation.parse_override_until("overrideUntil", body.overrideUntil, now)
    deployment.stamp_author(auth.principal.subject)
    session.flush()
    return render.override_view(deployment, now)


def remove_hibernation_override(session: Session, auth: AuthContext) -> None:
    deployment = _load(session, auth, lock=True)
    deployment.hibernation_override = deployment.hibernation_override_until = None
    deployment.stamp_author(auth.principal.subject)
    session.flush()


def refuse_workspace_delete(session: Session, workspace: Workspace) -> None:
    """Workspace DELETE_GUARD: a workspace that still has deployments cannot be deleted."""
    count = DeploymentRepository(session).count_in_workspace(workspace.id)
    if count:
        raise BadRequest(f"The workspace still has {count} deployment(s); delete them first", field="workspaceId")
