"""Deploys: create → upload the archive to the signed URL → finalize; later, roll back.

Every finalized deploy records the full state it left the deployment in (image tag, DAG bundle
version, DAG-deploy setting), so a rollback copies a snapshot instead of replaying history.
"""

import datetime as dt
import posixpath

from sqlalchemy.orm import Session

from astroplane.auth.subjects import SubjectProfiles
from astroplane.deployments.models import Deployment
from astroplane.deploys import schemas
from astroplane.deploys.blobstore import BlobStore
from astroplane.deploys.models import Deploy
from astroplane.deploys.repository import DeployRepository
from astroplane.deploys.uploads import UploadGrant, upload_url

from astroplane.kit import data_versions
from astroplane.kit.errors import BadRequest, Conflict, Forbidden, NotFound
from astroplane.kit.ids import new_id
from astroplane.kit.pagination import ListParams
from astroplane.kit.time import utcnow
from astroplane.logs.repository import DeploymentLogRepository
from astroplane.rbac.authorize import AuthContext
from astroplane.settings import Settings

MAX_DESCRIPTION_LENGTH = 500
ROLLBACK_WINDOW = dt.timedelta(days=90)
DAG_TYPES = ("IMAGE_AND_DAG", "DAG_ONLY")
IMAGE_TYPES = ("IMAGE_AND_DAG", "IMAGE_ONLY")
GIT_FIELDS = ("provider", "commitSha", "account", "repo", "remoteUrl", "branch", "path", "commitUrl",
              "authorName", "authorUsername", "authorUrl", "beforeCommitSha")


def _needs_dags(deploy: Deploy) -> bool:
    return deploy.type in DAG_TYPES and deploy.is_dag_deploy_enabled


def to_public(deploy: Deploy, profiles: SubjectProfiles, settings: Settings) -> schemas.Deploy:
    open_for_upload = deploy.status == "INITIALIZED"
    dags = UploadGrant(deploy.organization_id, deploy.deployment_id, deploy.id, "DAGS")
    bundle = UploadGrant(deploy.organization_id, deploy.deployment_id, deploy.id, "BUNDLE")
    bundles = None
    if deploy.type == "BUNDLE":
        bundles = [schemas.Bundle(bundleType=deploy.bundle_type or "", deployId=deploy.id,
                                  mountPath=deploy.bundle_mount_path or "", currentVersion=deploy.bundle_version,
                                  desiredVersion=deploy.bundle_version)]
    return schemas.Deploy(
        id=deploy.id, deploymentId=deploy.deployment_id,
        type="DAG_ONLY" if deploy.type == "BUNDLE" else deploy.type,  # the response enum has no BUNDLE
        status=deploy.status, description=deploy.description,
        imageRepository=deploy.image_repository, imageTag=deploy.image_tag,
        astroRuntimeVersion=deploy.runtime_version, isDagDeployEnabled=deploy.is_dag_deploy_enabled,
        dagTarballVersion=deploy.dag_tarball_version, rollbackFromId=deploy.rollback_from_id,
        dagsUploadUrl=upload_url(settings, dags) if open_for_upload and _needs_dags(deploy) else None,
        bundleUploadUrl=upload_url(settings, bundle) if open_for_upload and deploy.type == "BUNDLE" else None,
        bundleMountPath=deploy.bundle_mount_path, bundles=bundles,
        git=schemas.DeployGit(**deploy.git) if deploy.git else None,
        createdAt=deploy.created_at, updatedAt=deploy.updated_at,
        createdBySubject=profiles.created_by(deploy), updatedBySubject=profiles.updated_by(deploy))


def _deployment(session: Session, auth: AuthContext) -> Deployment:
    deployment = DeployRepository(session).deployment(auth.organization_id, auth.target.deployment_id or "")
    if deployment is None:
        raise NotFound("Deployment not found")
    return deployment


def _load(session: Session, auth: AuthContext, deploy_id: str, *, without_404: bool = False) -> Deploy:
    deploy = DeployRepository(session).get(auth.target.deployment_id or "", deploy_id)
    if deploy is None:
        if without_404:  # FinalizeDeploy declares no 404 (see rbac.authorize.PermissionWithout404)
            raise Forbidden("No such deploy is reachable with this token")
        raise NotFound("Deploy not found")
    return deploy


def _check_description(description: str | None) -> None:
    if description is not None and len(description) > MAX_DESCRIPTION_LENGTH:
        raise BadRequest(f"description must be at most {MAX_DESCRIPTION_LENGTH} characters", field="description")


def _git(body: schemas.CreateDeployRequest) -> dict | None:
    git = body.git
    if git is None:
        return None
    if not git.commitSha.strip():
        raise BadRequest("git.commitSha is required", field="git.commitSha")
    if git.provider == "GITHUB":
        for name in ("account", "repo"):
            if not (getattr(git, name) or "").strip():
                raise BadRequest(f"git.{name} is required when git.provider is GITHUB", field=f"git.{name}")
        if git.remoteUrl:
            raise BadRequest("git.remoteUrl must be empty when git.provider is GITHUB", field="git.remoteUrl")
    else:
        if not (git.remoteUrl or "").strip():
            raise BadRequest("git.remoteUrl is required when git.provider is GENERIC", field="git.remoteUrl")
        for name in ("account", "repo"):
            if getattr(git, name):
                raise BadRequest(f"git.{name} must be empty when git.provider is GENERIC", field=f"git.{name}")
    for name in GIT_FIELDS:
        value = getattr(git, name)
        if isinstance(value, str) and len(value) > 1024:
            raise BadRequest(f"git.{name} must be at most 1024 characters", field=f"git.{name}")
    return {name: getattr(git, name) for name in GIT_FIELDS if getattr(git, name) is not None}


def _check_bundle(body: schemas.CreateDeployRequest) -> None:
    if body.type != "BUNDLE":
        for name in ("bundleMountPath", "bundleType"):
            if getattr(body, name) is not None:
                raise BadRequest(f"{name} applies only to BUNDLE deploys", field=name)
        return
    for name in ("bundleMountPath", "bundleType"):
        if not (getattr(body, name) or "").strip():
            raise BadRequest(f"{name} is required for BUNDLE deploys", field=name)
    path = body.bundleMountPath or ""
    if not path.startswith("/") or ".." in path.split("/") or len(path) > 256:
        raise BadRequest("bundleMountPath must be an absolute path without '..' (at most 256 characters)",
                         field="bundleMountPath")
    if len(body.bundleType or "") > 64:
        raise BadRequest("bundleType must be at most 64 characters", field="bundleType")


def list_deploys(session: Session, auth: AuthContext, params: ListParams, settings: Settings
                 ) -> schemas.DeploysPaginated:
    rows, total = DeployRepository(session).page(auth.target.deployment_id or "", params)
    if any(row.status == "INITIALIZED" for row in rows):
        # a kept page hands out upload URLs with at least half their lifetime left
        data_versions.holds_until(session, utcnow() + dt.timedelta(seconds=settings.upload_url_ttl_seconds / 2))
    profiles = SubjectProfiles(session).prefetch(rows)
    return schemas.DeploysPaginated(deploys=[to_public(row, profiles, settings) for row in rows],
                                    limit=params.limit, offset=params.offset, totalCount=total)


def get_deploy(session: Session, auth: AuthContext, deploy_id: str, settings: Settings) -> schemas.Deploy:
    return to_public(_load(session, auth, deploy_id), SubjectProfiles(session), settings)


def create_deploy(session: Session, auth: AuthContext, body: schemas.CreateDeployRequest, settings: Settings
                  ) -> schemas.Deploy:
    deployment = _deployment(session, auth)
    _check_description(body.description)
    git = _git(body)
    _check_bundle(body)
    if body.type in ("DAG_ONLY", "BUNDLE") and not deployment.is_dag_deploy_enabled:
        raise BadRequest(f"dag deploy is not enabled for deployment {deployment.id}; "
                         f"{body.type} deploys need DAG deploys", field="type")
    deploy_id = new_id()
    now = utcnow()
    image_tag = (f"deploy-{now:%Y-%m-%dT%H-%M}-{deploy_id[-5:]}" if body.type in IMAGE_TYPES
                 else deployment.image_tag)
    deploy = Deploy(id=deploy_id, organization_id=auth.organization_id, deployment_id=deployment.id,
                    type=body.type, status="INITIALIZED", description=body.description,
                    image_repository=deployment.image_repository, image_tag=image_tag,
                    runtime_version=deployment.runtime_version,
                    is_dag_deploy_enabled=deployment.is_dag_deploy_enabled,
                    bundle_type=body.bundleType if body.type == "BUNDLE" else None,
                    bundle_mount_path=posixpath.normpath(body.bundleMountPath) if body.type == "BUNDLE" else None,
                    git=git)
    deploy.stamp_author(auth.principal.subject, created=True)
    DeployRepository(session).add(deploy)
    return to_public(deploy, SubjectProfiles(session), settings)


def update_deploy(session: Session, auth: AuthContext, deploy_id: str, body: schemas.UpdateDeployRequest,
                  settings: Settings) -> schemas.Deploy:
    deploy = _load(session, auth, deploy_id)
    _check_description(body.description)
    if body.description is not None:
        deploy.description = body.description
    deploy.stamp_author(auth.principal.subject)
    session.flush()
    return to_public(deploy, SubjectProfiles(session), settings)


def _uploaded(session: Session, deploy: Deploy, version: str | None, kind: str, field: str) -> str:
    if not version:
        raise BadRequest(f"{field} is required to finalize this deploy (the x-ms-version-id of the upload)",
                         field=field)
    upload = DeployRepository(session).upload(version)
    if upload is None or upload.deploy_id != deploy.id or upload.kind != kind:
        raise BadRequest(f"{field} {version[:64]!r} is not an archive uploaded for this deploy", field=field)
    return upload.digest


def _write_rollout_logs(session: Session, deploy: Deploy, verb: str) -> None:
    logs = DeploymentLogRepository(session)
    org, dep = deploy.organization_id, deploy.deployment_id
    if deploy.type in IMAGE_TYPES or deploy.rollback_from_id:
        for source in ("scheduler", "webserver", "triggerer", "worker"):
            logs.append(org, dep, source, f"{verb} deploy {deploy.id}: restarting on image "
                                          f"{deploy.image_repository}:{deploy.image_tag}")
    if deploy.dag_tarball_version and (deploy.type in DAG_TYPES or deploy.rollback_from_id):
        logs.append(org, dep, "dag-processor", f"{verb} deploy {deploy.id}: DAG bundle version "
                                               f"{deploy.dag_tarball_version} loaded")
    if deploy.type == "BUNDLE" and deploy.bundle_version:
        logs.append(org, dep, "dag-processor", f"{verb} deploy {deploy.id}: {deploy.bundle_type} bundle "
                                               f"{deploy.bundle_version} mounted at {deploy.bundle_mount_path}")
    elif deploy.type == "BUNDLE":
        logs.append(org, dep, "dag-processor", f"{verb} deploy {deploy.id}: {deploy.bundle_type} bundle "
                                               f"removed from {deploy.bundle_mount_path}")


def _apply(session: Session, deploy: Deploy) -> None:
    DeployRepository(session).apply_to_deployment(
        deploy.deployment_id, image_tag=deploy.image_tag, dag_tarball_version=deploy.dag_tarball_version,
        is_dag_deploy_enabled=deploy.is_dag_deploy_enabled, mark_deploying=True)


def fail(session: Session, deploy: Deploy, reason: str) -> None:
    """An INITIALIZED deploy ends FAILED: the deployment keeps what it ran, the logs say why."""
    if deploy.status != "INITIALIZED":
        raise Conflict(f"deploy {deploy.id} is {deploy.status}; only an INITIALIZED deploy can fail")
    deploy.status = "FAILED"
    deploy.finalized_at = deploy.finalized_at or utcnow()
    DeploymentLogRepository(session).append(deploy.organization_id, deploy.deployment_id, "dag-processor",
                                            f"deploy {deploy.id} failed: {reason}")
    session.flush()


def finalize_deploy(session: Session, auth: AuthContext, deploy_id: str, body: schemas.FinalizeDeployRequest,
                    settings: Settings, store: BlobStore) -> schemas.Deploy:
    deployment = _deployment(session, auth)
    deploy = _load(session, auth, deploy_id, without_404=True)
    if deploy.status != "INITIALIZED":
        raise BadRequest(f"deploy {deploy.id} is already {deploy.status}; only an INITIALIZED deploy can be "
                         "finalized", field="deployId")
    digest = None
    if _needs_dags(deploy):
        digest = _uploaded(session, deploy, body.dagTarballVersion, "DAGS", "dagTarballVersion")
    elif body.dagTarballVersion:
        raise BadRequest("dagTarballVersion applies only to IMAGE_AND_DAG and DAG_ONLY deploys on a deployment "
                         "with DAG deploys enabled", field="dagTarballVersion")
    if deploy.type == "BUNDLE" and body.bundleTarballVersion == "":
        pass  # `astro dbt delete`: an empty version removes the bundle at the deploy's mount path
    elif deploy.type == "BUNDLE":
        digest = _uploaded(session, deploy, body.bundleTarballVersion, "BUNDLE", "bundleTarballVersion")
    elif body.bundleTarballVersion:
        raise BadRequest("bundleTarballVersion applies only to BUNDLE deploys", field="bundleTarballVersion")
    deploy.stamp_author(auth.principal.subject)
    deploy.finalized_at = utcnow()
    if digest is not None and not store.verify(digest):
        fail(session, deploy, "the uploaded archive is missing or damaged in the blob store")
        return to_public(deploy, SubjectProfiles(session), settings)
    if _needs_dags(deploy):
        deploy.dag_tarball_version = body.dagTarballVersion
    elif deploy.type == "IMAGE_AND_DAG":
        deploy.dag_tarball_version = None  # DAGs ship inside the image when DAG deploys are off
    else:
        deploy.dag_tarball_version = deployment.dag_tarball_version
    if deploy.type == "BUNDLE":
        deploy.bundle_version = body.bundleTarballVersion or None
    deploy.status = "DEPLOYED"
    session.flush()
    _apply(session, deploy)
    _write_rollout_logs(session, deploy, "finalized")
    session.flush()
    return to_public(deploy, SubjectProfiles(session), settings)


def rollback_deploy(session: Session, auth: AuthContext, deploy_id: str, body: schemas.DeployRollbackRequest,
                    settings: Settings, store: BlobStore) -> schemas.Deploy:
    _deployment(session, auth)
    target = _load(session, auth, deploy_id)
    _check_description(body.description)
    if target.status != "DEPLOYED":
        raise BadRequest(f"deploy {target.id} is {target.status}; only a DEPLOYED deploy can be rolled back to",
                         field="deployId")
    if (target.finalized_at or target.created_at) < utcnow() - ROLLBACK_WINDOW:
        raise BadRequest(f"deploy {target.id} is older than 90 days and can no longer be rolled back to",
                         field="deployId")
    repository = DeployRepository(session)
    for version in (target.dag_tarball_version, target.bundle_version):
        upload = repository.upload(version) if version else None
        if upload is not None and not store.exists(upload.digest):
            raise BadRequest(f"the archive of deploy {target.id} is no longer stored; it cannot be rolled back to",
                             field="deployId")
    now = utcnow()
    deploy = Deploy(id=new_id(), organization_id=target.organization_id, deployment_id=target.deployment_id,
                    type=target.type, status="DEPLOYED", description=body.description,
                    image_repository=target.image_repository, image_tag=target.image_tag,
                    runtime_version=target.runtime_version, is_dag_deploy_enabled=target.is_dag_deploy_enabled,
                    dag_tarball_version=target.dag_tarball_version, bundle_type=target.bundle_type,
                    bundle_mount_path=target.bundle_mount_path, bundle_version=target.bundle_version,
                    rollback_from_id=target.id, finalized_at=now)
    deploy.stamp_author(auth.principal.subject, created=True)
    repository.add(deploy)
    _apply(session, deploy)
    _write_rollout_logs(session, deploy, "rollback")
    session.flush()
    return to_public(deploy, SubjectProfiles(session), settings)


def delete_for_deployment(session: Session, deployment: Deployment) -> None:
    """Deployment-delete cleanup: its deploys and upload records (blobs stay, content-addressed)."""
    DeployRepository(session).delete_for_deployment(deployment.id)


def open_for_upload(session: Session, grant: UploadGrant) -> Deploy:
    """The deploy an upload URL names, if it still takes uploads (INITIALIZED), else 404/400."""
    deploy = DeployRepository(session).get(grant.deployment_id, grant.deploy_id)
    if deploy is None or deploy.organization_id != grant.organization_id:
        raise NotFound("Deploy not found")
    if deploy.status != "INITIALIZED":
        raise BadRequest(f"deploy {deploy.id} is {deploy.status}; uploads are accepted only before finalize",
                         field="deployId")
    return deploy


def record_upload(session: Session, grant: UploadGrant, digest: str, size: int, version_id: str) -> None:
    """Record an accepted archive for its deploy (still INITIALIZED, else 400)."""
    from astroplane.deploys.models import DeployUpload
    deploy = open_for_upload(session, grant)
    DeployRepository(session).add_upload(DeployUpload(version_id=version_id, organization_id=deploy.organization_id,
                                       deployment_id=deploy.deployment_id, deploy_id=deploy.id,
                                       kind=grant.kind, digest=digest, size=size))
