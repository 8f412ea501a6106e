"""Clusters through the HTTP API: options, provider rules, CIDRs, DR, failover, failures, deletes."""

import json
from importlib import resources

from conftest import assert_error, assert_no_nulls, make_workspace
from lifecycle_helpers import AWS, make_cluster, poll, reconcile

GCP = {"cloudProvider": "GCP", "region": "us-central1", "type": "DEDICATED", "vpcSubnetRange": "172.20.0.0/22",
       "podSubnetRange": "100.64.0.0/16", "serviceSubnetRange": "100.65.0.0/22",
       "servicePeeringRange": "100.66.0.0/21"}
AZURE = {"cloudProvider": "AZURE", "region": "eastus2", "type": "DEDICATED", "vpcSubnetRange": "172.20.0.0/19"}


def test_options_come_from_the_data_file(api):
    data = json.loads(resources.files("astroplane.clusters").joinpath("data/cluster_options.json").read_text())
    every = api.ok("GET", "/cluster-options", params={"type": "DEDICATED"})
    assert [o["provider"] for o in every] == ["AWS", "AZURE", "GCP"]
    gcp = api.ok("GET", "/cluster-options", params={"type": "HYBRID", "provider": "GCP"})
    assert len(gcp) == 1
    assert [r["name"] for r in gcp[0]["regions"]] == [r["name"] for r in data["providers"]["GCP"]["regions"]]
    assert gcp[0]["defaultPodSubnetRange"] == data["providers"]["GCP"]["defaultPodSubnetRange"]
    assert "defaultPodSubnetRange" not in every[0]
    assert_no_nulls(every)
    assert_error(api.get("/cluster-options"), 400, "type")


def test_create_per_provider_and_list_filters(api):
    aws = make_cluster(api, "aws-one", ready=False, secondaryVpcCidr="172.30.0.0/20",
                       k8sTags=[{"key": "env", "value": "prod"}], isPrivateNetworkEgressEnabled=True)
    assert aws["secondaryVpcCidr"] == "172.30.0.0/20" and aws["isPrivateNetworkEgressEnabled"] is True
    assert aws["nodePools"][0]["name"] == "default" and aws["nodePools"][0]["isDefault"] is True
    assert aws["dbInstanceType"] == "db.t3.medium" and aws["isDrEnabled"] is False and aws["drRegion"] == ""
    gcp = api.ok("POST", "/clusters", json={**GCP, "name": "gcp-one"})
    assert gcp["podSubnetRange"] == "100.64.0.0/16" and "secondaryVpcCidr" not in gcp
    azure = api.ok("POST", "/clusters", json={**AZURE, "name": "az-one", "tenantId": "tenant-1",
                                               "nodePools": [{"name": "big", "nodeInstanceType": "Standard_D8d_v5",
                                                              "maxNodeCount": 10}]})
    assert azure["tenantId"] == "tenant-1" and azure["nodePools"][0]["isDefault"] is True
    listed = api.ok("GET", "/clusters", params={"provider": "GCP"})
    assert [c["id"] for c in listed["clusters"]] == [gcp["id"]] and listed["totalCount"] == 1
    by_name = api.ok("GET", "/clusters", params=[("names", "aws-one"), ("names", "az-one"), ("sorts", "name:desc")])
    assert [c["name"] for c in by_name["clusters"]] == ["az-one", "aws-one"]


def test_fields_of_another_provider_are_refused(api):
    assert_error(api.post("/clusters", json={**AWS, "name": "x", "tenantId": "t"}), 400, "tenantId", "AWS")
    assert_error(api.post("/clusters", json={**AWS, "name": "x", "podSubnetRange": "100.64.0.0/16"}),
                 400, "podSubnetRange")
    assert_error(api.post("/clusters", json={**AZURE, "name": "x", "secondaryVpcCidr": "10.0.0.0/16"}),
                 400, "secondaryVpcCidr")
    assert_error(api.post("/clusters", json={**GCP, "name": "x", "drSecondaryVpcCidr": "10.0.0.0/16"}),
                 400, "drSecondaryVpcCidr")
    body = assert_error(api.post("/clusters", json={**AWS, "cloudProvider": "ORACLE", "name": "x"}), 400)
    assert "cloudProvider" in body["message"]
    missing = {k: v for k, v in GCP.items() if k != "podSubnetRange"}
    body = assert_error(api.post("/clusters", json={**missing, "name": "x"}), 400)
    assert "podSubnetRange" in {e["field"] for e in body["fieldErrors"]}
    assert api.ok("GET", "/clusters")["totalCount"] == 0


def test_cidr_rules(api):
    assert_error(api.post("/clusters", json={**AWS, "name": "x", "vpcSubnetRange": "not-a-cidr"}), 400, "vpcSubnetRange")
    assert_error(api.post("/clusters", json={**AWS, "name": "x", "vpcSubnetRange": "172.20.0.1/20"}), 400, "vpcSubnetRange")
    assert_error(api.post("/clusters", json={**AWS, "name": "x", "secondaryVpcCidr": "172.20.8.0/24"}),
                 400, "secondaryVpcCidr", "overlaps")
    assert_error(api.post("/clusters", json={**GCP, "name": "x", "serviceSubnetRange": "100.64.4.0/22"}),
                 400, "serviceSubnetRange", "overlaps")
    assert api.ok("GET", "/clusters")["totalCount"] == 0


def test_names_regions_and_references(api, server):
    make_cluster(api, "dup", ready=False)
    assert_error(api.post("/clusters", json={**AWS, "name": "dup"}), 400, "cluster name dup already exists")
    assert_error(api.post("/clusters", json={**AWS, "name": "r", "region": "mars-1"}), 400, "region")
    assert_error(api.post("/clusters", json={**AWS, "name": "h", "type": "HYBRID"}), 400, "providerAccount")
    assert_error(api.post("/clusters", json={**AWS, "name": "w", "workspaceIds": ["c" + "0" * 24]}), 400, "workspaceIds[0]")
    assert_error(api.post("/clusters", json={**AWS, "name": "n", "nodePools": [
        {"name": "a", "nodeInstanceType": "huge.metal", "maxNodeCount": 5}]}), 400, "nodeInstanceType")
    assert_error(api.post("/clusters", json={**AWS, "name": "n", "nodePools": [
        {"name": "a", "nodeInstanceType": "m6i.xlarge", "maxNodeCount": 500}]}), 400, "maxNodeCount")
    assert_error(api.post("/clusters", json={**AWS, "name": "n", "dbInstanceType": "db.huge"}), 400, "dbInstanceType")


def test_disaster_recovery_and_failover(api):
    assert_error(api.post("/clusters", json={**AWS, "name": "x", "drVpcSubnetRange": "172.21.0.0/20"}), 400, "drRegion")
    assert_error(api.post("/clusters", json={**AWS, "name": "x", "drRegion": "us-east-1"}), 400, "drRegion")
    assert_error(api.post("/clusters", json={**AZURE, "name": "x", "drRegion": "japaneast",
                                             "enableReplicationTimeControl": True}), 400, "same continent")
    cluster = make_cluster(api, "dr", drRegion="us-west-2", drSecondaryVpcCidr="172.31.0.0/20")
    assert cluster["isDrEnabled"] is True and cluster["drRegion"] == "us-west-2"
    assert cluster["drVpcSubnetRange"] == "172.20.0.0/20"  # defaults to the primary range
    path = f"/clusters/{cluster['id']}"
    base = {"clusterType": "DEDICATED", "name": "dr", "k8sTags": []}
    assert_error(api.post(path, json={**base, "drRegion": "us-east-2"}), 400, "cannot change")
    assert_error(api.post(path, json={**base, "drPodSubnetRange": "100.64.0.0/16"}), 400, "drPodSubnetRange")
    failing = api.ok("POST", path, json={**base, "isFailedOver": True})
    assert failing["status"] == "FAILING_OVER" and failing["failoverInProgress"] is True
    done = poll(api, path, {"CREATED"})
    assert done["isFailedOver"] is True and done["failoverInProgress"] is False
    api.ok("POST", path, json={**base, "isFailedOver": False})
    assert poll(api, path, {"CREATED"})["isFailedOver"] is False
    api.ok("POST", path, json={**base, "enableDr": False})
    off = poll(api, path, {"CREATED"})
    assert off["isDrEnabled"] is False and off["drRegion"] == "" and "drVpcSubnetRange" not in off
    assert_error(api.post(path, json={**base, "isFailedOver": True}), 400, "isFailedOver")
    assert_error(api.post(path, json={**base, "enableDr": True, "drRegion": "us-west-2"}), 400, "created")


def test_update_node_pools_workspaces_and_union(api):
    workspace = make_workspace(api)
    cluster = make_cluster(api, "pools")
    path = f"/clusters/{cluster['id']}"
    default_pool = cluster["nodePools"][0]
    updated = api.ok("POST", path, json={
        "clusterType": "DEDICATED", "name": "pools", "k8sTags": [], "workspaceIds": [workspace["id"]],
        "nodePools": [{"id": default_pool["id"], "name": "default", "isDefault": True,
                       "nodeInstanceType": "m6i.2xlarge", "maxNodeCount": 30},
                      {"name": "extra", "nodeInstanceType": "m6i.xlarge", "maxNodeCount": 5}]})
    assert updated["workspaceIds"] == [workspace["id"]]
    assert [(p["name"], p["nodeInstanceType"]) for p in updated["nodePools"]] == [
        ("default", "m6i.2xlarge"), ("extra", "m6i.xlarge")]
    assert updated["nodePools"][0]["id"] == default_pool["id"]
    poll(api, path, {"CREATED"})
    replaced = api.ok("POST", path, json={"clusterType": "DEDICATED", "name": "pools", "k8sTags": [], "nodePools": [
        {"name": "extra", "nodeInstanceType": "m6i.4xlarge", "maxNodeCount": 6, "isDefault": True}]})
    assert [(p["name"], p["maxNodeCount"]) for p in replaced["nodePools"]] == [("extra", 6)]
    poll(api, path, {"CREATED"})
    assert_error(api.post(path, json={"clusterType": "HYBRID"}), 400, "clusterType")
    kept = api.ok("POST", path, json={"clusterType": "DEDICATED", "name": "pools", "k8sTags": []})
    assert kept["workspaceIds"] == [workspace["id"]]  # omitted keeps the mapping
    poll(api, path, {"CREATED"})
    cleared = api.ok("POST", path, json={"clusterType": "DEDICATED", "name": "pools", "k8sTags": [],
                                         "workspaceIds": []})
    assert "workspaceIds" not in cleared  # an empty list is left out
    assert_error(api.get("/clusters/c" + "0" * 24), 404)
    assert_error(api.post("/clusters/c" + "0" * 24, json={}), 404)


def test_failure_states_are_reachable_and_recoverable(api):
    cluster = api.ok("POST", "/clusters", json={**AWS, "name": "flaky",
                                                "k8sTags": [{"key": "astroplane.io/simulate", "value": "fail"}]})
    path = f"/clusters/{cluster['id']}"
    failed = poll(api, path, {"CREATE_FAILED"})
    assert failed["healthStatus"]["value"] == "UNHEALTHY"
    assert_error(api.post(path, json={"clusterType": "DEDICATED", "name": "flaky", "k8sTags": []}), 409)
    api.ok("DELETE", path, 204)
    reconcile(api.server)
    assert_error(api.get(path), 404)


def test_hybrid_cluster(api):
    cluster = make_cluster(api, "hy", type="HYBRID", providerAccount="123456789012")
    assert cluster["type"] == "HYBRID" and "supportedAstroMachines" not in cluster["nodePools"][0]
    workspace = make_workspace(api)
    updated = api.ok("POST", f"/clusters/{cluster['id']}", json={"clusterType": "HYBRID",
                                                                  "workspaceIds": [workspace["id"]]})
    assert updated["workspaceIds"] == [workspace["id"]] and updated["status"] == "UPDATING"
    assert_error(api.post(f"/clusters/{cluster['id']}", json={"clusterType": "DEDICATED", "name": "hy",
                                                               "k8sTags": []}), 400, "clusterType")


def test_cluster_permissions(api):
    from conftest import make_token
    cluster = make_cluster(api, "perm", ready=False)
    workspace = make_workspace(api)
    member, _ = make_token(api, "ORGANIZATION", "ORGANIZATION_MEMBER")
    reader = api.as_token(member)
    assert reader.ok("GET", f"/clusters/{cluster['id']}")["id"] == cluster["id"]
    assert_error(reader.post("/clusters", json={**AWS, "name": "nope"}), 403)
    assert_error(reader.delete(f"/clusters/{cluster['id']}"), 403)
    ws_token, _ = make_token(api, "WORKSPACE", "WORKSPACE_OWNER", workspace["id"])
    assert_error(api.as_token(ws_token).get("/clusters"), 403)


def test_azure_can_enable_disaster_recovery_later(api):
    cluster = make_cluster(api, "az", **{k: v for k, v in AZURE.items() if k not in ("name",)})
    path = f"/clusters/{cluster['id']}"
    assert cluster["isDrEnabled"] is False
    assert_error(api.post(path, json={"clusterType": "DEDICATED", "name": "az", "k8sTags": [], "enableDr": True}),
                 400, "drRegion")
    enabled = api.ok("POST", path, json={"clusterType": "DEDICATED", "name": "az", "k8sTags": [], "enableDr": True,
                                         "drRegion": "westus2", "enableReplicationTimeControl": True})
    assert enabled["isDrEnabled"] is True and enabled["drRegion"] == "westus2"
    assert enabled["drVpcSubnetRange"] == "172.20.0.0/19" and enabled["enableReplicationTimeControl"] is True
