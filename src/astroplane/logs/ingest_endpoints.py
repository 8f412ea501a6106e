"""The internal ingestion path: a deployment's runtime (its remote-execution agent) posts log lines.

`POST /internal/deployments/{deploymentId}/logs` with `Authorization: Bearer <agent token>` of that
deployment and a body `{"lines": [{"source": "scheduler", "raw": "...", "timestamp": 1764380000.5}]}`
(timestamp optional: arrival time). Answers 200 `{"accepted": n}`. It is not part of the Astro API,
so it lives outside /v1 and the OpenAPI document.
"""

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field

from astroplane.kit.db import SessionDep
from astroplane.kit.errors import Forbidden, Unauthorized
from astroplane.kit.time import utcnow
from astroplane.logs import service
from astroplane.tokens.models import ApiToken

router = APIRouter(include_in_schema=False)


class IngestLine(BaseModel):
    source: Literal["apiserver", "dag-processor", "scheduler", "triggerer", "webserver", "worker"]
    raw: str
    timestamp: float | None = None


class IngestRequest(BaseModel):
    lines: Annotated[list[IngestLine], Field(max_length=service.MAX_INGEST_LINES)]


async def agent_token(request: Request, session: SessionDep, deploymentId: str) -> ApiToken:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    claims = request.app.state.token_codec.decode(value.strip()) if scheme.lower() == "bearer" else None
    if claims is None or claims.kind != "API_TOKEN":
        raise Unauthorized("Send an agent token of this deployment as 'Authorization: Bearer <token>'")
    token = session.get(ApiToken, claims.subject_id)
    if token is None or token.secret_version != claims.version or (token.end_at and token.end_at <= utcnow()):
        raise Unauthorized("The agent token was deleted or has expired")
    if not token.is_agent or token.entity_id != deploymentId:
        raise Forbidden("Only an agent token of this deployment can send its logs")
    return token


@router.post("/internal/deployments/{deploymentId}/logs")
async def ingest_logs(session: SessionDep, body: IngestRequest, deploymentId: str,
                      token: Annotated[ApiToken, Depends(agent_token)]) -> dict:
    accepted = service.ingest(session, token.organization_id, deploymentId,
                              [(line.source, line.raw, line.timestamp) for line in body.lines])
    return {"accepted": accepted}
