import zlib

import sqlalchemy as sa
from sqlalchemy.orm import Session

from astroplane.kit.time import epoch_seconds
from astroplane.logs.models import LOG_SOURCES, DeploymentLogLine
from astroplane.logs.search import LogQuery, search_clause


class DeploymentLogRepository:
    def __init__(self, session: Session):
        self.session = session

    def _serialize_writers(self, deployment_id: str) -> None:
        """On PostgreSQL, one writer per deployment at a time, so a deployment's lines commit in id
        order and a search pinned at the highest id never sees a lower id appear later. (SQLite
        writers are serialized by its write lock already.)"""
        if self.session.get_bind().dialect.name != "postgresql":
            return
        held = self.session.info.setdefault("log_writer_locks", set())
        if deployment_id in held:
            return
        key = zlib.crc32(f"deployment-logs:{deployment_id}".encode())
        self.session.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
        held.add(deployment_id)

    def append(self, organization_id: str, deployment_id: str, source: str, raw: str,
               timestamp: float | None = None) -> None:
        if source not in LOG_SOURCES:
            raise ValueError(f"unknown log source {source}")
        self._serialize_writers(deployment_id)
        self.session.add(DeploymentLogLine(organization_id=organization_id, deployment_id=deployment_id,
                                           source=source, raw=raw,
                                           timestamp=epoch_seconds() if timestamp is None else timestamp))

    def append_many(self, organization_id: str, deployment_id: str, lines: list[tuple[str, str, float]]) -> None:
        """(source, raw, timestamp) lines in one INSERT."""
        if not lines:
            return
        self._serialize_writers(deployment_id)
        self.session.execute(sa.insert(DeploymentLogLine), [
            dict(organization_id=organization_id, deployment_id=deployment_id, source=source, raw=raw,
                 timestamp=timestamp) for source, raw, timestamp in lines])

    def newest_id(self, deployment_id: str) -> int:
        return self.session.scalar(sa.select(sa.func.max(DeploymentLogLine.id))
                                   .where(DeploymentLogLine.deployment_id == deployment_id)) or 0

    def search(self, deployment_id: str, query: LogQuery, offset: int, limit: int) -> list[DeploymentLogLine]:
        """Newest first: by timestamp, then by arrival."""
        statement = (sa.select(DeploymentLogLine)
                     .where(DeploymentLogLine.deployment_id == deployment_id,
                            DeploymentLogLine.source.in_(query.sources),
                            DeploymentLogLine.timestamp >= query.start, DeploymentLogLine.timestamp <= query.end,
                            DeploymentLogLine.id <= query.max_id)
                     .order_by(DeploymentLogLine.timestamp.desc(), DeploymentLogLine.id.desc())
                     .offset(offset).limit(limit))
        if query.text:
            statement = statement.where(search_clause(self.session.get_bind().dialect.name, query.text))
        return list(self.session.scalars(statement))

    def delete_for_deployment(self, deployment_id: str) -> None:
        self.session.execute(sa.delete(DeploymentLogLine).where(DeploymentLogLine.deployment_id == deployment_id))
