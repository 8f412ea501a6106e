"""Reads a deployment's desired runtime from the database: what the API recorded, nothing more."""

import json

from sqlalchemy.orm import Session

from astroplane.deployments import options
from astroplane.deployments.lifecycle import RUNNING
from astroplane.deployments.models import Deployment
from astroplane.deployments.repository import DeploymentRepository
from astroplane.deploys.repository import DeployRepository
from astroplane.envobjects import service as envobjects
from astroplane.envobjects.payloads import AIRFLOW_VARIABLE, CONNECTION, ENVIRONMENT_VARIABLE
from astroplane.runtime.base import BundleSpec, DeploymentSpec

# connection fields (API names) -> the keys of Airflow's JSON connection format
CONNECTION_FIELDS = {"type": "conn_type", "host": "host", "login": "login", "password": "password",
                     "schema": "schema", "port": "port", "extra": "extra"}


def environment_of(objects: list[tuple[str, str, dict]], variables: dict[str, str]) -> dict[str, str]:
    """The process environment: environment objects as Airflow reads them from the environment
    (AIRFLOW_VAR_<KEY>, AIRFLOW_CONN_<KEY> as JSON), then the deployment's own variables, which win.
    Metrics exports configure the platform, not Airflow, and are left out."""
    environment: dict[str, str] = {}
    for object_type, key, values in objects:
        if object_type == AIRFLOW_VARIABLE:
            environment[f"AIRFLOW_VAR_{key.upper()}"] = str(values.get("value", ""))
        elif object_type == CONNECTION:
            connection = {CONNECTION_FIELDS[name]: value for name, value in values.items() if name in CONNECTION_FIELDS}
            environment[f"AIRFLOW_CONN_{key.upper()}"] = json.dumps(connection, sort_keys=True)
        elif object_type == ENVIRONMENT_VARIABLE:
            environment[key] = str(values.get("value", ""))
    environment.update(variables)
    return environment


def deployment_spec(session: Session, deployment: Deployment) -> DeploymentSpec:
    variables = {row.key: row.value or "" for row in
                 DeploymentRepository(session).environment([deployment.id])[deployment.id]}
    objects = envobjects.effective_for_deployment(session, deployment.workspace_id, deployment.id)
    version = deployment.desired_dag_tarball_version if deployment.is_dag_deploy_enabled else None
    deploys = DeployRepository(session)
    upload = deploys.upload(version) if version else None
    bundles = []
    for bundle in deploys.current_bundles(deployment.id):
        archive = deploys.upload(bundle.bundle_version)
        if archive is not None:
            bundles.append(BundleSpec(bundle.bundle_mount_path, bundle.bundle_version, archive.digest))
    return DeploymentSpec(
        deployment_id=deployment.id, organization_id=deployment.organization_id,
        airflow_version=options.airflow_version(deployment.runtime_version), executor=deployment.executor,
        environment=environment_of(objects, variables),
        dag_version=version if upload is not None else None, dag_digest=upload.digest if upload else None,
        rollout=deployment.status in RUNNING, bundles=tuple(bundles))
