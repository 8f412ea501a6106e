"""The test-double controls: the clock, armed faults, forced failures, an organization's reset."""

import datetime as dt
import math
from collections.abc import Callable

from sqlalchemy.orm import Session

from astroplane.clusters import lifecycle as cluster_lifecycle
from astroplane.clusters.repository import ClusterRepository
from astroplane.controls import schemas
from astroplane.controls.clock import SharedState, clock_time
from astroplane.controls.models import ArmedFault, ControlsState
from astroplane.controls.repository import ControlsRepository, StateRow
from astroplane.deployments import lifecycle as deployment_lifecycle
from astroplane.deployments.models import Deployment
from astroplane.deployments.reconciler import Reconciler
from astroplane.deploys import service as deploys_service
from astroplane.deploys.repository import DeployRepository
from astroplane.kit.db import Database
from astroplane.kit.errors import BadRequest, Conflict, NotFound
from astroplane.kit.time import as_utc, system_now
from astroplane.rbac.authorize import AuthContext
from astroplane.runtime.base import RuntimeBackend

MAX_ADVANCE = dt.timedelta(days=3650)
DEFAULT_FAULT_STATUS = 503
FAULT_MESSAGES = {429: "Too many requests; slow down and retry", 409: "The resource is being changed by another "
                  "operation; try again later", 503: "The service is unavailable; try again later"}


# --- clock -------------------------------------------------------------------------------------

def _view(row: StateRow) -> schemas.Clock:
    system = system_now()
    now = clock_time(row, system)
    return schemas.Clock(now=now.replace(microsecond=0), offsetSeconds=round((now - system).total_seconds(), 3),
                         frozen=row.clock_frozen_at is not None)


def _row(state: ControlsState) -> StateRow:
    return StateRow(state.clock_offset_us, state.clock_frozen_at, state.faults_version)


def read_clock(shared: SharedState) -> schemas.Clock:
    shared.invalidate()  # the answer is what the database holds now, not this process's copy
    return _view(shared.row())


def _change_clock(session: Session, database: Database, shared: SharedState,
                  change: Callable[[ControlsState, dt.datetime], None]) -> tuple[dt.datetime, StateRow]:
    """Apply `change(row, server time now)` and commit at once, unlike other services: the
    reconciler's catch-up passes (their own transactions) must see the new time, and every process
    must stop using the old one. The request goes on in a new transaction (its audit entry)."""
    state = ControlsRepository(session).state(for_update=True)
    before = clock_time(_row(state), system_now())
    change(state, before)
    session.flush()
    after = _row(state)
    session.commit()
    shared.invalidate()
    return before, after


def _continue(session: Session, database: Database) -> None:
    database.begin_write(session)


def advance_clock(session: Session, database: Database, shared: SharedState, reconciler: Reconciler,
                  body: schemas.AdvanceClockRequest) -> schemas.ClockAdvanced:
    if body.duration <= dt.timedelta(0):
        raise BadRequest("duration must be positive: the clock only moves forward", field="duration")
    if body.duration > MAX_ADVANCE:
        raise BadRequest("duration must be at most 3650 days", field="duration")

    def forward(state: ControlsState, _now: dt.datetime) -> None:
        if state.clock_frozen_at is not None:
            state.clock_frozen_at = as_utc(state.clock_frozen_at) + body.duration
        else:
            state.clock_offset_us += body.duration // dt.timedelta(microseconds=1)

    before, after = _change_clock(session, database, shared, forward)
    transitions = reconciler.catch_up(before, clock_time(after, system_now()))
    _continue(session, database)
    return schemas.ClockAdvanced(**_view(after).model_dump(), transitions=transitions)


def freeze_clock(session: Session, database: Database, shared: SharedState,
                 body: schemas.FreezeClockRequest) -> schemas.Clock:
    def freeze(state: ControlsState, now: dt.datetime) -> None:
        state.clock_frozen_at = body.at or now.replace(microsecond=0)

    return _changed(session, database, shared, freeze)


def resume_clock(session: Session, database: Database, shared: SharedState) -> schemas.Clock:
    """A frozen clock runs on from where it stands."""
    def resume(state: ControlsState, now: dt.datetime) -> None:
        state.clock_offset_us = (now - system_now()) // dt.timedelta(microseconds=1)
        state.clock_frozen_at = None

    return _changed(session, database, shared, resume)


def system_clock(session: Session, database: Database, shared: SharedState) -> schemas.Clock:
    def back(state: ControlsState, _now: dt.datetime) -> None:
        state.clock_offset_us, state.clock_frozen_at = 0, None

    return _changed(session, database, shared, back)


def _changed(session: Session, database: Database, shared: SharedState,
             change: Callable[[ControlsState, dt.datetime], None]) -> schemas.Clock:
    _, after = _change_clock(session, database, shared, change)
    _continue(session, database)
    return _view(after)


# --- faults ------------------------------------------------------------------------------------

def _fault_view(fault: ArmedFault) -> schemas.Fault:
    return schemas.Fault(id=fault.id, operationId=fault.operation_id, kind=fault.kind, statusCode=fault.status_code,
                         message=fault.message, latencyMs=fault.latency_ms, remaining=fault.remaining,
                         fraction=fault.fraction, seen=fault.seen, injected=fault.injected,
                         armed=fault.remaining is None or fault.remaining > 0, createdAt=fault.created_at)


def list_faults(session: Session, auth: AuthContext) -> schemas.Faults:
    return schemas.Faults(faults=[_fault_view(f) for f in ControlsRepository(session).faults(auth.organization_id)])


def arm_fault(session: Session, auth: AuthContext, body: schemas.ArmFaultRequest,
              operations: frozenset[str]) -> schemas.Fault:
    if body.operationId not in operations:
        raise BadRequest(f"{body.operationId!r} is not an operation of the Astro API that names an organization "
                         "in its path", field="operationId")
    if body.kind == "LATENCY" and body.latencyMs is None:
        raise BadRequest("a LATENCY fault needs latencyMs", field="latencyMs")
    if body.kind != "LATENCY" and body.latencyMs is not None:
        raise BadRequest("latencyMs applies to LATENCY faults only", field="latencyMs")
    if body.kind != "STATUS" and (body.statusCode is not None or body.message is not None):
        raise BadRequest("statusCode and message apply to STATUS faults only", field="statusCode")
    status = (body.statusCode or DEFAULT_FAULT_STATUS) if body.kind == "STATUS" else None
    message = (body.message or FAULT_MESSAGES.get(status, f"Injected failure ({status})")) if status else None
    remaining = body.count if body.count is not None else (None if body.fraction is not None else 1)
    repository = ControlsRepository(session)
    fault = repository.add_fault(ArmedFault(
        organization_id=auth.organization_id, operation_id=body.operationId, kind=body.kind, status_code=status,
        message=message, latency_ms=body.latencyMs, remaining=remaining, fraction=body.fraction, seen=0, injected=0))
    repository.faults_changed()
    return _fault_view(fault)


def clear_faults(session: Session, auth: AuthContext) -> None:
    repository = ControlsRepository(session)
    repository.clear_faults(auth.organization_id)
    repository.faults_changed()


def delete_fault(session: Session, auth: AuthContext, fault_id: str) -> None:
    repository = ControlsRepository(session)
    fault = repository.fault(auth.organization_id, fault_id)
    if fault is None:
        raise NotFound("No fault with this id is armed in the organization")
    repository.delete_fault(fault)
    repository.faults_changed()


def _hits(seen: int, fraction: float | None) -> bool:
    """Whether call number `seen` (from 1) gets the fault: `fraction` of the calls, evenly spread."""
    if fraction is None:
        return True
    return math.floor(seen * fraction + 1e-9) > math.floor((seen - 1) * fraction + 1e-9)


def take_injection(session: Session, organization_id: str, operation_id: str) -> ArmedFault | None:
    """Count a call against the oldest armed fault of its operation; the fault when the call gets it.
    Faults armed one after another apply in turn (two 503s, then a 429)."""
    repository = ControlsRepository(session)
    armed = repository.armed_for(organization_id, operation_id)
    if not armed:
        return None
    fault = armed[0]
    fault.seen += 1
    if not _hits(fault.seen, fault.fraction):
        return None
    fault.injected += 1
    if fault.remaining is not None:
        fault.remaining -= 1
        if fault.remaining == 0:
            repository.faults_changed()
    session.flush()
    return fault


# --- forced failures ---------------------------------------------------------------------------

def fail_cluster(session: Session, auth: AuthContext, cluster_id: str,
                 body: schemas.ClusterFailureRequest) -> schemas.ForcedFailure:
    repository = ClusterRepository(session)
    cluster = repository.get(auth.organization_id, cluster_id)
    if cluster is None:
        raise NotFound("Cluster not found")
    repository.lock(cluster)
    status = None if cluster.delete_requested_at else cluster_lifecycle.next_status(cluster.status, "failed")
    if status is None:
        raise Conflict(f"The cluster is {cluster.status}{' and being deleted' if cluster.delete_requested_at else ''}"
                       "; only a running step (CREATING, UPDATING, FAILING_OVER) can fail")
    if body.status is not None and body.status != status:
        raise Conflict(f"A {cluster.status} cluster fails as {status}, not {body.status}")
    if cluster.status == "FAILING_OVER":
        cluster.failover_target = None
    cluster.status, cluster.step_due_at, cluster.status_reason = status, None, body.statusReason
    session.flush()
    return schemas.ForcedFailure(id=cluster.id, status=status, statusReason=body.statusReason)


def fail_deployment(session: Session, auth: AuthContext, body: schemas.FailureRequest) -> schemas.ForcedFailure:
    deployment = session.get(Deployment, auth.target.deployment_id, with_for_update=True)
    assert deployment is not None  # the permission dependency resolved it
    status = deployment_lifecycle.next_status(deployment.status, "failing")
    if status is None:
        raise Conflict(f"The deployment is {deployment.status}; only a CREATING, DEPLOYING or HEALTHY deployment "
                       "can become UNHEALTHY")
    deployment.status, deployment.step_due_at, deployment.status_reason = status, None, body.statusReason
    session.flush()
    return schemas.ForcedFailure(id=deployment.id, status=status, statusReason=body.statusReason)


def fail_deploy(session: Session, auth: AuthContext, deploy_id: str, body: schemas.FailureRequest
                ) -> schemas.ForcedFailure:
    deploy = DeployRepository(session).get(auth.target.deployment_id or "", deploy_id)
    if deploy is None:
        raise NotFound("Deploy not found")
    deploys_service.fail(session, deploy, body.statusReason)
    return schemas.ForcedFailure(id=deploy.id, status=deploy.status, statusReason=body.statusReason)


# --- reset -------------------------------------------------------------------------------------

def reset_organization(session: Session, auth: AuthContext, runtime: RuntimeBackend) -> schemas.ResetResult:
    """Every row of the organization goes, in this one transaction, except the organization, the
    calling token and the organization's owners (their users keep the ORGANIZATION_OWNER role)."""
    principal = auth.principal
    repository = ControlsRepository(session)
    deployment_ids = repository.deployment_ids(auth.organization_id)
    deleted = repository.delete_organization_data(
        auth.organization_id, keep_token_id=principal.id if principal.kind == "API_TOKEN" else None,
        keep_subject=(principal.kind, principal.id))
    repository.faults_changed()
    for deployment_id in deployment_ids:
        runtime.remove(deployment_id)
    return schemas.ResetResult(deleted=deleted)
