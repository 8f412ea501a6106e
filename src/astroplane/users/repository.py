import sqlalchemy as sa
from sqlalchemy.orm import Session

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
