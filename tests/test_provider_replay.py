"""The Terraform provider's (astronomer/astro v1.5) call sequences, replayed over HTTP.

Each test follows one resource as the provider drives it: the API version and path it calls, the
body it sends, and what it accepts back. Create and update must answer 200 with a JSON body (the
generated clients fill their result only for a JSON 200; a 201 or an empty body fails the apply);
a 404 on read means the object is gone and leaves the state; delete accepts 204 or 404.
Environment objects are the one resource the provider calls on /v1.
"""

from conftest import make_workspace
from lifecycle_helpers import AWS, reconcile

PLATFORM, IAM, LABS = "/platform/v1beta1", "/iam/v1beta1", "/labs/v1"
STANDARD = {"type": "STANDARD", "cloudProvider": "AWS", "region": "us-east-1", "executor": "CELERY",
            "astroRuntimeVersion": "13.0.0", "schedulerSize": "SMALL", "isHighAvailability": False,
            "isCicdEnforced": False, "isDagDeployEnabled": True}


class Provider:
    """The provider's view of one API: what it accepts from each kind of call."""

    def __init__(self, api, prefix: str):
        self.api = api.at(prefix)

    def write(self, method: str, path: str, body: dict) -> dict:
        """Create and update: only a JSON 200 counts."""
        response = self.api.request(method, path, json=body)
        assert response.status_code == 200, (response.status_code, response.text)
        assert response.headers["content-type"].startswith("application/json") and response.content
        return response.json()

    def read(self, path: str) -> dict | None:
        """Read and import: None (removed from the state) on 404."""
        response = self.api.get(path)
        if response.status_code == 404:
            return None
        assert response.status_code == 200, (response.status_code, response.text)
        return response.json()

    def delete(self, path: str, body: dict | None = None) -> None:
        response = self.api.request("DELETE", path, **({"json": body} if body is not None else {}))
        assert response.status_code in (204, 404), (response.status_code, response.text)

    def no_content(self, method: str, path: str, body: dict | None = None) -> None:
        """Calls whose 2xx the provider only checks (member changes): 200, 201 or 204."""
        response = self.api.request(method, path, **({"json": body} if body is not None else {}))
        assert response.status_code in (200, 201, 204), (response.status_code, response.text)


def _wait(provider: Provider, path: str, target: set[str], pending: set[str], passes: int = 6) -> dict | None:
    """The provider's StateChangeConf: poll until a target status (None: the object is gone, 404)."""
    for _ in range(passes):
        body = provider.read(path)
        if body is None or body["status"] in target:
            return body
        assert body["status"] in pending, body["status"]
        reconcile(provider.api.server)
    raise AssertionError(f"{path} never reached {target}")


def test_workspace_resource(api):
    platform = Provider(api, PLATFORM)
    created = platform.write("POST", "/workspaces", {"cicdEnforcedDefault": True, "description": "tf", "name": "tf-ws"})
    path = f"/workspaces/{created['id']}"
    assert platform.read(path) == created
    updated = platform.write("POST", path, {"cicdEnforcedDefault": False, "description": "", "name": "tf-ws-2"})
    assert (updated["name"], updated["cicdEnforcedDefault"]) == ("tf-ws-2", False)
    assert platform.read(path) == updated  # import: a read by id
    platform.delete(path)
    assert platform.read(path) is None
    platform.delete(path)  # a second destroy finds it gone: 404 is accepted


def test_cluster_resource_polls_until_created(api):
    platform = Provider(api, PLATFORM)
    created = platform.write("POST", "/clusters", {**AWS, "name": "tf-cluster", "workspaceIds": []})
    assert created["status"] == "CREATING"
    path = f"/clusters/{created['id']}"
    ready = _wait(platform, path, {"CREATED", "CREATE_FAILED", "UPDATE_FAILED", "ACCESS_DENIED"},
                  {"CREATING", "UPDATING", "UPGRADE_PENDING"})
    assert ready["status"] == "CREATED"
    workspace = make_workspace(api)
    updated = platform.write("POST", path, {"clusterType": "DEDICATED", "name": "tf-cluster-2", "k8sTags": [],
                                            "workspaceIds": [workspace["id"]]})
    assert updated["name"] == "tf-cluster-2"
    ready = _wait(platform, path, {"CREATED", "UPDATE_FAILED", "CREATE_FAILED"}, {"CREATING", "UPDATING"})
    assert ready["workspaceIds"] == [workspace["id"]]
    assert platform.read(path)["id"] == created["id"]  # import
    platform.delete(path)
    assert _wait(platform, path, set(), {"UPDATING"}) is None  # a pending delete shows UPDATING


def test_deployment_resource(api):
    platform = Provider(api, PLATFORM)
    workspace = make_workspace(api)
    body = {"name": "tf-dep", "description": "", "workspaceId": workspace["id"], **STANDARD, "contactEmails": [],
            "defaultTaskPodCpu": "0.25", "defaultTaskPodMemory": "0.5Gi", "resourceQuotaCpu": "10",
            "resourceQuotaMemory": "20Gi", "isDevelopmentMode": False,
            "environmentVariables": [{"key": "A", "value": "1", "isSecret": False}],
            "workerQueues": [{"name": "default", "isDefault": True, "astroMachine": "A5", "minWorkerCount": 0,
                              "maxWorkerCount": 2, "workerConcurrency": 5}]}
    created = platform.write("POST", "/deployments", body)
    path = f"/deployments/{created['id']}"
    assert created["type"] == "STANDARD" and [q["name"] for q in created["workerQueues"]] == ["default"]
    assert platform.read(path) == created
    queue = created["workerQueues"][0]
    update = {key: body[key] for key in ("name", "workspaceId", "type", "executor", "isCicdEnforced",
                                         "isDagDeployEnabled", "isHighAvailability", "schedulerSize",
                                         "defaultTaskPodCpu", "defaultTaskPodMemory", "resourceQuotaCpu",
                                         "resourceQuotaMemory", "contactEmails", "isDevelopmentMode")}
    update |= {"description": "managed by terraform", "environmentVariables": [],
               "workerQueues": [{"id": queue["id"], "name": "default", "isDefault": True, "astroMachine": "A10",
                                 "minWorkerCount": 1, "maxWorkerCount": 3, "workerConcurrency": 10}]}
    updated = platform.write("POST", path, update)
    assert updated["description"] == "managed by terraform" and updated["workerQueues"][0]["astroMachine"] == "A10"
    assert platform.read(path)["id"] == created["id"]  # import
    platform.delete(path)
    assert _wait(platform, path, set(), {"DELETING", "UNKNOWN", "CREATING", "DEPLOYING", "HEALTHY"}) is None


def test_api_token_resource_validates_its_scopes_first(api):
    platform, iam = Provider(api, PLATFORM), Provider(api, IAM)
    workspace = make_workspace(api)
    deployment = platform.write("POST", "/deployments", {"name": "scoped", "workspaceId": workspace["id"], **STANDARD})
    # the roles name entities that must exist: the provider looks them up first
    found = platform.read(f"/workspaces?workspaceIds={workspace['id']}&limit=1000")
    assert [w["id"] for w in found["workspaces"]] == [workspace["id"]]
    found = platform.read(f"/deployments?deploymentIds={deployment['id']}&limit=1000")
    assert [d["id"] for d in found["deployments"]] == [deployment["id"]]
    assert platform.read("/workspaces?workspaceIds=c" + "0" * 24)["workspaces"] == []
    created = iam.write("POST", "/tokens", {"name": "tf-token", "description": "", "type": "WORKSPACE",
                                            "role": "WORKSPACE_MEMBER", "entityId": workspace["id"]})
    path = f"/tokens/{created['id']}"
    roles = [{"entityType": "WORKSPACE", "entityId": workspace["id"], "role": "WORKSPACE_MEMBER"},
             {"entityType": "DEPLOYMENT", "entityId": deployment["id"], "role": "DEPLOYMENT_ADMIN"}]
    iam.write("POST", path + "/roles", {"roles": roles})
    read = iam.read(path)
    assert read["type"] == "WORKSPACE" and {r["entityType"] for r in read["roles"]} == {"WORKSPACE", "DEPLOYMENT"}
    iam.write("POST", path + "/roles", {"roles": roles[:1]})
    updated = iam.write("POST", path, {"name": "tf-token-2", "description": "rotated by nobody"})
    assert updated["name"] == "tf-token-2" and updated["type"] == "WORKSPACE"
    assert iam.read(path)["roles"] == [roles[0]]  # import
    # the token it created works on the platform API
    holder = Provider(api.as_token(created["token"]), PLATFORM)
    assert holder.read(f"/workspaces/{workspace['id']}")["id"] == workspace["id"]
    iam.delete(path)
    assert iam.read(path) is None


def test_team_and_team_membership_resources(api):
    iam = Provider(api, IAM)
    owner = api.org.owner_user_id
    team = iam.write("POST", "/teams", {"name": "tf-team", "description": "", "memberIds": [],
                                        "organizationRole": "ORGANIZATION_MEMBER"})
    path = f"/teams/{team['id']}"
    assert iam.read(path)["name"] == "tf-team"
    updated = iam.write("POST", path, {"name": "tf-team-2", "description": "renamed"})
    assert updated["name"] == "tf-team-2"
    workspace = make_workspace(api)
    iam.no_content("POST", path + "/roles", {"organizationRole": "ORGANIZATION_MEMBER", "workspaceRoles": [
        {"workspaceId": workspace["id"], "role": "WORKSPACE_OPERATOR"}], "deploymentRoles": []})
    assert iam.read(path)["workspaceRoles"] == [{"workspaceId": workspace["id"], "role": "WORKSPACE_OPERATOR"}]
    # astro_team_membership: add one user, find it by paging the members, remove it
    iam.no_content("POST", path + "/members", {"memberIds": [owner]})
    members = iam.read(path + "/members?limit=1000&offset=0")
    assert owner in [m["userId"] for m in members["teamMembers"]] and members["totalCount"] == 1
    iam.delete(f"{path}/members/{owner}")
    assert iam.read(path + "/members?limit=1000&offset=0")["teamMembers"] == []
    iam.delete(f"{path}/members/{owner}")  # already gone: 404 accepted
    iam.delete(path)
    assert iam.read(path) is None
    assert iam.read(path + "/members?limit=1000&offset=0") is None  # membership read: 404 leaves the state


def test_custom_role_user_invite_and_user_roles_resources(api):
    iam = Provider(api, IAM)
    role = iam.write("POST", "/roles", {"name": "tf-role", "description": "", "scopeType": "DEPLOYMENT",
                                        "permissions": ["deployment.get"], "restrictedWorkspaceIds": []})
    path = f"/roles/{role['id']}"
    assert iam.read(path)["name"] == "tf-role"
    updated = iam.write("POST", path, {"name": "tf-role-2", "description": "more", "permissions":
                                       ["deployment.get", "deployment.update"], "restrictedWorkspaceIds": []})
    assert sorted(updated["permissions"]) == ["deployment.get", "deployment.update"]
    iam.delete(path)
    assert iam.read(path) is None
    invite = iam.write("POST", "/invites", {"inviteeEmail": "tf-user@example.com", "role": "ORGANIZATION_MEMBER"})
    assert invite["inviteId"] and invite["userId"]
    workspace = make_workspace(api)
    roles = iam.write("POST", f"/users/{invite['userId']}/roles", {"organizationRole": "ORGANIZATION_MEMBER",
                                                                   "workspaceRoles": [{"workspaceId": workspace["id"],
                                                                                       "role": "WORKSPACE_MEMBER"}]})
    assert roles["workspaceRoles"] == [{"workspaceId": workspace["id"], "role": "WORKSPACE_MEMBER"}]
    assert iam.read(f"/users/{invite['userId']}")["id"] == invite["userId"]
    iam.delete(f"/invites/{invite['inviteId']}")


def test_agent_token_resource(api):
    platform, iam = Provider(api, PLATFORM), Provider(api, IAM)
    workspace = make_workspace(api)
    deployment = platform.write("POST", "/deployments", {"name": "agented", "workspaceId": workspace["id"], **STANDARD})
    base = f"/deployments/{deployment['id']}/agent-tokens"
    created = iam.write("POST", base, {"name": "tf-agent", "description": ""})
    assert created["type"] == "DEPLOYMENT" and created["token"]
    path = f"{base}/{created['id']}"
    assert iam.read(path)["type"] == "DEPLOYMENT"
    assert [t["id"] for t in iam.read(base)["tokens"]] == [created["id"]]
    iam.delete(path)
    assert iam.read(path) is None


def test_allowed_ip_address_ranges_resource(api):
    # v1.5.2 creates and deletes through Labs and lists through IAM (listAllRanges in
    # internal/provider/resources/resource_allowed_ip_address_ranges.go, with the hand-bound
    # internal/clients/iam/allowed_ip_address_ranges.go): pages of `limit`, `offset` advanced by what
    # came, until a short page or totalCount
    labs, iam = Provider(api, LABS), Provider(api, IAM)

    def list_all() -> dict[str, str]:
        ranges, offset, limit = {}, 0, 1000
        while True:
            page = iam.read(f"/allowed-ip-address-ranges?limit={limit}&offset={offset}")
            ranges |= {r["ipAddressRange"]: r["id"] for r in page["allowedIpAddressRanges"]}
            offset += len(page["allowedIpAddressRanges"])
            if len(page["allowedIpAddressRanges"]) < limit or offset >= page["totalCount"]:
                return ranges

    labs.write("POST", "/allowed-ip-address-ranges", {"allowedIpAddressRanges": ["127.0.0.0/8", "10.0.0.0/16"]})
    assert set(list_all()) == {"127.0.0.0/8", "10.0.0.0/16"}
    # update: delete what left the plan, create what joined it
    labs.delete("/allowed-ip-address-ranges", {"allowedIpAddressRangeIds": [list_all()["10.0.0.0/16"]]})
    labs.write("POST", "/allowed-ip-address-ranges", {"allowedIpAddressRanges": ["192.168.0.0/24"]})
    assert set(list_all()) == {"127.0.0.0/8", "192.168.0.0/24"}
    labs.delete("/allowed-ip-address-ranges", {"allowedIpAddressRangeIds": list(list_all().values())})
    assert list_all() == {}


def test_environment_object_resource_on_v1(api):
    v1 = Provider(api, "/v1")
    workspace = make_workspace(api)
    created = v1.write("POST", "/environment-objects", {"objectKey": "TF_VAR", "objectType": "AIRFLOW_VARIABLE",
                                                        "scope": "WORKSPACE", "scopeEntityId": workspace["id"],
                                                        "airflowVariable": {"value": "one", "isSecret": False}})
    path = f"/environment-objects/{created['id']}"
    assert v1.read(path)["objectKey"] == "TF_VAR"
    v1.write("POST", path, {"airflowVariable": {"value": "two", "isSecret": False}})
    assert v1.read(path)["airflowVariable"]["value"] == "two"
    # the same object through platform v1beta1
    assert Provider(api, PLATFORM).read(path)["airflowVariable"]["value"] == "two"
    v1.delete(path)
    assert v1.read(path) is None
