"""Agent tokens: deployment-scoped API tokens for a deployment's remote-execution agent.

They share the api_tokens table and machinery (tokens.service) with `is_agent` set: the value is
shown once, only a version id is stored, expiry works the same, deletion invalidates at once. An
agent token holds no role: it cannot act through the Astro API; what it authorizes is the agent's
own traffic (today: sending the deployment's logs, see astroplane.logs.ingest_endpoints). They never
appear in ListApiTokens, and these routes never show API tokens.
"""

import sqlalchemy as sa
from sqlalchemy.orm import Session

from astroplane.auth.codec import TokenCodec
from astroplane.auth.subjects import SubjectProfiles
from astroplane.deployments.models import Deployment
from astroplane.kit.errors import NotFound
from astroplane.kit.pagination import ListParams
from astroplane.rbac.authorize import AuthContext
from astroplane.rbac.repository import RoleBindingRepository
from astroplane.tokens import service as tokens
from astroplane.tokens.models import ApiToken
from astroplane.tokens.repository import ApiTokenRepository, TokenVisibility
from astroplane.tokens.schemas import ApiToken as PublicToken
from astroplane.tokens.schemas import ApiTokensPaginated

_EVERYTHING = TokenVisibility(True, set(), set(), set())


def _load(session: Session, auth: AuthContext, token_id: str, action: str) -> ApiToken:
    token = tokens.load(session, auth, token_id, action, agent=True)
    if token.entity_id != auth.target.deployment_id:
        raise NotFound("Agent token not found")
    return token


def list_agent_tokens(session: Session, auth: AuthContext, params: ListParams) -> ApiTokensPaginated:
    rows, total = ApiTokenRepository(session).page(auth.organization_id, params, _EVERYTHING,
                                                   agent_deployment_id=auth.target.deployment_id)
    return ApiTokensPaginated(tokens=tokens.page_views(session, rows),
                              limit=params.limit, offset=params.offset, totalCount=total)


def create_agent_token(session: Session, codec: TokenCodec, auth: AuthContext, body) -> PublicToken:
    token, value = tokens.new_token(session, codec, auth.principal, auth.organization_id, name=body.name,
                                    description=body.description, scope="DEPLOYMENT", target=auth.target,
                                    entity_id=auth.target.deployment_id or "",
                                    expiry_days=body.tokenExpiryPeriodInDays, is_agent=True)
    return tokens.to_public(session, token, SubjectProfiles(session), value)


def get_agent_token(session: Session, auth: AuthContext, token_id: str) -> PublicToken:
    return tokens.to_public(session, _load(session, auth, token_id, "get"), SubjectProfiles(session))


def delete_agent_token(session: Session, auth: AuthContext, token_id: str) -> None:
    token = _load(session, auth, token_id, "delete")
    RoleBindingRepository(session).delete_subject("API_TOKEN", token.id)
    ApiTokenRepository(session).delete(token)


def delete_for_deployment(session: Session, deployment: Deployment) -> None:
    """Deployment-delete cleanup: its agent tokens stop working with it."""
    ids = list(session.scalars(sa.select(ApiToken.id).where(ApiToken.is_agent.is_(True),
                                                            ApiToken.entity_id == deployment.id)))
    bindings = RoleBindingRepository(session)
    for token_id in ids:
        bindings.delete_subject("API_TOKEN", token_id)
    if ids:
        session.execute(sa.delete(ApiToken).where(ApiToken.id.in_(ids)))
