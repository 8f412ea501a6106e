"""BasicSubjectProfile for createdBy/updatedBy: users and API tokens, loaded in batches."""

from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.orm import Session

from astroplane.contract.models import BasicSubjectProfile
from astroplane.kit.cache import cached, known, remember
from astroplane.tokens.models import ApiToken
from astroplane.users.models import User


def user_profile(user: User) -> BasicSubjectProfile:
    return BasicSubjectProfile(id=user.id, subjectType="USER", username=user.username,
                               fullName=user.full_name or None, avatarUrl=user.avatar_url or None)


def token_profile(token: ApiToken) -> BasicSubjectProfile:
    return BasicSubjectProfile(id=token.id, subjectType="SERVICEKEY", apiTokenName=token.name)


class SubjectProfiles:
    """Loads the authors of a batch of rows with one query per subject kind."""

    def __init__(self, session: Session):
        self.session = session
        self._cache: dict[tuple[str, str], BasicSubjectProfile] = {}

    def prefetch(self, rows: Iterable[object]) -> "SubjectProfiles":
        wanted: dict[str, set[str]] = {"USER": set(), "SERVICEKEY": set()}
        for row in rows:
            for prefix in ("created_by", "updated_by"):
                kind, subject_id = getattr(row, f"{prefix}_type", None), getattr(row, f"{prefix}_id", None)
                if kind in wanted and subject_id and (kind, subject_id) not in self._cache:
                    # users and tokens are authz rows: a profile cached at this epoch is current
                    profile = known(self.session, "subject", (kind, subject_id))
                    if profile is None:
                        wanted[kind].add(subject_id)
                    else:
                        self._cache[(kind, subject_id)] = profile
        if wanted["USER"]:
            for user in self.session.scalars(sa.select(User).where(User.id.in_(wanted["USER"]))):
                self._cache[("USER", user.id)] = user_profile(user)
        if wanted["SERVICEKEY"]:
            for token in self.session.scalars(sa.select(ApiToken).where(ApiToken.id.in_(wanted["SERVICEKEY"]))):
                self._cache[("SERVICEKEY", token.id)] = token_profile(token)
        for kind, subject_ids in wanted.items():
            for subject_id in subject_ids:
                if (kind, subject_id) in self._cache:
                    remember(self.session, "subject", (kind, subject_id), self._cache[(kind, subject_id)])
        return self

    def get(self, kind: str | None, subject_id: str | None) -> BasicSubjectProfile | None:
        if not kind or not subject_id:
            return None
        if (kind, subject_id) not in self._cache:
            self._cache[(kind, subject_id)] = cached(self.session, "subject", (kind, subject_id),
                                                     lambda: self._load_one(kind, subject_id))
        return self._cache[(kind, subject_id)]

    def _load_one(self, kind: str, subject_id: str) -> BasicSubjectProfile:
        self.prefetch([_Ref(kind, subject_id)])
        # a deleted author still has an id worth showing
        return self._cache.get((kind, subject_id)) or BasicSubjectProfile(id=subject_id, subjectType=kind)

    def created_by(self, row: object) -> BasicSubjectProfile | None:
        return self.get(getattr(row, "created_by_type"), getattr(row, "created_by_id"))

    def updated_by(self, row: object) -> BasicSubjectProfile | None:
        return self.get(getattr(row, "updated_by_type"), getattr(row, "updated_by_id"))


class _Ref:
    def __init__(self, kind: str, subject_id: str):
        self.created_by_type, self.created_by_id = kind, subject_id
        self.updated_by_type = self.updated_by_id = None
