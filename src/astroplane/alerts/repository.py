import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Session

from astroplane.alerts.models import Alert, AlertChannel, AlertDelivery, AlertFiring
from astroplane.deployments.models import Deployment
from astroplane.kit.db import dialect_insert
from astroplane.kit.pagination import ListParams, paginate
from astroplane.notification_channels.models import NotificationChannel

SORTS = {"name": Alert.name, "createdAt": Alert.created_at, "updatedAt": Alert.updated_at}
PENDING, DELIVERED, FAILED = "PENDING", "DELIVERED", "FAILED"


class AlertRepository:
    def __init__(self, session: Session):
        self.session = session

    def get(self, organization_id: str, alert_id: str) -> Alert | None:
        row = self.session.get(Alert, alert_id)
        return row if row is not None and row.organization_id == organization_id else None

    def among_ids(self, alert_ids: set[str]) -> dict[str, Alert]:
        """Alerts of any organization (the alert loop works across them)."""
        return {row.id: row for row in self.session.scalars(sa.select(Alert).where(Alert.id.in_(alert_ids)))}

    def among(self, organization_id: str, alert_ids: list[str]) -> dict[str, Alert]:
        rows = self.session.scalars(sa.select(Alert).where(Alert.organization_id == organization_id,
                                                           Alert.id.in_(alert_ids)))
        return {row.id: row for row in rows}

    def page(self, organization_id: str, params: ListParams, filters: list[sa.ColumnElement], *,
             counted: bool = True) -> tuple[list[Alert], int]:
        query = sa.select(Alert).where(Alert.organization_id == organization_id, *filters)
        return paginate(self.session, query, params, SORTS, Alert.id, Alert.created_at.asc(),
                        total=None if counted else 0)

    def add(self, row: Alert) -> Alert:
        self.session.add(row)
        self.session.flush()
        return row

    def delete(self, rows: list[Alert]) -> None:
        ids = [row.id for row in rows]
        self._delete_firings(sa.select(AlertFiring.id).where(AlertFiring.alert_id.in_(ids)))
        self.session.execute(sa.delete(AlertChannel).where(AlertChannel.alert_id.in_(ids)))
        self.session.execute(sa.delete(Alert).where(Alert.id.in_(ids)).execution_options(synchronize_session=False))
        for row in rows:
            if row in self.session:
                self.session.expunge(row)

    def deployment_names(self, deployment_ids: set[str]) -> dict[str, str]:
        if not deployment_ids:
            return {}
        return dict(self.session.execute(sa.select(Deployment.id, Deployment.name)
                                         .where(Deployment.id.in_(deployment_ids))).tuples().all())

    # channels of alerts

    def channels_of(self, alert_ids: list[str]) -> dict[str, list[NotificationChannel]]:
        found: dict[str, list[NotificationChannel]] = {alert_id: [] for alert_id in alert_ids}
        if alert_ids:
            query = (sa.select(AlertChannel.alert_id, NotificationChannel)
                     .join(NotificationChannel, NotificationChannel.id == AlertChannel.channel_id)
                     .where(AlertChannel.alert_id.in_(alert_ids))
                     .order_by(AlertChannel.position, NotificationChannel.id))
            for alert_id, channel in self.session.execute(query).tuples():
                found[alert_id].append(channel)
        return found

    def set_channels(self, alert_id: str, channel_ids: list[str]) -> None:
        self.session.execute(sa.delete(AlertChannel).where(AlertChannel.alert_id == alert_id))
        self.session.add_all([AlertChannel(alert_id=alert_id, channel_id=channel_id, position=position)
                              for position, channel_id in enumerate(channel_ids)])
        self.session.flush()

    def alerts_using(self, channel_id: str) -> list[Alert]:
        return list(self.session.scalars(sa.select(Alert).join(AlertChannel, AlertChannel.alert_id == Alert.id)
                                         .where(AlertChannel.channel_id == channel_id)))

    def detach_channel(self, channel_id: str) -> None:
        """The channel goes: alerts stop notifying it, its deliveries (pending or past) go with it."""
        self.session.execute(sa.delete(AlertDelivery).where(AlertDelivery.channel_id == channel_id))
        self.session.execute(sa.delete(AlertChannel).where(AlertChannel.channel_id == channel_id))

    # cleanups

    def _delete_firings(self, firing_ids: sa.Select) -> None:
        self.session.execute(sa.delete(AlertDelivery).where(AlertDelivery.firing_id.in_(firing_ids)))
        self.session.execute(sa.delete(AlertFiring).where(AlertFiring.id.in_(firing_ids)))

    def delete_where(self, condition: sa.ColumnElement) -> None:
        self.delete(list(self.session.scalars(sa.select(Alert).where(condition))))


def _insert_ignoring_duplicates(session: Session, table: sa.Table, rows: list[dict]) -> set[str]:
    """INSERT ... ON CONFLICT DO NOTHING; the ids of the rows really inserted."""
    statement = dialect_insert(session, table).values(rows).on_conflict_do_nothing().returning(table.c.id)
    return set(session.execute(statement).scalars())


class FiringRepository:
    """Firings and their deliveries: written by the evaluation loop, never through the API."""

    def __init__(self, session: Session):
        self.session = session

    def deployments_with_alerts(self) -> list[str]:
        return list(self.session.scalars(sa.select(Alert.deployment_id).distinct()))

    def rules_on(self, deployment_ids: list[str]) -> list[Alert]:
        return list(self.session.scalars(sa.select(Alert).where(Alert.deployment_id.in_(deployment_ids))))

    def channel_ids_of(self, alert_ids: list[str]) -> dict[str, list[tuple[str, str]]]:
        """alert -> [(channel id, channel type)]"""
        found: dict[str, list[tuple[str, str]]] = {alert_id: [] for alert_id in alert_ids}
        query = (sa.select(AlertChannel.alert_id, NotificationChannel.id, NotificationChannel.channel_type)
                 .join(NotificationChannel, NotificationChannel.id == AlertChannel.channel_id)
                 .where(AlertChannel.alert_id.in_(alert_ids)))
        for alert_id, channel_id, channel_type in self.session.execute(query).tuples():
            found[alert_id].append((channel_id, channel_type))
        return found

    def known_keys(self, alert_ids: list[str], keys: set[str]) -> set[tuple[str, str]]:
        found: set[tuple[str, str]] = set()
        keys_list = sorted(keys)
        for start in range(0, len(keys_list), 500):
            found.update(self.session.execute(sa.select(AlertFiring.alert_id, AlertFiring.event_key).where(
                AlertFiring.alert_id.in_(alert_ids),
                AlertFiring.event_key.in_(keys_list[start:start + 500]))).tuples())
        return found

    def record(self, firings: list[dict]) -> set[str]:
        """Insert firings (complete rows); the ids of those no other pass or server recorded first."""
        return _insert_ignoring_duplicates(self.session, AlertFiring.__table__, firings) if firings else set()

    def add_deliveries(self, rows: list[dict]) -> None:
        if rows:
            self.session.execute(sa.insert(AlertDelivery.__table__), rows)

    def due(self, now: dt.datetime, limit: int) -> list[str]:
        return list(self.session.scalars(
            sa.select(AlertDelivery.id).where(AlertDelivery.status == PENDING, AlertDelivery.next_attempt_at <= now,
                                              sa.or_(AlertDelivery.claimed_until.is_(None),
                                                     AlertDelivery.claimed_until < now))
            .order_by(AlertDelivery.next_attempt_at).limit(limit)))

    def claim(self, delivery_id: str, now: dt.datetime, until: dt.datetime) -> bool:
        """Take one due delivery for this server; False when another took it first."""
        result = self.session.execute(
            sa.update(AlertDelivery).where(AlertDelivery.id == delivery_id, AlertDelivery.status == PENDING,
                                           sa.or_(AlertDelivery.claimed_until.is_(None),
                                                  AlertDelivery.claimed_until < now))
            .values(claimed_until=until).execution_options(synchronize_session=False))
        return result.rowcount == 1

    def delivery(self, delivery_id: str) -> tuple[AlertDelivery, AlertFiring, Alert, NotificationChannel] | None:
        query = (sa.select(AlertDelivery, AlertFiring, Alert, NotificationChannel)
                 .join(AlertFiring, AlertFiring.id == AlertDelivery.firing_id)
                 .join(Alert, Alert.id == AlertFiring.alert_id)
                 .join(NotificationChannel, NotificationChannel.id == AlertDelivery.channel_id)
                 .where(AlertDelivery.id == delivery_id))
        found = self.session.execute(query).first()
        return tuple(found) if found is not None else None  # type: ignore[return-value]

    def finish(self, delivery_id: str, **values) -> None:
        self.session.execute(sa.update(AlertDelivery).where(AlertDelivery.id == delivery_id)
                             .values(claimed_until=None, **values).execution_options(synchronize_session=False))
