import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from astroplane.kit.db import Base, UTCDateTime
from astroplane.kit.models import IdMixin
from astroplane.kit.time import utcnow


class ControlsState(Base):
    """The one row of server-wide test-double state (id 1), shared by every process on the database.

    The clock: `clock_offset_us` is added to the system time; `clock_frozen_at`, when set, is the
    time (it moves only when advanced). `faults_version` moves whenever armed faults change, so
    processes know when to reload them; `id_blocks_taken` hands out SeededIds blocks (kit.ids).
    """

    __tablename__ = "controls_state"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    clock_offset_us: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    clock_frozen_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    faults_version: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    id_blocks_taken: Mapped[int] = mapped_column(sa.BigInteger, default=0)


class ArmedFault(IdMixin, Base):
    """A fault armed for calls to one operation in one organization.

    `remaining` injections are left (None: until cleared); `fraction` picks which matching calls
    get one, spread evenly and reproducibly over the calls `seen` so far (None: every call)."""

    __tablename__ = "controls_faults"

    organization_id: Mapped[str] = mapped_column(sa.ForeignKey("organizations.id", ondelete="CASCADE"),
                                                 index=True)
    operation_id: Mapped[str] = mapped_column(sa.String(128))
    # STATUS | LATENCY | DROP
    kind: Mapped[str] = mapped_column(sa.String(16))
    status_code: Mapped[int | None] = mapped_column()
    message: Mapped[str | None] = mapped_column(sa.Text)
    latency_ms: Mapped[int | None] = mapped_column()
    remaining: Mapped[int | None] = mapped_column()
    fraction: Mapped[float | None] = mapped_column(sa.Float)
    seen: Mapped[int] = mapped_column(default=0)
    injected: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
