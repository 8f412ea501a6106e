"""`/v1/organizations/{org}/deployments/{id}/airflow/...`: the deployment's own Airflow, behind
astroplane's tokens. The caller's astroplane token is checked here (reads need deployment.get,
writes deployment.update); the request then goes on to the deployment's Airflow with a token of
the control plane's Airflow user. Only the local runtime has an Airflow to reach; outside the
Astro API, so not in the OpenAPI document.
"""

import asyncio

from astroplane.kit.http import httpx
from fastapi import APIRouter, Request, Response

from astroplane.kit.errors import BadGateway, BadRequest
from astroplane.rbac.authorize import permission
from astroplane.rbac.permissions import ScopeType

router = APIRouter(include_in_schema=False)
PATH = "/v1/organizations/{organizationId}/deployments/{deploymentId}/airflow/{path:path}"
AirflowRead = permission("deployment.get", ScopeType.DEPLOYMENT)
AirflowWrite = permission("deployment.update", ScopeType.DEPLOYMENT)
# headers that describe one hop, or that we set ourselves
HOP_HEADERS = {"authorization", "host", "connection", "keep-alive", "transfer-encoding", "te", "trailer",
               "upgrade", "proxy-authorization", "proxy-authenticate", "content-length", "cookie"}


async def _forward(request: Request, deployment_id: str, path: str) -> Response:
    runtime = request.app.state.runtime
    endpoint = runtime.endpoint(deployment_id)
    if endpoint is None:
        raise BadRequest("this deployment has no running Airflow (the server's runtime backend is "
                         f"{request.app.state.settings.runtime_backend}, or the deployment is not running)",
                         field="deploymentId")
    headers = {name: value for name, value in request.headers.items() if name.lower() not in HOP_HEADERS}
    try:
        headers["authorization"] = f"Bearer {await asyncio.to_thread(runtime.api_token, deployment_id)}"
        async with httpx().AsyncClient(base_url=endpoint, timeout=60) as client:
            upstream = await client.request(request.method, "/" + path, params=request.query_params,
                                            content=await request.body(), headers=headers)
    except (OSError, KeyError, ValueError, httpx().HTTPError) as error:  # stopping, restarting, or gone
        raise BadGateway(f"the deployment's Airflow did not answer ({type(error).__name__}); "
                         "its status says whether it is starting or failing") from error
    kept = {name: value for name, value in upstream.headers.items()
            if name.lower() not in HOP_HEADERS | {"content-encoding", "set-cookie"}}
    return Response(upstream.content, status_code=upstream.status_code, headers=kept)


@router.api_route(PATH, methods=["GET", "HEAD"])
async def read_airflow(request: Request, auth: AirflowRead, deploymentId: str, path: str) -> Response:
    return await _forward(request, deploymentId, path)


@router.api_route(PATH, methods=["POST", "PUT", "PATCH", "DELETE"])
async def write_airflow(request: Request, auth: AirflowWrite, deploymentId: str, path: str) -> Response:
    return await _forward(request, deploymentId, path)


for _route in router.routes:
    _route.reads_only = True  # writes go to Airflow; astroplane's database is only read (kit.db)
