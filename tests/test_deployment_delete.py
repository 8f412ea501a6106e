"""Deleting a deployment: once DeleteDeployment answers 204 the deployment is gone from every read,
list and count, and no longer holds its workspace or cluster (Terraform's destroy deletes the
deployment, then its workspace and cluster at once, without polling); the runtime's teardown still
runs afterwards, in the reconciler."""

from conftest import assert_error, make_workspace
from lifecycle_helpers import make_cluster, poll, reconcile

from astroplane.deployments.reconciler import Reconciler
from astroplane.deployments.steps import Steps
from astroplane.runtime.simulated import SimulatedRuntime

PLATFORM = "/platform/v1beta1"


class RecordingRuntime(SimulatedRuntime):
    """The simulated runtime, remembering which deployments it was asked to remove."""

    def __init__(self):
        self.removed: list[str] = []

    def remove(self, deployment_id: str) -> None:
        self.removed.append(deployment_id)


def _listed(api, **params) -> tuple[set[str], int]:
    page = api.ok("GET", "/deployments", params=params)
    return {d["id"] for d in page["deployments"]}, page["totalCount"]


def test_delete_deployment_then_its_workspace_and_cluster_at_once(api, server):
    cluster = make_cluster(api, "tf-destroy")
    workspace = make_workspace(api)
    deployment = api.ok("POST", "/deployments", json={"name": "etl", "workspaceId": workspace["id"],
                                                      "type": "DEDICATED", "clusterId": cluster["id"]})
    path = f"/deployments/{deployment['id']}"
    poll(api, path, {"HEALTHY"})
    other_workspace = make_workspace(api)
    kept = api.ok("POST", "/deployments", json={"name": "kept", "workspaceId": other_workspace["id"],
                                                "type": "STANDARD", "cloudProvider": "AWS", "region": "us-east-1"})
    before, total_before = _listed(api)
    assert {deployment["id"], kept["id"]} <= before

    api.ok("DELETE", path, 204)
    # every read agrees at once, on v1 and on the Terraform provider's API
    assert_error(api.get(path), 404)
    assert_error(api.at(PLATFORM).get(path), 404)
    after, total_after = _listed(api)
    assert after == before - {deployment["id"]} and total_after == total_before - 1
    assert _listed(api, workspaceIds=workspace["id"]) == (set(), 0)
    assert deployment["id"] not in {d["id"] for d in api.at(PLATFORM).ok("GET", "/deployments")["deployments"]}
    assert_error(api.delete(path), 404)  # Terraform counts a 404 on DELETE as deleted

    # what Terraform's destroy does next, without waiting
    api.ok("DELETE", f"/workspaces/{workspace['id']}", 204)
    api.ok("DELETE", f"/clusters/{cluster['id']}", 204)
    assert_error(api.get(f"/workspaces/{workspace['id']}"), 404)

    # the teardown still runs, once, in the next reconciler pass, and the cluster goes as usual
    runtime = RecordingRuntime()
    reconciler = Reconciler(server.database, Steps(server.settings.step_delay_seconds), runtime)
    reconciler.run_once()
    assert runtime.removed == [deployment["id"]]
    reconciler.run_once()
    assert runtime.removed == [deployment["id"]]
    reconcile(server)
    assert_error(api.get(f"/clusters/{cluster['id']}"), 404)
    assert api.ok("GET", f"/deployments/{kept['id']}")["id"] == kept["id"]


def test_delete_through_platform_v1beta1_frees_the_workspace(api):
    platform = api.at(PLATFORM)
    workspace = make_workspace(api)
    deployment = api.ok("POST", "/deployments", json={"name": "etl", "workspaceId": workspace["id"],
                                                      "type": "STANDARD", "cloudProvider": "AWS",
                                                      "region": "us-east-1", "executor": "KUBERNETES"})
    platform.ok("DELETE", f"/deployments/{deployment['id']}", 204)
    platform.ok("DELETE", f"/workspaces/{workspace['id']}", 204)
    assert_error(api.get(f"/deployments/{deployment['id']}"), 404)
