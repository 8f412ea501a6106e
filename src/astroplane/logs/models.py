import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from astroplane.kit.db import Base

LOG_SOURCES = ("scheduler", "webserver", "triggerer", "worker", "dag-processor", "apiserver")


class DeploymentLogLine(Base):
    """One line a deployment's component wrote. The integer id orders lines by arrival, which
    keeps paging stable while new lines come in."""

    __tablename__ = "deployment_log_lines"
    # (deployment_id, id): a search pins the deployment's newest id with one index probe
    __table_args__ = (sa.Index(None, "deployment_id", "source", "timestamp"), sa.Index(None, "deployment_id", "id"))

    id: Mapped[int] = mapped_column(sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True,
                                    autoincrement=True)
    organization_id: Mapped[str] = mapped_column(sa.String(25))
    deployment_id: Mapped[str] = mapped_column(sa.String(25))
    source: Mapped[str] = mapped_column(sa.String(16))
    # seconds since the epoch, as the API reports it
    timestamp: Mapped[float] = mapped_column(sa.Float(precision=53))
    raw: Mapped[str] = mapped_column(sa.Text)
