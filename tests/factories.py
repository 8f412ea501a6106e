"""Rows written straight through the ORM, for tests of resources that need a deployment before the
deployments API is the subject under test. Prefer the HTTP API wherever it can build the row."""

from astroplane.clusters.models import Cluster
from astroplane.deployments.models import Deployment
from astroplane.deployments.repository import DeploymentRepository
from astroplane.kit.ids import new_id


def insert_deployment(server, organization_id: str, workspace_id: str, **columns) -> str:
    values = dict(name=f"dep-{new_id()[-6:]}", type="STANDARD", status="HEALTHY", executor="CELERY",
                  runtime_version="13.0.0", image_repository="images.astroplane.local/runtime",
                  image_tag="13.0.0", is_dag_deploy_enabled=True)
    values.update(columns)
    session = server.database.session()
    try:
        deployment = Deployment(organization_id=organization_id, workspace_id=workspace_id, **values)
        session.add(deployment)
        DeploymentRepository(session).adjust_count(organization_id, +1)
        session.commit()
        return deployment.id
    finally:
        session.close()


def insert_cluster(server, organization_id: str, **columns) -> str:
    values = dict(name=f"cluster-{new_id()[-6:]}", cloud_provider="AWS", region="us-east-1",
                  type="DEDICATED", status="CREATED")
    values.update(columns)
    session = server.database.session()
    try:
        cluster = Cluster(organization_id=organization_id, **values)
        session.add(cluster)
        session.commit()
        return cluster.id
    finally:
        session.close()
