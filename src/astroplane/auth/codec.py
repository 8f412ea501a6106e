"""API token encoding: HMAC-signed JWTs carrying the claims the Astro CLI reads.

The CLI refuses an API token whose claims lack a non-empty `permissions` list, so every token
carries `organizationId:<id>` (and its workspace or deployment) there. `jti` changes on rotation;
the database keeps only the current `jti`, so an old value stops working at once.
"""

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

import jwt

from astroplane.kit import signed
from astroplane.kit.time import epoch_seconds
from astroplane.settings import Settings

ALGORITHM = "HS256"
KEY_ID = "astroplane-1"


@dataclass(frozen=True, slots=True)
class TokenClaims:
    kind: str  # "API_TOKEN" | "USER"
    subject_id: str
    version: str
    organization_id: str | None
    expires_at: float | None = None


class TokenCodec:
    # Verified claims by token text: a token's claims never change, so the signature is checked once
    # per process; expiry is still checked on every use.
    CACHE_SIZE = 20_000

    def __init__(self, settings: Settings):
        self._key = settings.token_signing_key
        self._issuer = settings.token_issuer
        self._audience = settings.token_audience
        self._verified: dict[str, TokenClaims] = {}

    @staticmethod
    def new_version() -> str:
        return secrets.token_hex(16)

    def mint(self, *, kind: str, subject_id: str, version: str, organization_id: str | None,
             permissions: list[str], issued_at: dt.datetime, expires_at: dt.datetime | None = None,
             scope: str | None = None) -> str:
        claims: dict[str, Any] = {
            "iss": self._issuer,
            "aud": self._audience,
            "sub": subject_id,
            "jti": version,
            "iat": int(issued_at.timestamp()),
            "kind": kind,
            "permissions": permissions,
            "version": "1",
            "isAstronomerGenerated": False,
            "kid": KEY_ID,
        }
        if organization_id:
            claims["org_id"] = organization_id
        if kind == "API_TOKEN":
            claims["apiTokenId"] = subject_id
            claims["scope"] = scope
        if expires_at is not None:
            claims["exp"] = int(expires_at.timestamp())
        return jwt.encode(claims, self._key, algorithm=ALGORITHM, headers={"kid": KEY_ID})

    def decode(self, token: str) -> TokenClaims | None:
        """Verified claims, or None for anything forged, expired, malformed or foreign."""
        claims = self._verified.get(token)
        if claims is not None:
            if claims.expires_at is not None and claims.expires_at <= epoch_seconds():
                return None
            return claims
        claims = self._verify(token)
        if claims is not None:
            if len(self._verified) >= self.CACHE_SIZE:
                self._verified.clear()
            self._verified[token] = claims
        return claims

    def _verify(self, token: str) -> TokenClaims | None:
        try:
            claims = signed.decode(token, self._key, algorithms=[ALGORITHM], audience=self._audience,
                                issuer=self._issuer, options={"require": ["sub", "jti", "iat"]})
        except jwt.PyJWTError:
            return None
        kind = claims.get("kind")
        if kind not in ("API_TOKEN", "USER"):
            return None
        return TokenClaims(kind=kind, subject_id=str(claims["sub"]), version=str(claims["jti"]),
                           organization_id=claims.get("org_id"), expires_at=claims.get("exp"))


def short_token(token: str) -> str:
    """The few characters shown to identify a token (from its signature, which changes on rotation)."""
    return token[-7:]
