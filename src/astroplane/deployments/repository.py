import sqlalchemy as sa
from sqlalchemy.orm import Session

from astroplane.deployments.models import Deployment


class DeploymentRepository:
    def __init__(self, session: Session):
        self.session = session

    def workspace_of(self, organization_id: str, deployment_id: str) -> str | None:
        """The deployment's workspace id, or None when the organization has no such deployment."""
        return self.session.execute(
            sa.select(Deployment.workspace_id)
            .where(Deployment.id == deployment_id, Deployment.organization_id == organization_id)
        ).scalar_one_or_none()
