import time

import sqlalchemy as sa
from sqlalchemy.orm import Session

from astroplane.logs.models import LOG_SOURCES, DeploymentLogLine


class DeploymentLogRepository:
    def __init__(self, session: Session):
        self.session = session

    def append(self, organization_id: str, deployment_id: str, source: str, raw: str,
               timestamp: float | None = None) -> None:
        if source not in LOG_SOURCES:
            raise ValueError(f"unknown log source {source}")
        self.session.add(DeploymentLogLine(organization_id=organization_id, deployment_id=deployment_id,
                                           source=source, raw=raw,
                                           timestamp=time.time() if timestamp is None else timestamp))

    def delete_for_deployment(self, deployment_id: str) -> None:
        self.session.execute(sa.delete(DeploymentLogLine).where(DeploymentLogLine.deployment_id == deployment_id))
