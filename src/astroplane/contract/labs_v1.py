# Generated from the Astro Labs API v1 contract (labs-v1.openapi.json) by scripts/gen_contract_models.py. Do not edit.

from __future__ import annotations

from typing import Annotated, Any, Literal

from astroplane.kit.schemas import ContractModel
from pydantic import AwareDatetime, Field


class BulkCreateAllowedIpAddressRangesRequest(ContractModel):
    allowedIpAddressRanges: Annotated[list[str], Field(max_length=1000)]


class BulkDeleteAllowedIpAddressRangesRequest(ContractModel):
    allowedIpAddressRangeIds: Annotated[list[str], Field(max_length=1000)]


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


class CreateTaskDurationAlertProperties(ContractModel):
    deploymentId: str
    taskDurationSeconds: int


class CreateTaskFailureAlertProperties(ContractModel):
    deploymentId: str


class DeleteAlertsRequest(ContractModel):
    alertIds: Annotated[list[str], Field(max_length=20)]


class FieldValidationError(ContractModel):
    code: str
    field: str
    message: str


class UpdateDagDurationAlertProperties(ContractModel):
    dagDurationSeconds: int | None = None


class UpdateDagTimelinessAlertProperties(ContractModel):
    dagDeadline: str | None = None
    daysOfWeek: list[str] | None = None
    lookBackPeriodSeconds: int | None = None


class UpdateTaskDurationAlertProperties(ContractModel):
    taskDurationSeconds: int | None = None


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


class Error(ContractModel):
    fieldErrors: list[FieldValidationError] | None = None
    message: str
    requestId: str
    statusCode: int


class PatternMatch(ContractModel):
    entityType: Literal['DAG_ID TASK_ID']
    operatorType: Literal['IS IS_NOT INCLUDES EXCLUDES']
    values: list[str]


class PatternMatchRequest(ContractModel):
    entityType: Literal['DAG_ID', 'TASK_ID']
    operatorType: Literal['EXCLUDES', 'INCLUDES', 'IS', 'IS_NOT']
    values: list[str]


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


class UpdateTaskDurationAlertRules(ContractModel):
    patternMatches: list[PatternMatchRequest] | None = None
    properties: UpdateTaskDurationAlertProperties | None = None


class UpdateTaskFailureAlertRules(ContractModel):
    patternMatches: list[PatternMatchRequest] | None = None


class AlertRules(ContractModel):
    patternMatches: list[PatternMatch] | None = None
    properties: Annotated[
        Any, Field(description="The alert's properties used to define the alert.")
    ]


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


class CreateTaskDurationAlertRules(ContractModel):
    patternMatches: list[PatternMatchRequest]
    properties: CreateTaskDurationAlertProperties


class CreateTaskFailureAlertRules(ContractModel):
    patternMatches: list[PatternMatchRequest]
    properties: CreateTaskFailureAlertProperties


class UpdateDagDurationAlertRequest(ContractModel):
    id: str | None = None
    name: str | None = None
    notificationChannelIds: list[str] | None = None
    rules: UpdateDagDurationAlertRules | None = None
    severity: Literal['CRITICAL', 'INFO', 'WARNING'] | None = None
    type: Literal['DAG_DURATION']


class UpdateDagFailureAlertRequest(ContractModel):
    id: str | None = None
    name: str | None = None
    notificationChannelIds: list[str] | None = None
    rules: UpdateDagFailureAlertRules | None = None
    severity: Literal['CRITICAL', 'INFO', 'WARNING'] | None = None
    type: Literal['DAG_FAILURE']


class UpdateDagSuccessAlertRequest(ContractModel):
    id: str | None = None
    name: str | None = None
    notificationChannelIds: list[str] | None = None
    rules: UpdateDagSuccessAlertRules | None = None
    severity: Literal['CRITICAL', 'INFO', 'WARNING'] | None = None
    type: Literal['DAG_SUCCESS']


class UpdateDagTimelinessAlertRequest(ContractModel):
    id: str | None = None
    name: str | None = None
    notificationChannelIds: list[str] | None = None
    rules: UpdateDagTimelinessAlertRules | None = None
    severity: Literal['CRITICAL', 'INFO', 'WARNING'] | None = None
    type: Literal['DAG_TIMELINESS']


class UpdateTaskDurationAlertRequest(ContractModel):
    id: str | None = None
    name: str | None = None
    notificationChannelIds: list[str] | None = None
    rules: UpdateTaskDurationAlertRules | None = None
    severity: Literal['CRITICAL', 'INFO', 'WARNING'] | None = None
    type: Literal['TASK_DURATION']


class UpdateTaskFailureAlertRequest(ContractModel):
    id: str | None = None
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
        'DAG_DURATION',
        'DAG_FAILURE',
        'DAG_SUCCESS',
        'DAG_TIMELINESS',
        'TASK_DURATION',
        'TASK_FAILURE',
    ]
    updatedAt: AwareDatetime
    updatedBy: BasicSubjectProfile
    workspaceId: str | None = None


class AlertsList(ContractModel):
    alerts: list[Alert]


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


class UpdateAlertsRequest(ContractModel):
    alerts: Annotated[
        list[
            Annotated[
                UpdateDagDurationAlertRequest
                | UpdateDagFailureAlertRequest
                | UpdateDagSuccessAlertRequest
                | UpdateDagTimelinessAlertRequest
                | UpdateTaskDurationAlertRequest
                | UpdateTaskFailureAlertRequest,
                Field(discriminator='type'),
            ]
        ],
        Field(max_length=30),
    ]


class CreateAlertsRequest(ContractModel):
    alerts: Annotated[
        list[
            Annotated[
                CreateDagDurationAlertRequest
                | CreateDagFailureAlertRequest
                | CreateDagSuccessAlertRequest
                | CreateDagTimelinessAlertRequest
                | CreateTaskDurationAlertRequest
                | CreateTaskFailureAlertRequest,
                Field(discriminator='type'),
            ]
        ],
        Field(max_length=30),
    ]
