"""The older APIs (platform v1beta1, IAM v1beta1, Labs v1) beside v1: one state, one set of rules.

Objects made through one version are read, changed and deleted through another; refusals, errors,
paging, the IP allow-list and the audit log behave the same on every version.
"""

import csv
import gzip
import json
import subprocess
import sys

import sqlalchemy as sa
from prometheus_client import REGISTRY

from astroplane import resources
from astroplane.organizations.models import Organization
from conftest import assert_error, assert_no_nulls, make_token, make_workspace
from lifecycle_helpers import reconcile
from shared_files import shared_file

PLATFORM, IAM, LABS = "/platform/v1beta1", "/iam/v1beta1", "/labs/v1"
STANDARD = {"type": "STANDARD", "cloudProvider": "AWS", "region": "us-east-1", "executor": "CELERY",
            "astroRuntimeVersion": "13.0.0", "schedulerSize": "SMALL", "isHighAvailability": False,
            "isCicdEnforced": False, "isDagDeployEnabled": True}


def _reference_operations(name: str) -> set[str]:
    with open(shared_file("reference", f"{name}.operations.tsv")) as handle:
        return {row["operationId"] for row in csv.DictReader(handle, delimiter="\t")}


def test_each_api_publishes_a_document_matching_its_reference(server, tmp_path):
    for version in resources.VERSIONS:
        document = server.client.get(f"{version.prefix}/openapi.json").json()
        served = {op["operationId"] for item in document["paths"].values() for op in item.values()}
        assert all(path.startswith(version.prefix + "/") for path in document["paths"])
        # every operation of the reference (alerts and channels from their own routers), matching it exactly
        assert set(version.operations) <= served
        assert _reference_operations(version.name) <= served
        path = tmp_path / f"{version.name}.json"
        path.write_text(json.dumps(document))
        known = "|".join(sorted(served & _reference_operations(version.name)))
        result = subprocess.run([sys.executable, str(shared_file("tools", "contract-diff")), str(path), "--reference",
                                 str(shared_file("reference", f"{version.name}.openapi.json")),
                                 "--strip-prefix", version.prefix, "--only", f"^({known})$"],
                                capture_output=True, text=True)
        assert result.returncode == 0 and "problems 0" in result.stdout.splitlines()[-1], result.stdout
    # the v1 document holds v1 only
    v1_paths = server.client.get("/v1/openapi.json").json()["paths"]
    assert all(path.startswith("/v1/") for path in v1_paths)


def test_a_workspace_is_one_object_in_both_apis(api):
    platform = api.at(PLATFORM)
    made_in_v1 = make_workspace(api, "from-v1", defaultCloudProvider="AWS", defaultRegion="us-east-1")
    placement = {"defaultCloudProvider": "AWS", "defaultRegion": "us-east-1"}
    beta_view = platform.ok("GET", f"/workspaces/{made_in_v1['id']}")
    assert beta_view == {k: v for k, v in made_in_v1.items() if k not in placement}
    changed = platform.ok("POST", f"/workspaces/{made_in_v1['id']}",
                          json={"name": "renamed", "description": "via v1beta1", "cicdEnforcedDefault": True})
    # the update replaces what v1beta1 knows and keeps the placement only v1 has
    assert api.ok("GET", f"/workspaces/{made_in_v1['id']}") == changed | placement
    platform.ok("DELETE", f"/workspaces/{made_in_v1['id']}", 204)
    assert_error(api.get(f"/workspaces/{made_in_v1['id']}"), 404)

    made_in_beta = platform.ok("POST", "/workspaces", json={"name": "from-beta"})
    api.ok("POST", f"/workspaces/{made_in_beta['id']}",
           json={"name": "renamed-in-v1", "description": "", "cicdEnforcedDefault": False})
    listed = platform.ok("GET", "/workspaces?names=renamed-in-v1")
    assert [w["id"] for w in listed["workspaces"]] == [made_in_beta["id"]]
    api.ok("DELETE", f"/workspaces/{made_in_beta['id']}", 204)
    assert_error(platform.get(f"/workspaces/{made_in_beta['id']}"), 404)


def _hot_count(route: str, outcome: str) -> float:
    return REGISTRY.get_sample_value("astroplane_hot_reads_total", {"route": route, "outcome": outcome}) or 0.0


def test_a_deployment_is_one_object_and_the_hot_read_serves_v1beta1(api):
    platform = api.at(PLATFORM)
    workspace = make_workspace(api)
    identity = "arn:aws:iam::123456789012:role/beta"
    created = platform.ok("POST", "/deployments", json={"name": "beta", "workspaceId": workspace["id"], **STANDARD,
                                                        "workloadIdentity": identity})
    path = f"/deployments/{created['id']}"
    queue = {"name": "default", "isDefault": True, "astroMachine": "A5", "minWorkerCount": 0, "maxWorkerCount": 2,
             "workerConcurrency": 5}
    v1_view = api.ok("GET", path)
    body = {key: v1_view[key] for key in ("name", "workspaceId", "type", "executor", "isCicdEnforced",
                                          "isDagDeployEnabled", "isHighAvailability", "schedulerSize")}
    v1_queue = api.ok("POST", path, json=body | {"environmentVariables": [], "workerQueues": [
        queue | {"podEphemeralStorage": "20Gi"}]})["workerQueues"][0]
    # a v1beta1 update of the queue keeps the ephemeral storage only v1 knows
    beta_queue = platform.ok("POST", path, json=body | {"environmentVariables": [], "workerQueues": [
        queue | {"id": v1_queue["id"], "maxWorkerCount": 3}]})["workerQueues"][0]
    assert "podEphemeralStorage" not in beta_queue and beta_queue["maxWorkerCount"] == 3
    assert api.ok("GET", path)["workerQueues"][0]["podEphemeralStorage"] == "20Gi"
    v1_view = api.ok("GET", path)
    assert v1_view["name"] == "beta" and v1_view["executor"] == "CELERY"
    # v1beta1 names the workload identity without "effective"
    assert created["workloadIdentity"] == v1_view["effectiveWorkloadIdentity"] == identity
    assert "effectiveWorkloadIdentity" not in created
    # the second v1beta1 GET is answered from the caches, in v1beta1's shape
    route = PLATFORM + "/organizations/{organizationId}/deployments/{deploymentId}"
    first = platform.ok("GET", path)
    served = _hot_count(route, "served")
    assert platform.ok("GET", path) == first and _hot_count(route, "served") == served + 1
    # a change through v1 is seen through v1beta1 at once
    api.ok("POST", path, json=body | {"description": "changed in v1", "environmentVariables": []})
    assert platform.ok("GET", path)["description"] == "changed in v1"
    listed = platform.ok("GET", f"/deployments?deploymentIds={created['id']}")
    assert listed["deployments"][0]["workloadIdentity"] == identity
    platform.ok("DELETE", path, 204)
    reconcile(api.server)
    assert_error(api.get(path), 404)
    assert_error(platform.get(path), 404)


def test_hibernation_override_members_are_required_in_v1beta1(api):
    platform = api.at(PLATFORM)
    workspace = make_workspace(api)
    created = platform.ok("POST", "/deployments", json={"name": "sleepy", "workspaceId": workspace["id"], **STANDARD,
                                                        "isDevelopmentMode": True})
    path = f"/deployments/{created['id']}"
    # an override without end: v1beta1 requires the member and writes it as null, v1 leaves it out
    override = platform.ok("POST", path + "/hibernation-override", json={"isHibernating": True, "overrideUntil": None})
    assert override == {"isActive": True, "isHibernating": True, "overrideUntil": None}
    beta_override = platform.ok("GET", path)["scalingSpec"]["hibernationSpec"]["override"]
    assert beta_override == override
    assert api.ok("GET", path)["scalingSpec"]["hibernationSpec"]["override"] == {"isActive": True,
                                                                                "isHibernating": True}
    assert_error(platform.post(path + "/hibernation-override", json={"isHibernating": True}), 400, "overrideUntil")
    until = "2099-01-01T00:00:00Z"
    timed = platform.ok("POST", path + "/hibernation-override", json={"isHibernating": False, "overrideUntil": until})
    assert timed == {"isActive": True, "isHibernating": False, "overrideUntil": until}
    assert api.ok("GET", path)["scalingSpec"]["hibernationSpec"]["override"]["overrideUntil"] == until
    platform.ok("DELETE", path + "/hibernation-override", 204)
    assert "override" not in api.ok("GET", path)["scalingSpec"]["hibernationSpec"]


def test_v1beta1_create_requires_what_its_contract_requires(api):
    workspace = make_workspace(api)
    refused = api.at(PLATFORM).post("/deployments", json={"name": "d", "workspaceId": workspace["id"],
                                                          "type": "STANDARD"})
    body = assert_error(refused, 400, "astroRuntimeVersion")
    assert {"executor", "schedulerSize"} <= {error["field"] for error in body["fieldErrors"]}
    # the same body is a simplified create in v1
    assert api.post("/deployments", json={"name": "d", "workspaceId": workspace["id"], "type": "STANDARD",
                                          "cloudProvider": "AWS", "region": "us-east-1"}).status_code == 200


def test_organization_support_plan_is_its_product_plan(api, server):
    platform = api.at(PLATFORM)
    organization = platform.ok("GET", "")
    v1_view = api.ok("GET", "")
    assert organization["supportPlan"] == v1_view["productPlans"][0]["productPlanName"]
    assert "productPlans" not in organization  # optional here, and unreadable for the PyPI client
    assert_no_nulls(organization)
    with server.database.session() as session:
        session.execute(sa.update(Organization).where(Organization.id == api.org.id).values(product_plan="TRIAL"))
        session.commit()
    assert platform.ok("GET", "")["supportPlan"] == "TRIAL"

    def ids(query: str) -> list[str]:
        return [o["id"] for o in platform.ok("GET", f"{PLATFORM}/organizations{query}")["organizations"]]

    assert ids("?supportPlan=TRIAL") == [api.org.id]
    assert ids("?supportPlan=PREMIUM") == []
    assert ids("?supportPlan=TRIAL&productPlan=TRIAL") == [api.org.id]
    assert ids("?supportPlan=TRIAL&productPlan=BASIC") == []
    assert_error(platform.get("/platform/v1beta1/organizations?supportPlan=GOLD"), 400, "supportPlan")


def test_tokens_carry_type_in_iam_and_scope_in_v1(api):
    iam = api.at(IAM)
    workspace = make_workspace(api)
    created = iam.ok("POST", "/tokens", json={"name": "beta", "type": "WORKSPACE", "role": "WORKSPACE_MEMBER",
                                             "entityId": workspace["id"]})
    assert created["type"] == "WORKSPACE" and "scope" not in created and created["token"]
    assert api.ok("GET", f"/tokens/{created['id']}")["scope"] == "WORKSPACE"
    # the token works on every version
    holder = api.as_token(created["token"]).at(PLATFORM)
    assert holder.ok("GET", f"/workspaces/{workspace['id']}")["id"] == workspace["id"]
    _, v1_token = make_token(api, "ORGANIZATION", "ORGANIZATION_MEMBER")
    assert iam.ok("GET", f"/tokens/{v1_token['id']}")["type"] == "ORGANIZATION"
    assert {t["id"]: t["type"] for t in iam.ok("GET", "/tokens")["tokens"]}[created["id"]] == "WORKSPACE"
    rotated = iam.ok("POST", f"/tokens/{created['id']}/rotate")
    assert rotated["type"] == "WORKSPACE" and rotated["token"] != created["token"]
    assert_error(api.as_token(created["token"]).get(f"/workspaces/{workspace['id']}"), 401)
    assert_error(iam.post("/tokens", json={"name": "x", "role": "ORGANIZATION_MEMBER"}), 400, "type")
    api.ok("DELETE", f"/tokens/{created['id']}", 204)
    assert_error(iam.get(f"/tokens/{created['id']}"), 404)


def test_teams_across_versions(api):
    iam = api.at(IAM)
    team = iam.ok("POST", "/teams", json={"name": "beta-team", "description": "made in iam"})
    assert api.ok("GET", f"/teams/{team['id']}") == team
    api.ok("POST", f"/teams/{team['id']}/members", 204, json={"memberIds": [api.org.owner_user_id]})
    members = iam.ok("GET", f"/teams/{team['id']}/members")
    assert [m["userId"] for m in members["teamMembers"]] == [api.org.owner_user_id]
    # IAM v1beta1 has no workspaceId filter on ListTeams: it is not applied there
    assert "workspaceId" not in json.dumps(api.server.client.get(f"{IAM}/openapi.json").json()["paths"][
        f"{IAM}/organizations/{{organizationId}}/teams"]["get"]["parameters"])
    assert iam.ok("GET", "/teams?workspaceId=c" + "0" * 24)["totalCount"] == 1
    iam.ok("DELETE", f"/teams/{team['id']}", 204)
    assert_error(api.get(f"/teams/{team['id']}"), 404)


def test_refusals_errors_and_paging_are_the_same_on_every_version(api):
    platform = api.at(PLATFORM)
    workspace = make_workspace(api)
    member, _ = make_token(api, "WORKSPACE", "WORKSPACE_MEMBER", workspace["id"])
    for client in (api, platform):
        as_member = client.as_token(member)
        assert_error(as_member.post("/workspaces", json={"name": "nope"}), 403)
        assert_error(as_member.post(f"/workspaces/{workspace['id']}", json={"name": "nope"}), 403)
        assert_error(client.get("/workspaces/c" + "0" * 24), 404)
        assert_error(client.get("/workspaces?limit=1001"), 400, "limit")
        assert_error(client.get("/workspaces?sorts=color:asc"), 400, "sorts")
        assert_error(client.as_token("not-a-token").get("/workspaces"), 401)
    v1_error, beta_error = api.get("/workspaces?limit=-1").json(), platform.get("/workspaces?limit=-1").json()
    assert {k: v for k, v in v1_error.items() if k != "requestId"} == \
        {k: v for k, v in beta_error.items() if k != "requestId"}
    for name in ("a", "b", "c"):
        make_workspace(api, f"page-{name}")
    query = "/workspaces?limit=2&offset=1&sorts=name:desc"
    assert platform.ok("GET", query) == api.ok("GET", query)
    assert_error(api.server.client.get(f"{PLATFORM}/nowhere"), 404)
    wrong_method = api.server.client.put(f"{PLATFORM}/organizations/{api.org.id}/workspaces")
    assert_error(wrong_method, 405)
    assert wrong_method.headers["allow"] == "GET, POST"


def _audit_entries(api) -> list[dict]:
    raw = api.get("/audit-logs", headers={"Accept-Encoding": "identity"}).content
    text = (gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw).decode()
    return [json.loads(line) for line in text.splitlines()]


def test_ip_allow_list_and_audit_log_cover_every_version(api, server):
    from test_ip_ranges import _client_from

    labs = api.at(LABS)
    # the lock-out guard of the v1 bulk create: the first ranges must cover the caller
    assert_error(labs.post("/allowed-ip-address-ranges", json={"allowedIpAddressRanges": ["198.51.100.0/24"]}), 400)
    created = labs.ok("POST", "/allowed-ip-address-ranges", json={"allowedIpAddressRanges": ["127.0.0.0/8"]})
    outsider = _client_from(server, "192.0.2.10")
    headers = {"Authorization": f"Bearer {api.token}"}
    for prefix in ("/v1", PLATFORM, IAM):
        path = f"{prefix}/organizations/{api.org.id}/" + ("teams" if prefix == IAM else "workspaces")
        assert_error(outsider.get(path, headers=headers), 403, "192.0.2.10")
    refused = outsider.post(f"{PLATFORM}/organizations/{api.org.id}/workspaces", headers=headers, json={"name": "x"})
    assert_error(refused, 403)
    made = api.at(PLATFORM).ok("POST", "/workspaces", json={"name": "audited"})
    entries = {entry["requestId"]: entry for entry in _audit_entries(api)}
    assert entries[refused.json()["requestId"]]["status"] == 403
    assert any(entry["path"].startswith(PLATFORM) and entry["status"] == 200 for entry in entries.values())
    assert made["id"]
    labs.ok("DELETE", "/allowed-ip-address-ranges", 204,
            json={"allowedIpAddressRangeIds": [r["id"] for r in created["allowedIpAddressRanges"]]})
    assert outsider.get(f"{PLATFORM}/organizations/{api.org.id}/workspaces", headers=headers).status_code == 200


def test_labs_bulk_ranges_share_the_v1_atomicity_and_limits(api):
    labs = api.at(LABS)
    path = "/allowed-ip-address-ranges"
    assert_error(labs.post(path, json={"allowedIpAddressRanges": ["127.0.0.0/8", "bad"]}), 400,
                 "allowedIpAddressRanges[1]")
    assert api.ok("GET", path)["totalCount"] == 0
    too_many = [f"10.{i // 256}.{i % 256}.0/24" for i in range(1001)]
    assert_error(labs.post(path, json={"allowedIpAddressRanges": too_many}), 400, "1000")
    assert_error(labs.delete(path, json={"allowedIpAddressRangeIds": ["c" + "0" * 24] * 1001}), 400, "1000")
    created = labs.ok("POST", path, json={"allowedIpAddressRanges": ["127.0.0.0/8", "10.1.1.1/16"]})
    assert sorted(r["ipAddressRange"] for r in created["allowedIpAddressRanges"]) == ["10.1.0.0/16", "127.0.0.0/8"]
    assert_error(labs.post(path, json={"allowedIpAddressRanges": ["172.16.0.0/12", "10.1.9.9/16"]}), 409)
    listed = labs.ok("GET", path + "?limit=1000")
    assert sorted(r["id"] for r in listed["allowedIpAddressRanges"]) == sorted(
        r["id"] for r in api.ok("GET", path)["allowedIpAddressRanges"])
    ten = next(r["id"] for r in created["allowedIpAddressRanges"] if r["ipAddressRange"] == "10.1.0.0/16")
    labs.ok("DELETE", path, 204, json={"allowedIpAddressRangeIds": [ten, ten, "c" + "0" * 24]})
    assert [r["ipAddressRange"] for r in api.ok("GET", path)["allowedIpAddressRanges"]] == ["127.0.0.0/8"]


def test_every_version_route_keeps_its_authentication(server):
    app = server.client.app
    checked = 0
    for prefix, routes in app.state.api_mounts[1:]:
        for route in routes:
            path = prefix + route.path
            for name in route.param_convertors:
                path = path.replace("{" + name + "}", "c" + "0" * 24)
            for method in route.methods:
                assert_error(server.client.request(method, path, json={}), 401)
                checked += 1
    assert checked >= 29 + 31 + 3


def test_the_cli_prints_each_api_document():
    printed = subprocess.run([sys.executable, "-m", "astroplane.cli", "openapi", "--api", "labs-v1"],
                             capture_output=True, text=True, timeout=120)
    assert printed.returncode == 0, printed.stderr
    paths = json.loads(printed.stdout)["paths"]
    served = {op["operationId"] for item in paths.values() for op in item.values()}
    labs = next(version for version in resources.VERSIONS if version.name == "labs-v1")
    assert served >= set(labs.operations) and all(path.startswith(LABS + "/") for path in paths)
    unknown = subprocess.run([sys.executable, "-m", "astroplane.cli", "openapi", "--api", "v2"],
                             capture_output=True, text=True, timeout=120)
    assert unknown.returncode != 0 and "platform-v1beta1" in unknown.stderr


def test_environment_objects_v1beta1_cannot_represent_stay_out_of_it(api):
    from envobjects_helpers import create, variable

    platform = api.at(PLATFORM)
    workspace = make_workspace(api)
    shared = create(api, variable(workspace["id"], "one", object_key="SHARED"))
    only_v1 = create(api, variable(workspace["id"], "1", object_type="ENVIRONMENT_VARIABLE", object_key="ONLY_V1"))
    assert platform.ok("GET", f"/environment-objects/{shared['id']}")["airflowVariable"]["value"] == "one"
    assert_error(platform.get(f"/environment-objects/{only_v1['id']}"), 404)
    listed = platform.ok("GET", f"/environment-objects?workspaceId={workspace['id']}")
    assert [o["id"] for o in listed["environmentObjects"]] == [shared["id"]] and listed["totalCount"] == 1
    # an update through v1beta1 is refused as not found, and rolled back
    assert_error(platform.post(f"/environment-objects/{only_v1['id']}",
                               json={"environmentVariable": {"value": "2"}}), 404)
    assert api.ok("GET", f"/environment-objects/{only_v1['id']}")["environmentVariable"]["value"] == "1"
    refused = platform.post("/environment-objects", json=variable(workspace["id"], object_type="ENVIRONMENT_VARIABLE"))
    assert_error(refused, 400, "objectType")


def test_every_list_and_option_read_answers_on_its_version(api):
    workspace = make_workspace(api)
    api.ok("POST", "/teams", json={"name": "listed"})
    reads = {PLATFORM: ["/clusters", "/deployments", f"/environment-objects?workspaceId={workspace['id']}",
                        "/cluster-options?provider=AWS&type=DEDICATED", "/deployment-options", "/workspaces", "",
                        "/audit-logs"],
             IAM: ["/roles", "/role-templates", "/teams", "/tokens", "/users", f"/users/{api.org.owner_user_id}"],
             LABS: ["/allowed-ip-address-ranges"]}
    for prefix, paths in reads.items():
        for path in paths:
            response = api.at(prefix).get(path)
            assert response.status_code == 200 == api.get(path).status_code, (prefix, path, response.text)
            if path != "/audit-logs":
                assert_no_nulls(response.json())


def test_iam_lists_the_allowed_ip_address_ranges_with_v1_paging_and_sorts(api):
    iam, path = api.at(IAM), "/allowed-ip-address-ranges"
    assert iam.ok("GET", path) == {"allowedIpAddressRanges": [], "limit": 20, "offset": 0, "totalCount": 0}
    api.at(LABS).ok("POST", path, json={"allowedIpAddressRanges": ["127.0.0.0/8", "10.0.0.0/16", "192.168.1.0/24"]})
    page = iam.ok("GET", path, params={"limit": 2, "offset": 1, "sorts": "ipAddress:desc"})
    assert (page["limit"], page["offset"], page["totalCount"]) == (2, 1, 3)
    assert [r["ipAddressRange"] for r in page["allowedIpAddressRanges"]] == ["127.0.0.0/8", "10.0.0.0/16"]
    assert page["allowedIpAddressRanges"] == api.ok("GET", path, params={"limit": 2, "offset": 1,
                                                                       "sorts": "ipAddress:desc"})["allowedIpAddressRanges"]
    assert_error(iam.get(path, params={"sorts": "name:asc"}), 400, "sorts")
