"""SQL of the test-double controls: the shared state row, armed faults, an organization's reset."""

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from astroplane.controls.models import ArmedFault, ControlsState
from astroplane.deployments.models import Deployment
from astroplane.kit.db import Base
from astroplane.rbac.models import RoleBinding
from astroplane.rbac.permissions import ScopeType
from astroplane.tokens.models import ApiToken

STATE_ID = 1
# set in a session's info when it changed the shared row (controls.clock drops copies on commit)
CHANGED_KEY = "controls_changed"
_ARMED = sa.or_(ArmedFault.remaining.is_(None), ArmedFault.remaining > 0)


@dataclass(frozen=True, slots=True)
class StateRow:
    clock_offset_us: int
    clock_frozen_at: object
    faults_version: int


def read_state(engine: Engine) -> StateRow:
    """The shared row, read on a connection of its own (the per-process cache's refresh)."""
    with engine.connect() as connection:
        row = connection.execute(sa.select(ControlsState.clock_offset_us, ControlsState.clock_frozen_at,
                                           ControlsState.faults_version)
                                 .where(ControlsState.id == STATE_ID)).one()
    return StateRow(*row)


def take_id_block(engine: Engine) -> int:
    """The next unused block of seeded ids (kit.ids.SeededIds), in a transaction of its own."""
    with engine.begin() as connection:
        connection.execute(sa.update(ControlsState).where(ControlsState.id == STATE_ID)
                           .values(id_blocks_taken=ControlsState.id_blocks_taken + 1))
        taken = connection.execute(sa.select(ControlsState.id_blocks_taken)
                                   .where(ControlsState.id == STATE_ID)).scalar_one()
    return taken - 1


def armed_keys(engine: Engine) -> frozenset[tuple[str, str]]:
    """(organization id, operationId) of every armed fault."""
    with engine.connect() as connection:
        rows = connection.execute(sa.select(ArmedFault.organization_id, ArmedFault.operation_id)
                                  .where(_ARMED).distinct())
        return frozenset((organization_id, operation_id) for organization_id, operation_id in rows)


class ControlsRepository:
    def __init__(self, session: Session):
        self.session = session

    def state(self, *, for_update: bool = False) -> ControlsState:
        query = sa.select(ControlsState).where(ControlsState.id == STATE_ID)
        if for_update:
            query = query.with_for_update()
        return self.session.scalars(query).one()

    def faults_changed(self) -> None:
        """Tell every process to reload its armed faults (they compare this version)."""
        self.session.info[CHANGED_KEY] = True
        self.session.execute(sa.update(ControlsState).where(ControlsState.id == STATE_ID)
                             .values(faults_version=ControlsState.faults_version + 1))

    def faults(self, organization_id: str) -> list[ArmedFault]:
        return list(self.session.scalars(sa.select(ArmedFault).where(ArmedFault.organization_id == organization_id)
                                         .order_by(ArmedFault.created_at, ArmedFault.id)))

    def add_fault(self, fault: ArmedFault) -> ArmedFault:
        self.session.add(fault)
        self.session.flush()
        return fault

    def fault(self, organization_id: str, fault_id: str) -> ArmedFault | None:
        fault = self.session.get(ArmedFault, fault_id)
        return fault if fault is not None and fault.organization_id == organization_id else None

    def delete_fault(self, fault: ArmedFault) -> None:
        self.session.delete(fault)
        self.session.flush()

    def clear_faults(self, organization_id: str) -> int:
        return self.session.execute(sa.delete(ArmedFault).where(ArmedFault.organization_id == organization_id)
                                    ).rowcount

    def armed_for(self, organization_id: str, operation_id: str) -> list[ArmedFault]:
        """The armed faults of one operation, oldest first, locked until this transaction ends."""
        return list(self.session.scalars(
            sa.select(ArmedFault).where(ArmedFault.organization_id == organization_id,
                                        ArmedFault.operation_id == operation_id, _ARMED)
            .order_by(ArmedFault.created_at, ArmedFault.id).with_for_update()))

    def deployment_ids(self, organization_id: str) -> list[str]:
        return list(self.session.scalars(sa.select(Deployment.id).where(Deployment.organization_id == organization_id)))

    def delete_organization_data(self, organization_id: str, keep_token_id: str | None,
                                 keep_subject: tuple[str, str]) -> dict[str, int]:
        """Delete every row of the organization, children first (their own children go by cascade),
        except the organization itself, one API token, and the organization roles of `keep_subject`
        and of the users who own the organization."""
        deleted: dict[str, int] = {}
        for table in reversed(Base.metadata.sorted_tables):
            if table.name == "organizations" or "organization_id" not in table.c:
                continue
            statement = sa.delete(table).where(table.c.organization_id == organization_id)
            if table.name == ApiToken.__tablename__ and keep_token_id is not None:
                statement = statement.where(table.c.id != keep_token_id)
            if table.name == RoleBinding.__tablename__:
                kept = sa.and_(table.c.scope_type == ScopeType.ORGANIZATION.value, sa.or_(
                    sa.and_(table.c.subject_type == keep_subject[0], table.c.subject_id == keep_subject[1]),
                    sa.and_(table.c.subject_type == "USER", table.c.role == "ORGANIZATION_OWNER")))
                statement = statement.where(sa.not_(kept))
            count = self.session.execute(statement).rowcount
            if count:
                deleted[table.name] = count
        return deleted
