"""Authentication: from the Authorization header to a Principal (or 401)."""

from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from astroplane.auth.codec import TokenClaims, TokenCodec
from astroplane.kit.cache import EpochCache, attach, cached
from astroplane.kit.db import SessionDep
from astroplane.kit.errors import Unauthorized
from astroplane.kit.time import utcnow
from astroplane.rbac.epoch import current as epoch_now
from astroplane.rbac.principal import Principal
from astroplane.rbac.repository import RoleBindingRepository
from astroplane.tokens.models import ApiToken
from astroplane.users.models import PersonalToken, User


def bearer_token(header: str | None) -> str | None:
    """The token of an `Authorization: Bearer ...` header, None when there is none."""
    scheme, _, value = (header or "").partition(" ")
    value = value.strip()
    return value if scheme.lower() == "bearer" and value else None


def _bearer(request: Request) -> str:
    token = bearer_token(request.headers.get("authorization"))
    if token is None:
        raise Unauthorized()
    return token


def known_principal(state: Any, token: str, epoch: int) -> Principal | None:
    """For hot reads (kit.hot): the principal `token` stands for, when this process resolved it
    at `epoch` (so no revocation, rotation or role change came since) and it has not expired;
    None whenever get_principal has to decide."""
    codec: TokenCodec = state.token_codec
    claims = codec.decode(token)
    if claims is None:
        return None
    cache: EpochCache = state.epoch_cache
    principal = cache.known("principal", (claims.kind, claims.subject_id, claims.version), epoch)
    return None if principal is None or _expired(principal) else principal


def _expired(principal: Principal) -> bool:
    return principal.expires_at is not None and principal.expires_at <= utcnow()


def load_principal(session: Session, claims: TokenClaims) -> Principal:
    bindings = RoleBindingRepository(session)
    if claims.kind == "API_TOKEN":
        token = session.get(ApiToken, claims.subject_id)
        if token is None or token.secret_version != claims.version:
            raise Unauthorized("The API token was deleted or rotated")
        if token.end_at is not None and token.end_at <= utcnow():
            raise Unauthorized("The API token has expired")
        grants = bindings.grants(bindings.for_subject("API_TOKEN", token.id))
        return Principal(kind="API_TOKEN", id=token.id, name=token.name, grants=grants,
                         home_organization_id=token.organization_id, token_scope=token.scope,
                         token_entity_id=token.entity_id, expires_at=token.end_at)
    personal = session.get(PersonalToken, claims.version)
    if personal is None or personal.user_id != claims.subject_id or personal.revoked_at is not None:
        raise Unauthorized("The user token was revoked")
    user = session.get(User, claims.subject_id)
    if user is None or user.status != "ACTIVE":
        raise Unauthorized("The user is not active")
    grants = bindings.grants(bindings.for_subject("USER", user.id))
    return Principal(kind="USER", id=user.id, name=user.username, grants=grants)


async def get_principal(request: Request, session: SessionDep) -> Principal:
    known = request.scope.get("astroplane.principal")
    if known is not None:
        return known
    codec: TokenCodec = request.app.state.token_codec
    claims = codec.decode(_bearer(request))
    if claims is None:
        raise Unauthorized("The token is invalid or expired")
    # Every request reads the authz epoch once, here; the cached principal (and every other
    # epoch-cached row, see kit.cache) is trusted only while it stands still.
    cache: EpochCache = request.app.state.epoch_cache
    cache.sync(epoch_now(session))
    attach(session, cache)
    principal = cached(session, "principal", (claims.kind, claims.subject_id, claims.version),
                       lambda: load_principal(session, claims))
    if _expired(principal):
        raise Unauthorized("The API token has expired")
    request.scope["astroplane.principal"] = principal
    return principal


PrincipalDep = Annotated[Principal, Depends(get_principal)]


async def get_codec(request: Request) -> TokenCodec:
    return request.app.state.token_codec


CodecDep = Annotated[TokenCodec, Depends(get_codec)]
