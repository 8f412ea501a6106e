"""Signed JWTs whose lifetimes follow astroplane's clock (kit.time) rather than the system's.

PyJWT checks `exp`, `iat` and `nbf` against the system clock; a test server whose clock was moved
forward must expire its tokens and upload URLs by its own time, and accept what it minted.
"""

from typing import Any

import jwt

from astroplane.kit.time import epoch_seconds

_CLOCK_CHECKS_OFF = {"verify_exp": False, "verify_iat": False, "verify_nbf": False}


def decode(token: str, key: str, *, algorithms: list[str], options: dict[str, Any] | None = None,
           **kwargs: Any) -> dict[str, Any]:
    """`jwt.decode`, with the expiry checked against kit.time (raises jwt.ExpiredSignatureError)."""
    claims = jwt.decode(token, key, algorithms=algorithms, options={**(options or {}), **_CLOCK_CHECKS_OFF},
                        **kwargs)
    expires = claims.get("exp")
    if expires is not None:
        if not isinstance(expires, int | float):
            raise jwt.DecodeError("exp must be a number")
        if expires <= epoch_seconds():
            raise jwt.ExpiredSignatureError("Signature has expired")
    return claims
