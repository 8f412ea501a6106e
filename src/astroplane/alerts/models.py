import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from astroplane.kit.db import Base, UTCDateTime
from astroplane.kit.models import AuthorMixin, IdMixin, TimestampMixin
from astroplane.kit.time import utcnow


class Alert(IdMixin, TimestampMixin, AuthorMixin, Base):
    """A rule on one deployment's DAG runs or task instances, and the channels it notifies."""

    __tablename__ = "alerts"

    organization_id: Mapped[str] = mapped_column(sa.ForeignKey("organizations.id", ondelete="CASCADE"),
                                                 index=True)
    workspace_id: Mapped[str] = mapped_column(sa.ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    deployment_id: Mapped[str] = mapped_column(sa.ForeignKey("deployments.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(256))
    alert_type: Mapped[str] = mapped_column(sa.String(32))
    severity: Mapped[str] = mapped_column(sa.String(16))
    # the type's properties (thresholds, deadline, ...) and patternMatches, as JSON: nothing secret
    properties: Mapped[str] = mapped_column(sa.Text)
    pattern_matches: Mapped[str] = mapped_column(sa.Text)


class AlertChannel(Base):
    """An alert notifies a channel. Deleting either side removes the link (the alert stays)."""

    __tablename__ = "alert_channels"

    alert_id: Mapped[str] = mapped_column(sa.ForeignKey("alerts.id", ondelete="CASCADE"), primary_key=True)
    channel_id: Mapped[str] = mapped_column(sa.ForeignKey("notification_channels.id", ondelete="CASCADE"),
                                            primary_key=True, index=True)
    position: Mapped[int] = mapped_column(default=0)


class AlertFiring(IdMixin, Base):
    """An alert fired once for one DAG run, task try or missed deadline. `event_key` names that
    occurrence; its uniqueness per alert is what keeps restarts and several servers from firing twice."""

    __tablename__ = "alert_firings"
    __table_args__ = (sa.UniqueConstraint("alert_id", "event_key", name="uq_alert_firings_event"),)

    alert_id: Mapped[str] = mapped_column(sa.ForeignKey("alerts.id", ondelete="CASCADE"))
    organization_id: Mapped[str] = mapped_column(sa.String(25))
    deployment_id: Mapped[str] = mapped_column(sa.String(25), index=True)
    event_key: Mapped[str] = mapped_column(sa.String(1024))
    dag_id: Mapped[str] = mapped_column(sa.String(250))
    run_id: Mapped[str | None] = mapped_column(sa.String(250))
    task_id: Mapped[str | None] = mapped_column(sa.String(250))
    try_number: Mapped[int | None] = mapped_column(sa.Integer)
    # when Airflow saw what fired the alert (a run or task end, a threshold or deadline passing)
    event_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    fired_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    summary: Mapped[str] = mapped_column(sa.Text)


class AlertDelivery(IdMixin, Base):
    """One firing sent to one channel: pending until delivered, retried with back-off, then given up."""

    __tablename__ = "alert_deliveries"
    __table_args__ = (sa.UniqueConstraint("firing_id", "channel_id", name="uq_alert_deliveries_channel"),
                      sa.Index(None, "status", "next_attempt_at"))

    firing_id: Mapped[str] = mapped_column(sa.ForeignKey("alert_firings.id", ondelete="CASCADE"))
    channel_id: Mapped[str] = mapped_column(sa.ForeignKey("notification_channels.id", ondelete="CASCADE"),
                                            index=True)
    channel_type: Mapped[str] = mapped_column(sa.String(16))
    # PENDING | DELIVERED | FAILED
    status: Mapped[str] = mapped_column(sa.String(16), default="PENDING")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    # a server sending it holds it until then, so two servers never send the same delivery at once
    claimed_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    delivered_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
