"""Where a new deployment runs: its type, cluster, cloud provider and region.

The simplified create (only `name` and `workspaceId`) and the full forms that leave placement out
resolve it the same way, in this order: the workspace's defaultClusterId, the workspace's
defaultCloudProvider + defaultRegion (STANDARD), the organization's single non-shared cluster.
"""

from dataclasses import dataclass

from sqlalchemy.orm import Session

from astroplane.clusters.models import Cluster
from astroplane.clusters.repository import ClusterRepository
from astroplane.deployments import options
from astroplane.kit.errors import BadRequest
from astroplane.kit.ids import is_id
from astroplane.workspaces.models import Workspace

CLUSTER_TYPES = {"DEDICATED": "DEDICATED", "HYBRID": "HYBRID", "SHARED": "STANDARD"}


@dataclass(frozen=True, slots=True)
class Placement:
    type: str
    cluster: Cluster | None
    cloud_provider: str
    region: str


def _cluster(session: Session, organization_id: str, cluster_id: str, field: str) -> Cluster:
    cluster = ClusterRepository(session).get(organization_id, cluster_id) if is_id(cluster_id) else None
    if cluster is None:
        raise BadRequest(f"{field} is not a cluster of this organization", field=field)
    return cluster


def _on_cluster(cluster: Cluster, wanted: str | None, workspace: Workspace, field: str) -> Placement:
    inferred = CLUSTER_TYPES.get(cluster.type, cluster.type)
    if wanted is not None and wanted != inferred:
        raise BadRequest(f"{field} names a {cluster.type} cluster, which cannot host a {wanted} deployment",
                         field=field)
    if cluster.delete_requested_at is not None:
        raise BadRequest(f"{field} names a cluster that is being deleted", field=field)
    if cluster.workspace_ids and workspace.id not in cluster.workspace_ids:
        raise BadRequest(f"{field} names a cluster that is not open to this workspace (see its workspaceIds)",
                         field=field)
    return Placement(inferred, cluster, cluster.cloud_provider, cluster.region)


def _standard(provider: str, region: str, provider_field: str, region_field: str) -> Placement:
    if provider not in options.data()["standardRegions"]:
        raise BadRequest(f"{provider_field} must be one of AWS, AZURE, GCP", field=provider_field)
    if region not in options.standard_regions(provider):
        raise BadRequest(f"{region_field} {region[:64]!r} is not a {provider} region for STANDARD deployments "
                         f"({', '.join(options.standard_regions(provider))})", field=region_field)
    return Placement("STANDARD", None, provider, region)


def resolve(session: Session, workspace: Workspace, wanted: str | None, cluster_id: str | None,
            cloud_provider: str | None, region: str | None) -> Placement:
    organization_id = workspace.organization_id
    if cluster_id:
        return _on_cluster(_cluster(session, organization_id, cluster_id, "clusterId"), wanted, workspace, "clusterId")
    if cloud_provider or region:
        if wanted not in (None, "STANDARD"):
            raise BadRequest(f"{wanted} deployments take clusterId, not cloudProvider and region", field="clusterId")
        if not (cloud_provider and region):
            missing = "region" if cloud_provider else "cloudProvider"
            raise BadRequest("cloudProvider and region must be set together", field=missing)
        return _standard(cloud_provider, region, "cloudProvider", "region")
    if workspace.default_cluster_id and wanted in (None, "DEDICATED", "HYBRID"):
        cluster = ClusterRepository(session).get(organization_id, workspace.default_cluster_id)
        if cluster is not None and (wanted is None or CLUSTER_TYPES.get(cluster.type) == wanted):
            return _on_cluster(cluster, wanted, workspace, "clusterId")
    if workspace.default_cloud_provider and workspace.default_region and wanted in (None, "STANDARD"):
        return _standard(workspace.default_cloud_provider, workspace.default_region,
                         "defaultCloudProvider", "defaultRegion")
    if wanted in (None, "DEDICATED", "HYBRID"):
        candidates = [c for c in ClusterRepository(session).non_shared(organization_id, limit=1000)
                      if wanted is None or c.type == wanted]
        if len(candidates) == 1:
            return _on_cluster(candidates[0], wanted, workspace, "clusterId")
    if wanted == "STANDARD":
        raise BadRequest("STANDARD deployments need cloudProvider and region (or a workspace with "
                         "defaultCloudProvider and defaultRegion)", field="cloudProvider")
    raise BadRequest("Cannot choose where to run the deployment: set clusterId (or type STANDARD with "
                     "cloudProvider and region), or give the workspace a defaultClusterId or "
                     "defaultCloudProvider and defaultRegion", field="clusterId")


def check_workspace_defaults(session: Session, organization_id: str, body) -> None:
    """Workspace DEFAULTS_VALIDATOR: the defaults a simplified create will use must be usable."""
    if body.defaultClusterId:
        cluster = ClusterRepository(session).get(organization_id, body.defaultClusterId) \
            if is_id(body.defaultClusterId) else None
        if cluster is None:
            raise BadRequest("defaultClusterId is not a cluster of this organization", field="defaultClusterId")
    if body.defaultCloudProvider and body.defaultRegion:
        _standard(body.defaultCloudProvider, body.defaultRegion, "defaultCloudProvider", "defaultRegion")
