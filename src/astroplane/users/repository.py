import sqlalchemy as sa
from sqlalchemy.orm import Session

from astroplane.invites.models import Invite
from astroplane.kit.pagination import ListParams, paginate
from astroplane.kit.time import utcnow
from astroplane.rbac.models import RoleBinding
from astroplane.users.models import PersonalToken, User


class UserRepository:
    def __init__(self, session: Session):
        self.session = session

    def get(self, user_id: str) -> User | None:
        return self.session.get(User, user_id)

    def by_username(self, username: str) -> User | None:
        return self.session.scalar(sa.select(User).where(sa.func.lower(User.username) == username.lower()))

    def add(self, user: User) -> User:
        self.session.add(user)
        self.session.flush()
        return user

    def add_personal_token(self, token: PersonalToken) -> PersonalToken:
        self.session.add(token)
        self.session.flush()
        return token


class OrganizationUserRepository:
    """Users of one organization: those holding an organization role there (invited ones included
    while their invitation is open)."""

    def __init__(self, session: Session):
        self.session = session

    def _member_ids(self, organization_id: str):
        return sa.select(RoleBinding.subject_id).where(
            RoleBinding.organization_id == organization_id, RoleBinding.subject_type == "USER",
            RoleBinding.scope_type == "ORGANIZATION")

    def _visible(self, organization_id: str):
        """Members, minus pending users whose every invitation here has expired."""
        open_invite = sa.select(Invite.id).where(Invite.user_id == User.id, Invite.organization_id == organization_id,
                                                 Invite.expires_at > utcnow()).exists()
        return sa.and_(User.id.in_(self._member_ids(organization_id)),
                       sa.or_(User.status != "PENDING", open_invite))

    def get(self, organization_id: str, user_id: str) -> User | None:
        return self.session.scalar(sa.select(User).where(User.id == user_id, self._visible(organization_id)))

    def member_ids(self, organization_id: str, user_ids: list[str]) -> set[str]:
        return set(self.session.scalars(sa.select(User.id).where(User.id.in_(user_ids), self._visible(organization_id))))

    def page(self, organization_id: str, params: ListParams, *, workspace_id: str | None = None,
             deployment_id: str | None = None, dag_id: str | None = None, dag_tags: list[str] | None = None
             ) -> tuple[list[User], int]:
        query = sa.select(User).where(self._visible(organization_id))
        own = sa.select(RoleBinding.subject_id).where(RoleBinding.organization_id == organization_id,
                                                      RoleBinding.subject_type == "USER")
        if workspace_id is not None:
            query = query.where(User.id.in_(own.where(RoleBinding.workspace_id == workspace_id)))
        if deployment_id is not None:
            query = query.where(User.id.in_(own.where(RoleBinding.deployment_id == deployment_id)))
        if dag_id is not None:
            query = query.where(User.id.in_(own.where(RoleBinding.dag_id == dag_id)))
        if dag_tags:
            query = query.where(User.id.in_(own.where(RoleBinding.dag_tag.in_(dag_tags))))
        columns = {"createdAt": User.created_at, "updatedAt": User.updated_at, "fullName": User.full_name,
                   "id": User.id, "username": User.username}
        return paginate(self.session, query, params, columns, User.id)

    def owner_count(self, organization_id: str) -> int:
        return self.session.scalar(sa.select(sa.func.count()).select_from(RoleBinding).where(
            RoleBinding.organization_id == organization_id, RoleBinding.subject_type == "USER",
            RoleBinding.scope_type == "ORGANIZATION", RoleBinding.role == "ORGANIZATION_OWNER")) or 0
