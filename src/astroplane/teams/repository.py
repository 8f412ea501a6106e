import sqlalchemy as sa
from sqlalchemy.orm import Session

from astroplane.kit.pagination import ListParams, paginate
from astroplane.rbac.models import RoleBinding
from astroplane.teams.models import Team, TeamMember
from astroplane.users.models import User


class TeamRepository:
    def __init__(self, session: Session):
        self.session = session

    def get(self, organization_id: str, team_id: str) -> Team | None:
        row = self.session.get(Team, team_id)
        return row if row is not None and row.organization_id == organization_id else None

    def by_name(self, organization_id: str, name: str) -> Team | None:
        return self.session.scalar(sa.select(Team).where(Team.organization_id == organization_id, Team.name == name))

    _COLUMNS = {"createdAt": Team.created_at, "updatedAt": Team.updated_at, "name": Team.name,
                "description": Team.description}

    def page(self, organization_id: str, params: ListParams, *, names: list[str] | None = None,
             workspace_id: str | None = None, deployment_id: str | None = None) -> tuple[list[Team], int]:
        query = sa.select(Team).where(Team.organization_id == organization_id)
        if names:
            query = query.where(Team.name.in_(names))
        for column, value in ((RoleBinding.workspace_id, workspace_id), (RoleBinding.deployment_id, deployment_id)):
            if value is not None:
                query = query.where(Team.id.in_(sa.select(RoleBinding.subject_id).where(
                    RoleBinding.subject_type == "TEAM", column == value)))
        return paginate(self.session, query, params, self._COLUMNS, Team.id)

    def page_for_user(self, organization_id: str, user_id: str, params: ListParams) -> tuple[list[Team], int]:
        query = sa.select(Team).where(Team.organization_id == organization_id, Team.id.in_(
            sa.select(TeamMember.team_id).where(TeamMember.user_id == user_id)))
        return paginate(self.session, query, params, self._COLUMNS, Team.id)

    def add(self, team: Team) -> Team:
        self.session.add(team)
        self.session.flush()
        return team

    def delete(self, team: Team) -> None:
        self.session.execute(sa.delete(TeamMember).where(TeamMember.team_id == team.id))
        self.session.execute(sa.delete(RoleBinding).where(RoleBinding.subject_type == "TEAM",
                                                          RoleBinding.subject_id == team.id))
        self.session.delete(team)
        self.session.flush()

    def member_ids(self, team_id: str) -> set[str]:
        return set(self.session.scalars(sa.select(TeamMember.user_id).where(TeamMember.team_id == team_id)))

    def add_members(self, team_id: str, user_ids: list[str]) -> None:
        present = self.member_ids(team_id)
        self.session.add_all(TeamMember(team_id=team_id, user_id=u) for u in user_ids if u not in present)
        self.session.flush()

    def remove_member(self, team_id: str, user_id: str) -> bool:
        result = self.session.execute(sa.delete(TeamMember).where(TeamMember.team_id == team_id,
                                                                  TeamMember.user_id == user_id))
        return bool(result.rowcount)

    def members_page(self, team_id: str, params: ListParams) -> tuple[list[tuple[User, TeamMember]], int]:
        query = (sa.select(TeamMember).join(User, User.id == TeamMember.user_id)
                 .where(TeamMember.team_id == team_id))
        columns = {"createdAt": TeamMember.created_at, "fullName": User.full_name, "userId": User.id,
                   "username": User.username}
        members, total = paginate(self.session, query, params, columns, TeamMember.user_id)
        users = {u.id: u for u in self.session.scalars(sa.select(User).where(User.id.in_([m.user_id for m in members])))}
        return [(users[m.user_id], m) for m in members], total

    def delete_memberships(self, user_id: str, organization_id: str) -> None:
        self.session.execute(sa.delete(TeamMember).where(TeamMember.user_id == user_id, TeamMember.team_id.in_(
            sa.select(Team.id).where(Team.organization_id == organization_id))))


def teams_of_user(session: Session, subject_type: str, subject_id: str) -> list[tuple[str, str]]:
    """rbac.repository inherited-subjects finder: a user holds what their teams hold."""
    if subject_type != "USER":
        return []
    return [("TEAM", team_id) for team_id in
            session.scalars(sa.select(TeamMember.team_id).where(TeamMember.user_id == subject_id))]
