"""Deployments through the HTTP API: simplified and full create, validation, queues, variables."""

import sqlalchemy as sa

from astroplane.deployments.models import Deployment

from conftest import Api, assert_error, assert_no_nulls, make_token, make_workspace, new_org
from lifecycle_helpers import make_cluster, poll, reconcile

STANDARD = {"type": "STANDARD", "cloudProvider": "AWS", "region": "us-east-1"}


def _create(api, workspace, **fields):
    return api.ok("POST", "/deployments", json={"name": "d", "workspaceId": workspace["id"], **fields})


def _options(api):
    return api.ok("GET", "/deployment-options")


# ---------------------------------------------------------------- simplified create

def test_simplified_create_uses_the_workspace_default_cluster(api):
    make_cluster(api, "other", ready=False)
    chosen = make_cluster(api, "chosen", ready=False)
    workspace = make_workspace(api, defaultClusterId=chosen["id"])
    deployment = _create(api, workspace)
    assert (deployment["type"], deployment["clusterId"]) == ("DEDICATED", chosen["id"])


def test_simplified_create_uses_the_workspace_default_region(api):
    make_cluster(api, "ignored", ready=False)
    workspace = make_workspace(api, defaultCloudProvider="GCP", defaultRegion="us-central1")
    deployment = _create(api, workspace)
    assert (deployment["type"], deployment["cloudProvider"], deployment["region"]) == ("STANDARD", "GCP", "us-central1")
    assert "clusterId" not in deployment


def test_simplified_create_uses_the_single_cluster_and_infers_its_type(api):
    hybrid = make_cluster(api, "only", ready=False, type="HYBRID", providerAccount="123456789012")
    deployment = _create(api, make_workspace(api))
    assert (deployment["type"], deployment["clusterId"]) == ("HYBRID", hybrid["id"])
    assert deployment["executor"] == "CELERY" and deployment["schedulerAu"] == 5
    assert deployment["workerQueues"][0]["nodePoolId"] == hybrid["nodePools"][0]["id"]


def test_simplified_create_says_what_to_set_when_it_cannot_choose(api):
    workspace = make_workspace(api)
    assert_error(api.post("/deployments", json={"name": "d", "workspaceId": workspace["id"]}), 400,
                 "defaultClusterId", "clusterId")
    make_cluster(api, "one", ready=False)
    make_cluster(api, "two", ready=False)
    assert_error(api.post("/deployments", json={"name": "d", "workspaceId": workspace["id"]}), 400, "clusterId")
    assert_error(api.post("/deployments", json={"name": "d", "workspaceId": workspace["id"], "type": "STANDARD"}),
                 400, "cloudProvider")
    assert api.ok("GET", "/deployments")["totalCount"] == 0


def test_simplified_defaults(api):
    options = _options(api)
    workspace = make_workspace(api, defaultCloudProvider="AWS", defaultRegion="us-east-1", cicdEnforcedDefault=True)
    deployment = _create(api, workspace)
    assert_no_nulls(deployment)
    assert deployment["astroRuntimeVersion"] == options["runtimeReleases"][0]["version"] == deployment["runtimeVersion"]
    assert deployment["airflowVersion"].startswith("3.") and deployment["executor"] == "ASTRO"
    assert (deployment["schedulerSize"], deployment["isHighAvailability"], deployment["isDevelopmentMode"]) == (
        "SMALL", False, False)
    assert deployment["isDagDeployEnabled"] is True and deployment["isCicdEnforced"] is True
    assert (deployment["resourceQuotaCpu"], deployment["resourceQuotaMemory"]) == ("10", "20Gi")
    assert (deployment["defaultTaskPodCpu"], deployment["defaultTaskPodMemory"]) == ("1", "2Gi")
    [queue] = deployment["workerQueues"]
    assert (queue["name"], queue["isDefault"], queue["astroMachine"], queue["podCpu"]) == ("default", True, "A5", "1")
    assert deployment["status"] == "CREATING" and deployment["namespace"]
    assert deployment["createdBy"]["subjectType"] == "SERVICEKEY"
    assert deployment["workspaceName"] == workspace["name"]


# ---------------------------------------------------------------- full create

def test_full_create_for_each_type(api):
    workspace = make_workspace(api)
    standard = _create(api, workspace, **STANDARD, executor="CELERY", astroRuntimeVersion="13.0.0",
                       schedulerSize="MEDIUM", isHighAvailability=True, resourceQuotaCpu="20",
                       defaultTaskPodCpu="0.5", contactEmails=["ops@example.com"],
                       workerQueues=[{"name": "default", "isDefault": True, "astroMachine": "A10", "minWorkerCount": 1,
                                      "maxWorkerCount": 4, "workerConcurrency": 10, "podEphemeralStorage": "10Gi"},
                                     {"name": "heavy", "isDefault": False, "astroMachine": "A40", "minWorkerCount": 0,
                                      "maxWorkerCount": 2, "workerConcurrency": 40}])
    assert (standard["resourceQuotaMemory"], standard["defaultTaskPodMemory"]) == ("40Gi", "1Gi")
    assert standard["schedulerReplicas"] == 2 and standard["schedulerCpu"] == "2"
    assert [q["name"] for q in standard["workerQueues"]] == ["default", "heavy"]
    assert standard["workerQueues"][0]["podEphemeralStorage"] == "10Gi"
    dedicated_cluster = make_cluster(api, "ded", ready=False)
    dedicated = _create(api, workspace, type="DEDICATED", clusterId=dedicated_cluster["id"], executor="KUBERNETES")
    assert dedicated["clusterName"] == "ded" and "workerQueues" not in dedicated or dedicated["workerQueues"] == []
    hybrid_cluster = make_cluster(api, "hyb", ready=False, type="HYBRID", providerAccount="1")
    pool = hybrid_cluster["nodePools"][0]["id"]
    hybrid = _create(api, workspace, type="HYBRID", clusterId=hybrid_cluster["id"], executor="KUBERNETES",
                     scheduler={"au": 10, "replicas": 2}, taskPodNodePoolId=pool)
    assert (hybrid["schedulerAu"], hybrid["schedulerReplicas"], hybrid["schedulerCpu"]) == (10, 2, "1000m")
    assert hybrid["taskPodNodePoolId"] == pool and "schedulerSize" not in hybrid


def test_wrong_variant_and_bad_input_are_400_naming_the_field(api, server):
    workspace = make_workspace(api)
    cluster = make_cluster(api, "c", ready=False)
    hybrid = make_cluster(api, "h", ready=False, type="HYBRID", providerAccount="1")
    cases = [
        ({**STANDARD, "scheduler": {"au": 5, "replicas": 1}}, "scheduler"),
        ({"type": "DEDICATED", "clusterId": cluster["id"], "region": "us-east-1"}, "region"),
        ({"type": "HYBRID", "clusterId": cluster["id"]}, "clusterId"),
        ({"type": "DEDICATED", "clusterId": hybrid["id"]}, "clusterId"),
        ({"type": "HYBRID", "clusterId": hybrid["id"], "scheduler": {"au": 30, "replicas": 1}}, "au"),
        ({"type": "HYBRID", "clusterId": hybrid["id"], "scheduler": {"au": 5, "replicas": 5}}, "replicas"),
        ({"type": "HYBRID", "clusterId": hybrid["id"], "executor": "KUBERNETES"}, "taskPodNodePoolId"),
        ({"type": "HYBRID", "clusterId": hybrid["id"], "executor": "ASTRO"}, "executor"),
        ({**STANDARD, "region": "mars-1"}, "region"),
        ({**STANDARD, "astroRuntimeVersion": "0.0.1"}, "astroRuntimeVersion"),
        ({**STANDARD, "executor": "ASTRO", "astroRuntimeVersion": "13.0.0"}, "executor"),
        ({**STANDARD, "resourceQuotaCpu": "lots"}, "resourceQuotaCpu"),
        ({**STANDARD, "resourceQuotaCpu": "10", "resourceQuotaMemory": "10Gi"}, "resourceQuotaMemory"),
        ({**STANDARD, "remoteExecution": {"enabled": True}}, "remoteExecution"),
        ({**STANDARD, "workerQueues": [_queue("default"), _queue("b", isDefault=True)]}, "default queue"),
        ({**STANDARD, "workerQueues": [_queue("default"), _queue("default", isDefault=False)]}, "workerQueues[1].name"),
        ({**STANDARD, "workerQueues": [_queue("default", minWorkerCount=5, maxWorkerCount=2)]}, "minWorkerCount"),
        ({**STANDARD, "workerQueues": [_queue("default", podEphemeralStorage="ten gigs")]}, "podEphemeralStorage"),
        ({**STANDARD, "workerQueues": [_queue("default", astroMachine="A999")]}, "astroMachine"),
        ({**STANDARD, "workerQueues": [_queue("default", workerConcurrency=500)]}, "workerConcurrency"),
        ({**STANDARD, "executor": "KUBERNETES", "workerQueues": [_queue("default")]}, "workerQueues"),
        ({**STANDARD, "environmentVariables": [{"key": "A", "isSecret": False}, {"key": "A", "isSecret": True}]},
         "environmentVariables[1].key"),
        ({**STANDARD, "scalingSpec": {"hibernationSpec": {"schedules": []}}, "isDevelopmentMode": False,
          "isHighAvailability": False, "description": "x" * 1001}, "description"),
        ({**STANDARD, "isDevelopmentMode": True, "scalingSpec": {"hibernationSpec": {"schedules": [
            {"hibernateAtCron": "bad", "wakeAtCron": "0 8 * * *", "isEnabled": True}]}}}, "hibernateAtCron"),
        ({**STANDARD, "scalingSpec": {"hibernationSpec": {"schedules": [
            {"hibernateAtCron": "0 20 * * *", "wakeAtCron": "0 8 * * *", "isEnabled": True}]}}}, "isDevelopmentMode"),
        ({**STANDARD, "isDevelopmentMode": True, "isHighAvailability": True, "scalingSpec": {"hibernationSpec": {
            "schedules": [{"hibernateAtCron": "0 20 * * *", "wakeAtCron": "0 8 * * *", "isEnabled": True}]}}},
         "isHighAvailability"),
    ]
    for fields, fragment in cases:
        response = api.post("/deployments", json={"name": "d", "workspaceId": workspace["id"], **fields})
        body = assert_error(response, 400)
        named = body["message"] + " " + " ".join(e["field"] for e in body.get("fieldErrors", []))
        assert fragment.lower() in named.lower(), (fields, body)
    other = new_org(server)
    theirs = make_workspace(Api(server, other, other.token))
    assert_error(api.post("/deployments", json={"name": "d", "workspaceId": theirs["id"], **STANDARD}), 400, "workspaceId")
    assert api.ok("GET", "/deployments")["totalCount"] == 0


def _queue(name, **fields):
    return {"name": name, "isDefault": name == "default", "astroMachine": "A5", "minWorkerCount": 0,
            "maxWorkerCount": 2, "workerConcurrency": 5, **fields}


# ---------------------------------------------------------------- update, variables, queues

def _update_body(deployment, **fields):
    body = {key: deployment[key] for key in ("name", "workspaceId", "type", "executor", "isCicdEnforced",
                                             "isDagDeployEnabled", "isHighAvailability", "schedulerSize")}
    body["environmentVariables"] = [{k: v for k, v in e.items() if k != "updatedAt"}
                                    for e in deployment.get("environmentVariables", [])]
    body.update(fields)
    return body


def test_secret_variables_are_never_returned_or_stored_in_plaintext(api, server):
    workspace = make_workspace(api)
    deployment = _create(api, workspace, **STANDARD, environmentVariables=[
        {"key": "PLAIN", "value": "visible", "isSecret": False},
        {"key": "TOKEN", "value": "s3cr3t-value-xyz", "isSecret": True}])
    assert deployment["environmentVariables"][0]["value"] == "visible"
    assert "value" not in deployment["environmentVariables"][1]
    assert "s3cr3t-value-xyz" not in str(api.ok("GET", "/deployments"))
    with server.database.engine.connect() as connection:
        raw = connection.execute(sa.text("SELECT value FROM deployment_environment_variables")).scalars().all()
    assert raw and not any("s3cr3t-value-xyz" in (value or "") or value == "visible" for value in raw)
    # a client echoing GET output sends the secret back without its value: the value is kept
    path = f"/deployments/{deployment['id']}"
    api.ok("POST", path, json=_update_body(deployment, description="again"))
    session = server.database.session(write=False)
    try:
        from astroplane.deployments.models import EnvironmentVariable
        kept = session.scalars(sa.select(EnvironmentVariable).where(EnvironmentVariable.key == "TOKEN",
                               EnvironmentVariable.deployment_id == deployment["id"])).one()
        assert kept.value == "s3cr3t-value-xyz"
    finally:
        session.close()
    replaced = api.ok("POST", path, json=_update_body(deployment, environmentVariables=[]))
    assert "environmentVariables" not in replaced or replaced["environmentVariables"] == []


def test_update_queues_by_id_and_rules(api):
    workspace = make_workspace(api)
    deployment = _create(api, workspace, **STANDARD, executor="CELERY", isDevelopmentMode=True)
    path = f"/deployments/{deployment['id']}"
    default = deployment["workerQueues"][0]
    queues = [{**_queue("default"), "id": default["id"], "maxWorkerCount": 8}, _queue("extra")]
    updated = api.ok("POST", path, json=_update_body(deployment, workerQueues=queues))
    assert updated["workerQueues"][0]["id"] == default["id"] and updated["workerQueues"][0]["maxWorkerCount"] == 8
    extra_id = updated["workerQueues"][1]["id"]
    trimmed = api.ok("POST", path, json=_update_body(deployment, workerQueues=[{**_queue("default"), "id": default["id"]}]))
    assert [q["id"] for q in trimmed["workerQueues"]] == [default["id"]] and extra_id not in str(trimmed)
    assert_error(api.post(path, json=_update_body(deployment, workerQueues=[{**_queue("default"), "id": "c" + "0" * 24}])),
                 400, "workerQueues[0].id")
    assert_error(api.post(path, json=_update_body(deployment, type="DEDICATED")), 400, "type")
    assert_error(api.post(path, json=_update_body(deployment, scheduler={"au": 5, "replicas": 1})), 400, "scheduler")
    assert_error(api.post(path, json=_update_body(deployment, workspaceId=make_workspace(api)["id"])), 400, "workspaceId")
    kube = api.ok("POST", path, json=_update_body(deployment, executor="KUBERNETES"))
    assert kube.get("workerQueues", []) == []
    dev_off = api.ok("POST", path, json=_update_body(deployment, isDevelopmentMode=False))
    assert dev_off["isDevelopmentMode"] is False
    assert_error(api.post(path, json=_update_body(deployment, isDevelopmentMode=True)), 400, "isDevelopmentMode")
    assert_error(api.post(path, json={"name": "x"}), 400, "type")
    body = assert_error(api.post(path, json={"name": "x", "type": "STANDARD"}), 400)
    assert "environmentVariables" in {e["field"].split(".")[-1] for e in body["fieldErrors"]}


def test_list_filters_and_visibility(api):
    first, second = make_workspace(api), make_workspace(api)
    a = _create(api, first, **STANDARD, name="alpha")
    b = _create(api, second, **STANDARD, name="beta")
    _create(api, second, **STANDARD, name="beta")  # names may repeat
    assert api.ok("GET", "/deployments", params={"workspaceIds": first["id"]})["deployments"][0]["id"] == a["id"]
    by_name = api.ok("GET", "/deployments", params={"names": "beta", "sorts": "createdAt:asc"})
    assert by_name["totalCount"] == 2 and by_name["deployments"][0]["id"] == b["id"]
    assert api.ok("GET", "/deployments", params={"deploymentIds": b["id"]})["totalCount"] == 1
    member, _ = make_token(api, "WORKSPACE", "WORKSPACE_MEMBER", first["id"])
    seen = api.as_token(member).ok("GET", "/deployments")
    assert [d["id"] for d in seen["deployments"]] == [a["id"]]
    admin, _ = make_token(api, "DEPLOYMENT", "DEPLOYMENT_ADMIN", b["id"])
    scoped = api.as_token(admin)
    assert [d["id"] for d in scoped.ok("GET", "/deployments")["deployments"]] == [b["id"]]
    assert scoped.ok("GET", f"/deployments/{b['id']}")["id"] == b["id"]
    assert_error(scoped.get(f"/deployments/{a['id']}"), 403)
    assert_error(scoped.post("/deployments", json={"name": "n", "workspaceId": second["id"], **STANDARD}), 403)
    assert_error(api.as_token(member).post("/deployments", json={"name": "n", "workspaceId": first["id"], **STANDARD}), 403)


def test_workspace_with_deployments_cannot_be_deleted(api):
    workspace = make_workspace(api)
    deployment = _create(api, workspace, **STANDARD)
    assert_error(api.delete(f"/workspaces/{workspace['id']}"), 400, "deployment")
    api.ok("DELETE", f"/deployments/{deployment['id']}", 204)
    api.ok("DELETE", f"/workspaces/{workspace['id']}", 204)  # at once, as Terraform's destroy does


def test_deployment_options(api):
    options = _options(api)
    dates = [r["releaseDate"] for r in options["runtimeReleases"]]
    assert dates == sorted(dates, reverse=True)
    assert set(options["executors"]) == {"ASTRO", "CELERY", "KUBERNETES"}
    assert [m["name"] for m in options["workerMachines"]][:2] == ["A5", "A10"]
    hybrid = api.ok("GET", "/deployment-options", params={"deploymentType": "HYBRID"})
    assert "ASTRO" not in hybrid["executors"]
    astro = api.ok("GET", "/deployment-options", params={"executor": "ASTRO"})
    assert all(r["airflowVersion"].startswith("3.") for r in astro["runtimeReleases"])
    assert_error(api.get("/deployment-options", params={"deploymentId": "c" + "0" * 24}), 400, "deploymentId")
    assert_no_nulls(options)


def test_logs_are_written_for_each_transition(api, server):
    workspace = make_workspace(api)
    deployment = _create(api, workspace, **STANDARD)
    poll(api, f"/deployments/{deployment['id']}", {"HEALTHY"})
    with server.database.engine.connect() as connection:
        sources = set(connection.execute(sa.text("SELECT source FROM deployment_log_lines WHERE deployment_id = :d"),
                                         {"d": deployment["id"]}).scalars())
    assert {"apiserver", "scheduler", "triggerer", "dag-processor", "worker"} <= sources
    api.ok("DELETE", f"/deployments/{deployment['id']}", 204)
    reconcile(server)
    with server.database.engine.connect() as connection:
        left = connection.execute(sa.text("SELECT count(*) FROM deployment_log_lines WHERE deployment_id = :d"),
                                  {"d": deployment["id"]}).scalar()
    assert left == 0


def test_deploying_set_elsewhere_is_advanced(api, server):
    workspace = make_workspace(api)
    deployment = poll(api, "/deployments/" + _create(api, workspace, **STANDARD)["id"], {"HEALTHY"})
    with server.database.engine.begin() as connection:  # what the deploy flow does on finalize
        connection.execute(sa.update(Deployment).where(Deployment.id == deployment["id"])
                           .values(status="DEPLOYING", image_tag="deploy-1"))
    healthy = poll(api, f"/deployments/{deployment['id']}", {"HEALTHY"})
    assert healthy["imageTag"] == "deploy-1"


def test_workspace_defaults_must_be_usable(api, server):
    other = new_org(server)
    theirs = make_cluster(Api(server, other, other.token), "theirs", ready=False)
    assert_error(api.post("/workspaces", json={"name": "w", "defaultClusterId": theirs["id"]}), 400, "defaultClusterId")
    assert_error(api.post("/workspaces", json={"name": "w", "defaultCloudProvider": "AWS", "defaultRegion": "mars-1"}),
                 400, "defaultRegion")
    mine = make_cluster(api, "mine", ready=False)
    assert make_workspace(api, defaultClusterId=mine["id"])["defaultClusterId"] == mine["id"]


def test_hybrid_update_and_dedicated_remote_execution(api):
    workspace = make_workspace(api)
    cluster = make_cluster(api, "hy", type="HYBRID", providerAccount="1")
    pools = api.ok("POST", f"/clusters/{cluster['id']}", json={"clusterType": "HYBRID"})["nodePools"]
    deployment = _create(api, workspace, type="HYBRID", clusterId=cluster["id"])
    path = f"/deployments/{deployment['id']}"
    body = {"name": "h", "workspaceId": workspace["id"], "type": "HYBRID", "executor": "CELERY",
            "isCicdEnforced": False, "isDagDeployEnabled": True, "environmentVariables": [],
            "scheduler": {"au": 24, "replicas": 4},
            "workerQueues": [{"name": "default", "isDefault": True, "nodePoolId": pools[0]["id"],
                              "minWorkerCount": 1, "maxWorkerCount": 3, "workerConcurrency": 16}]}
    updated = api.ok("POST", path, json=body)
    assert (updated["schedulerAu"], updated["schedulerReplicas"]) == (24, 4)
    assert updated["workerQueues"][0]["podCpu"] == "4" and "astroMachine" not in updated["workerQueues"][0]
    bad_pool = {**body, "workerQueues": [{**body["workerQueues"][0], "nodePoolId": "c" + "0" * 24}]}
    assert_error(api.post(path, json=bad_pool), 400, "nodePoolId")
    assert_error(api.post(path, json={**body, "scheduler": {"au": 4, "replicas": 1}}), 400, "au")
    assert_error(api.post(path, json={**body, "schedulerSize": "SMALL"}), 400, "schedulerSize")

    dedicated = make_cluster(api, "ded")
    remote = _create(api, workspace, type="DEDICATED", clusterId=dedicated["id"], executor="ASTRO",
                     remoteExecution={"enabled": True, "allowedIpAddressRanges": ["10.0.0.0/8"]})
    assert remote["remoteExecution"]["allowedIpAddressRanges"] == ["10.0.0.0/8"]
    assert remote["remoteExecution"]["remoteApiUrl"].startswith("https://")
    assert remote.get("workerQueues", []) == []  # ASTRO with remote execution runs no queues here
    plain = _create(api, workspace, type="DEDICATED", clusterId=dedicated["id"],
                    remoteExecution={"enabled": False})
    assert "remoteExecution" not in plain
