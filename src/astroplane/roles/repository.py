import sqlalchemy as sa
from sqlalchemy.orm import Session

from astroplane.kit.pagination import ListParams, paginate
from astroplane.rbac.models import RoleBinding
from astroplane.rbac.permissions import ScopeType
from astroplane.roles.models import CustomRole


class CustomRoleRepository:
    def __init__(self, session: Session):
        self.session = session

    def get(self, organization_id: str, role_id: str) -> CustomRole | None:
        row = self.session.get(CustomRole, role_id)
        return row if row is not None and row.organization_id == organization_id else None

    def by_name(self, organization_id: str, name: str) -> CustomRole | None:
        return self.session.scalar(sa.select(CustomRole).where(CustomRole.organization_id == organization_id,
                                                               CustomRole.name == name))

    def by_names(self, organization_id: str, names: set[str]) -> list[CustomRole]:
        if not names:
            return []
        return list(self.session.scalars(sa.select(CustomRole).where(CustomRole.organization_id == organization_id,
                                                                     CustomRole.name.in_(names))))

    def page(self, organization_id: str, params: ListParams, scope_types: list[str] | None
             ) -> tuple[list[CustomRole], int]:
        query = sa.select(CustomRole).where(CustomRole.organization_id == organization_id)
        if scope_types is not None:
            query = query.where(CustomRole.scope_type.in_(scope_types))
        columns = {"createdAt": CustomRole.created_at, "updatedAt": CustomRole.updated_at, "name": CustomRole.name,
                   "description": CustomRole.description, "scopeType": CustomRole.scope_type}
        return paginate(self.session, query, params, columns, CustomRole.id)

    def add(self, row: CustomRole) -> CustomRole:
        self.session.add(row)
        self.session.flush()
        return row

    def delete(self, row: CustomRole) -> None:
        self.session.delete(row)
        self.session.flush()

    def bindings_using(self, organization_id: str, name: str) -> int:
        return self.session.scalar(sa.select(sa.func.count()).select_from(RoleBinding).where(
            RoleBinding.organization_id == organization_id, RoleBinding.role == name)) or 0

    def rename_bindings(self, organization_id: str, old: str, new: str) -> None:
        self.session.execute(sa.update(RoleBinding).where(RoleBinding.organization_id == organization_id,
                                                          RoleBinding.role == old).values(role=new))


def load_custom_roles(session: Session, organization_id: str, names: set[str]
                      ) -> dict[str, tuple[ScopeType, frozenset[str]]]:
    """rbac.repository custom-role loader: bindings naming a custom role get its permissions."""
    return {row.name: (ScopeType(row.scope_type), frozenset(row.permissions))
            for row in CustomRoleRepository(session).by_names(organization_id, names)}
