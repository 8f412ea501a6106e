"""One of everything in an organization, built through the API, for whole-API probes.

`build(server)` returns a Shape: the organization, its owner's Api, and the ids of its resources by
the path parameter that names them. Each resource adds a builder to BUILDERS; the probes insist
that every path parameter in the served document has one.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from conftest import Api, new_org


@dataclass
class Shape:
    api: Api
    ids: dict[str, str] = field(default_factory=dict)
    # strings only this organization's data contains (names, descriptions) to look for in leaks
    markers: list[str] = field(default_factory=list)
    # every secret a builder wrote (token texts, passwords, secret values): never readable afterwards
    secrets: list[str] = field(default_factory=list)

    def marker(self, kind: str) -> str:
        value = f"{kind}-{uuid.uuid4().hex[:10]}"
        self.markers.append(value)
        return value


def _workspace(shape: Shape) -> None:
    created = shape.api.ok("POST", "/workspaces", json={"name": shape.marker("ws")[:50],
                                                         "description": shape.marker("wsdesc")})
    shape.ids["workspaceId"] = created["id"]


def _token(shape: Shape) -> None:
    created = shape.api.ok("POST", "/tokens", json={"name": shape.marker("tok"), "scope": "WORKSPACE",
                                                    "role": "WORKSPACE_MEMBER", "entityId": shape.ids["workspaceId"]})
    shape.ids["tokenId"] = created["id"]
    shape.markers.append(created["token"])
    shape.secrets.append(created["token"])


def _cluster(shape: Shape) -> None:
    created = shape.api.ok("POST", "/clusters", json={"cloudProvider": "AWS", "name": shape.marker("cluster"),
                                                      "region": "us-east-1", "type": "DEDICATED",
                                                      "vpcSubnetRange": "172.20.0.0/20"})
    shape.ids["clusterId"] = created["id"]


def _deployment(shape: Shape) -> None:
    created = shape.api.ok("POST", "/deployments", json={"name": shape.marker("dep"), "type": "DEDICATED",
                                                         "workspaceId": shape.ids["workspaceId"],
                                                         "clusterId": shape.ids["clusterId"],
                                                         "description": shape.marker("depdesc")})
    shape.ids["deploymentId"] = created["id"]


def _deploy(shape: Shape) -> None:
    base = f"/deployments/{shape.ids['deploymentId']}"
    created = shape.api.ok("POST", f"{base}/deploys", json={"type": "IMAGE_ONLY", "description": shape.marker("dpl")})
    shape.api.ok("POST", f"{base}/deploys/{created['id']}/finalize", json={})
    shape.ids["deployId"] = created["id"]


def _agent_token(shape: Shape) -> None:
    created = shape.api.ok("POST", f"/deployments/{shape.ids['deploymentId']}/agent-tokens",
                           json={"name": shape.marker("agent")})
    shape.ids["agentTokenId"] = created["id"]
    shape.markers.append(created["token"])
    shape.secrets.append(created["token"])


def _environment_object(shape: Shape) -> None:
    # a secret workspace variable linked to the deployment with an override: its key, description,
    # value and override are this organization's data and must never reach another organization
    created = shape.api.ok("POST", "/environment-objects", json={
        "objectKey": shape.marker("envkey"), "objectType": "AIRFLOW_VARIABLE", "scope": "WORKSPACE",
        "scopeEntityId": shape.ids["workspaceId"], "description": shape.marker("envdesc"),
        "airflowVariable": {"value": shape.marker("envsecret"), "isSecret": True},
        "links": [{"scope": "DEPLOYMENT", "scopeEntityId": shape.ids["deploymentId"],
                   "overrides": {"airflowVariable": {"value": shape.marker("envoverride")}}}]})
    shape.ids["environmentObjectId"] = created["id"]
    shape.secrets.extend(marker for marker in shape.markers if marker.startswith(("envsecret", "envoverride")))


def _invite(shape: Shape) -> None:
    created = shape.api.ok("POST", "/invites", json={"inviteeEmail": f"{shape.marker('invitee')}@example.com",
                                                     "role": "ORGANIZATION_MEMBER"})
    shape.ids["inviteId"] = created["inviteId"]
    shape.ids["userId"] = shape.ids["memberId"] = created["userId"]


def _team(shape: Shape) -> None:
    created = shape.api.ok("POST", "/teams", json={"name": shape.marker("team"), "description": shape.marker("teamdesc"),
                                                   "memberIds": [shape.ids["userId"]]})
    shape.ids["teamId"] = created["id"]


def _custom_role(shape: Shape) -> None:
    created = shape.api.ok("POST", "/roles", json={"name": shape.marker("role")[:60], "scopeType": "DEPLOYMENT",
                                                   "permissions": ["deployment.get"]})
    shape.ids["customRoleId"] = created["id"]


def _allowed_ip_range(shape: Shape) -> None:
    # covers the test client's address (conftest.CLIENT_ADDRESS), so the organization stays reachable
    created = shape.api.ok("POST", "/allowed-ip-address-ranges", json={"ipAddressRange": "127.0.0.0/8"})
    shape.ids["allowedIpAddressRangeId"] = created["id"]


BUILDERS: list[Callable[[Shape], None]] = [_workspace, _token, _cluster, _deployment, _deploy, _agent_token,
                                           _environment_object, _invite, _team, _custom_role, _allowed_ip_range]


def build(server) -> Shape:
    org = new_org(server, name=f"org-{uuid.uuid4().hex[:10]}")
    shape = Shape(api=Api(server, org, org.token), ids={"organizationId": org.id}, markers=[org.name, org.id])
    for builder in BUILDERS:
        builder(shape)
    return shape


def sample(schema: dict, components: dict, depth: int = 0):
    """A minimal instance of a JSON schema: required properties only, first enum values."""
    if depth > 8:
        return None
    if "$ref" in schema:
        return sample(components[schema["$ref"].rsplit("/", 1)[-1]], components, depth + 1)
    for key in ("oneOf", "anyOf"):
        if key in schema:
            options = [o for o in schema[key] if o.get("type") != "null"]
            return sample(options[0], components, depth + 1)
    if "allOf" in schema:
        merged: dict = {}
        for part in schema["allOf"]:
            value = sample(part, components, depth + 1)
            if isinstance(value, dict):
                merged.update(value)
        return merged
    if "enum" in schema:
        return schema["enum"][0]
    if "const" in schema:
        return schema["const"]
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        properties = schema.get("properties", {})
        return {name: sample(properties[name], components, depth + 1) for name in schema.get("required", [])
                if name in properties}
    if kind == "array":
        return [sample(schema.get("items", {}), components, depth + 1)] if schema.get("minItems") else []
    if kind == "integer":
        return max(1, schema.get("minimum", 1))
    if kind == "number":
        return 1.0
    if kind == "boolean":
        return False
    return "x"


def operations(document: dict):
    """(method, path, operation) for every operation of a served document."""
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method in ("get", "post", "delete"):
                yield method.upper(), path, operation


def request_body(document: dict, operation: dict):
    content = (operation.get("requestBody") or {}).get("content", {}).get("application/json")
    if not content:
        return None
    return sample(content["schema"], document["components"]["schemas"])
