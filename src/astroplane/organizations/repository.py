import sqlalchemy as sa
from sqlalchemy.orm import Session

from astroplane.kit.pagination import ListParams, paginate
from astroplane.organizations.models import Organization

SORTS = {"name": Organization.name, "createdAt": Organization.created_at, "updatedAt": Organization.updated_at}


class OrganizationRepository:
    def __init__(self, session: Session):
        self.session = session

    def get(self, organization_id: str) -> Organization | None:
        return self.session.get(Organization, organization_id)

    def by_name(self, name: str) -> Organization | None:
        return self.session.scalar(sa.select(Organization).where(Organization.name == name))

    def name_taken(self, name: str, *, except_id: str | None = None) -> bool:
        query = sa.select(Organization.id).where(Organization.name == name)
        if except_id:
            query = query.where(Organization.id != except_id)
        return self.session.scalar(query.limit(1)) is not None

    def page(self, ids: set[str], params: ListParams, *, product: str | None = None,
             product_plan: str | None = None) -> tuple[list[Organization], int]:
        query = sa.select(Organization).where(Organization.id.in_(ids))
        if product:
            query = query.where(Organization.product == product)
        if product_plan:
            query = query.where(Organization.product_plan == product_plan)
        return paginate(self.session, query, params, SORTS, Organization.id, Organization.created_at.asc())

    def add(self, organization: Organization) -> Organization:
        self.session.add(organization)
        self.session.flush()
        return organization

    def any_exists(self) -> bool:
        return self.session.scalar(sa.select(Organization.id).limit(1)) is not None
