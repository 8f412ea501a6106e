"""Dedicated and hybrid clusters: validation per cloud provider, DR, node pools, lifecycle."""

import hashlib
import ipaddress
from typing import Any

from sqlalchemy.orm import Session

from astroplane.clusters import lifecycle, models, options, schemas
from astroplane.clusters.repository import ClusterRepository
from astroplane.deployments.steps import Steps
from astroplane.kit.errors import BadRequest, Conflict, NotFound
from astroplane.kit.ids import is_id
from astroplane.kit.pagination import ListParams
from astroplane.kit.models import touch
from astroplane.kit.time import utcnow
from astroplane.kit.unions import refuse_foreign_fields
from astroplane.rbac.authorize import AuthContext
from astroplane.workspaces.repository import WorkspaceRepository

MAX_NAME_LENGTH = 256
MAX_NODE_POOL_NAME = 63
# Primary network ranges that must not overlap one another, by request field.
PRIMARY_RANGES = ("vpcSubnetRange", "secondaryVpcCidr", "podSubnetRange", "serviceSubnetRange",
                  "servicePeeringRange")
DR_RANGES = ("drVpcSubnetRange", "drSecondaryVpcCidr", "drPodSubnetRange", "drServiceSubnetRange",
             "drServicePeeringRange")
# DR fields the dedicated update takes for every provider, and the provider each belongs to.
PROVIDER_ONLY_UPDATE_FIELDS = {"drSecondaryVpcCidr": "AWS", "isPrivateNetworkEgressEnabled": "AWS",
                               "drPodSubnetRange": "GCP", "drServiceSubnetRange": "GCP",
                               "drServicePeeringRange": "GCP"}
# A k8s tag that makes the cluster's next step fail, to exercise the failure states.
SIMULATE_FAILURE_TAG = ("astroplane.io/simulate", "fail")


# ---------------------------------------------------------------- rendering

def _metadata(cluster: models.Cluster) -> schemas.ClusterMetadata:
    digest = hashlib.sha256(cluster.id.encode()).digest()
    return schemas.ClusterMetadata(
        externalIPs=[f"203.0.113.{digest[0] % 250 + 1}", f"203.0.113.{digest[1] % 250 + 1}"],
        kubeDnsIp="10.100.0.10",
        oidcIssuerUrl=f"https://oidc.astroplane.run/{cluster.id}")


def _node_pool(cluster: models.Cluster, pool: models.NodePool) -> schemas.NodePool:
    return schemas.NodePool(
        id=pool.id, clusterId=cluster.id, cloudProvider=cluster.cloud_provider, name=pool.name,
        isDefault=pool.is_default, maxNodeCount=pool.max_node_count, nodeInstanceType=pool.node_instance_type,
        supportedAstroMachines=options.supported_astro_machines() if cluster.type == "DEDICATED" else None,
        createdAt=pool.created_at, updatedAt=pool.updated_at)


def _health(cluster: models.Cluster) -> schemas.ClusterHealthStatus:
    value = lifecycle.health(cluster.status)
    details = None
    if cluster.delete_requested_at is not None:
        details = [schemas.ClusterHealthStatusDetail(code="DELETING", component="cluster", severity="INFO",
                                                     description="The cluster is being deleted")]
    elif value == "UNHEALTHY":
        details = [schemas.ClusterHealthStatusDetail(code=cluster.status, component="cluster", severity="ERROR",
                                                     description=cluster.status_reason
                                                     or f"The last step ended in {cluster.status}")]
    return schemas.ClusterHealthStatus(value=value, details=details)


def to_public(cluster: models.Cluster, pools: list[models.NodePool]) -> schemas.Cluster:
    return schemas.Cluster(
        id=cluster.id, organizationId=cluster.organization_id, name=cluster.name,
        cloudProvider=cluster.cloud_provider, region=cluster.region, type=cluster.type, status=cluster.status,
        vpcSubnetRange=cluster.vpc_subnet_range, podSubnetRange=cluster.pod_subnet_range,
        serviceSubnetRange=cluster.service_subnet_range, servicePeeringRange=cluster.service_peering_range,
        secondaryVpcCidr=cluster.secondary_vpc_cidr, tenantId=cluster.tenant_id,
        providerAccount=cluster.provider_account, dbInstanceType=cluster.db_instance_type,
        isPrivateNetworkEgressEnabled=cluster.is_private_network_egress_enabled,
        # optional lists are left out when empty, as Astro does (see docs/api-versions.md)
        tags=[schemas.ClusterK8sTag(**tag) for tag in cluster.k8s_tags or []] or None,
        workspaceIds=list(cluster.workspace_ids or []) or None,
        isDrEnabled=cluster.is_dr_enabled, drRegion=cluster.dr_region or "",
        drVpcSubnetRange=cluster.dr_vpc_subnet_range, drSecondaryVpcCidr=cluster.dr_secondary_vpc_cidr,
        drPodSubnetRange=cluster.dr_pod_subnet_range, drServiceSubnetRange=cluster.dr_service_subnet_range,
        drServicePeeringRange=cluster.dr_service_peering_range,
        enableReplicationTimeControl=cluster.enable_replication_time_control,
        isFailedOver=cluster.is_failed_over, failoverInProgress=cluster.status == "FAILING_OVER",
        isLimited=False, healthStatus=_health(cluster), metadata=_metadata(cluster),
        nodePools=[_node_pool(cluster, pool) for pool in pools],
        createdAt=cluster.created_at, updatedAt=cluster.updated_at)


def _public(session: Session, cluster: models.Cluster) -> schemas.Cluster:
    return to_public(cluster, ClusterRepository(session).node_pools([cluster.id])[cluster.id])


# ---------------------------------------------------------------- validation

def _network(field: str, value: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
    try:
        return ipaddress.ip_network(value, strict=True)
    except ValueError:
        raise BadRequest(f"{field} must be a CIDR range such as 172.20.0.0/20 (network address, no host bits): "
                         f"{value[:64]!r}", field=field) from None


def _check_ranges(values: dict[str, str | None]) -> None:
    """Each range is a valid CIDR and none overlaps another."""
    parsed = [(field, _network(field, value)) for field, value in values.items() if value]
    for index, (field, network) in enumerate(parsed):
        for other_field, other in parsed[:index]:
            if network.version == other.version and network.overlaps(other):
                raise BadRequest(f"{field} {network} overlaps {other_field} {other}", field=field)


def _check_name(session: Session, organization_id: str, name: str, own_id: str | None = None) -> str:
    name = name.strip()
    if not name or len(name) > MAX_NAME_LENGTH:
        raise BadRequest(f"name must be 1 to {MAX_NAME_LENGTH} characters", field="name")
    existing = ClusterRepository(session).by_name(organization_id, name)
    if existing is not None and existing.id != own_id:
        raise BadRequest(f"cluster name {name} already exists", field="name")
    return name


def _check_region(provider: str, field: str, value: str) -> dict[str, Any]:
    region = options.region(provider, value)
    if region is None:
        raise BadRequest(f"{field} {value[:64]!r} is not a {provider} region this server offers "
                         f"(see GET cluster-options)", field=field)
    return region


def _check_workspaces(session: Session, organization_id: str, workspace_ids: list[str] | None) -> list[str]:
    if workspace_ids is None:
        return []
    repository = WorkspaceRepository(session)
    for index, workspace_id in enumerate(workspace_ids):
        if not is_id(workspace_id) or repository.get(organization_id, workspace_id) is None:
            raise BadRequest(f"workspaceIds[{index}] is not a workspace of this organization",
                             field=f"workspaceIds[{index}]")
    return list(dict.fromkeys(workspace_ids))


def _check_tags(tags: list[schemas.ClusterK8sTag] | None) -> list[dict[str, str]]:
    result = []
    for index, tag in enumerate(tags or []):
        if not tag.key:
            raise BadRequest(f"k8sTags[{index}].key is required", field=f"k8sTags[{index}].key")
        result.append({"key": tag.key, "value": tag.value or ""})
    return result


def _check_db_instance(provider: str, value: str | None) -> str:
    if value is None:
        return options.provider(provider)["defaultDatabaseInstance"]
    if value not in options.database_instance_names(provider):
        raise BadRequest(f"dbInstanceType {value[:64]!r} is not offered for {provider}", field="dbInstanceType")
    return value


def _check_node_pools(provider: str, pools: list[Any]) -> None:
    data = options.data()
    names: set[str] = set()
    defaults = 0
    for index, pool in enumerate(pools):
        prefix = f"nodePools[{index}]"
        if not pool.name or len(pool.name) > MAX_NODE_POOL_NAME:
            raise BadRequest(f"{prefix}.name must be 1 to {MAX_NODE_POOL_NAME} characters", field=f"{prefix}.name")
        if pool.name in names:
            raise BadRequest(f"{prefix}.name {pool.name!r} is used by another node pool", field=f"{prefix}.name")
        names.add(pool.name)
        if pool.nodeInstanceType not in options.node_instance_names(provider):
            raise BadRequest(f"{prefix}.nodeInstanceType {pool.nodeInstanceType[:64]!r} is not offered for "
                             f"{provider}", field=f"{prefix}.nodeInstanceType")
        if not data["nodeCountMin"] <= pool.maxNodeCount <= data["nodeCountMax"]:
            raise BadRequest(f"{prefix}.maxNodeCount must be between {data['nodeCountMin']} and "
                             f"{data['nodeCountMax']}", field=f"{prefix}.maxNodeCount")
        defaults += bool(pool.isDefault)
    if defaults > 1:
        raise BadRequest("only one node pool can be the default", field="nodePools")


def _default_pool(provider: str) -> models.NodePool:
    return models.NodePool(name="default", is_default=True, max_node_count=options.data()["nodeCountDefault"],
                           node_instance_type=options.provider(provider)["defaultNodeInstance"])


def _check_dr_region(provider: str, region: dict[str, Any], dr_region_name: str,
                     replication_time_control: bool | None) -> None:
    dr_region = _check_region(provider, "drRegion", dr_region_name)
    if dr_region["name"] == region["name"]:
        raise BadRequest("drRegion must differ from region", field="drRegion")
    if replication_time_control and provider == "AZURE" and dr_region.get("location") != region.get("location"):
        raise BadRequest("Replication time control requires regions on the same continent",
                         field="enableReplicationTimeControl")


# ---------------------------------------------------------------- operations

def cluster_options(provider: str | None) -> list[schemas.ClusterOptions]:
    return options.cluster_options(provider)


def list_clusters(session: Session, auth: AuthContext, params: ListParams, *, names: list[str] | None,
                  provider: str | None) -> schemas.ClustersPaginated:
    repository = ClusterRepository(session)
    rows, total = repository.page(auth.organization_id, params, names=names, provider=provider)
    pools = repository.node_pools([row.id for row in rows])
    return schemas.ClustersPaginated(clusters=[to_public(row, pools[row.id]) for row in rows],
                                     limit=params.limit, offset=params.offset, totalCount=total)


def create_cluster(session: Session, auth: AuthContext, steps: Steps, body: schemas.CreateClusterRequest,
                   raw: dict[str, Any]) -> schemas.Cluster:
    request = body.root
    provider = request.cloudProvider
    refuse_foreign_fields(raw, type(request), schemas.CREATE_VARIANTS.values(), f"{provider} clusters")
    name = _check_name(session, auth.organization_id, request.name)
    region = _check_region(provider, "region", request.region)
    if request.type == "HYBRID" and not request.providerAccount:
        raise BadRequest("providerAccount is required for HYBRID clusters", field="providerAccount")
    ranges = {field: getattr(request, field, None) for field in PRIMARY_RANGES}
    _check_ranges(ranges)
    dr_values = {field: getattr(request, field, None) for field in DR_RANGES}
    dr_region = request.drRegion
    if not dr_region:
        stray = next((field for field, value in dr_values.items() if value), None)
        if stray or request.enableReplicationTimeControl:
            field = stray or "enableReplicationTimeControl"
            raise BadRequest(f"{field} needs drRegion (disaster recovery is off without it)", field=field)
    else:
        _check_dr_region(provider, region, dr_region, request.enableReplicationTimeControl)
        dr_values["drVpcSubnetRange"] = dr_values["drVpcSubnetRange"] or request.vpcSubnetRange
        _check_ranges(dr_values)
    pools = list(request.nodePools or [])
    _check_node_pools(provider, pools)
    cluster = models.Cluster(
        organization_id=auth.organization_id, name=name, cloud_provider=provider, region=region["name"],
        type=request.type, status="CREATING", vpc_subnet_range=str(_network("vpcSubnetRange", request.vpcSubnetRange)),
        pod_subnet_range=ranges["podSubnetRange"], service_subnet_range=ranges["serviceSubnetRange"],
        service_peering_range=ranges["servicePeeringRange"], secondary_vpc_cidr=ranges["secondaryVpcCidr"],
        tenant_id=getattr(request, "tenantId", None), provider_account=request.providerAccount,
        db_instance_type=_check_db_instance(provider, request.dbInstanceType),
        is_private_network_egress_enabled=getattr(request, "isPrivateNetworkEgressEnabled", None),
        k8s_tags=_check_tags(request.k8sTags),
        workspace_ids=_check_workspaces(session, auth.organization_id, request.workspaceIds),
        is_dr_enabled=bool(dr_region), dr_region=dr_region or "",
        dr_vpc_subnet_range=dr_values["drVpcSubnetRange"], dr_secondary_vpc_cidr=dr_values["drSecondaryVpcCidr"],
        dr_pod_subnet_range=dr_values["drPodSubnetRange"], dr_service_subnet_range=dr_values["drServiceSubnetRange"],
        dr_service_peering_range=dr_values["drServicePeeringRange"],
        enable_replication_time_control=request.enableReplicationTimeControl if dr_region else None,
        is_failed_over=False, step_due_at=steps.due())
    repository = ClusterRepository(session)
    repository.add(cluster)
    if not pools:
        default = _default_pool(provider)
        default.cluster_id = cluster.id
        repository.add_node_pool(default)
    for index, pool in enumerate(pools):
        repository.add_node_pool(models.NodePool(
            cluster_id=cluster.id, name=pool.name, max_node_count=pool.maxNodeCount,
            node_instance_type=pool.nodeInstanceType,
            is_default=bool(pool.isDefault) or (index == 0 and not any(p.isDefault for p in pools))))
    session.flush()
    return _public(session, cluster)


def load(session: Session, organization_id: str, cluster_id: str) -> models.Cluster:
    cluster = ClusterRepository(session).get(organization_id, cluster_id) if is_id(cluster_id) else None
    if cluster is None or cluster.type == "SHARED":
        raise NotFound("Cluster not found")
    return cluster


def get_cluster(session: Session, cluster: models.Cluster) -> schemas.Cluster:
    return _public(session, cluster)


def _start(cluster: models.Cluster, event: str, steps: Steps) -> None:
    if cluster.delete_requested_at is not None:
        raise Conflict("The cluster is being deleted")
    status = lifecycle.next_status(cluster.status, event)
    if status is None:
        if cluster.status in lifecycle.TRANSIENT:
            raise Conflict(f"A {cluster.status} workflow is already running on this cluster; retry when it ends")
        raise Conflict(f"A cluster in status {cluster.status} cannot be changed this way ({event})")
    cluster.status = status
    cluster.step_due_at = steps.due()


def _update_node_pools(session: Session, cluster: models.Cluster, requested: list[Any]) -> None:
    _check_node_pools(cluster.cloud_provider, requested)
    repository = ClusterRepository(session)
    current = {pool.id: pool for pool in repository.node_pools([cluster.id])[cluster.id]}
    for index, entry in enumerate(requested):
        if entry.id and entry.id not in current:
            raise BadRequest(f"nodePools[{index}].id is not a node pool of this cluster",
                             field=f"nodePools[{index}].id")
    kept = {entry.id for entry in requested if entry.id}
    for pool_id, pool in current.items():
        if pool_id not in kept:
            repository.delete_node_pool(pool)
    session.flush()  # removals land before a new pool reuses a name
    for index, entry in enumerate(requested):
        if entry.id:
            pool = current[entry.id]
        else:
            pool = models.NodePool(cluster_id=cluster.id)
            repository.add_node_pool(pool)
        pool.name, pool.max_node_count = entry.name, entry.maxNodeCount
        pool.node_instance_type = entry.nodeInstanceType
        pool.is_default = bool(entry.isDefault) or (index == 0 and not any(p.isDefault for p in requested))
    session.flush()


def _update_dr(cluster: models.Cluster, request: schemas.UpdateDedicatedClusterRequest) -> None:
    for field, provider in PROVIDER_ONLY_UPDATE_FIELDS.items():
        if getattr(request, field, None) is not None and cluster.cloud_provider != provider:
            raise BadRequest(f"{field} is not valid for {cluster.cloud_provider} clusters", field=field)
    if request.enableDr is False:
        cluster.is_dr_enabled, cluster.dr_region = False, ""
        cluster.dr_vpc_subnet_range = cluster.dr_secondary_vpc_cidr = cluster.dr_pod_subnet_range = None
        cluster.dr_service_subnet_range = cluster.dr_service_peering_range = None
        cluster.enable_replication_time_control = None
        return
    enabling = not cluster.is_dr_enabled and (request.enableDr or request.drRegion)
    if enabling:
        if cluster.cloud_provider != "AZURE":
            raise BadRequest(f"Disaster recovery can be enabled on {cluster.cloud_provider} clusters only when "
                             "they are created", field="enableDr")
        if not request.drRegion:
            raise BadRequest("drRegion is required to enable disaster recovery", field="drRegion")
    elif not cluster.is_dr_enabled:
        stray = next((f for f in (*DR_RANGES, "enableReplicationTimeControl") if getattr(request, f, None)), None)
        if stray:
            raise BadRequest(f"{stray} needs disaster recovery, which is off on this cluster", field=stray)
        return
    else:
        if request.drRegion and request.drRegion != cluster.dr_region:
            raise BadRequest("drRegion cannot change once set", field="drRegion")
        if request.drVpcSubnetRange and request.drVpcSubnetRange != cluster.dr_vpc_subnet_range:
            raise BadRequest("drVpcSubnetRange cannot change once set", field="drVpcSubnetRange")
    region = options.region(cluster.cloud_provider, cluster.region) or {"name": cluster.region}
    rtc = request.enableReplicationTimeControl
    rtc = cluster.enable_replication_time_control if rtc is None else rtc
    dr_region = request.drRegion or cluster.dr_region
    _check_dr_region(cluster.cloud_provider, region, dr_region, rtc)
    values = {
        "drVpcSubnetRange": request.drVpcSubnetRange or cluster.dr_vpc_subnet_range or cluster.vpc_subnet_range,
        "drSecondaryVpcCidr": getattr(request, "drSecondaryVpcCidr", None) or cluster.dr_secondary_vpc_cidr,
        "drPodSubnetRange": request.drPodSubnetRange or cluster.dr_pod_subnet_range,
        "drServiceSubnetRange": request.drServiceSubnetRange or cluster.dr_service_subnet_range,
        "drServicePeeringRange": request.drServicePeeringRange or cluster.dr_service_peering_range,
    }
    _check_ranges(values)
    cluster.is_dr_enabled, cluster.dr_region = True, dr_region
    cluster.dr_vpc_subnet_range, cluster.dr_secondary_vpc_cidr = values["drVpcSubnetRange"], values["drSecondaryVpcCidr"]
    cluster.dr_pod_subnet_range, cluster.dr_service_subnet_range = values["drPodSubnetRange"], values["drServiceSubnetRange"]
    cluster.dr_service_peering_range = values["drServicePeeringRange"]
    cluster.enable_replication_time_control = rtc


def update_cluster(session: Session, auth: AuthContext, steps: Steps, cluster: models.Cluster,
                   body: schemas.UpdateClusterRequest) -> schemas.Cluster:
    ClusterRepository(session).lock(cluster)
    touch(cluster)  # node-pool-only changes still move the cluster's revision
    request = body.root
    if request.clusterType != cluster.type:
        raise BadRequest(f"clusterType {request.clusterType} does not match this {cluster.type} cluster",
                         field="clusterType")
    event = "update"
    if isinstance(request, schemas.UpdateDedicatedClusterRequest):
        cluster.name = _check_name(session, auth.organization_id, request.name, own_id=cluster.id)
        cluster.k8s_tags = _check_tags(request.k8sTags)
        if request.dbInstanceType is not None:
            cluster.db_instance_type = _check_db_instance(cluster.cloud_provider, request.dbInstanceType)
        if request.isPrivateNetworkEgressEnabled is not None and cluster.cloud_provider == "AWS":
            cluster.is_private_network_egress_enabled = request.isPrivateNetworkEgressEnabled
        _update_dr(cluster, request)
        if request.isFailedOver is not None and request.isFailedOver != cluster.is_failed_over:
            if not cluster.is_dr_enabled:
                raise BadRequest("isFailedOver needs disaster recovery, which is off on this cluster",
                                 field="isFailedOver")
            event = "failover"
            cluster.failover_target = request.isFailedOver
        if request.nodePools is not None:
            _update_node_pools(session, cluster, request.nodePools)
    if request.workspaceIds is not None:
        cluster.workspace_ids = _check_workspaces(session, auth.organization_id, request.workspaceIds)
    _start(cluster, event, steps)
    session.flush()
    return _public(session, cluster)


def delete_cluster(session: Session, steps: Steps, cluster: models.Cluster) -> None:
    ClusterRepository(session).lock(cluster)
    hosted = ClusterRepository(session).deployment_count(cluster.id)
    if hosted:
        raise BadRequest(f"The cluster still hosts {hosted} deployment(s); delete them first", field="clusterId")
    _start(cluster, "delete", steps)
    cluster.delete_requested_at = utcnow()
    session.flush()


def should_fail(cluster: models.Cluster) -> bool:
    key, value = SIMULATE_FAILURE_TAG
    return any(tag.get("key") == key and tag.get("value") == value for tag in cluster.k8s_tags or [])
