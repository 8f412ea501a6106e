"""The test-double controls through HTTP, on SQLite and PostgreSQL (a server with them on)."""

import datetime as dt
import gzip
import json
import urllib.parse

import pytest
from fastapi.testclient import TestClient

from archive_helpers import tarball
from astroplane.app import create_app
from astroplane.kit.db import Database
from astroplane.kit.ids import is_id
from astroplane.kit.migrate import upgrade
from conftest import BACKENDS, CLIENT_ADDRESS, Api, Server, assert_error, make_settings, make_token, \
    make_workspace, new_org

STANDARD = {"type": "STANDARD", "cloudProvider": "AWS", "region": "us-east-1"}
AWS = {"cloudProvider": "AWS", "region": "us-east-1", "type": "DEDICATED", "vpcSubnetRange": "172.20.0.0/20"}
STEP = 5  # seconds per lifecycle step on this server, as in production


@pytest.fixture(scope="module", params=BACKENDS)
def controlled(request, databases, tmp_path_factory) -> Server:
    url = databases.url(request.param)
    database = Database(url)
    upgrade(database.engine)
    settings = make_settings(tmp_path_factory.mktemp("data"), url, test_controls=True, step_delay_seconds=STEP)
    with TestClient(create_app(settings, database), raise_server_exceptions=False, client=CLIENT_ADDRESS) as client:
        yield Server(settings, database, client, request.param)
    database.dispose()


@pytest.fixture
def capi(controlled) -> Api:
    org = new_org(controlled)
    api = Api(controlled, org, org.token)
    yield api
    # the clock is the server's: put it back for the next test
    controlled.client.delete(f"/astroplane/v1/organizations/{org.id}/clock", headers=_auth(org.token))


def _auth(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def control(api: Api, method: str, path: str, status: int = 200, token: str | None = None, **kwargs):
    response = api.server.client.request(method, f"/astroplane/v1/organizations/{api.org.id}{path}",
                                         headers=_auth(token or api.token), **kwargs)
    assert response.status_code == status, (response.status_code, response.text)
    return response.json() if response.content else None


def audit_entries(api: Api) -> list[dict]:
    response = api.get("/audit-logs")
    assert response.status_code == 200, response.text
    text = response.content
    try:
        text = gzip.decompress(text)
    except OSError:
        pass  # the client already undid the Content-Encoding
    return [json.loads(line) for line in text.decode().splitlines()]


# --- access --------------------------------------------------------------------------------------

def test_controls_are_off_by_default(api):
    assert_error(api.get(f"/astroplane/v1/organizations/{api.org.id}/clock"), 404)
    assert "/astroplane/v1/openapi.json" not in api.server.client.get("/v1/openapi.json").text


def test_only_an_owner_of_that_organization_reaches_the_controls(capi, controlled):
    member, _ = make_token(capi, "ORGANIZATION", "ORGANIZATION_MEMBER")
    billing, _ = make_token(capi, "ORGANIZATION", "ORGANIZATION_BILLING_ADMIN")
    for token in (member, billing):
        assert_error(controlled.client.get(f"/astroplane/v1/organizations/{capi.org.id}/clock",
                                           headers=_auth(token)), 403, "owner")
    other = new_org(controlled)
    assert_error(controlled.client.post(f"/astroplane/v1/organizations/{capi.org.id}/reset",
                                        headers=_auth(other.token)), 403)
    assert_error(controlled.client.get(f"/astroplane/v1/organizations/{capi.org.id}/faults"), 401)
    assert control(capi, "GET", "/clock")["frozen"] is False


def test_own_openapi_document_and_the_contracts_is_unchanged(controlled):
    document = controlled.client.get("/astroplane/v1/openapi.json").json()
    operations = {op["operationId"] for item in document["paths"].values() for op in item.values()}
    assert {"AdvanceClock", "ArmFault", "ListFaults", "ClearFaults", "FailDeployment",
            "ResetOrganization"} <= operations
    assert controlled.client.get("/astroplane/v1/docs").status_code == 200
    v1 = controlled.client.get("/v1/openapi.json").json()
    assert not any(path.startswith("/astroplane") for path in v1["paths"])


# --- clock ---------------------------------------------------------------------------------------

def test_one_advance_brings_a_cluster_and_its_deployment_up(capi):
    cluster = capi.ok("POST", "/clusters", json={**AWS, "name": "c1"})
    workspace = make_workspace(capi)
    deployment = capi.ok("POST", "/deployments", json={"name": "d", "workspaceId": workspace["id"],
                                                       "type": "DEDICATED", "clusterId": cluster["id"]})
    small = control(capi, "POST", "/clock/advance", json={"duration": STEP / 2})
    assert small["offsetSeconds"] >= STEP / 2
    assert capi.ok("GET", f"/deployments/{deployment['id']}")["status"] == "CREATING"
    advanced = control(capi, "POST", "/clock/advance", json={"duration": "PT1M"})
    assert advanced["transitions"] >= 2
    assert capi.ok("GET", f"/clusters/{cluster['id']}")["status"] == "CREATED"
    assert capi.ok("GET", f"/deployments/{deployment['id']}")["status"] == "HEALTHY"
    # a step started by a request after the jump runs from the new time
    path = f"/deployments/{deployment['id']}"
    body = {key: capi.ok("GET", path)[key] for key in ("name", "workspaceId", "type", "executor", "isCicdEnforced",
                                                        "isDagDeployEnabled", "isHighAvailability", "schedulerSize")}
    changed = capi.ok("POST", path, json={**body, "environmentVariables": [], "description": "changed"})
    assert changed["status"] == "DEPLOYING"
    control(capi, "POST", "/clock/advance", json={"duration": STEP})
    assert capi.ok("GET", path)["status"] == "HEALTHY"


def test_a_token_expires_when_the_clock_passes_its_end(capi, controlled):
    token, created = make_token(capi, "ORGANIZATION", "ORGANIZATION_MEMBER", tokenExpiryPeriodInDays=1)
    organization = f"/v1/organizations/{capi.org.id}"
    assert controlled.client.get(organization, headers=_auth(token)).status_code == 200
    control(capi, "POST", "/clock/advance", json={"duration": "P1DT1S"})
    assert_error(controlled.client.get(organization, headers=_auth(token)), 401)
    assert controlled.client.get(organization, headers=_auth(capi.token)).status_code == 200


def test_upload_urls_and_log_searches_age_with_the_clock(capi, controlled):
    deployment = capi.ok("POST", "/deployments", json={"name": "d", "workspaceId": make_workspace(capi)["id"],
                                                       **STANDARD})
    deploy = capi.ok("POST", f"/deployments/{deployment['id']}/deploys", json={"type": "DAG_ONLY"})
    control(capi, "POST", "/clock/advance", json={"duration": controlled.settings.upload_url_ttl_seconds + 1})
    parts = urllib.parse.urlsplit(deploy["dagsUploadUrl"])
    late = controlled.client.put(f"{parts.path}?{parts.query}", content=tarball(),
                                 headers={"x-ms-blob-type": "BlockBlob"})
    assert late.status_code in (401, 403), late.text
    logs = capi.ok("GET", f"/deployments/{deployment['id']}/logs", params={"sources": ["scheduler"]})
    assert logs["results"], "the reconciler's catch-up wrote the deployment's start logs"
    control(capi, "POST", "/clock/advance", json={"duration": "P1D"})
    assert_error(capi.get(f"/deployments/{deployment['id']}/logs",
                          params={"sources": ["scheduler"], "searchId": logs["searchId"]}), 400, "expired")


def test_a_frozen_clock_stamps_every_row_with_its_instant(capi):
    frozen = control(capi, "POST", "/clock/freeze", json={"at": "2031-05-01T12:00:00Z"})
    assert frozen == {"now": "2031-05-01T12:00:00Z", "offsetSeconds": frozen["offsetSeconds"], "frozen": True}
    first, second = make_workspace(capi), make_workspace(capi)
    assert first["createdAt"] == second["createdAt"] == "2031-05-01T12:00:00Z"
    assert control(capi, "POST", "/clock/advance", json={"duration": 90})["now"] == "2031-05-01T12:01:30Z"
    assert make_workspace(capi)["createdAt"] == "2031-05-01T12:01:30Z"
    resumed = control(capi, "POST", "/clock/resume")
    assert resumed["frozen"] is False and resumed["now"] >= "2031-05-01T12:01:30Z"
    assert control(capi, "DELETE", "/clock")["offsetSeconds"] == 0


def test_the_clock_refuses_to_go_backwards_by_advance(capi):
    assert_error(capi.server.client.post(f"/astroplane/v1/organizations/{capi.org.id}/clock/advance",
                                         headers=_auth(capi.token), json={"duration": -5}), 400, "positive")


# --- faults --------------------------------------------------------------------------------------

def test_an_armed_status_answers_the_next_calls_then_stops_and_is_audited(capi, controlled):
    fault = control(capi, "POST", "/faults", json={"operationId": "ListWorkspaces", "statusCode": 503, "count": 2})
    assert fault["armed"] and fault["remaining"] == 2 and is_id(fault["id"])
    other = new_org(controlled)
    assert controlled.client.get(f"/v1/organizations/{other.id}/workspaces", headers=_auth(other.token)).status_code == 200
    body = assert_error(capi.get("/workspaces"), 503)
    assert_error(capi.get("/workspaces"), 503)
    assert capi.get("/workspaces").status_code == 200
    assert capi.get("/workspaces/" + "c" + "0" * 24).status_code == 404  # another operation: untouched
    listed = control(capi, "GET", "/faults")["faults"]
    assert [(f["injected"], f["seen"], f["armed"]) for f in listed] == [(2, 2, False)]
    injected = [e for e in audit_entries(capi) if e["subjectType"] == "FAULT"]
    assert [(e["method"], e["status"], e["subjectId"]) for e in injected] == [("GET", 503, fault["id"])] * 2
    assert body["requestId"] in {e["requestId"] for e in injected}


def test_faults_apply_in_turn_and_a_fraction_spreads_them(capi):
    control(capi, "POST", "/faults", json={"operationId": "CreateWorkspace", "statusCode": 429})
    control(capi, "POST", "/faults", json={"operationId": "CreateWorkspace", "statusCode": 409,
                                           "message": "busy", "count": 1})
    statuses = [capi.post("/workspaces", json={"name": f"w{i}"}).status_code for i in range(3)]
    assert statuses == [429, 409, 200]
    control(capi, "POST", "/faults", json={"operationId": "GetOrganization", "statusCode": 500, "fraction": 0.5})
    statuses = [capi.get(f"/v1/organizations/{capi.org.id}").status_code for _ in range(6)]
    assert statuses == [200, 500] * 3
    control(capi, "DELETE", "/faults", status=204)
    assert control(capi, "GET", "/faults") == {"faults": []}
    assert capi.get(f"/v1/organizations/{capi.org.id}").status_code == 200


def test_latency_delays_and_then_answers(capi):
    fault = control(capi, "POST", "/faults", json={"operationId": "ListClusters", "kind": "LATENCY", "latencyMs": 50})
    assert capi.get("/clusters").status_code == 200
    delayed = [e for e in audit_entries(capi) if e["subjectType"] == "FAULT"]
    assert [(e["subjectId"], e["status"]) for e in delayed] == [(fault["id"], 200)]
    control(capi, "DELETE", f"/faults/{fault['id']}", status=204)
    control(capi, "DELETE", f"/faults/{fault['id']}", status=404)


def test_a_fault_meets_its_operation_on_every_api_version(capi):
    """The Terraform provider reads clusters through /platform/v1beta1: a GetCluster fault meets it
    there as on /v1."""
    cluster = "c" + "0" * 24
    control(capi, "POST", "/faults", json={"operationId": "GetCluster", "statusCode": 503, "count": 2})
    assert_error(capi.at("/platform/v1beta1").get(f"/clusters/{cluster}"), 503)
    assert_error(capi.get(f"/clusters/{cluster}"), 503)
    assert capi.at("/platform/v1beta1").get(f"/clusters/{cluster}").status_code == 404
    assert capi.at("/platform/v1beta1").get("/clusters").status_code == 200  # another operation


def test_arming_checks_what_it_is_given(capi):
    client, base = capi.server.client, f"/astroplane/v1/organizations/{capi.org.id}/faults"
    for body, fragment in [({"operationId": "NoSuchThing"}, "operation"),
                           ({"operationId": "ListOrganizations"}, "organization"),
                           ({"operationId": "ListWorkspaces", "kind": "LATENCY"}, "latencyMs"),
                           ({"operationId": "ListWorkspaces", "statusCode": 200}, "statusCode"),
                           ({"operationId": "ListWorkspaces", "fraction": 1.5}, "fraction")]:
        assert_error(client.post(base, headers=_auth(capi.token), json=body), 400, fragment)


# --- forced failures -----------------------------------------------------------------------------

def test_a_creating_cluster_fails_with_a_reason(capi):
    cluster = capi.ok("POST", "/clusters", json={**AWS, "name": "doomed"})
    failed = control(capi, "POST", f"/clusters/{cluster['id']}/failure",
                     json={"status": "CREATE_FAILED", "statusReason": "quota exceeded in us-east-1"})
    assert failed == {"id": cluster["id"], "status": "CREATE_FAILED", "statusReason": "quota exceeded in us-east-1"}
    shown = capi.ok("GET", f"/clusters/{cluster['id']}")
    assert shown["status"] == "CREATE_FAILED" and shown["healthStatus"]["value"] == "UNHEALTHY"
    assert shown["healthStatus"]["details"][0]["description"] == "quota exceeded in us-east-1"
    control(capi, "POST", f"/clusters/{cluster['id']}/failure", status=409, json={"statusReason": "again"})
    control(capi, "POST", f"/clusters/{'c' + '0' * 24}/failure", status=404, json={"statusReason": "x"})


def test_a_deployment_turns_unhealthy_until_it_is_updated(capi):
    deployment = capi.ok("POST", "/deployments", json={"name": "d", "workspaceId": make_workspace(capi)["id"],
                                                       **STANDARD})
    control(capi, "POST", "/clock/advance", json={"duration": STEP})
    path = f"/deployments/{deployment['id']}"
    assert capi.ok("GET", path)["status"] == "HEALTHY"
    control(capi, "POST", f"{path}/failure", json={"statusReason": "scheduler crash-looping"})
    control(capi, "POST", "/clock/advance", json={"duration": STEP})
    shown = capi.ok("GET", path)
    assert (shown["status"], shown["statusReason"]) == ("UNHEALTHY", "scheduler crash-looping")
    control(capi, "POST", f"{path}/failure", status=409, json={"statusReason": "twice"})


def test_a_deploy_fails_before_it_is_finalized(capi):
    deployment = capi.ok("POST", "/deployments", json={"name": "d", "workspaceId": make_workspace(capi)["id"],
                                                       **STANDARD})
    deploys = f"/deployments/{deployment['id']}/deploys"
    deploy = capi.ok("POST", deploys, json={"type": "IMAGE_ONLY"})
    failed = control(capi, "POST", f"{deploys}/{deploy['id']}/failure", json={"statusReason": "image pull failed"})
    assert failed["status"] == "FAILED" and capi.ok("GET", f"{deploys}/{deploy['id']}")["status"] == "FAILED"
    control(capi, "POST", f"{deploys}/{deploy['id']}/failure", status=409, json={"statusReason": "again"})


# --- reset ---------------------------------------------------------------------------------------

def test_reset_drops_everything_but_the_owner_token(capi, controlled):
    workspace = make_workspace(capi)
    capi.ok("POST", "/deployments", json={"name": "d", "workspaceId": workspace["id"], **STANDARD})
    capi.ok("POST", "/clusters", json={**AWS, "name": "c"})
    other_token, _ = make_token(capi, "ORGANIZATION", "ORGANIZATION_MEMBER")
    capi.ok("POST", "/invites", json={"inviteeEmail": "new@example.com", "role": "ORGANIZATION_MEMBER"})
    control(capi, "POST", "/faults", json={"operationId": "ListWorkspaces", "count": 5})
    neighbour = new_org(controlled)
    kept = Api(controlled, neighbour, neighbour.token)
    make_workspace(kept)
    result = control(capi, "POST", "/reset")
    assert {"workspaces", "deployments", "clusters", "api_tokens", "controls_faults"} <= set(result["deleted"])
    assert capi.ok("GET", "/workspaces")["totalCount"] == 0
    assert capi.ok("GET", "/deployments")["totalCount"] == 0
    assert capi.ok("GET", "/clusters")["totalCount"] == 0
    tokens = capi.ok("GET", "/tokens")["tokens"]
    assert len(tokens) == 1 and tokens[0]["name"].startswith("owner token")
    assert_error(controlled.client.get(f"/v1/organizations/{capi.org.id}", headers=_auth(other_token)), 401)
    assert kept.ok("GET", "/workspaces")["totalCount"] == 1
    make_workspace(capi)  # the organization works as new
    entries = audit_entries(capi)
    assert [e["path"].rsplit("/", 1)[-1] for e in entries][:1] == ["reset"]


def test_an_invite_lapses_when_the_clock_passes_its_expiry(capi, controlled):
    created = capi.ok("POST", "/invites", json={"inviteeEmail": "late@example.com", "role": "ORGANIZATION_MEMBER"})
    assert capi.ok("GET", f"/users/{created['userId']}")["status"] == "PENDING"
    control(capi, "POST", "/clock/advance", json={"duration": f"P{controlled.settings.invite_expiry_days}DT1M"})
    assert_error(capi.get(f"/users/{created['userId']}"), 404)


def test_a_timed_hibernation_override_ends_on_an_advance(capi):
    deployment = capi.ok("POST", "/deployments", json={"name": "dev", "workspaceId": make_workspace(capi)["id"],
                                                       "isDevelopmentMode": True, **STANDARD})
    path = f"/deployments/{deployment['id']}"
    control(capi, "POST", "/clock/advance", json={"duration": STEP})
    now = control(capi, "GET", "/clock")["now"]
    until = (dt.datetime.fromisoformat(now.replace("Z", "+00:00")) + dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    capi.ok("POST", path + "/hibernation-override", json={"isHibernating": True, "overrideUntil": until})
    control(capi, "POST", "/clock/advance", json={"duration": 1})
    assert capi.ok("GET", path)["status"] == "HIBERNATING"
    control(capi, "POST", "/clock/advance", json={"duration": "PT61M"})
    assert capi.ok("GET", path)["status"] == "HEALTHY"
