import sqlalchemy as sa
from sqlalchemy.orm import Session

from astroplane.deployments.models import Deployment
from astroplane.deploys.models import Deploy, DeployUpload
from astroplane.kit.pagination import ListParams


class DeployRepository:
    def __init__(self, session: Session):
        self.session = session

    def deployment(self, organization_id: str, deployment_id: str) -> Deployment | None:
        deployment = self.session.get(Deployment, deployment_id)
        if deployment is None or deployment.organization_id != organization_id:
            return None
        return deployment

    def get(self, deployment_id: str, deploy_id: str) -> Deploy | None:
        deploy = self.session.get(Deploy, deploy_id)
        if deploy is None or deploy.deployment_id != deployment_id:
            return None
        return deploy

    def page(self, deployment_id: str, params: ListParams) -> tuple[list[Deploy], int]:
        """Newest first."""
        query = sa.select(Deploy).where(Deploy.deployment_id == deployment_id)
        total = self.session.scalar(sa.select(sa.func.count()).select_from(query.subquery())) or 0
        rows = self.session.scalars(query.order_by(Deploy.created_at.desc(), Deploy.id.desc())
                                    .offset(params.offset).limit(params.limit))
        return list(rows), total

    def add(self, deploy: Deploy) -> Deploy:
        self.session.add(deploy)
        self.session.flush()
        return deploy

    def upload(self, version_id: str) -> DeployUpload | None:
        return self.session.get(DeployUpload, version_id)

    def add_upload(self, upload: DeployUpload) -> None:
        self.session.add(upload)
        self.session.flush()

    def apply_to_deployment(self, deployment_id: str, *, image_tag: str, dag_tarball_version: str | None,
                            is_dag_deploy_enabled: bool, mark_deploying: bool) -> None:
        """Point the deployment at what a finalized deploy or a rollback runs."""
        values = dict(image_tag=image_tag, dag_tarball_version=dag_tarball_version,
                      desired_dag_tarball_version=dag_tarball_version,
                      is_dag_deploy_enabled=is_dag_deploy_enabled)
        statement = sa.update(Deployment).where(Deployment.id == deployment_id).values(**values)
        self.session.execute(statement)
        if mark_deploying:
            # a change in what runs rolls out; the deployments reconciler takes DEPLOYING to HEALTHY
            self.session.execute(sa.update(Deployment).where(
                Deployment.id == deployment_id,
                Deployment.status.in_(("HEALTHY", "UNHEALTHY", "UNKNOWN", "DEPLOYING"))).values(status="DEPLOYING"))

    def current_bundles(self, deployment_id: str) -> list[Deploy]:
        """The bundle each mount path holds: per mount path, the latest DEPLOYED BUNDLE deploy (a
        finalize or a rollback), unless that one removed it (no bundle_version)."""
        deploys = self.session.scalars(
            sa.select(Deploy).where(Deploy.deployment_id == deployment_id, Deploy.type == "BUNDLE",
                                    Deploy.status == "DEPLOYED")
            .order_by(Deploy.finalized_at, Deploy.id))
        latest = {deploy.bundle_mount_path: deploy for deploy in deploys}
        return [deploy for _, deploy in sorted(latest.items()) if deploy.bundle_version]

    def delete_for_deployment(self, deployment_id: str) -> None:
        self.session.execute(sa.delete(DeployUpload).where(DeployUpload.deployment_id == deployment_id))
        self.session.execute(sa.delete(Deploy).where(Deploy.deployment_id == deployment_id))
