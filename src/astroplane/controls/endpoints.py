"""The control API, under /astroplane/v1 when ASTROPLANE_TEST_CONTROLS is on; organization owners only."""

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request, Response

from astroplane.controls import schemas, service
from astroplane.controls.clock import SharedState
from astroplane.deployments.reconciler import Reconciler
from astroplane.deployments.steps import steps_for
from astroplane.kit.db import DatabaseDep, SessionDep
from astroplane.kit.errors import Forbidden
from astroplane.kit.router import AstroRouter
from astroplane.rbac.authorize import AuthContext, Permission
from astroplane.rbac.permissions import ScopeType

PREFIX = "/astroplane/v1"
router = AstroRouter(prefix=PREFIX, tags=["test-controls"])


class OrganizationOwner(Permission):
    """Membership (and the entity in the path, 404 first), then the ORGANIZATION_OWNER role itself:
    no narrower role, however many permissions it holds, reaches the controls."""

    async def __call__(self, **kwargs) -> AuthContext:
        auth = await super().__call__(**kwargs)
        if not any(grant.role == "ORGANIZATION_OWNER" and grant.scope_type == ScopeType.ORGANIZATION
                   and grant.organization_id == auth.organization_id for grant in auth.principal.grants):
            raise Forbidden("Only an organization owner's token may use the test controls")
        return auth


Owner = Annotated[AuthContext, Depends(OrganizationOwner(None))]
DeploymentOwner = Annotated[AuthContext, Depends(OrganizationOwner(None, ScopeType.DEPLOYMENT))]


@dataclass(frozen=True, slots=True)
class Controls:
    """What the control routes work with, kept in app.state.controls."""

    shared: SharedState
    operations: frozenset[str]  # operationIds a fault can be armed for


async def get_controls(request: Request) -> Controls:
    return request.app.state.controls


async def get_reconciler(request: Request) -> Reconciler:
    state = request.app.state
    return Reconciler(state.database, steps_for(state.settings), state.runtime)


ControlsDep = Annotated[Controls, Depends(get_controls)]
ReconcilerDep = Annotated[Reconciler, Depends(get_reconciler)]
ORG = "/organizations/{organizationId}"


@router.get(ORG + "/clock", operation_id="GetClock", response_model=schemas.Clock)
async def get_clock(auth: Owner, controls: ControlsDep):
    return service.read_clock(controls.shared)


@router.post(ORG + "/clock/advance", operation_id="AdvanceClock", response_model=schemas.ClockAdvanced)
async def advance_clock(session: SessionDep, auth: Owner, database: DatabaseDep, controls: ControlsDep,
                        reconciler: ReconcilerDep, body: schemas.AdvanceClockRequest):
    return service.advance_clock(session, database, controls.shared, reconciler, body)


@router.post(ORG + "/clock/freeze", operation_id="FreezeClock", response_model=schemas.Clock)
async def freeze_clock(session: SessionDep, auth: Owner, database: DatabaseDep, controls: ControlsDep,
                       body: schemas.FreezeClockRequest | None = None):
    return service.freeze_clock(session, database, controls.shared, body or schemas.FreezeClockRequest())


@router.post(ORG + "/clock/resume", operation_id="ResumeClock", response_model=schemas.Clock)
async def resume_clock(session: SessionDep, auth: Owner, database: DatabaseDep, controls: ControlsDep):
    return service.resume_clock(session, database, controls.shared)


@router.delete(ORG + "/clock", operation_id="ResetClock", response_model=schemas.Clock)
async def reset_clock(session: SessionDep, auth: Owner, database: DatabaseDep, controls: ControlsDep):
    return service.system_clock(session, database, controls.shared)


@router.get(ORG + "/faults", operation_id="ListFaults", response_model=schemas.Faults)
async def list_faults(session: SessionDep, auth: Owner):
    return service.list_faults(session, auth)


@router.post(ORG + "/faults", operation_id="ArmFault", response_model=schemas.Fault)
async def arm_fault(session: SessionDep, auth: Owner, controls: ControlsDep, body: schemas.ArmFaultRequest):
    return service.arm_fault(session, auth, body, controls.operations)


@router.delete(ORG + "/faults", operation_id="ClearFaults", status_code=204, response_class=Response)
async def clear_faults(session: SessionDep, auth: Owner) -> None:
    service.clear_faults(session, auth)


@router.delete(ORG + "/faults/{faultId}", operation_id="DeleteFault", status_code=204, response_class=Response)
async def delete_fault(session: SessionDep, auth: Owner, faultId: str) -> None:
    service.delete_fault(session, auth, faultId)


@router.post(ORG + "/clusters/{clusterId}/failure", operation_id="FailCluster", response_model=schemas.ForcedFailure)
async def fail_cluster(session: SessionDep, auth: Owner, clusterId: str, body: schemas.ClusterFailureRequest):
    return service.fail_cluster(session, auth, clusterId, body)


@router.post(ORG + "/deployments/{deploymentId}/failure", operation_id="FailDeployment",
             response_model=schemas.ForcedFailure)
async def fail_deployment(session: SessionDep, auth: DeploymentOwner, body: schemas.FailureRequest):
    return service.fail_deployment(session, auth, body)


@router.post(ORG + "/deployments/{deploymentId}/deploys/{deployId}/failure", operation_id="FailDeploy",
             response_model=schemas.ForcedFailure)
async def fail_deploy(session: SessionDep, auth: DeploymentOwner, deployId: str, body: schemas.FailureRequest):
    return service.fail_deploy(session, auth, deployId, body)


@router.post(ORG + "/reset", operation_id="ResetOrganization", response_model=schemas.ResetResult)
async def reset_organization(request: Request, session: SessionDep, auth: Owner):
    return service.reset_organization(session, auth, request.app.state.runtime)

