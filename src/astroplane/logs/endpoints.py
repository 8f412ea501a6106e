import datetime as dt
from typing import Annotated, Literal

from fastapi import Query

from astroplane.contract.models import DeploymentLog
from astroplane.deploys.dependencies import SettingsDep
from astroplane.kit.db import SessionDep
from astroplane.kit.router import AstroRouter
from astroplane.logs import service
from astroplane.rbac.authorize import permission_without_404
from astroplane.rbac.permissions import ScopeType

router = AstroRouter(tags=["logs"])
# the contract declares no 404 on GetDeploymentLogs
LogsRead = permission_without_404("deployment.logs.get", ScopeType.DEPLOYMENT)
Source = Literal["apiserver", "dag-processor", "scheduler", "triggerer", "webserver", "worker"]
# Bounds on plain integers are checked in the service (with messages naming the field).
BigInt = Annotated[int | None, Query(ge=-(2**62), le=2**62)]


@router.get("/organizations/{organizationId}/deployments/{deploymentId}/logs", operation_id="GetDeploymentLogs",
            response_model=DeploymentLog)
async def get_deployment_logs(
    session: SessionDep, auth: LogsRead, settings: SettingsDep,
    sources: Annotated[list[Source], Query()],
    limit: BigInt = None, offset: BigInt = None,
    range: BigInt = None,  # noqa: A002 - the contract's parameter name
    maxNumResults: BigInt = None,
    searchId: Annotated[str | None, Query(max_length=4096)] = None,
    searchText: Annotated[str | None, Query()] = None,
    startDate: Annotated[dt.datetime | None, Query()] = None,
    endDate: Annotated[dt.datetime | None, Query()] = None,
):
    return service.get_logs(session, auth, settings, sources=sources, limit=limit, offset=offset,
                            range_seconds=range, max_results=maxNumResults, search_id=searchId,
                            search_text=searchText, start=startDate, end=endDate)
