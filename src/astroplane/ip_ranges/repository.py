import sqlalchemy as sa
from sqlalchemy.orm import Session

from astroplane.ip_ranges.models import AllowedIpRange
from astroplane.kit.bulk import insert_rows
from astroplane.kit.pagination import ListParams, paginate


class AllowedIpRangeRepository:
    def __init__(self, session: Session):
        self.session = session

    def exists(self, organization_id: str) -> bool:
        return self.session.scalar(sa.select(sa.literal(True)).where(
            AllowedIpRange.organization_id == organization_id).limit(1)) is not None

    def among(self, organization_id: str, values: list[str]) -> set[str]:
        """Which of `values` the organization already allows, looked up by index rather than loading every range."""
        found: set[str] = set()
        for start in range(0, len(values), 500):  # keeps the IN list within every backend's limits
            found.update(self.session.scalars(sa.select(AllowedIpRange.ip_address_range).where(
                AllowedIpRange.organization_id == organization_id,
                AllowedIpRange.ip_address_range.in_(values[start:start + 500]))))
        return found

    def get(self, organization_id: str, range_id: str) -> AllowedIpRange | None:
        row = self.session.get(AllowedIpRange, range_id)
        return row if row is not None and row.organization_id == organization_id else None

    def page(self, organization_id: str, params: ListParams) -> tuple[list[AllowedIpRange], int]:
        query = sa.select(AllowedIpRange).where(AllowedIpRange.organization_id == organization_id)
        columns = {"createdAt": AllowedIpRange.created_at, "updatedAt": AllowedIpRange.updated_at,
                   "ipAddress": AllowedIpRange.ip_address_range}
        return paginate(self.session, query, params, columns, AllowedIpRange.id)

    def insert_unless_present(self, rows: list[dict]) -> bool:
        """Complete rows (ids and timestamps given) in one statement, all or none: False, with
        nothing inserted, when the organization already has one of the ranges. (A bulk create is up
        to 1,000 rows: the ORM's unit of work would cost more than the insert itself.)"""
        try:
            with self.session.begin_nested():
                insert_rows(self.session, AllowedIpRange.__table__, rows)
        except sa.exc.IntegrityError:
            return False
        return True

    def delete(self, organization_id: str, range_ids: set[str]) -> None:
        self.session.execute(sa.delete(AllowedIpRange).where(AllowedIpRange.organization_id == organization_id,
                                                             AllowedIpRange.id.in_(range_ids)))
