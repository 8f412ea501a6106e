"""Administrative actions run from the CLI: create an organization with its owner, mint user tokens."""

from dataclasses import dataclass

from sqlalchemy.orm import Session

from astroplane.auth.codec import TokenCodec
from astroplane.kit.errors import BadRequest
from astroplane.kit.time import utcnow
from astroplane.organizations.models import Organization
from astroplane.organizations.repository import OrganizationRepository
from astroplane.rbac.models import RoleBinding
from astroplane.rbac.permissions import ScopeType
from astroplane.rbac.principal import Principal, Target
from astroplane.rbac.repository import RoleBindingRepository
from astroplane.rbac.service import binding
from astroplane.tokens import service as tokens
from astroplane.invites import service as invites
from astroplane.users.models import PersonalToken, User
from astroplane.users.repository import UserRepository

SYSTEM = Principal(kind="USER", id="system", name="astroplane")


@dataclass
class InitResult:
    organization_id: str
    user_id: str
    token: str
    created_organization: bool


def init_organization(session: Session, codec: TokenCodec, name: str, owner_email: str) -> InitResult:
    """Reuse or create the organization and its owner, then mint a fresh owner API token."""
    name, owner_email = name.strip(), owner_email.strip()
    if not name:
        raise BadRequest("organization name must not be empty", field="organization")
    if "@" not in owner_email:
        raise BadRequest("owner email must be an email address", field="owner-email")
    organizations, users = OrganizationRepository(session), UserRepository(session)
    org = organizations.by_name(name)
    created = org is None
    if org is None:
        org = organizations.add(Organization(name=name, billing_email=owner_email))
    user = users.by_username(owner_email)
    if user is None:
        user = users.add(User(username=owner_email, full_name=owner_email.split("@")[0]))
    bindings = RoleBindingRepository(session)
    owns = any(b.scope_type == ScopeType.ORGANIZATION for b in bindings.own("USER", user.id, org.id))
    if not owns:
        bindings.add(RoleBinding(organization_id=org.id, subject_type="USER", subject_id=user.id,
                                 scope_type=ScopeType.ORGANIZATION, role="ORGANIZATION_OWNER"))
    target = Target(org.id)
    token, value = tokens.new_token(session, codec, SYSTEM, org.id, name=f"owner token ({owner_email})",
                                    description="Minted by astroplane init", scope="ORGANIZATION",
                                    target=target, entity_id=org.id, expiry_days=None)
    token.created_by_type = token.updated_by_type = "USER"
    token.created_by_id = token.updated_by_id = user.id
    bindings.add(binding(org.id, "API_TOKEN", token.id, ScopeType.ORGANIZATION, "ORGANIZATION_OWNER", target))
    session.flush()
    return InitResult(organization_id=org.id, user_id=user.id, token=value, created_organization=created)


def mint_user_token(session: Session, codec: TokenCodec, email: str) -> tuple[User, str]:
    """A personal token for an existing, active user (how people sign in without Astro's login)."""
    user = UserRepository(session).by_username(email.strip())
    if user is None:
        raise BadRequest(f"no user with email {email}", field="email")
    invites.activate(session, user)  # signing in accepts open invitations
    if user.status != "ACTIVE":
        raise BadRequest(f"user {email} is {user.status}, not ACTIVE", field="email")
    now = utcnow()
    personal = UserRepository(session).add_personal_token(PersonalToken(user_id=user.id, created_at=now))
    organization_ids = sorted({b.organization_id for b in RoleBindingRepository(session).own("USER", user.id)})
    value = codec.mint(kind="USER", subject_id=user.id, version=personal.id,
                       organization_id=organization_ids[0] if organization_ids else None,
                       permissions=[f"organizationId:{org_id}" for org_id in organization_ids], issued_at=now)
    return user, value
