"""Invitations: a PENDING user with an organization role, readable at once, until the invite
expires or is deleted. The person signs in (and becomes ACTIVE) with `astroplane user-token`."""

import datetime as dt
import re

from sqlalchemy.orm import Session

from astroplane.auth.subjects import SubjectProfiles, user_profile
from astroplane.contract.models import SelfUserInvite
from astroplane.invites import schemas
from astroplane.invites.models import Invite
from astroplane.invites.repository import InviteRepository
from astroplane.kit.errors import BadRequest, NotFound
from astroplane.kit.time import utcnow
from astroplane.organizations.repository import OrganizationRepository
from astroplane.rbac import service as roles
from astroplane.rbac.authorize import AuthContext
from astroplane.rbac.permissions import ScopeType
from astroplane.rbac.principal import Target
from astroplane.rbac.repository import RoleBindingRepository
from astroplane.teams.repository import TeamRepository
from astroplane.users.models import User
from astroplane.users.repository import OrganizationUserRepository, UserRepository

EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")
DEFAULT_EXPIRY_DAYS = 7


def to_public(session: Session, invite: Invite) -> schemas.Invite:
    user = UserRepository(session).get(invite.user_id)
    org = OrganizationRepository(session).get(invite.organization_id)
    return schemas.Invite(inviteId=invite.id, organizationId=invite.organization_id,
                          organizationName=org.name if org else None, userId=invite.user_id,
                          invitee=user_profile(user), expiresAt=invite.expires_at,
                          inviter=SubjectProfiles(session).get(invite.inviter_type, invite.inviter_id))


def create_invite(session: Session, auth: AuthContext, body: schemas.CreateUserInviteRequest,
                  expiry_days: int = DEFAULT_EXPIRY_DAYS) -> schemas.Invite:
    email = body.inviteeEmail.strip()
    if len(email) > 320 or not EMAIL.match(email):
        raise BadRequest("inviteeEmail must be an email address", field="inviteeEmail")
    organization_id, target = auth.organization_id, Target(auth.organization_id)
    roles.check_role(session, auth.principal, organization_id, body.role, ScopeType.ORGANIZATION, target, "role")
    users = UserRepository(session)
    user = users.by_username(email)
    if user is None:
        user = users.add(User(username=email, full_name="", status="PENDING"))
    elif OrganizationUserRepository(session).get(organization_id, user.id) is not None:
        raise BadRequest(f"inviteeEmail: {email} is already a member of this organization", field="inviteeEmail")
    # a lapsed earlier invitation leaves nothing behind
    InviteRepository(session).delete_for_user(user.id, organization_id)
    bindings = RoleBindingRepository(session)
    bindings.replace("USER", user.id, organization_id,
                     [roles.binding(organization_id, "USER", user.id, ScopeType.ORGANIZATION, body.role, target)])
    kind, subject_id = auth.principal.subject
    invite = InviteRepository(session).add(Invite(
        organization_id=organization_id, user_id=user.id, role=body.role, inviter_type=kind, inviter_id=subject_id,
        expires_at=utcnow() + dt.timedelta(days=expiry_days)))
    return to_public(session, invite)


def delete_invite(session: Session, auth: AuthContext, invite_id: str) -> None:
    repository = InviteRepository(session)
    invite = repository.get(auth.organization_id, invite_id)
    if invite is None:
        raise NotFound("Invite not found")
    repository.delete(invite)
    user = UserRepository(session).get(invite.user_id)
    if user is None or user.status != "PENDING":
        return  # the person already signed in: they are a member now, not an invitee
    bindings = RoleBindingRepository(session)
    bindings.replace("USER", user.id, auth.organization_id, [])
    TeamRepository(session).delete_memberships(user.id, auth.organization_id)
    if not bindings.own("USER", user.id) and not repository.open_for_user(user.id):
        session.delete(user)  # invited nowhere else: the pending user goes with the invite
        session.flush()


def activate(session: Session, user: User) -> None:
    """Signing in accepts the person's open invitations."""
    if user.status == "PENDING" and InviteRepository(session).open_for_user(user.id):
        user.status = "ACTIVE"
        InviteRepository(session).delete_for_user(user.id)
        session.flush()


def self_invites(session: Session, user: User) -> list[SelfUserInvite]:
    return [SelfUserInvite(inviteId=i.id, organizationId=i.organization_id, expiresAt=i.expires_at)
            for i in InviteRepository(session).open_for_user(user.id)]
