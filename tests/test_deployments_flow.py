"""The flow clients drive: create → poll → update → poll → delete → poll until 404."""

from conftest import assert_error, assert_no_nulls, make_workspace
from lifecycle_helpers import make_cluster, poll, reconcile


def test_cluster_and_deployment_lifecycle_like_terraform(api):
    cluster = api.ok("POST", "/clusters", json={"cloudProvider": "AWS", "name": "prod", "region": "us-east-1",
                                                "type": "DEDICATED", "vpcSubnetRange": "172.20.0.0/20"})
    assert cluster["status"] == "CREATING"
    assert_no_nulls(cluster)
    cluster_path = f"/clusters/{cluster['id']}"
    created = poll(api, cluster_path, {"CREATED"})
    assert created["healthStatus"]["value"] == "HEALTHY"
    updated = api.ok("POST", cluster_path, json={"clusterType": "DEDICATED", "name": "prod-2",
                                                  "k8sTags": [{"key": "team", "value": "data"}]})
    assert updated["status"] == "UPDATING" and updated["name"] == "prod-2"
    assert_error(api.post(cluster_path, json={"clusterType": "DEDICATED", "name": "x", "k8sTags": []}), 409)
    assert poll(api, cluster_path, {"CREATED"})["tags"] == [{"key": "team", "value": "data"}]

    workspace = make_workspace(api)
    deployment = api.ok("POST", "/deployments", json={"name": "etl", "workspaceId": workspace["id"],
                                                      "type": "DEDICATED", "clusterId": cluster["id"]})
    assert deployment["status"] == "CREATING" and deployment["clusterName"] == "prod-2"
    assert_no_nulls(deployment)
    path = f"/deployments/{deployment['id']}"
    healthy = poll(api, path, {"HEALTHY"})
    body = {key: healthy[key] for key in ("name", "workspaceId", "type", "executor", "isCicdEnforced",
                                          "isDagDeployEnabled", "isHighAvailability", "schedulerSize")}
    body.update(environmentVariables=[{"key": "A", "value": "1", "isSecret": False}], description="etl jobs")
    changed = api.ok("POST", path, json=body)
    assert changed["status"] == "DEPLOYING" and changed["description"] == "etl jobs"
    assert poll(api, path, {"HEALTHY"})["environmentVariables"][0]["value"] == "1"

    assert_error(api.delete(cluster_path), 400, "deployment")
    assert api.ok("DELETE", path, 204) is None
    assert_error(api.get(path), 404)  # gone at once: Terraform does not poll a deleted deployment
    assert_error(api.delete(path), 404)  # which Terraform counts as deleted

    assert api.ok("DELETE", cluster_path, 204) is None
    assert api.ok("GET", cluster_path)["status"] == "UPDATING"
    assert_error(api.delete(cluster_path), 409)
    reconcile(api.server)
    assert_error(api.get(cluster_path), 404)


def test_new_deployment_waits_for_its_cluster(api):
    cluster = make_cluster(api, "slow", ready=False)
    workspace = make_workspace(api)
    deployment = api.ok("POST", "/deployments", json={"name": "d", "workspaceId": workspace["id"],
                                                      "type": "DEDICATED", "clusterId": cluster["id"]})
    path = f"/deployments/{deployment['id']}"
    reconcile(api.server)  # the cluster comes up in this pass, the deployment in the next
    assert api.ok("GET", f"/clusters/{cluster['id']}")["status"] == "CREATED"
    assert poll(api, path, {"HEALTHY"})["status"] == "HEALTHY"
