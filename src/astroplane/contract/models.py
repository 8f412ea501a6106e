# Generated from the Astro API v1 contract (astro-v1.openapi.json) by scripts/gen_contract_models.py. Do not edit.

from __future__ import annotations

from typing import Annotated, Any, Literal

from astroplane.kit.schemas import ContractModel
from pydantic import AwareDatetime, Field, RootModel


class AddTeamMembersRequest(ContractModel):
    memberIds: list[str]


class BulkCreateAllowedIpAddressRangesRequest(ContractModel):
    allowedIpAddressRanges: list[str]


class BulkDeleteAllowedIpAddressRangesRequest(ContractModel):
    allowedIpAddressRangeIds: list[str]


class Bundle(ContractModel):
    bundleType: str
    currentVersion: str | None = None
    deployId: str
    desiredVersion: str | None = None
    mountPath: str


class ClusterHealthStatusDetail(ContractModel):
    code: str
    component: str | None = None
    description: str
    severity: str


class ClusterK8sTag(ContractModel):
    key: str | None = None
    value: str | None = None


class ClusterMetadata(ContractModel):
    externalIPs: list[str] | None = None
    kubeDnsIp: str | None = None
    oidcIssuerUrl: str | None = None


class ConnectionAuthTypeParameter(ContractModel):
    airflowParamName: str
    dataType: str
    description: str
    example: str | None = None
    friendlyName: str
    isInExtra: bool
    isRequired: bool
    isSecret: bool
    pattern: str | None = None


class CreateAgentTokenRequest(ContractModel):
    description: str | None = None
    name: str
    tokenExpiryPeriodInDays: int | None = None


class CreateAllowedIpAddressRangeRequest(ContractModel):
    ipAddressRange: str


class CreateDeploymentInstanceSpecRequest(ContractModel):
    au: Annotated[int | None, Field(ge=5, le=24)] = None
    replicas: Annotated[int | None, Field(ge=1, le=4)] = None


class CreateEnvironmentObject(ContractModel):
    id: str


class CreateEnvironmentObjectAirflowVariableOverridesRequest(ContractModel):
    value: str | None = None


class CreateEnvironmentObjectAirflowVariableRequest(ContractModel):
    isSecret: bool | None = None
    value: str | None = None


class CreateEnvironmentObjectConnectionOverridesRequest(ContractModel):
    extra: dict[str, Any] | None = None
    host: str | None = None
    login: str | None = None
    password: str | None = None
    port: int | None = None
    schema_: Annotated[str | None, Field(alias='schema')] = None
    type: str | None = None


class CreateEnvironmentObjectConnectionRequest(ContractModel):
    authTypeId: str | None = None
    extra: dict[str, Any] | None = None
    host: str | None = None
    login: str | None = None
    password: str | None = None
    port: int | None = None
    schema_: Annotated[str | None, Field(alias='schema')] = None
    type: str


class CreateEnvironmentObjectEnvironmentVariableOverridesRequest(ContractModel):
    value: str | None = None


class CreateEnvironmentObjectEnvironmentVariableRequest(ContractModel):
    isSecret: bool | None = None
    value: str | None = None


class CreateNodePoolRequest(ContractModel):
    isDefault: bool | None = None
    maxNodeCount: int
    name: str
    nodeInstanceType: str


class DagRole(ContractModel):
    dagId: str | None = None
    dagTag: str | None = None
    deploymentId: str
    role: str


class DeployRollbackRequest(ContractModel):
    description: str | None = None


class DeploymentEnvironmentVariable(ContractModel):
    isSecret: bool
    key: str
    updatedAt: AwareDatetime
    value: str | None = None


class DeploymentEnvironmentVariableRequest(ContractModel):
    isSecret: bool
    key: str
    value: str | None = None


class DeploymentHibernationOverride(ContractModel):
    isActive: bool | None = None
    isHibernating: bool | None = None
    overrideUntil: AwareDatetime | None = None


class DeploymentHibernationOverrideRequest(ContractModel):
    isHibernating: bool | None = None
    overrideUntil: str | None = None


class DeploymentHibernationSchedule(ContractModel):
    description: str | None = None
    hibernateAtCron: str
    isEnabled: bool
    wakeAtCron: str


class DeploymentHibernationSpec(ContractModel):
    override: DeploymentHibernationOverride | None = None
    schedules: list[DeploymentHibernationSchedule] | None = None


class DeploymentHibernationSpecRequest(ContractModel):
    override: DeploymentHibernationOverrideRequest | None = None
    schedules: list[DeploymentHibernationSchedule] | None = None


class DeploymentRemoteExecution(ContractModel):
    allowedIpAddressRanges: list[str]
    enabled: bool
    remoteApiUrl: str
    taskLogBucket: str | None = None
    taskLogUrlPattern: str | None = None


class DeploymentRemoteExecutionRequest(ContractModel):
    allowedIpAddressRanges: list[str] | None = None
    enabled: bool
    taskLogBucket: str | None = None
    taskLogUrlPattern: str | None = None


class DeploymentRole(ContractModel):
    deploymentId: str
    role: str


class DeploymentScalingSpec(ContractModel):
    hibernationSpec: DeploymentHibernationSpec | None = None


class DeploymentScalingSpecRequest(ContractModel):
    hibernationSpec: DeploymentHibernationSpecRequest | None = None


class EnvironmentObjectAirflowVariable(ContractModel):
    isSecret: bool
    value: str


class EnvironmentObjectAirflowVariableOverrides(ContractModel):
    value: str


class EnvironmentObjectConnectionOverrides(ContractModel):
    extra: dict[str, Any] | None = None
    host: str | None = None
    login: str | None = None
    password: str | None = None
    port: int | None = None
    schema_: Annotated[str | None, Field(alias='schema')] = None
    type: str | None = None


class EnvironmentObjectEnvironmentVariable(ContractModel):
    isSecret: bool
    value: str


class EnvironmentObjectEnvironmentVariableOverrides(ContractModel):
    value: str


class FieldValidationError(ContractModel):
    code: str
    field: str
    message: str


class FinalizeDeployRequest(ContractModel):
    bundleTarballVersion: str | None = None
    dagTarballVersion: str | None = None


class HybridWorkerQueueRequest(ContractModel):
    id: str | None = None
    isDefault: bool
    maxWorkerCount: int
    minWorkerCount: int
    name: str
    nodePoolId: str
    workerConcurrency: int


class MachineSpec(ContractModel):
    concurrency: float | None = None
    cpu: str
    ephemeralStorage: str | None = None
    memory: str


class OverrideDeploymentHibernationBody(ContractModel):
    isHibernating: bool
    overrideUntil: AwareDatetime | None = None


class PermissionEntry(ContractModel):
    action: str
    description: str


class PermissionGroup(ContractModel):
    description: str
    name: str
    permissions: list[PermissionEntry]
    scope: str


class ProviderInstanceType(ContractModel):
    cpu: int
    memory: str
    name: str


class ProviderRegion(ContractModel):
    bannedInstances: list[str] | None = None
    limited: bool | None = None
    location: str | None = None
    name: str


class Range(ContractModel):
    ceiling: float
    default: float
    floor: float


class ResourceRange(ContractModel):
    ceiling: str
    default: str
    floor: str


class RuntimeRelease(ContractModel):
    airflowDatabaseMigration: bool
    airflowVersion: str
    channel: str
    releaseDate: AwareDatetime
    stellarDatabaseMigration: bool
    version: str


class SelfUserFeatureFlag(ContractModel):
    key: str
    value: bool


class SelfUserInvite(ContractModel):
    expiresAt: AwareDatetime
    inviteId: str
    organizationId: str


class SelfUserRoleScope(ContractModel):
    dagTag: str | None = None
    deploymentId: str | None = None
    entityId: str
    type: str


class TeamMember(ContractModel):
    avatarUrl: str | None = None
    createdAt: AwareDatetime | None = None
    fullName: str | None = None
    userId: str
    username: str


class TeamMembersPaginated(ContractModel):
    limit: int
    offset: int
    teamMembers: list[TeamMember]
    totalCount: int


class UpdateApiTokenRequest(ContractModel):
    description: str | None = None
    name: str


class UpdateCustomRoleRequest(ContractModel):
    description: str | None = None
    name: str
    permissions: list[str]
    restrictedWorkspaceIds: list[str] | None = None


class UpdateDeployRequest(ContractModel):
    description: str | None = None


class UpdateDeploymentInstanceSpecRequest(ContractModel):
    au: Annotated[int, Field(ge=5, le=24)]
    replicas: Annotated[int, Field(ge=1, le=4)]


class UpdateEnvironmentObjectAirflowVariableOverridesRequest(ContractModel):
    value: str | None = None


class UpdateEnvironmentObjectAirflowVariableRequest(ContractModel):
    value: str | None = None


class UpdateEnvironmentObjectConnectionOverridesRequest(ContractModel):
    extra: dict[str, Any] | None = None
    host: str | None = None
    login: str | None = None
    password: str | None = None
    port: int | None = None
    schema_: Annotated[str | None, Field(alias='schema')] = None
    type: str | None = None


class UpdateEnvironmentObjectConnectionRequest(ContractModel):
    authTypeId: str | None = None
    extra: dict[str, Any] | None = None
    host: str | None = None
    login: str | None = None
    password: str | None = None
    port: int | None = None
    schema_: Annotated[str | None, Field(alias='schema')] = None
    type: str


class UpdateEnvironmentObjectEnvironmentVariableOverridesRequest(ContractModel):
    value: str | None = None


class UpdateEnvironmentObjectEnvironmentVariableRequest(ContractModel):
    value: str | None = None


class UpdateNodePoolRequest(ContractModel):
    id: str | None = None
    isDefault: bool | None = None
    maxNodeCount: int
    name: str
    nodeInstanceType: str


class UpdateOrganizationRequest(ContractModel):
    allowEnhancedSupportAccess: bool | None = None
    billingEmail: str
    hasAiFeaturesDisabled: bool | None = None
    isScimEnabled: bool
    name: str
    shouldEnforceDedicatedClusters: bool | None = None


class UpdateTeamRequest(ContractModel):
    description: str | None = None
    name: str


class WorkerQueue(ContractModel):
    astroMachine: str | None = None
    id: str
    isDefault: bool
    maxWorkerCount: int
    minWorkerCount: int
    name: str
    nodePoolId: str | None = None
    podCpu: str
    podEphemeralStorage: str | None = None
    podMemory: str
    workerConcurrency: int


class WorkerQueueOptions(ContractModel):
    maxWorkers: Range
    minWorkers: Range
    workerConcurrency: Range


class WorkloadIdentityOption(ContractModel):
    label: str
    role: str


class ApiTokenRole(ContractModel):
    deploymentId: str | None = None
    entityId: str
    entityType: Literal['DAG', 'DAG_TAG', 'DEPLOYMENT', 'ORGANIZATION', 'WORKSPACE']
    role: str


class BasicSubjectProfile(ContractModel):
    apiTokenName: str | None = None
    avatarUrl: str | None = None
    fullName: str | None = None
    id: str
    subjectType: Literal['SERVICEKEY', 'USER'] | None = None
    username: str | None = None


class ClusterHealthStatus(ContractModel):
    details: list[ClusterHealthStatusDetail] | None = None
    value: Literal['HEALTHY', 'UNHEALTHY', 'UNKNOWN']


class ClusterOptions(ContractModel):
    databaseInstances: list[ProviderInstanceType]
    defaultDatabaseInstance: ProviderInstanceType
    defaultNodeInstance: ProviderInstanceType
    defaultPodSubnetRange: str | None = None
    defaultRegion: ProviderRegion
    defaultServicePeeringRange: str | None = None
    defaultServiceSubnetRange: str | None = None
    defaultVpcSubnetRange: str
    nodeCountDefault: int
    nodeCountMax: int
    nodeCountMin: int
    nodeInstances: list[ProviderInstanceType]
    provider: Literal['AWS', 'AZURE', 'GCP']
    regions: list[ProviderRegion]


class ConnectionAuthType(ContractModel):
    airflowType: str
    authMethodName: str
    description: str
    guidePath: str | None = None
    id: str
    name: str
    parameters: list[ConnectionAuthTypeParameter]
    providerLogo: str | None = None
    providerPackageName: str


class CreateApiTokenRequest(ContractModel):
    description: str | None = None
    entityId: str | None = None
    kind: Literal['DIRECT_ACCESS', 'STANDARD'] | None = None
    name: str
    role: str
    scope: Literal['DEPLOYMENT', 'ORGANIZATION', 'WORKSPACE']
    tokenExpiryPeriodInDays: int | None = None


class CreateAwsClusterRequest(ContractModel):
    cloudProvider: Literal['AWS']
    dbInstanceType: str | None = None
    drRegion: str | None = None
    drSecondaryVpcCidr: str | None = None
    drVpcSubnetRange: str | None = None
    enableReplicationTimeControl: bool | None = None
    isPrivateNetworkEgressEnabled: bool | None = None
    k8sTags: list[ClusterK8sTag] | None = None
    name: str
    nodePools: list[CreateNodePoolRequest] | None = None
    providerAccount: str | None = None
    region: str
    secondaryVpcCidr: str | None = None
    type: Literal['DEDICATED', 'HYBRID']
    vpcSubnetRange: str
    workspaceIds: list[str] | None = None


class CreateAzureClusterRequest(ContractModel):
    cloudProvider: Literal['AZURE']
    dbInstanceType: str | None = None
    drRegion: str | None = None
    drVpcSubnetRange: str | None = None
    enableReplicationTimeControl: bool | None = None
    k8sTags: list[ClusterK8sTag] | None = None
    name: str
    nodePools: list[CreateNodePoolRequest] | None = None
    providerAccount: str | None = None
    region: str
    tenantId: str | None = None
    type: Literal['DEDICATED', 'HYBRID']
    vpcSubnetRange: str
    workspaceIds: list[str] | None = None


class CreateCustomRoleRequest(ContractModel):
    description: str | None = None
    name: str
    permissions: list[str]
    restrictedWorkspaceIds: list[str] | None = None
    scopeType: Literal['DAG', 'DEPLOYMENT']


class CreateDeployGitRequest(ContractModel):
    account: str | None = None
    authorName: str | None = None
    authorUrl: str | None = None
    authorUsername: str | None = None
    beforeCommitSha: str | None = None
    branch: str | None = None
    commitSha: str
    commitUrl: str | None = None
    path: str | None = None
    provider: Literal['GENERIC', 'GITHUB']
    remoteUrl: str | None = None
    repo: str | None = None


class CreateDeployRequest(ContractModel):
    bundleMountPath: str | None = None
    bundleType: str | None = None
    description: str | None = None
    git: CreateDeployGitRequest | None = None
    type: Literal['BUNDLE', 'DAG_ONLY', 'IMAGE_AND_DAG', 'IMAGE_ONLY']


class CreateEnvironmentObjectMetricsExportOverridesRequest(ContractModel):
    authType: Literal['AUTH_TOKEN', 'BASIC', 'SIGV4'] | None = None
    basicToken: str | None = None
    endpoint: str | None = None
    exporterType: Literal['PROMETHEUS'] | None = None
    headers: dict[str, str] | None = None
    labels: dict[str, str] | None = None
    password: str | None = None
    sigV4AssumeArn: str | None = None
    sigV4StsRegion: str | None = None
    username: str | None = None


class CreateEnvironmentObjectMetricsExportRequest(ContractModel):
    authType: Literal['AUTH_TOKEN', 'BASIC', 'SIGV4'] | None = None
    basicToken: str | None = None
    endpoint: str
    exporterType: Literal['PROMETHEUS']
    headers: dict[str, str] | None = None
    labels: dict[str, str] | None = None
    password: str | None = None
    sigV4AssumeArn: str | None = None
    sigV4StsRegion: str | None = None
    username: str | None = None


class CreateEnvironmentObjectOverridesRequest(ContractModel):
    airflowVariable: CreateEnvironmentObjectAirflowVariableOverridesRequest | None = (
        None
    )
    connection: CreateEnvironmentObjectConnectionOverridesRequest | None = None
    environmentVariable: (
        CreateEnvironmentObjectEnvironmentVariableOverridesRequest | None
    ) = None
    metricsExport: CreateEnvironmentObjectMetricsExportOverridesRequest | None = None


class CreateGcpClusterRequest(ContractModel):
    cloudProvider: Literal['GCP']
    dbInstanceType: str | None = None
    drPodSubnetRange: str | None = None
    drRegion: str | None = None
    drServicePeeringRange: str | None = None
    drServiceSubnetRange: str | None = None
    drVpcSubnetRange: str | None = None
    enableReplicationTimeControl: bool | None = None
    k8sTags: list[ClusterK8sTag] | None = None
    name: str
    nodePools: list[CreateNodePoolRequest] | None = None
    podSubnetRange: str
    providerAccount: str | None = None
    region: str
    servicePeeringRange: str
    serviceSubnetRange: str
    type: Literal['DEDICATED', 'HYBRID']
    vpcSubnetRange: str
    workspaceIds: list[str] | None = None


class CreateHybridDeploymentRequest(ContractModel):
    astroRuntimeVersion: str | None = None
    clusterId: str | None = None
    contactEmails: list[str] | None = None
    description: str | None = None
    drWorkloadIdentity: str | None = None
    environmentVariables: list[DeploymentEnvironmentVariableRequest] | None = None
    executor: Literal['CELERY', 'KUBERNETES'] | None = None
    isCicdEnforced: bool | None = None
    isDagDeployEnabled: bool | None = None
    name: str
    scheduler: CreateDeploymentInstanceSpecRequest | None = None
    taskPodNodePoolId: str | None = None
    type: Literal['HYBRID']
    workerQueues: list[HybridWorkerQueueRequest] | None = None
    workloadIdentity: str | None = None
    workspaceId: str


class CreateTeamRequest(ContractModel):
    description: str | None = None
    memberIds: list[str] | None = None
    name: str
    organizationRole: (
        Literal[
            'ORGANIZATION_BILLING_ADMIN',
            'ORGANIZATION_MEMBER',
            'ORGANIZATION_OBSERVE_ADMIN',
            'ORGANIZATION_OBSERVE_MEMBER',
            'ORGANIZATION_OWNER',
        ]
        | None
    ) = None


class CreateUserInviteRequest(ContractModel):
    inviteeEmail: str
    role: Literal[
        'ORGANIZATION_BILLING_ADMIN',
        'ORGANIZATION_MEMBER',
        'ORGANIZATION_OBSERVE_ADMIN',
        'ORGANIZATION_OBSERVE_MEMBER',
        'ORGANIZATION_OWNER',
    ]


class CreateWorkspaceRequest(ContractModel):
    cicdEnforcedDefault: bool | None = None
    defaultCloudProvider: Literal['AWS', 'AZURE', 'GCP'] | None = None
    defaultClusterId: str | None = None
    defaultRegion: str | None = None
    description: str | None = None
    name: str


class DefaultRole(ContractModel):
    description: str | None = None
    name: str
    permissions: list[str]
    scopeType: Literal['DAG', 'DEPLOYMENT', 'ORGANIZATION', 'SYSTEM', 'WORKSPACE']


class DeployGit(ContractModel):
    account: str | None = None
    authorName: str | None = None
    authorUrl: str | None = None
    authorUsername: str | None = None
    beforeCommitSha: str | None = None
    branch: str | None = None
    commitSha: str
    commitUrl: str | None = None
    path: str | None = None
    provider: Literal['GENERIC', 'GITHUB']
    remoteUrl: str | None = None
    repo: str | None = None


class DeploymentHibernationStatus(ContractModel):
    isHibernating: bool
    nextEventAt: str | None = None
    nextEventType: Literal['HIBERNATE', 'WAKE'] | None = None
    reason: str | None = None


class DeploymentLogEntry(ContractModel):
    raw: str
    source: Literal[
        'apiserver', 'dag-processor', 'scheduler', 'triggerer', 'webserver', 'worker'
    ]
    timestamp: float


class DeploymentScalingStatus(ContractModel):
    hibernationStatus: DeploymentHibernationStatus | None = None


class EnvironmentObjectConnection(ContractModel):
    connectionAuthType: ConnectionAuthType | None = None
    extra: dict[str, Any] | None = None
    host: str | None = None
    login: str | None = None
    password: str | None = None
    port: int | None = None
    schema_: Annotated[str | None, Field(alias='schema')] = None
    type: str


class EnvironmentObjectExcludeLink(ContractModel):
    scope: Literal['DEPLOYMENT']
    scopeEntityId: str


class EnvironmentObjectMetricsExport(ContractModel):
    authType: Literal['AUTH_TOKEN', 'BASIC', 'SIGV4'] | None = None
    basicToken: str | None = None
    endpoint: str
    exporterType: Literal['PROMETHEUS']
    headers: dict[str, str] | None = None
    labels: dict[str, str] | None = None
    password: str | None = None
    sigV4AssumeArn: str | None = None
    sigV4StsRegion: str | None = None
    username: str | None = None


class EnvironmentObjectMetricsExportOverrides(ContractModel):
    authType: Literal['AUTH_TOKEN', 'BASIC', 'SIGV4'] | None = None
    basicToken: str | None = None
    endpoint: str | None = None
    exporterType: Literal['PROMETHEUS'] | None = None
    headers: dict[str, str] | None = None
    labels: dict[str, str] | None = None
    password: str | None = None
    sigV4AssumeArn: str | None = None
    sigV4StsRegion: str | None = None
    username: str | None = None


class Error(ContractModel):
    fieldErrors: list[FieldValidationError] | None = None
    message: str
    requestId: str
    statusCode: int


class ExcludeLinkEnvironmentObjectRequest(ContractModel):
    scope: Literal['DEPLOYMENT']
    scopeEntityId: str


class Invite(ContractModel):
    expiresAt: AwareDatetime
    inviteId: str
    invitee: BasicSubjectProfile
    inviter: BasicSubjectProfile
    organizationId: str
    organizationName: str | None = None
    userId: str | None = None


class ManagedDomain(ContractModel):
    createdAt: AwareDatetime
    enforcedLogins: list[str] | None = None
    id: str
    name: str
    organizationId: str
    status: Literal['PENDING', 'VERIFIED']
    updatedAt: AwareDatetime


class NodePool(ContractModel):
    cloudProvider: Literal['AWS', 'AZURE', 'GCP']
    clusterId: str
    createdAt: AwareDatetime
    id: str
    isDefault: bool
    maxNodeCount: int
    name: str
    nodeInstanceType: str
    supportedAstroMachines: list[str] | None = None
    updatedAt: AwareDatetime


class OrganizationProductPlan(ContractModel):
    astronomerProduct: Literal['ASTRO']
    organizationId: str
    productPlanId: str
    productPlanName: Literal[
        'BASIC',
        'BASIC_PAYGO',
        'BUSINESS',
        'BUSINESS_CRITICAL',
        'BUSINESS_V2',
        'DEVELOPER',
        'DEVELOPER_PAYGO',
        'ENTERPRISE',
        'ENTERPRISE_BUSINESS_CRITICAL',
        'ENTERPRISE_V2',
        'IBM_ENTERPRISE',
        'INACTIVE',
        'INTERNAL',
        'POV',
        'PREMIUM',
        'STANDARD',
        'TEAM',
        'TEAM_PAYGO',
        'TEAM_V2',
        'TRIAL',
        'TRIAL_V2',
    ]


class ResourceOption(ContractModel):
    cpu: ResourceRange
    memory: ResourceRange


class ResourceQuotaOptions(ContractModel):
    defaultPodSize: ResourceOption
    resourceQuota: ResourceOption


class Role(ContractModel):
    createdAt: AwareDatetime
    createdBy: BasicSubjectProfile
    description: str | None = None
    id: str
    name: str
    restrictedWorkspaceIds: list[str]
    scopeType: Literal['DEPLOYMENT', 'ORGANIZATION', 'WORKSPACE']
    updatedAt: AwareDatetime
    updatedBy: BasicSubjectProfile


class RoleTemplate(ContractModel):
    description: str | None = None
    name: str
    permissions: list[str]
    scopeType: Literal['DAG', 'DEPLOYMENT', 'ORGANIZATION', 'SYSTEM', 'WORKSPACE']


class RoleWithPermission(ContractModel):
    createdAt: AwareDatetime
    createdBy: BasicSubjectProfile
    description: str | None = None
    id: str
    name: str
    permissions: list[str]
    restrictedWorkspaceIds: list[str]
    scopeType: Literal['DEPLOYMENT', 'ORGANIZATION', 'WORKSPACE']
    updatedAt: AwareDatetime
    updatedBy: BasicSubjectProfile


class RolesPaginated(ContractModel):
    defaultRoles: list[DefaultRole] | None = None
    limit: int
    offset: int
    roles: list[Role]
    totalCount: int


class SchedulerMachine(ContractModel):
    name: Literal['EXTRA_LARGE', 'LARGE', 'MEDIUM', 'SMALL']
    spec: MachineSpec


class SelfUserRole(ContractModel):
    role: str
    scope: SelfUserRoleScope


class UpdateApiTokenRolesRequest(ContractModel):
    roles: list[ApiTokenRole]


class UpdateDedicatedClusterRequest(ContractModel):
    clusterType: Literal['DEDICATED'] = 'DEDICATED'
    dbInstanceType: str | None = None
    drPodSubnetRange: str | None = None
    drRegion: str | None = None
    drServicePeeringRange: str | None = None
    drServiceSubnetRange: str | None = None
    drVpcSubnetRange: str | None = None
    enableDr: bool | None = None
    enableReplicationTimeControl: bool | None = None
    isFailedOver: bool | None = None
    isPrivateNetworkEgressEnabled: bool | None = None
    k8sTags: list[ClusterK8sTag]
    name: str
    nodePools: list[UpdateNodePoolRequest] | None = None
    workspaceIds: list[str] | None = None


class UpdateEnvironmentObjectMetricsExportOverridesRequest(ContractModel):
    authType: Literal['AUTH_TOKEN', 'BASIC', 'SIGV4'] | None = None
    basicToken: str | None = None
    endpoint: str | None = None
    exporterType: Literal['PROMETHEUS'] | None = None
    headers: dict[str, str] | None = None
    labels: dict[str, str] | None = None
    password: str | None = None
    sigV4AssumeArn: str | None = None
    sigV4StsRegion: str | None = None
    username: str | None = None


class UpdateEnvironmentObjectMetricsExportRequest(ContractModel):
    authType: Literal['AUTH_TOKEN', 'BASIC', 'SIGV4'] | None = None
    basicToken: str | None = None
    endpoint: str | None = None
    exporterType: Literal['PROMETHEUS'] | None = None
    headers: dict[str, str] | None = None
    labels: dict[str, str] | None = None
    password: str | None = None
    sigV4AssumeArn: str | None = None
    sigV4StsRegion: str | None = None
    username: str | None = None


class UpdateEnvironmentObjectOverridesRequest(ContractModel):
    airflowVariable: UpdateEnvironmentObjectAirflowVariableOverridesRequest | None = (
        None
    )
    connection: UpdateEnvironmentObjectConnectionOverridesRequest | None = None
    environmentVariable: (
        UpdateEnvironmentObjectEnvironmentVariableOverridesRequest | None
    ) = None
    metricsExport: UpdateEnvironmentObjectMetricsExportOverridesRequest | None = None
    unsetFields: list[str] | None = None


class UpdateHybridClusterRequest(ContractModel):
    clusterType: Literal['HYBRID']
    workspaceIds: list[str] | None = None


class UpdateWorkerQueueRequest(ContractModel):
    astroMachine: Literal['A10', 'A120', 'A160', 'A20', 'A40', 'A5', 'A60'] | None = (
        None
    )
    id: str | None = None
    isDefault: bool
    maxWorkerCount: int
    minWorkerCount: int
    name: str
    nodePoolId: str | None = None
    podEphemeralStorage: str | None = None
    workerConcurrency: int


class UpdateWorkspaceRequest(ContractModel):
    cicdEnforcedDefault: bool
    defaultCloudProvider: Literal['AWS', 'AZURE', 'GCP'] | None = None
    defaultClusterId: str | None = None
    defaultRegion: str | None = None
    description: str
    name: str


class WorkerMachine(ContractModel):
    concurrency: Range
    name: Literal['A10', 'A120', 'A160', 'A20', 'A40', 'A5', 'A60']
    spec: MachineSpec


class WorkerQueueRequest(ContractModel):
    astroMachine: Literal['A10', 'A120', 'A160', 'A20', 'A40', 'A5', 'A60']
    id: str | None = None
    isDefault: bool
    maxWorkerCount: int
    minWorkerCount: int
    name: str
    podEphemeralStorage: str | None = None
    workerConcurrency: int


class Workspace(ContractModel):
    cicdEnforcedDefault: bool
    createdAt: AwareDatetime
    createdBy: BasicSubjectProfile | None = None
    defaultCloudProvider: Literal['AWS', 'AZURE', 'GCP'] | None = None
    defaultClusterId: str | None = None
    defaultRegion: str | None = None
    description: str | None = None
    id: str
    name: str
    organizationId: str
    organizationName: str | None = None
    updatedAt: AwareDatetime
    updatedBy: BasicSubjectProfile | None = None


class WorkspaceRole(ContractModel):
    role: Literal[
        'WORKSPACE_ACCESSOR',
        'WORKSPACE_AUTHOR',
        'WORKSPACE_MEMBER',
        'WORKSPACE_OPERATOR',
        'WORKSPACE_OWNER',
    ]
    workspaceId: str


class WorkspacesPaginated(ContractModel):
    limit: int
    offset: int
    totalCount: int
    workspaces: list[Workspace]


class AllowedIpAddressRange(ContractModel):
    createdAt: AwareDatetime
    createdBy: BasicSubjectProfile | None = None
    id: str
    ipAddressRange: str
    organizationId: str
    updatedAt: AwareDatetime
    updatedBy: BasicSubjectProfile | None = None


class AllowedIpAddressRangesList(ContractModel):
    allowedIpAddressRanges: list[AllowedIpAddressRange]


class AllowedIpAddressRangesPaginated(ContractModel):
    allowedIpAddressRanges: list[AllowedIpAddressRange]
    limit: int
    offset: int
    totalCount: int


class ApiToken(ContractModel):
    createdAt: AwareDatetime
    createdBy: BasicSubjectProfile | None = None
    description: str
    endAt: AwareDatetime | None = None
    expiryPeriodInDays: int | None = None
    id: str
    kind: Literal['DIRECT_ACCESS', 'STANDARD']
    lastRotatedAt: AwareDatetime | None = None
    lastUsedAt: AwareDatetime | None = None
    name: str
    roles: list[ApiTokenRole] | None = None
    scope: Literal['DEPLOYMENT', 'ORGANIZATION', 'WORKSPACE']
    shortToken: str
    startAt: AwareDatetime
    token: str | None = None
    updatedAt: AwareDatetime
    updatedBy: BasicSubjectProfile | None = None


class ApiTokensPaginated(ContractModel):
    limit: int
    offset: int
    tokens: list[ApiToken]
    totalCount: int


class Cluster(ContractModel):
    cloudProvider: Literal['AWS', 'AZURE', 'GCP']
    createdAt: AwareDatetime
    dbInstanceType: str
    drPodSubnetRange: str | None = None
    drRegion: str
    drSecondaryVpcCidr: str | None = None
    drServicePeeringRange: str | None = None
    drServiceSubnetRange: str | None = None
    drVpcSubnetRange: str | None = None
    enableReplicationTimeControl: bool | None = None
    failoverInProgress: bool | None = None
    healthStatus: ClusterHealthStatus | None = None
    id: str
    isDrEnabled: bool
    isFailedOver: bool | None = None
    isLimited: bool | None = None
    isPrivateNetworkEgressEnabled: bool | None = None
    metadata: ClusterMetadata | None = None
    name: str
    nodePools: list[NodePool] | None = None
    organizationId: str
    podSubnetRange: str | None = None
    providerAccount: str | None = None
    region: str
    secondaryVpcCidr: str | None = None
    servicePeeringRange: str | None = None
    serviceSubnetRange: str | None = None
    status: Literal[
        'ACCESS_DENIED',
        'CREATED',
        'CREATE_FAILED',
        'CREATING',
        'FAILING_OVER',
        'FAILOVER_FAILED',
        'UPDATE_FAILED',
        'UPDATING',
        'UPGRADE_PENDING',
    ]
    tags: list[ClusterK8sTag] | None = None
    tenantId: str | None = None
    type: Literal['DEDICATED', 'HYBRID']
    updatedAt: AwareDatetime
    vpcSubnetRange: str
    workspaceIds: list[str] | None = None


class ClustersPaginated(ContractModel):
    clusters: list[Cluster]
    limit: int
    offset: int
    totalCount: int


class CreateClusterRequest(
    RootModel[
        CreateAwsClusterRequest | CreateAzureClusterRequest | CreateGcpClusterRequest
    ]
):
    root: Annotated[
        CreateAwsClusterRequest | CreateAzureClusterRequest | CreateGcpClusterRequest,
        Field(discriminator='cloudProvider'),
    ]


class CreateDedicatedDeploymentRequest(ContractModel):
    astroRuntimeVersion: str | None = None
    clusterId: str | None = None
    contactEmails: list[str] | None = None
    defaultTaskPodCpu: str | None = None
    defaultTaskPodMemory: str | None = None
    description: str | None = None
    drWorkloadIdentity: str | None = None
    environmentVariables: list[DeploymentEnvironmentVariableRequest] | None = None
    executor: Literal['ASTRO', 'CELERY', 'KUBERNETES'] | None = None
    isCicdEnforced: bool | None = None
    isDagDeployEnabled: bool | None = None
    isDevelopmentMode: bool | None = None
    isHighAvailability: bool | None = None
    name: str
    remoteExecution: DeploymentRemoteExecutionRequest | None = None
    resourceQuotaCpu: str | None = None
    resourceQuotaMemory: str | None = None
    scalingSpec: DeploymentScalingSpecRequest | None = None
    schedulerSize: Literal['EXTRA_LARGE', 'LARGE', 'MEDIUM', 'SMALL'] | None = None
    type: Literal['DEDICATED']
    workerQueues: list[WorkerQueueRequest] | None = None
    workloadIdentity: str | None = None
    workspaceId: str


class CreateEnvironmentObjectLinkRequest(ContractModel):
    overrides: CreateEnvironmentObjectOverridesRequest | None = None
    scope: Literal['DEPLOYMENT']
    scopeEntityId: str


class CreateEnvironmentObjectRequest(ContractModel):
    airflowVariable: CreateEnvironmentObjectAirflowVariableRequest | None = None
    autoLinkDeployments: bool | None = None
    connection: CreateEnvironmentObjectConnectionRequest | None = None
    description: str | None = None
    environmentVariable: CreateEnvironmentObjectEnvironmentVariableRequest | None = None
    excludeLinks: list[ExcludeLinkEnvironmentObjectRequest] | None = None
    links: list[CreateEnvironmentObjectLinkRequest] | None = None
    metricsExport: CreateEnvironmentObjectMetricsExportRequest | None = None
    objectKey: str
    objectType: Literal[
        'AIRFLOW_VARIABLE', 'CONNECTION', 'ENVIRONMENT_VARIABLE', 'METRICS_EXPORT'
    ]
    scope: Literal['DEPLOYMENT', 'WORKSPACE']
    scopeEntityId: str


class CreateStandardDeploymentRequest(ContractModel):
    astroRuntimeVersion: str | None = None
    cloudProvider: Literal['AWS', 'AZURE', 'GCP'] | None = None
    clusterId: str | None = None
    contactEmails: list[str] | None = None
    defaultTaskPodCpu: str | None = None
    defaultTaskPodMemory: str | None = None
    description: str | None = None
    drWorkloadIdentity: str | None = None
    environmentVariables: list[DeploymentEnvironmentVariableRequest] | None = None
    executor: Literal['ASTRO', 'CELERY', 'KUBERNETES'] | None = None
    isCicdEnforced: bool | None = None
    isDagDeployEnabled: bool | None = None
    isDevelopmentMode: bool | None = None
    isHighAvailability: bool | None = None
    name: str
    region: str | None = None
    remoteExecution: DeploymentRemoteExecutionRequest | None = None
    resourceQuotaCpu: str | None = None
    resourceQuotaMemory: str | None = None
    scalingSpec: DeploymentScalingSpecRequest | None = None
    schedulerSize: Literal['EXTRA_LARGE', 'LARGE', 'MEDIUM', 'SMALL'] | None = None
    type: Literal['STANDARD']
    workerQueues: list[WorkerQueueRequest] | None = None
    workloadIdentity: str | None = None
    workspaceId: str


class Deploy(ContractModel):
    airflowVersion: str | None = None
    astroRuntimeVersion: str | None = None
    bundleMountPath: str | None = None
    bundleUploadUrl: str | None = None
    bundles: list[Bundle] | None = None
    createdAt: AwareDatetime
    createdBySubject: BasicSubjectProfile | None = None
    dagTarballVersion: str | None = None
    dagsUploadUrl: str | None = None
    deploymentId: str
    description: str | None = None
    git: DeployGit | None = None
    id: str
    imageRepository: str
    imageTag: str
    isDagDeployEnabled: bool
    rollbackFromId: str | None = None
    status: Literal['DEPLOYED', 'FAILED', 'INITIALIZED']
    type: Literal['DAG_ONLY', 'IMAGE_AND_DAG', 'IMAGE_ONLY']
    updatedAt: AwareDatetime | None = None
    updatedBySubject: BasicSubjectProfile | None = None


class Deployment(ContractModel):
    airflowVersion: str
    apiUrl: str
    astroRuntimeVersion: str
    cloudProvider: Literal['AWS', 'AZURE', 'GCP'] | None = None
    clusterId: str | None = None
    clusterName: str | None = None
    contactEmails: list[str] | None = None
    createdAt: AwareDatetime
    createdBy: BasicSubjectProfile
    dagTarballVersion: str | None = None
    defaultTaskPodCpu: str | None = None
    defaultTaskPodMemory: str | None = None
    description: str | None = None
    desiredDagTarballVersion: str | None = None
    drExternalIPs: list[str] | None = None
    drOidcIssuerUrl: str | None = None
    effectiveDRWorkloadIdentity: str | None = None
    effectiveWorkloadIdentity: str | None = None
    environmentVariables: list[DeploymentEnvironmentVariable] | None = None
    executor: Literal['ASTRO', 'CELERY', 'KUBERNETES'] | None = None
    externalIPs: list[str] | None = None
    id: str
    imageRepository: str
    imageTag: str
    imageVersion: str | None = None
    isCicdEnforced: bool
    isDagDeployEnabled: bool
    isDevelopmentMode: bool | None = None
    isHighAvailability: bool | None = None
    name: str
    namespace: str
    oidcIssuerUrl: str | None = None
    organizationId: str
    region: str | None = None
    remoteExecution: DeploymentRemoteExecution | None = None
    resourceQuotaCpu: str | None = None
    resourceQuotaMemory: str | None = None
    runtimeVersion: str
    scalingSpec: DeploymentScalingSpec | None = None
    scalingStatus: DeploymentScalingStatus | None = None
    schedulerAu: int | None = None
    schedulerCpu: str
    schedulerMemory: str
    schedulerReplicas: int
    schedulerSize: Literal['EXTRA_LARGE', 'LARGE', 'MEDIUM', 'SMALL'] | None = None
    status: Literal[
        'CREATING', 'DEPLOYING', 'HEALTHY', 'HIBERNATING', 'UNHEALTHY', 'UNKNOWN'
    ]
    statusReason: str | None = None
    taskPodNodePoolId: str | None = None
    type: Literal['DEDICATED', 'HYBRID', 'STANDARD'] | None = None
    uiUrl: str
    updatedAt: AwareDatetime
    updatedBy: BasicSubjectProfile
    webServerAirflowApiUrl: str
    webServerCpu: str
    webServerIngressHostname: str
    webServerMemory: str
    webServerReplicas: int | None = None
    webServerUrl: str
    workerQueues: list[WorkerQueue] | None = None
    workspaceId: str
    workspaceName: str | None = None


class DeploymentLog(ContractModel):
    limit: int
    maxNumResults: int
    offset: int
    resultCount: int
    results: list[DeploymentLogEntry]
    searchId: str


class DeploymentOptions(ContractModel):
    executors: list[str]
    resourceQuotas: ResourceQuotaOptions
    runtimeReleases: list[RuntimeRelease]
    schedulerMachines: list[SchedulerMachine]
    workerMachines: list[WorkerMachine]
    workerQueues: WorkerQueueOptions
    workloadIdentityOptions: list[WorkloadIdentityOption] | None = None


class DeploymentsPaginated(ContractModel):
    deployments: list[Deployment]
    limit: int
    offset: int
    totalCount: int


class DeploysPaginated(ContractModel):
    deploys: list[Deploy]
    limit: int
    offset: int
    totalCount: int


class EnvironmentObjectLink(ContractModel):
    airflowVariableOverrides: EnvironmentObjectAirflowVariableOverrides | None = None
    connectionOverrides: EnvironmentObjectConnectionOverrides | None = None
    environmentVariableOverrides: (
        EnvironmentObjectEnvironmentVariableOverrides | None
    ) = None
    metricsExportOverrides: EnvironmentObjectMetricsExportOverrides | None = None
    scope: Literal['DEPLOYMENT']
    scopeEntityId: str
    setFields: list[str]


class Organization(ContractModel):
    allowEnhancedSupportAccess: bool
    billingEmail: str | None = None
    createdAt: AwareDatetime
    createdBy: BasicSubjectProfile
    hasAiFeaturesDisabled: bool | None = None
    hasAllowedIpAddressRanges: bool
    id: str
    isBlockedEnableAiFeatures: bool
    isScimEnabled: bool
    managedDomains: list[ManagedDomain] | None = None
    name: str
    paymentMethod: (
        Literal[
            'AWS_MARKETPLACE',
            'AZURE_MARKETPLACE',
            'CREDIT_CARD',
            'GCP_MARKETPLACE',
            'INVOICE',
            'SNOWFLAKE_MARKETPLACE',
        ]
        | None
    ) = None
    product: Literal['HOSTED', 'HYBRID'] | None = None
    productPlans: list[OrganizationProductPlan]
    shouldEnforceDedicatedClusters: bool
    status: Literal['ACTIVE', 'INACTIVE', 'SUSPENDED'] | None = None
    trialExpiresAt: AwareDatetime | None = None
    updatedAt: AwareDatetime
    updatedBy: BasicSubjectProfile


class OrganizationsPaginated(ContractModel):
    limit: int
    offset: int
    organizations: list[Organization]
    totalCount: int


class SelfUser(ContractModel):
    avatarUrl: str
    createdAt: AwareDatetime
    featureFlags: list[SelfUserFeatureFlag] | None = None
    fullName: str
    id: str
    invites: list[SelfUserInvite] | None = None
    isIdpManaged: bool | None = None
    organizationId: str | None = None
    roles: list[SelfUserRole] | None = None
    status: Literal['ACTIVE', 'BANNED', 'INACTIVE', 'PENDING']
    updatedAt: AwareDatetime
    username: str


class SubjectRoles(ContractModel):
    dagRoles: list[DagRole] | None = None
    deploymentRoles: list[DeploymentRole] | None = None
    organizationRole: str | None = None
    workspaceRoles: list[WorkspaceRole] | None = None


class Team(ContractModel):
    createdAt: AwareDatetime
    createdBy: BasicSubjectProfile | None = None
    dagRoles: list[DagRole] | None = None
    deploymentRoles: list[DeploymentRole] | None = None
    description: str | None = None
    id: str
    isIdpManaged: bool
    name: str
    organizationId: str
    organizationRole: Literal[
        'ORGANIZATION_BILLING_ADMIN',
        'ORGANIZATION_MEMBER',
        'ORGANIZATION_OBSERVE_ADMIN',
        'ORGANIZATION_OBSERVE_MEMBER',
        'ORGANIZATION_OWNER',
    ]
    rolesCount: int | None = None
    updatedAt: AwareDatetime
    updatedBy: BasicSubjectProfile | None = None
    workspaceRoles: list[WorkspaceRole] | None = None


class TeamsPaginated(ContractModel):
    limit: int
    offset: int
    teams: list[Team]
    totalCount: int


class UpdateClusterRequest(
    RootModel[UpdateDedicatedClusterRequest | UpdateHybridClusterRequest]
):
    root: Annotated[
        UpdateDedicatedClusterRequest | UpdateHybridClusterRequest,
        Field(discriminator='clusterType'),
    ]


class UpdateDedicatedDeploymentRequest(ContractModel):
    contactEmails: list[str] | None = None
    defaultTaskPodCpu: str | None = None
    defaultTaskPodMemory: str | None = None
    description: str | None = None
    drWorkloadIdentity: str | None = None
    environmentVariables: list[DeploymentEnvironmentVariableRequest]
    executor: Literal['ASTRO', 'CELERY', 'KUBERNETES']
    isCicdEnforced: bool
    isDagDeployEnabled: bool
    isDevelopmentMode: bool | None = None
    isHighAvailability: bool
    name: str
    remoteExecution: DeploymentRemoteExecutionRequest | None = None
    resourceQuotaCpu: str | None = None
    resourceQuotaMemory: str | None = None
    scalingSpec: DeploymentScalingSpecRequest | None = None
    schedulerSize: Literal['EXTRA_LARGE', 'LARGE', 'MEDIUM', 'SMALL']
    type: Literal['DEDICATED']
    workerQueues: list[UpdateWorkerQueueRequest] | None = None
    workloadIdentity: str | None = None
    workspaceId: str


class UpdateEnvironmentObjectLinkRequest(ContractModel):
    overrides: UpdateEnvironmentObjectOverridesRequest | None = None
    scope: Literal['DEPLOYMENT']
    scopeEntityId: str


class UpdateEnvironmentObjectRequest(ContractModel):
    airflowVariable: UpdateEnvironmentObjectAirflowVariableRequest | None = None
    autoLinkDeployments: bool | None = None
    connection: UpdateEnvironmentObjectConnectionRequest | None = None
    description: str | None = None
    environmentVariable: UpdateEnvironmentObjectEnvironmentVariableRequest | None = None
    excludeLinks: list[ExcludeLinkEnvironmentObjectRequest] | None = None
    links: list[UpdateEnvironmentObjectLinkRequest] | None = None
    metricsExport: UpdateEnvironmentObjectMetricsExportRequest | None = None


class UpdateHybridDeploymentRequest(ContractModel):
    contactEmails: list[str] | None = None
    description: str | None = None
    drWorkloadIdentity: str | None = None
    environmentVariables: list[DeploymentEnvironmentVariableRequest]
    executor: Literal['CELERY', 'KUBERNETES']
    isCicdEnforced: bool
    isDagDeployEnabled: bool
    name: str
    scheduler: UpdateDeploymentInstanceSpecRequest
    taskPodNodePoolId: str | None = None
    type: Literal['HYBRID']
    workerQueues: list[UpdateWorkerQueueRequest] | None = None
    workloadIdentity: str | None = None
    workspaceId: str


class UpdateStandardDeploymentRequest(ContractModel):
    contactEmails: list[str] | None = None
    defaultTaskPodCpu: str | None = None
    defaultTaskPodMemory: str | None = None
    description: str | None = None
    drWorkloadIdentity: str | None = None
    environmentVariables: list[DeploymentEnvironmentVariableRequest]
    executor: Literal['ASTRO', 'CELERY', 'KUBERNETES']
    isCicdEnforced: bool
    isDagDeployEnabled: bool
    isDevelopmentMode: bool | None = None
    isHighAvailability: bool
    name: str
    remoteExecution: DeploymentRemoteExecutionRequest | None = None
    resourceQuotaCpu: str | None = None
    resourceQuotaMemory: str | None = None
    scalingSpec: DeploymentScalingSpecRequest | None = None
    schedulerSize: Literal['EXTRA_LARGE', 'LARGE', 'MEDIUM', 'SMALL']
    type: Literal['STANDARD']
    workerQueues: list[UpdateWorkerQueueRequest] | None = None
    workloadIdentity: str | None = None
    workspaceId: str


class UpdateTeamRolesRequest(ContractModel):
    dagRoles: list[DagRole] | None = None
    deploymentRoles: list[DeploymentRole] | None = None
    organizationRole: str
    workspaceRoles: list[WorkspaceRole] | None = None


class UpdateUserRolesRequest(ContractModel):
    dagRoles: list[DagRole] | None = None
    deploymentRoles: list[DeploymentRole] | None = None
    organizationRole: str | None = None
    workspaceRoles: list[WorkspaceRole] | None = None


class User(ContractModel):
    avatarUrl: str
    createdAt: AwareDatetime
    dagRoles: list[DagRole] | None = None
    deploymentRoles: list[DeploymentRole] | None = None
    fullName: str
    id: str
    organizationRole: (
        Literal[
            'ORGANIZATION_BILLING_ADMIN',
            'ORGANIZATION_MEMBER',
            'ORGANIZATION_OBSERVE_ADMIN',
            'ORGANIZATION_OBSERVE_MEMBER',
            'ORGANIZATION_OWNER',
        ]
        | None
    ) = None
    status: Literal['ACTIVE', 'BANNED', 'INACTIVE', 'PENDING']
    updatedAt: AwareDatetime
    username: str
    workspaceRoles: list[WorkspaceRole] | None = None


class UserTeamMembership(ContractModel):
    dagRoles: list[DagRole] | None = None
    deploymentRoles: list[DeploymentRole] | None = None
    description: str | None = None
    id: str
    isIdpManaged: bool
    name: str
    organizationRole: Literal[
        'ORGANIZATION_BILLING_ADMIN',
        'ORGANIZATION_MEMBER',
        'ORGANIZATION_OBSERVE_ADMIN',
        'ORGANIZATION_OBSERVE_MEMBER',
        'ORGANIZATION_OWNER',
    ]
    rolesCount: int | None = None
    workspaceRoles: list[WorkspaceRole] | None = None


class UserTeamsPaginated(ContractModel):
    limit: int
    offset: int
    teams: list[UserTeamMembership]
    totalCount: int


class UsersPaginated(ContractModel):
    limit: int
    offset: int
    totalCount: int
    users: list[User]


class CreateDeploymentRequest(
    RootModel[
        CreateDedicatedDeploymentRequest
        | CreateHybridDeploymentRequest
        | CreateStandardDeploymentRequest
    ]
):
    root: Annotated[
        CreateDedicatedDeploymentRequest
        | CreateHybridDeploymentRequest
        | CreateStandardDeploymentRequest,
        Field(discriminator='type'),
    ]


class EnvironmentObject(ContractModel):
    airflowVariable: EnvironmentObjectAirflowVariable | None = None
    autoLinkDeployments: bool | None = None
    connection: EnvironmentObjectConnection | None = None
    createdAt: str | None = None
    createdBy: BasicSubjectProfile | None = None
    description: str | None = None
    environmentVariable: EnvironmentObjectEnvironmentVariable | None = None
    excludeLinks: list[EnvironmentObjectExcludeLink] | None = None
    id: str | None = None
    links: list[EnvironmentObjectLink] | None = None
    metricsExport: EnvironmentObjectMetricsExport | None = None
    objectKey: str
    objectType: Literal[
        'AIRFLOW_VARIABLE', 'CONNECTION', 'ENVIRONMENT_VARIABLE', 'METRICS_EXPORT'
    ]
    scope: Literal['DEPLOYMENT', 'WORKSPACE']
    scopeEntityId: str
    setFields: list[str]
    sourceScope: Literal['DEPLOYMENT', 'WORKSPACE'] | None = None
    sourceScopeEntityId: str | None = None
    updatedAt: str | None = None
    updatedBy: BasicSubjectProfile | None = None


class EnvironmentObjectsPaginated(ContractModel):
    environmentObjects: list[EnvironmentObject]
    limit: int
    offset: int
    totalCount: int


class UpdateDeploymentRequest(
    RootModel[
        UpdateDedicatedDeploymentRequest
        | UpdateHybridDeploymentRequest
        | UpdateStandardDeploymentRequest
    ]
):
    root: Annotated[
        UpdateDedicatedDeploymentRequest
        | UpdateHybridDeploymentRequest
        | UpdateStandardDeploymentRequest,
        Field(discriminator='type'),
    ]
