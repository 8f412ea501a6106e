"""The Astro IAM API v1beta1 (`/iam/v1beta1`): API and agent tokens, teams, users, invites, roles.

Differences from v1, and how they are held:
- API tokens carry `type` (ORGANIZATION, WORKSPACE or DEPLOYMENT) where v1 says `scope`: the same
  value under another name, both in CreateApiTokenRequest and in every token the API returns
  (agent tokens are DEPLOYMENT tokens).
- ListTeams has no workspaceId / deploymentId filters.
- ListAllowedIpAddressRanges (the Terraform provider reads and deletes its allow-list through it,
  bound by hand in the provider) is v1's list: the same paging and sorts.
"""

from astroplane.contract import iam_v1beta1 as models
from astroplane.kit.versions import Adaptation, ApiVersion, Data, each, one

PREFIX = "/iam/v1beta1"


def token(data: Data) -> Data:
    return {**data, "type": data.get("scope")}


def _create_token_request(data: Data, _current: None) -> Data:
    body = dict(data)
    body["scope"] = body.pop("type", None)
    return body


OPERATIONS = [
    "ListAgentTokens", "CreateAgentToken", "DeleteAgentToken", "GetAgentToken",
    "CreateUserInvite", "DeleteUserInvite",
    "ListRoleTemplates", "ListRoles", "CreateCustomRole", "DeleteCustomRole", "GetCustomRole", "UpdateCustomRole",
    "ListTeams", "CreateTeam", "DeleteTeam", "GetTeam", "UpdateTeam", "ListTeamMembers", "AddTeamMembers",
    "RemoveTeamMember", "UpdateTeamRoles",
    "ListApiTokens", "CreateApiToken", "DeleteApiToken", "GetApiToken", "UpdateApiToken", "UpdateApiTokenRoles",
    "RotateApiToken",
    "ListUsers", "GetUser", "UpdateUserRoles",
    "ListAllowedIpAddressRanges",
]

_TOKEN = Adaptation(response=one(token))
ADAPTATIONS = {
    "ListAgentTokens": Adaptation(response=each("tokens", token)),
    "CreateAgentToken": _TOKEN,
    "GetAgentToken": _TOKEN,
    "ListApiTokens": Adaptation(response=each("tokens", token)),
    "CreateApiToken": Adaptation(request=_create_token_request, response=one(token)),
    "GetApiToken": _TOKEN,
    "UpdateApiToken": _TOKEN,
    "RotateApiToken": _TOKEN,
    "ListTeams": Adaptation(hidden_query=frozenset({"workspaceId", "deploymentId"})),
}

VERSION = ApiVersion(name="iam-v1beta1", prefix=PREFIX, label="Astro IAM API v1beta1",
                     models=models, operations=OPERATIONS, adaptations=ADAPTATIONS)
