# Generated from the Astro Platform API v1beta1 contract (platform-v1beta1.openapi.json) by scripts/gen_contract_models.py. Do not edit.

from __future__ import annotations

from typing import Annotated, Any, Literal

from astroplane.kit.schemas import ContractModel
from pydantic import AwareDatetime, Field, RootModel


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


class CreateDagDurationAlertProperties(ContractModel):
    dagDurationSeconds: int
    deploymentId: str


class CreateDagFailureAlertProperties(ContractModel):
    deploymentId: str


class CreateDagSuccessAlertProperties(ContractModel):
    deploymentId: str


class CreateDagTimelinessAlertProperties(ContractModel):
    dagDeadline: str
    daysOfWeek: list[str]
    deploymentId: str
    lookBackPeriodSeconds: int


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


class CreateNodePoolRequest(ContractModel):
    isDefault: bool | None = None
    maxNodeCount: int
    name: str
    nodeInstanceType: str


class CreateTaskDurationAlertProperties(ContractModel):
    deploymentId: str
    taskDurationSeconds: int


class CreateTaskFailureAlertProperties(ContractModel):
    deploymentId: str


class CreateWorkspaceRequest(ContractModel):
    cicdEnforcedDefault: bool | None = None
    description: str | None = None
    name: str


class DagTriggerNotificationChannelDefinition(ContractModel):
    dagId: str
    deploymentApiToken: str
    deploymentId: str


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
    isActive: Annotated[bool | None, Field(...)]
    isHibernating: Annotated[bool | None, Field(...)]
    overrideUntil: Annotated[AwareDatetime | None, Field(...)]


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


class DeploymentInstanceSpecRequest(ContractModel):
    au: Annotated[int, Field(ge=5, le=24)]
    replicas: Annotated[int, Field(ge=1, le=4)]


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


class DeploymentScalingSpec(ContractModel):
    hibernationSpec: DeploymentHibernationSpec | None = None


class DeploymentScalingSpecRequest(ContractModel):
    hibernationSpec: DeploymentHibernationSpecRequest | None = None


class EmailNotificationChannelDefinition(ContractModel):
    recipients: list[str]


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


class OpsgenieNotificationChannelDefinition(ContractModel):
    apiKey: str


class OverrideDeploymentHibernationBody(ContractModel):
    isHibernating: Annotated[bool | None, Field(...)]
    overrideUntil: Annotated[AwareDatetime | None, Field(...)]


class PagerDutyNotificationChannelDefinition(ContractModel):
    integrationKey: str


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


class SlackNotificationChannelDefinition(ContractModel):
    webhookUrl: str


class UpdateDagDurationAlertProperties(ContractModel):
    dagDurationSeconds: int | None = None


class UpdateDagTimelinessAlertProperties(ContractModel):
    dagDeadline: str | None = None
    daysOfWeek: list[str] | None = None
    lookBackPeriodSeconds: int | None = None


class UpdateDeployRequest(ContractModel):
    description: str | None = None


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


class UpdateNodePoolRequest(ContractModel):
    id: str | None = None
    isDefault: bool | None = None
    maxNodeCount: int
    name: str
    nodeInstanceType: str


class UpdateOrganizationRequest(ContractModel):
    allowEnhancedSupportAccess: bool | None = None
    billingEmail: str
    isScimEnabled: bool
    name: str
    shouldEnforceDedicatedClusters: bool | None = None


class UpdateTaskDurationAlertProperties(ContractModel):
    taskDurationSeconds: int | None = None


class UpdateWorkspaceRequest(ContractModel):
    cicdEnforcedDefault: bool
    description: str
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
    podMemory: str
    workerConcurrency: int


class WorkerQueueOptions(ContractModel):
    maxWorkers: Range
    minWorkers: Range
    workerConcurrency: Range


class WorkloadIdentityOption(ContractModel):
    label: str
    role: str


class AlertNotificationChannel(ContractModel):
    createdAt: AwareDatetime
    definition: Any
    deploymentId: str | None = None
    entityId: str
    entityType: Literal['DEPLOYMENT', 'ORGANIZATION', 'WORKSPACE']
    id: str
    name: str
    organizationId: str
    type: Literal['DAG_TRIGGER', 'EMAIL', 'OPSGENIE', 'PAGERDUTY', 'SLACK']
    updatedAt: AwareDatetime
    workspaceId: str | None = None


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


class CreateAwsClusterRequest(ContractModel):
    cloudProvider: Literal['AWS']
    dbInstanceType: str | None = None
    drRegion: str | None = None
    drSecondaryVpcCidr: str | None = None
    drVpcSubnetRange: str | None = None
    enableReplicationTimeControl: bool | None = None
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


class CreateDagTriggerNotificationChannelRequest(ContractModel):
    definition: DagTriggerNotificationChannelDefinition
    entityId: str
    entityType: Literal['DEPLOYMENT', 'ORGANIZATION', 'WORKSPACE']
    isShared: bool | None = None
    name: str
    type: Literal['DAG_TRIGGER']


class CreateDeployGitRequest(ContractModel):
    account: str
    authorName: str | None = None
    authorUrl: str | None = None
    authorUsername: str | None = None
    beforeCommitSha: str | None = None
    branch: str
    commitSha: str
    commitUrl: str
    path: str | None = None
    provider: Literal['GITHUB']
    repo: str


class CreateDeployRequest(ContractModel):
    bundleMountPath: str | None = None
    bundleType: str | None = None
    description: str | None = None
    git: CreateDeployGitRequest | None = None
    type: Literal['BUNDLE', 'DAG_ONLY', 'IMAGE_AND_DAG', 'IMAGE_ONLY']


class CreateEmailNotificationChannelRequest(ContractModel):
    definition: EmailNotificationChannelDefinition
    entityId: str
    entityType: Literal['DEPLOYMENT', 'ORGANIZATION', 'WORKSPACE']
    isShared: bool | None = None
    name: str
    type: Literal['EMAIL']


class CreateEnvironmentObjectMetricsExportOverridesRequest(ContractModel):
    authType: Literal['AUTH_TOKEN', 'BASIC'] | None = None
    basicToken: str | None = None
    endpoint: str | None = None
    exporterType: Literal['PROMETHEUS'] | None = None
    headers: dict[str, str] | None = None
    labels: dict[str, str] | None = None
    password: str | None = None
    username: str | None = None


class CreateEnvironmentObjectMetricsExportRequest(ContractModel):
    authType: Literal['AUTH_TOKEN', 'BASIC'] | None = None
    basicToken: str | None = None
    endpoint: str
    exporterType: Literal['PROMETHEUS']
    headers: dict[str, str] | None = None
    labels: dict[str, str] | None = None
    password: str | None = None
    username: str | None = None


class CreateEnvironmentObjectOverridesRequest(ContractModel):
    airflowVariable: CreateEnvironmentObjectAirflowVariableOverridesRequest | None = (
        None
    )
    connection: CreateEnvironmentObjectConnectionOverridesRequest | None = None
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
    astroRuntimeVersion: str
    clusterId: str
    contactEmails: list[str] | None = None
    description: str | None = None
    drWorkloadIdentity: str | None = None
    environmentVariables: list[DeploymentEnvironmentVariableRequest] | None = None
    executor: Literal['CELERY', 'KUBERNETES']
    isCicdEnforced: bool
    isDagDeployEnabled: bool
    name: str
    scheduler: DeploymentInstanceSpecRequest
    taskPodNodePoolId: str | None = None
    type: Literal['HYBRID']
    workerQueues: list[HybridWorkerQueueRequest] | None = None
    workloadIdentity: str | None = None
    workspaceId: str


class CreateOpsgenieNotificationChannelRequest(ContractModel):
    definition: OpsgenieNotificationChannelDefinition
    entityId: str
    entityType: Literal['DEPLOYMENT', 'ORGANIZATION', 'WORKSPACE']
    isShared: bool | None = None
    name: str
    type: Literal['OPSGENIE']


class CreatePagerDutyNotificationChannelRequest(ContractModel):
    definition: PagerDutyNotificationChannelDefinition
    entityId: str
    entityType: Literal['DEPLOYMENT', 'ORGANIZATION', 'WORKSPACE']
    isShared: bool | None = None
    name: str
    type: Literal['PAGERDUTY']


class CreateSlackNotificationChannelRequest(ContractModel):
    definition: SlackNotificationChannelDefinition
    entityId: str
    entityType: Literal['DEPLOYMENT', 'ORGANIZATION', 'WORKSPACE']
    isShared: bool | None = None
    name: str
    type: Literal['SLACK']


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
    id: str
    imageRepository: str
    imageTag: str
    isDagDeployEnabled: bool
    rollbackFromId: str | None = None
    status: Literal['DEPLOYED', 'FAILED', 'INITIALIZED']
    type: Literal['DAG_ONLY', 'IMAGE_AND_DAG', 'IMAGE_ONLY']
    updatedAt: AwareDatetime | None = None
    updatedBySubject: BasicSubjectProfile | None = None


class DeploymentHibernationStatus(ContractModel):
    isHibernating: bool
    nextEventAt: str | None = None
    nextEventType: Literal['HIBERNATE', 'WAKE'] | None = None
    reason: str | None = None


class DeploymentScalingStatus(ContractModel):
    hibernationStatus: DeploymentHibernationStatus | None = None


class DeploysPaginated(ContractModel):
    deploys: list[Deploy]
    limit: int
    offset: int
    totalCount: int


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
    authType: Literal['AUTH_TOKEN', 'BASIC'] | None = None
    basicToken: str | None = None
    endpoint: str
    exporterType: Literal['PROMETHEUS']
    headers: dict[str, str] | None = None
    labels: dict[str, str] | None = None
    password: str | None = None
    username: str | None = None


class EnvironmentObjectMetricsExportOverrides(ContractModel):
    authType: Literal['AUTH_TOKEN', 'BASIC'] | None = None
    basicToken: str | None = None
    endpoint: str | None = None
    exporterType: Literal['PROMETHEUS'] | None = None
    headers: dict[str, str] | None = None
    labels: dict[str, str] | None = None
    password: str | None = None
    username: str | None = None


class Error(ContractModel):
    fieldErrors: list[FieldValidationError] | None = None
    message: str
    requestId: str
    statusCode: int


class ExcludeLinkEnvironmentObjectRequest(ContractModel):
    scope: Literal['DEPLOYMENT']
    scopeEntityId: str


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


class NotificationChannel(ContractModel):
    createdAt: AwareDatetime
    createdBy: BasicSubjectProfile
    definition: Any
    deploymentId: str | None = None
    entityId: str
    entityName: str | None = None
    entityType: str
    id: str
    isShared: bool
    name: str
    organizationId: str
    type: str
    updatedAt: AwareDatetime
    updatedBy: BasicSubjectProfile
    workspaceId: str | None = None


class NotificationChannelsPaginated(ContractModel):
    limit: int
    notificationChannels: list[NotificationChannel]
    offset: int
    totalCount: int


class OrganizationProductPlan(ContractModel):
    astronomerProduct: Literal['ASTRO', 'OBSERVE']
    organizationId: str
    productPlanId: str
    productPlanName: str


class PatternMatch(ContractModel):
    entityType: Literal['DAG_ID TASK_ID']
    operatorType: Literal['IS IS_NOT INCLUDES EXCLUDES']
    values: list[str]


class PatternMatchRequest(ContractModel):
    entityType: Literal['DAG_ID', 'TASK_ID']
    operatorType: Literal['EXCLUDES', 'INCLUDES', 'IS', 'IS_NOT']
    values: list[str]


class ResourceOption(ContractModel):
    cpu: ResourceRange
    memory: ResourceRange


class ResourceQuotaOptions(ContractModel):
    defaultPodSize: ResourceOption
    resourceQuota: ResourceOption


class SchedulerMachine(ContractModel):
    name: Literal['EXTRA_LARGE', 'LARGE', 'MEDIUM', 'SMALL']
    spec: MachineSpec


class UpdateDagDurationAlertRules(ContractModel):
    patternMatches: list[PatternMatchRequest] | None = None
    properties: UpdateDagDurationAlertProperties | None = None


class UpdateDagFailureAlertRules(ContractModel):
    patternMatches: list[PatternMatchRequest] | None = None


class UpdateDagSuccessAlertRules(ContractModel):
    patternMatches: list[PatternMatchRequest] | None = None


class UpdateDagTimelinessAlertRules(ContractModel):
    patternMatches: list[PatternMatchRequest] | None = None
    properties: UpdateDagTimelinessAlertProperties | None = None


class UpdateDagTriggerNotificationChannelRequest(ContractModel):
    definition: DagTriggerNotificationChannelDefinition | None = None
    isShared: bool | None = None
    name: str | None = None
    type: Literal['DAG_TRIGGER']


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
    k8sTags: list[ClusterK8sTag]
    name: str
    nodePools: list[UpdateNodePoolRequest] | None = None
    workspaceIds: list[str] | None = None


class UpdateEmailNotificationChannelRequest(ContractModel):
    definition: EmailNotificationChannelDefinition | None = None
    isShared: bool | None = None
    name: str | None = None
    type: Literal['EMAIL']


class UpdateEnvironmentObjectMetricsExportOverridesRequest(ContractModel):
    authType: Literal['AUTH_TOKEN', 'BASIC'] | None = None
    basicToken: str | None = None
    endpoint: str | None = None
    exporterType: Literal['PROMETHEUS'] | None = None
    headers: dict[str, str] | None = None
    labels: dict[str, str] | None = None
    password: str | None = None
    username: str | None = None


class UpdateEnvironmentObjectMetricsExportRequest(ContractModel):
    authType: Literal['AUTH_TOKEN', 'BASIC'] | None = None
    basicToken: str | None = None
    endpoint: str | None = None
    exporterType: Literal['PROMETHEUS'] | None = None
    headers: dict[str, str] | None = None
    labels: dict[str, str] | None = None
    password: str | None = None
    username: str | None = None


class UpdateEnvironmentObjectOverridesRequest(ContractModel):
    airflowVariable: UpdateEnvironmentObjectAirflowVariableOverridesRequest | None = (
        None
    )
    connection: UpdateEnvironmentObjectConnectionOverridesRequest | None = None
    metricsExport: UpdateEnvironmentObjectMetricsExportOverridesRequest | None = None


class UpdateHybridClusterRequest(ContractModel):
    clusterType: Literal['HYBRID']
    workspaceIds: list[str] | None = None


class UpdateHybridDeploymentRequest(ContractModel):
    contactEmails: list[str] | None = None
    description: str | None = None
    drWorkloadIdentity: str | None = None
    environmentVariables: list[DeploymentEnvironmentVariableRequest]
    executor: Literal['CELERY', 'KUBERNETES']
    isCicdEnforced: bool
    isDagDeployEnabled: bool
    name: str
    scheduler: DeploymentInstanceSpecRequest
    taskPodNodePoolId: str | None = None
    type: Literal['HYBRID']
    workerQueues: list[HybridWorkerQueueRequest] | None = None
    workloadIdentity: str | None = None
    workspaceId: str


class UpdateOpsgenieNotificationChannelRequest(ContractModel):
    definition: OpsgenieNotificationChannelDefinition | None = None
    isShared: bool | None = None
    name: str | None = None
    type: Literal['OPSGENIE']


class UpdatePagerDutyNotificationChannelRequest(ContractModel):
    definition: PagerDutyNotificationChannelDefinition | None = None
    isShared: bool | None = None
    name: str | None = None
    type: Literal['PAGERDUTY']


class UpdateSlackNotificationChannelRequest(ContractModel):
    definition: SlackNotificationChannelDefinition | None = None
    isShared: bool | None = None
    name: str | None = None
    type: Literal['SLACK']


class UpdateTaskDurationAlertRules(ContractModel):
    patternMatches: list[PatternMatchRequest] | None = None
    properties: UpdateTaskDurationAlertProperties | None = None


class UpdateTaskFailureAlertRules(ContractModel):
    patternMatches: list[PatternMatchRequest] | None = None


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
    workerConcurrency: int


class Workspace(ContractModel):
    cicdEnforcedDefault: bool
    createdAt: AwareDatetime
    createdBy: BasicSubjectProfile | None = None
    description: str | None = None
    id: str
    name: str
    organizationId: str
    organizationName: str | None = None
    updatedAt: AwareDatetime
    updatedBy: BasicSubjectProfile | None = None


class WorkspacesPaginated(ContractModel):
    limit: int
    offset: int
    totalCount: int
    workspaces: list[Workspace]


class AlertRules(ContractModel):
    patternMatches: list[PatternMatch] | None = None
    properties: Annotated[
        Any, Field(description="The alert's properties used to define the alert.")
    ]


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


class CreateDagDurationAlertRules(ContractModel):
    patternMatches: list[PatternMatchRequest]
    properties: CreateDagDurationAlertProperties


class CreateDagFailureAlertRules(ContractModel):
    patternMatches: list[PatternMatchRequest]
    properties: CreateDagFailureAlertProperties


class CreateDagSuccessAlertRules(ContractModel):
    patternMatches: list[PatternMatchRequest]
    properties: CreateDagSuccessAlertProperties


class CreateDagTimelinessAlertRules(ContractModel):
    patternMatches: list[PatternMatchRequest]
    properties: CreateDagTimelinessAlertProperties


class CreateDedicatedDeploymentRequest(ContractModel):
    astroRuntimeVersion: str
    clusterId: str
    contactEmails: list[str] | None = None
    defaultTaskPodCpu: str | None = None
    defaultTaskPodMemory: str | None = None
    description: str | None = None
    drWorkloadIdentity: str | None = None
    environmentVariables: list[DeploymentEnvironmentVariableRequest] | None = None
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
    excludeLinks: list[ExcludeLinkEnvironmentObjectRequest] | None = None
    links: list[CreateEnvironmentObjectLinkRequest] | None = None
    metricsExport: CreateEnvironmentObjectMetricsExportRequest | None = None
    objectKey: str
    objectType: Literal['AIRFLOW_VARIABLE', 'CONNECTION', 'METRICS_EXPORT']
    scope: Literal['DEPLOYMENT', 'WORKSPACE']
    scopeEntityId: str


class CreateNotificationChannelRequest(
    RootModel[
        CreateDagTriggerNotificationChannelRequest
        | CreateEmailNotificationChannelRequest
        | CreateOpsgenieNotificationChannelRequest
        | CreatePagerDutyNotificationChannelRequest
        | CreateSlackNotificationChannelRequest
    ]
):
    root: Annotated[
        CreateDagTriggerNotificationChannelRequest
        | CreateEmailNotificationChannelRequest
        | CreateOpsgenieNotificationChannelRequest
        | CreatePagerDutyNotificationChannelRequest
        | CreateSlackNotificationChannelRequest,
        Field(discriminator='type'),
    ]


class CreateStandardDeploymentRequest(ContractModel):
    astroRuntimeVersion: str
    cloudProvider: Literal['AWS', 'AZURE', 'GCP'] | None = None
    clusterId: str | None = None
    contactEmails: list[str] | None = None
    defaultTaskPodCpu: str | None = None
    defaultTaskPodMemory: str | None = None
    description: str | None = None
    drWorkloadIdentity: str | None = None
    environmentVariables: list[DeploymentEnvironmentVariableRequest] | None = None
    executor: Literal['ASTRO', 'CELERY', 'KUBERNETES']
    isCicdEnforced: bool
    isDagDeployEnabled: bool
    isDevelopmentMode: bool | None = None
    isHighAvailability: bool
    name: str
    region: str | None = None
    remoteExecution: DeploymentRemoteExecutionRequest | None = None
    resourceQuotaCpu: str | None = None
    resourceQuotaMemory: str | None = None
    scalingSpec: DeploymentScalingSpecRequest | None = None
    schedulerSize: Literal['EXTRA_LARGE', 'LARGE', 'MEDIUM', 'SMALL']
    type: Literal['STANDARD']
    workerQueues: list[WorkerQueueRequest] | None = None
    workloadIdentity: str | None = None
    workspaceId: str


class CreateTaskDurationAlertRules(ContractModel):
    patternMatches: list[PatternMatchRequest]
    properties: CreateTaskDurationAlertProperties


class CreateTaskFailureAlertRules(ContractModel):
    patternMatches: list[PatternMatchRequest]
    properties: CreateTaskFailureAlertProperties


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
    drWorkloadIdentity: str | None = None
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
    workloadIdentity: str | None = None
    workspaceId: str
    workspaceName: str | None = None


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


class EnvironmentObjectLink(ContractModel):
    airflowVariableOverrides: EnvironmentObjectAirflowVariableOverrides | None = None
    connectionOverrides: EnvironmentObjectConnectionOverrides | None = None
    metricsExportOverrides: EnvironmentObjectMetricsExportOverrides | None = None
    scope: Literal['DEPLOYMENT']
    scopeEntityId: str


class Organization(ContractModel):
    allowEnhancedSupportAccess: bool
    billingEmail: str | None = None
    createdAt: AwareDatetime
    createdBy: BasicSubjectProfile
    id: str
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
    productPlans: list[OrganizationProductPlan] | None = None
    shouldEnforceDedicatedClusters: bool
    status: Literal['ACTIVE', 'INACTIVE', 'SUSPENDED'] | None = None
    supportPlan: Literal[
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
    trialExpiresAt: AwareDatetime | None = None
    updatedAt: AwareDatetime
    updatedBy: BasicSubjectProfile


class OrganizationsPaginated(ContractModel):
    limit: int
    offset: int
    organizations: list[Organization]
    totalCount: int


class UpdateClusterRequest(
    RootModel[UpdateDedicatedClusterRequest | UpdateHybridClusterRequest]
):
    root: Annotated[
        UpdateDedicatedClusterRequest | UpdateHybridClusterRequest,
        Field(discriminator='clusterType'),
    ]


class UpdateDagDurationAlertRequest(ContractModel):
    name: str | None = None
    notificationChannelIds: list[str] | None = None
    rules: UpdateDagDurationAlertRules | None = None
    severity: Literal['CRITICAL', 'INFO', 'WARNING'] | None = None
    type: Literal['DAG_DURATION']


class UpdateDagFailureAlertRequest(ContractModel):
    name: str | None = None
    notificationChannelIds: list[str] | None = None
    rules: UpdateDagFailureAlertRules | None = None
    severity: Literal['CRITICAL', 'INFO', 'WARNING'] | None = None
    type: Literal['DAG_FAILURE']


class UpdateDagSuccessAlertRequest(ContractModel):
    name: str | None = None
    notificationChannelIds: list[str] | None = None
    rules: UpdateDagSuccessAlertRules | None = None
    severity: Literal['CRITICAL', 'INFO', 'WARNING'] | None = None
    type: Literal['DAG_SUCCESS']


class UpdateDagTimelinessAlertRequest(ContractModel):
    name: str | None = None
    notificationChannelIds: list[str] | None = None
    rules: UpdateDagTimelinessAlertRules | None = None
    severity: Literal['CRITICAL', 'INFO', 'WARNING'] | None = None
    type: Literal['DAG_TIMELINESS']


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
    workerQueues: list[WorkerQueueRequest] | None = None
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
    excludeLinks: list[ExcludeLinkEnvironmentObjectRequest] | None = None
    links: list[UpdateEnvironmentObjectLinkRequest] | None = None
    metricsExport: UpdateEnvironmentObjectMetricsExportRequest | None = None


class UpdateNotificationChannelRequest(
    RootModel[
        UpdateDagTriggerNotificationChannelRequest
        | UpdateEmailNotificationChannelRequest
        | UpdateOpsgenieNotificationChannelRequest
        | UpdatePagerDutyNotificationChannelRequest
        | UpdateSlackNotificationChannelRequest
    ]
):
    root: Annotated[
        UpdateDagTriggerNotificationChannelRequest
        | UpdateEmailNotificationChannelRequest
        | UpdateOpsgenieNotificationChannelRequest
        | UpdatePagerDutyNotificationChannelRequest
        | UpdateSlackNotificationChannelRequest,
        Field(discriminator='type'),
    ]


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
    workerQueues: list[WorkerQueueRequest] | None = None
    workloadIdentity: str | None = None
    workspaceId: str


class UpdateTaskDurationAlertRequest(ContractModel):
    name: str | None = None
    notificationChannelIds: list[str] | None = None
    rules: UpdateTaskDurationAlertRules | None = None
    severity: Literal['CRITICAL', 'INFO', 'WARNING'] | None = None
    type: Literal['TASK_DURATION']


class UpdateTaskFailureAlertRequest(ContractModel):
    name: str | None = None
    notificationChannelIds: list[str] | None = None
    rules: UpdateTaskFailureAlertRules | None = None
    severity: Literal['CRITICAL', 'INFO', 'WARNING'] | None = None
    type: Literal['TASK_FAILURE']


class Alert(ContractModel):
    createdAt: AwareDatetime
    createdBy: BasicSubjectProfile
    deploymentId: str | None = None
    entityId: str
    entityName: str | None = None
    entityType: Literal['DEPLOYMENT']
    id: str
    name: str
    notificationChannels: list[AlertNotificationChannel] | None = None
    organizationId: str
    rules: AlertRules
    severity: Literal['CRITICAL', 'INFO', 'WARNING']
    type: Literal[
        'AIRFLOW_DB_STORAGE_UNUSUALLY_HIGH',
        'DAG_DURATION',
        'DAG_FAILURE',
        'DAG_SUCCESS',
        'DAG_TIMELINESS',
        'DATA_PRODUCT_PROACTIVE_FAILURE',
        'DATA_PRODUCT_PROACTIVE_SLA',
        'DATA_PRODUCT_SLA',
        'DEPRECATED_RUNTIME_VERSION',
        'JOB_SCHEDULING_DISABLED',
        'TASK_DURATION',
        'TASK_FAILURE',
        'WORKER_QUEUE_AT_CAPACITY',
    ]
    updatedAt: AwareDatetime
    updatedBy: BasicSubjectProfile
    workspaceId: str | None = None


class AlertsPaginated(ContractModel):
    alerts: list[Alert]
    limit: int
    offset: int
    totalCount: int


class CreateDagDurationAlertRequest(ContractModel):
    entityId: str
    entityType: Literal['DEPLOYMENT']
    name: str
    notificationChannelIds: list[str]
    rules: CreateDagDurationAlertRules
    severity: Literal['CRITICAL', 'INFO', 'WARNING']
    type: Literal['DAG_DURATION']


class CreateDagFailureAlertRequest(ContractModel):
    entityId: str
    entityType: Literal['DEPLOYMENT']
    name: str
    notificationChannelIds: list[str]
    rules: CreateDagFailureAlertRules
    severity: Literal['CRITICAL', 'INFO', 'WARNING']
    type: Literal['DAG_FAILURE']


class CreateDagSuccessAlertRequest(ContractModel):
    entityId: str
    entityType: Literal['DEPLOYMENT']
    name: str
    notificationChannelIds: list[str]
    rules: CreateDagSuccessAlertRules
    severity: Literal['CRITICAL', 'INFO', 'WARNING']
    type: Literal['DAG_SUCCESS']


class CreateDagTimelinessAlertRequest(ContractModel):
    entityId: str
    entityType: Literal['DEPLOYMENT']
    name: str
    notificationChannelIds: list[str]
    rules: CreateDagTimelinessAlertRules
    severity: Literal['CRITICAL', 'INFO', 'WARNING']
    type: Literal['DAG_TIMELINESS']


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


class CreateTaskDurationAlertRequest(ContractModel):
    entityId: str
    entityType: Literal['DEPLOYMENT']
    name: str
    notificationChannelIds: list[str]
    rules: CreateTaskDurationAlertRules
    severity: Literal['CRITICAL', 'INFO', 'WARNING']
    type: Literal['TASK_DURATION']


class CreateTaskFailureAlertRequest(ContractModel):
    entityId: str
    entityType: Literal['DEPLOYMENT']
    name: str
    notificationChannelIds: list[str]
    rules: CreateTaskFailureAlertRules
    severity: Literal['CRITICAL', 'INFO', 'WARNING']
    type: Literal['TASK_FAILURE']


class EnvironmentObject(ContractModel):
    airflowVariable: EnvironmentObjectAirflowVariable | None = None
    autoLinkDeployments: bool | None = None
    connection: EnvironmentObjectConnection | None = None
    createdAt: str | None = None
    createdBy: BasicSubjectProfile | None = None
    excludeLinks: list[EnvironmentObjectExcludeLink] | None = None
    id: str | None = None
    links: list[EnvironmentObjectLink] | None = None
    metricsExport: EnvironmentObjectMetricsExport | None = None
    objectKey: str
    objectType: Literal['AIRFLOW_VARIABLE', 'CONNECTION', 'METRICS_EXPORT']
    scope: Literal['DEPLOYMENT', 'WORKSPACE']
    scopeEntityId: str
    sourceScope: Literal['DEPLOYMENT', 'WORKSPACE'] | None = None
    sourceScopeEntityId: str | None = None
    updatedAt: str | None = None
    updatedBy: BasicSubjectProfile | None = None


class EnvironmentObjectsPaginated(ContractModel):
    environmentObjects: list[EnvironmentObject]
    limit: int
    offset: int
    totalCount: int


class UpdateAlertRequest(
    RootModel[
        UpdateDagDurationAlertRequest
        | UpdateDagFailureAlertRequest
        | UpdateDagSuccessAlertRequest
        | UpdateDagTimelinessAlertRequest
        | UpdateTaskDurationAlertRequest
        | UpdateTaskFailureAlertRequest
    ]
):
    root: Annotated[
        UpdateDagDurationAlertRequest
        | UpdateDagFailureAlertRequest
        | UpdateDagSuccessAlertRequest
        | UpdateDagTimelinessAlertRequest
        | UpdateTaskDurationAlertRequest
        | UpdateTaskFailureAlertRequest,
        Field(discriminator='type'),
    ]


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


class CreateAlertRequest(
    RootModel[
        CreateDagDurationAlertRequest
        | CreateDagFailureAlertRequest
        | CreateDagSuccessAlertRequest
        | CreateDagTimelinessAlertRequest
        | CreateTaskDurationAlertRequest
        | CreateTaskFailureAlertRequest
    ]
):
    root: Annotated[
        CreateDagDurationAlertRequest
        | CreateDagFailureAlertRequest
        | CreateDagSuccessAlertRequest
        | CreateDagTimelinessAlertRequest
        | CreateTaskDurationAlertRequest
        | CreateTaskFailureAlertRequest,
        Field(discriminator='type'),
    ]
