"""How other resources reach a deployment: the RBAC scope resolver and the delete hooks."""

from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy.orm import Session

from astroplane.deployments.models import Deployment
from astroplane.deployments.repository import DeploymentRepository
from astroplane.rbac.principal import Target

# Called with (session, deployment) inside the deleting transaction, before the row goes, so
# objects that belong to the deployment (links, deploys, tokens) leave with it.
DELETE_CLEANUPS: list[Callable[[Session, Deployment], None]] = []
# session.info key: the versions resolve_scope read, by deployment id (see service.get_deployment)
VERSIONS = "deployment_versions"


def resolve_scope(session: Session, organization_id: str, deployment_id: str) -> Target | None:
    row = DeploymentRepository(session).scope_row(organization_id, deployment_id)
    if row is None:
        return None
    session.info.setdefault(VERSIONS, {})[deployment_id] = row
    return Target(organization_id, row.workspace_id, deployment_id)


def version_read(session: Session, deployment_id: str) -> sa.Row | None:
    """What resolve_scope read about the deployment in this request, if it ran."""
    return session.info.get(VERSIONS, {}).get(deployment_id)


def run_delete_cleanups(session: Session, deployment: Deployment) -> None:
    for cleanup in DELETE_CLEANUPS:
        cleanup(session, deployment)
