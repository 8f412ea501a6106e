import sqlalchemy as sa
from sqlalchemy.orm import Session

from astroplane.invites.models import Invite
from astroplane.kit.time import utcnow


class InviteRepository:
    def __init__(self, session: Session):
        self.session = session

    def get(self, organization_id: str, invite_id: str) -> Invite | None:
        row = self.session.get(Invite, invite_id)
        return row if row is not None and row.organization_id == organization_id else None

    def add(self, invite: Invite) -> Invite:
        self.session.add(invite)
        self.session.flush()
        return invite

    def delete(self, invite: Invite) -> None:
        self.session.delete(invite)
        self.session.flush()

    def open_for_user(self, user_id: str) -> list[Invite]:
        return list(self.session.scalars(sa.select(Invite).where(Invite.user_id == user_id,
                                                                 Invite.expires_at > utcnow())))

    def delete_for_user(self, user_id: str, organization_id: str | None = None) -> None:
        query = sa.delete(Invite).where(Invite.user_id == user_id)
        if organization_id is not None:
            query = query.where(Invite.organization_id == organization_id)
        self.session.execute(query)
