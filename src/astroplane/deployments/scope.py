"""How other resources reach a deployment: the RBAC scope resolver and the delete hooks."""

from collections.abc import Callable

from sqlalchemy.orm import Session

from astroplane.deployments.models import Deployment
from astroplane.deployments.repository import DeploymentRepository
from astroplane.rbac.principal import Target

# Called with (session, deployment) inside the deleting transaction, before the row goes, so
# objects that belong to the deployment (links, deploys, tokens) leave with it.
DELETE_CLEANUPS: list[Callable[[Session, Deployment], None]] = []


def resolve_scope(session: Session, organization_id: str, deployment_id: str) -> Target | None:
    workspace_id = DeploymentRepository(session).workspace_of(organization_id, deployment_id)
    return Target(organization_id, workspace_id, deployment_id) if workspace_id else None


def run_delete_cleanups(session: Session, deployment: Deployment) -> None:
    for cleanup in DELETE_CLEANUPS:
        cleanup(session, deployment)
