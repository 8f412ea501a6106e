"""Helpers for identity tests: invite a person and sign them in as a user."""

import uuid

from astroplane import bootstrap
from astroplane.auth.codec import TokenCodec


def user_token(server, email: str) -> tuple[str, str]:
    """(userId, token) from the admin CLI's action (astroplane user-token)."""
    session = server.database.session()
    try:
        user, token = bootstrap.mint_user_token(session, TokenCodec(server.settings), email)
        session.commit()
    finally:
        session.close()
    return user.id, token


def invite(api, role: str = "ORGANIZATION_MEMBER", email: str | None = None) -> dict:
    email = email or f"person-{uuid.uuid4().hex[:8]}@example.com"
    return api.ok("POST", "/invites", json={"inviteeEmail": email, "role": role}) | {"email": email}


def signed_in_member(api, role: str = "ORGANIZATION_MEMBER") -> tuple[str, object]:
    """A new ACTIVE member of api's organization: (userId, Api bound to their user token)."""
    created = invite(api, role)
    user_id, token = user_token(api.server, created["email"])
    return user_id, api.as_token(token)
