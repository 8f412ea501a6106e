# Generated from the Astro IAM API v1beta1 contract (iam-v1beta1.openapi.json) by scripts/gen_contract_models.py. Do not edit.

from __future__ import annotations

from typing import Literal

from astroplane.kit.schemas import ContractModel
from pydantic import AwareDatetime


class AddTeamMembersRequest(ContractModel):
    memberIds: list[str]


class CreateAgentTokenRequest(ContractModel):
    description: str | None = None
    name: str
    tokenExpiryPeriodInDays: int | None = None


class DagRole(ContractModel):
    dagId: str | None = None
    dagTag: str | None = None
    deploymentId: str
    role: str


class DeploymentRole(ContractModel):
    deploymentId: str
    role: str


class FieldValidationError(ContractModel):
    code: str
    field: str
    message: str


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


class UpdateTeamRequest(ContractModel):
    description: str | None = None
    name: str


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


class CreateApiTokenRequest(ContractModel):
    description: str | None = None
    entityId: str | None = None
    kind: Literal['DIRECT_ACCESS', 'STANDARD'] | None = None
    name: str
    role: str
    tokenExpiryPeriodInDays: int | None = None
    type: Literal['DEPLOYMENT', 'ORGANIZATION', 'WORKSPACE']


class CreateCustomRoleRequest(ContractModel):
    description: str | None = None
    name: str
    permissions: list[str]
    restrictedWorkspaceIds: list[str] | None = None
    scopeType: Literal['DAG', 'DEPLOYMENT']


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


class DefaultRole(ContractModel):
    description: str | None = None
    name: str
    permissions: list[str]
    scopeType: Literal['DAG', 'DEPLOYMENT', 'ORGANIZATION', 'SYSTEM', 'WORKSPACE']


class Error(ContractModel):
    fieldErrors: list[FieldValidationError] | None = None
    message: str
    requestId: str
    statusCode: int


class Invite(ContractModel):
    expiresAt: AwareDatetime
    inviteId: str
    invitee: BasicSubjectProfile
    inviter: BasicSubjectProfile
    organizationId: str
    organizationName: str | None = None
    userId: str | None = None


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


class UpdateApiTokenRolesRequest(ContractModel):
    roles: list[ApiTokenRole]


class WorkspaceRole(ContractModel):
    role: Literal[
        'WORKSPACE_ACCESSOR',
        'WORKSPACE_AUTHOR',
        'WORKSPACE_MEMBER',
        'WORKSPACE_OPERATOR',
        'WORKSPACE_OWNER',
    ]
    workspaceId: str


class AllowedIpAddressRange(ContractModel):
    createdAt: str
    createdBy: BasicSubjectProfile | None = None
    id: str
    ipAddressRange: str
    organizationId: str
    updatedAt: str
    updatedBy: BasicSubjectProfile | None = None


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
    shortToken: str
    startAt: AwareDatetime
    token: str | None = None
    type: Literal['DEPLOYMENT', 'ORGANIZATION', 'WORKSPACE']
    updatedAt: AwareDatetime
    updatedBy: BasicSubjectProfile | None = None


class ApiTokensPaginated(ContractModel):
    limit: int
    offset: int
    tokens: list[ApiToken]
    totalCount: int


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


class UsersPaginated(ContractModel):
    limit: int
    offset: int
    totalCount: int
    users: list[User]
