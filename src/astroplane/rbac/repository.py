"""Role bindings: the only SQL about who holds which role."""

from collections.abc import Callable, Iterable

import sqlalchemy as sa
from sqlalchemy.orm import Session

from astroplane.rbac.models import RoleBinding
from astroplane.rbac.permissions import ROLE_PERMISSIONS, ROLE_SCOPES, ScopeType
from astroplane.rbac.principal import Grant

# Resolves role names that are not built in (custom roles) to (scope, permissions), for one organization.
CustomRoleLoader = Callable[[Session, str, set[str]], dict[str, tuple[ScopeType, frozenset[str]]]]
_custom_role_loaders: list[CustomRoleLoader] = []
# Adds subjects whose bindings a subject inherits (a user's teams).
InheritedSubjects = Callable[[Session, str, str], list[tuple[str, str]]]
_inherited_subjects: list[InheritedSubjects] = []


def register_custom_role_loader(loader: CustomRoleLoader) -> None:
    _custom_role_loaders.append(loader)


def register_inherited_subjects(finder: InheritedSubjects) -> None:
    _inherited_subjects.append(finder)


class RoleBindingRepository:
    def __init__(self, session: Session):
        self.session = session

    def for_subject(self, subject_type: str, subject_id: str) -> list[RoleBinding]:
        subjects = [(subject_type, subject_id)]
        for finder in _inherited_subjects:
            subjects.extend(finder(self.session, subject_type, subject_id))
        condition = sa.or_(*(sa.and_(RoleBinding.subject_type == kind, RoleBinding.subject_id == sid)
                             for kind, sid in subjects))
        return list(self.session.scalars(sa.select(RoleBinding).where(condition)))

    def own(self, subject_type: str, subject_id: str, organization_id: str | None = None) -> list[RoleBinding]:
        query = sa.select(RoleBinding).where(RoleBinding.subject_type == subject_type,
                                             RoleBinding.subject_id == subject_id)
        if organization_id is not None:
            query = query.where(RoleBinding.organization_id == organization_id)
        return list(self.session.scalars(query.order_by(RoleBinding.scope_type, RoleBinding.id)))

    def own_by_subject(self, subject_type: str, subject_ids: list[str], organization_id: str | None = None
                       ) -> dict[str, list[RoleBinding]]:
        """`own` for several subjects in one query (a page of a list), each in `own`'s order."""
        found: dict[str, list[RoleBinding]] = {subject_id: [] for subject_id in subject_ids}
        if subject_ids:
            query = sa.select(RoleBinding).where(RoleBinding.subject_type == subject_type,
                                                 RoleBinding.subject_id.in_(subject_ids))
            if organization_id is not None:
                query = query.where(RoleBinding.organization_id == organization_id)
            for binding in self.session.scalars(query.order_by(RoleBinding.scope_type, RoleBinding.id)):
                found[binding.subject_id].append(binding)
        return found

    def grants(self, bindings: Iterable[RoleBinding]) -> list[Grant]:
        bindings = list(bindings)
        permissions = dict(ROLE_PERMISSIONS)
        unknown_by_org: dict[str, set[str]] = {}
        for binding in bindings:
            if binding.role not in permissions:
                unknown_by_org.setdefault(binding.organization_id, set()).add(binding.role)
        for organization_id, names in unknown_by_org.items():
            for name, (_scope, role_permissions) in self.custom_roles(organization_id, names).items():
                permissions[name] = role_permissions
        return [
            Grant(scope_type=b.scope_type, organization_id=b.organization_id, workspace_id=b.workspace_id,
                  deployment_id=b.deployment_id, role=b.role, permissions=permissions.get(b.role, frozenset()),
                  dag_id=b.dag_id, dag_tag=b.dag_tag)
            for b in bindings
        ]

    def custom_roles(self, organization_id: str, names: set[str]) -> dict[str, tuple[ScopeType, frozenset[str]]]:
        found: dict[str, tuple[ScopeType, frozenset[str]]] = {}
        for loader in _custom_role_loaders:
            found.update(loader(self.session, organization_id, names))
        return found

    def role(self, organization_id: str, name: str) -> tuple[ScopeType, frozenset[str]] | None:
        """Scope and permissions of a built-in or custom role; None when no such role exists."""
        if name in ROLE_PERMISSIONS:
            return ROLE_SCOPES[name], ROLE_PERMISSIONS[name]
        return self.custom_roles(organization_id, {name}).get(name)

    def add(self, binding: RoleBinding) -> RoleBinding:
        self.session.add(binding)
        return binding

    def replace(self, subject_type: str, subject_id: str, organization_id: str,
                bindings: list[RoleBinding], *, scope_types: Iterable[str] | None = None) -> None:
        """Replace a subject's bindings in an organization (optionally only some scope types)."""
        query = sa.delete(RoleBinding).where(RoleBinding.subject_type == subject_type,
                                             RoleBinding.subject_id == subject_id,
                                             RoleBinding.organization_id == organization_id)
        if scope_types is not None:
            query = query.where(RoleBinding.scope_type.in_(list(scope_types)))
        self.session.execute(query)
        self.session.add_all(bindings)
        self.session.flush()

    def delete_subject(self, subject_type: str, subject_id: str) -> None:
        self.session.execute(sa.delete(RoleBinding).where(RoleBinding.subject_type == subject_type,
                                                          RoleBinding.subject_id == subject_id))

    def delete_for_entity(self, *, workspace_id: str | None = None, deployment_id: str | None = None) -> None:
        """Drop bindings on an entity that is going away (and on everything below it)."""
        if workspace_id is not None:
            self.session.execute(sa.delete(RoleBinding).where(RoleBinding.workspace_id == workspace_id))
        if deployment_id is not None:
            self.session.execute(sa.delete(RoleBinding).where(RoleBinding.deployment_id == deployment_id))
