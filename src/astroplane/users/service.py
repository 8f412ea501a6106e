from collections.abc import Callable

from sqlalchemy.orm import Session

from astroplane.kit.errors import Forbidden, Unauthorized
from astroplane.rbac.permissions import ScopeType
from astroplane.rbac.principal import Principal
from astroplane.rbac.repository import RoleBindingRepository
from astroplane.users import schemas
from astroplane.users.repository import UserRepository

# Extra parts of the self profile contributed by other resources (pending invites).
SELF_INVITE_SOURCES: list = []


def _role_scope(binding) -> schemas.SelfUserRoleScope:
    if binding.scope_type == ScopeType.ORGANIZATION:
        return schemas.SelfUserRoleScope(type="ORGANIZATION", entityId=binding.organization_id)
    if binding.scope_type == ScopeType.WORKSPACE:
        return schemas.SelfUserRoleScope(type="WORKSPACE", entityId=binding.workspace_id)
    if binding.scope_type == ScopeType.DEPLOYMENT:
        return schemas.SelfUserRoleScope(type="DEPLOYMENT", entityId=binding.deployment_id)
    return schemas.SelfUserRoleScope(type="DAG", entityId=binding.dag_id or binding.dag_tag or "",
                                     deploymentId=binding.deployment_id, dagTag=binding.dag_tag)


def get_self(session: Session, principal: Principal, admits: Callable[[str], bool]) -> schemas.SelfUser:
    """The caller's profile, with the roles of the organizations it is seen from (rbac.authorize.
    Authenticated) and the invites of organizations whose guards (the IP allow-list) `admits` it."""
    if principal.kind != "USER":
        raise Forbidden("GET /users/self describes a person, and this request used an API token. "
                        "Use a user token (astroplane user-token), or read the token with GetApiToken.")
    user = UserRepository(session).get(principal.id)
    if user is None:
        raise Unauthorized("The user no longer exists")
    visible = principal.organization_ids()
    bindings = [b for b in RoleBindingRepository(session).own("USER", user.id) if b.organization_id in visible]
    organization_ids = sorted({b.organization_id for b in bindings})
    invites = [invite for source in SELF_INVITE_SOURCES for invite in source(session, user)
               if admits(invite.organizationId)]
    return schemas.SelfUser(
        id=user.id, username=user.username, fullName=user.full_name, avatarUrl=user.avatar_url,
        status=user.status, createdAt=user.created_at, updatedAt=user.updated_at,
        organizationId=organization_ids[0] if organization_ids else None,
        roles=[schemas.SelfUserRole(role=b.role, scope=_role_scope(b)) for b in bindings],
        invites=invites, featureFlags=[],
    )
