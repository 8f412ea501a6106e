from fastapi import Response

from astroplane.agent_tokens import service
from astroplane.auth.dependencies import CodecDep
from astroplane.contract.models import ApiToken, ApiTokensPaginated, CreateAgentTokenRequest
from astroplane.kit.db import SessionDep
from astroplane.kit.pagination import list_params
from astroplane.kit.router import AstroRouter
from astroplane.kit.hot import pages_follow_epoch
from astroplane.rbac.authorize import permission
from astroplane.rbac.permissions import ScopeType

router = AstroRouter(tags=["agent-tokens"])

AgentTokenListParams = list_params("createdAt", "createdById", "description", "name", "tokenStartAt",
                                   "updatedAt", "updatedById")
AgentTokensRead = permission("deployment.agentTokens.get", ScopeType.DEPLOYMENT)
AgentTokensCreate = permission("deployment.agentTokens.create", ScopeType.DEPLOYMENT)
AgentTokensDelete = permission("deployment.agentTokens.delete", ScopeType.DEPLOYMENT)
PATH = "/organizations/{organizationId}/deployments/{deploymentId}/agent-tokens"


@router.get(PATH, operation_id="ListAgentTokens", response_model=ApiTokensPaginated)
@pages_follow_epoch  # tokens, role bindings and author profiles: authz rows
async def list_agent_tokens(session: SessionDep, auth: AgentTokensRead, params: AgentTokenListParams):
    return service.list_agent_tokens(session, auth, params)


@router.post(PATH, operation_id="CreateAgentToken", response_model=ApiToken)
async def create_agent_token(session: SessionDep, codec: CodecDep, auth: AgentTokensCreate,
                             body: CreateAgentTokenRequest):
    return service.create_agent_token(session, codec, auth, body)


@router.get(PATH + "/{agentTokenId}", operation_id="GetAgentToken", response_model=ApiToken)
async def get_agent_token(session: SessionDep, auth: AgentTokensRead, agentTokenId: str):
    return service.get_agent_token(session, auth, agentTokenId)


@router.delete(PATH + "/{agentTokenId}", operation_id="DeleteAgentToken", status_code=204, response_class=Response)
async def delete_agent_token(session: SessionDep, auth: AgentTokensDelete, agentTokenId: str) -> None:
    service.delete_agent_token(session, auth, agentTokenId)
