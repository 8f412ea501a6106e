import datetime as dt

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

    @staticmethod
    def _member(organization_id: str):
        # EXISTS per user, not IN (all members): the database walks users in the page's order and
        # stops after the page (an index seek each), instead of reading every member first
        return sa.select(RoleBinding.id).where(
            RoleBinding.subject_id == User.id, RoleBinding.subject_type == "USER",
            RoleBinding.organization_id == organization_id, RoleBinding.scope_type == "ORGANIZATION").exists()

    @staticmethod
    def _open_invite(organization_id: str, now):
        return sa.select(Invite.id).where(Invite.user_id == User.id, Invite.organization_id == organization_id,
                                          Invite.expires_at > now).exists()

    def _visible(self, organization_id: str):
        """Members, minus pending users whose every invitation here has expired."""
        return sa.and_(self._member(organization_id),
                       sa.or_(User.status != "PENDING", self._open_invite(organization_id, utcnow())))

    def get(self, organization_id: str, user_id: str) -> User | None:
        return self.session.scalar(sa.select(User).where(User.id == user_id, self._visible(organization_id)))

    def member_ids(self, organization_id: str, user_ids: list[str]) -> set[str]:
        return set(self.session.scalars(sa.select(User.id).where(User.id.in_(user_ids), self._visible(organization_id))))

    def totals(self, organization_id: str) -> tuple[int, dt.datetime | None]:
        """In one statement: how many users the organization shows, and when its next open invitation
        lapses (the list changes then without a write). The count is its members (one organization
        role each, from the index alone) less its pending members without an open invitation (few,
        found by status)."""
        now = utcnow()
        members = sa.select(sa.func.count()).select_from(RoleBinding).where(
            RoleBinding.organization_id == organization_id, RoleBinding.subject_type == "USER",
            RoleBinding.scope_type == "ORGANIZATION").scalar_subquery()
        lapsed = sa.select(sa.func.count()).select_from(User).where(
            User.status == "PENDING", self._member(organization_id),
            ~self._open_invite(organization_id, now)).scalar_subquery()
        expiry = sa.select(sa.func.min(Invite.expires_at)).where(
            Invite.organization_id == organization_id, Invite.expires_at > now).scalar_subquery()
        members_count, lapsed_count, next_expiry = self.session.execute(sa.select(members, lapsed, expiry)).one()
        return (members_count or 0) - (lapsed_count or 0), next_expiry

    def page(self, organization_id: str, params: ListParams, *, total: int, workspace_id: str | None = None,
             deployment_id: str | None = None, dag_id: str | None = None, dag_tags: list[str] | None = None
             ) -> tuple[list[User], int]:
        """`total`: what `totals` counted, the total when no filter narrows the list."""
        query = sa.select(User).where(self._visible(organization_id))
        own = sa.select(RoleBinding.subject_id).where(RoleBinding.organization_id == organization_id,
                                                      RoleBinding.subject_type == "USER")
        filtered = False
        for column, value in ((RoleBinding.workspace_id, workspace_id), (RoleBinding.deployment_id, deployment_id),
                              (RoleBinding.dag_id, dag_id)):
            if value is not None:
                query, filtered = query.where(User.id.in_(own.where(column == value))), True
        if dag_tags:
            query, filtered = query.where(User.id.in_(own.where(RoleBinding.dag_tag.in_(dag_tags)))), True
        columns = {"createdAt": User.created_at, "updatedAt": User.updated_at, "fullName": User.full_name,
                   "id": User.id, "username": User.username}
        return paginate(self.session, query, params, columns, User.id,
                        total=None if filtered else total)

    def owner_count(self, organization_id: str) -> int:
        return self.session.scalar(sa.select(sa.func.count()).select_from(RoleBinding).where(
            RoleBinding.organization_id == organization_id, RoleBinding.subject_type == "USER",
            RoleBinding.scope_type == "ORGANIZATION", RoleBinding.role == "ORGANIZATION_OWNER")) or 0
