"""GET deployment reuses its rendered body only while nothing it shows has changed."""

from conftest import make_workspace
from lifecycle_helpers import make_cluster, poll, reconcile
from test_deployments import _queue, _update_body


def test_every_change_a_deployment_shows_reaches_the_next_get(api, server):
    cluster = make_cluster(api, "reads")
    workspace = make_workspace(api, name="before")
    created = api.ok("POST", "/deployments", json={"name": "d", "workspaceId": workspace["id"],
                                                   "clusterId": cluster["id"], "type": "DEDICATED",
                                                   "executor": "CELERY"})
    path = f"/deployments/{created['id']}"
    first = api.ok("GET", path)
    assert api.ok("GET", path) == first  # the second read comes from the cache

    # the reconciler moves the status
    assert poll(api, path, {"HEALTHY"})["status"] == "HEALTHY"

    # a change to child rows only (a second queue)
    current = api.ok("GET", path)
    queues = [{**_queue("default"), "id": current["workerQueues"][0]["id"]}, _queue("extra")]
    api.ok("POST", path, json=_update_body(current, workerQueues=queues, clusterId=cluster["id"]))
    assert [q["name"] for q in api.ok("GET", path)["workerQueues"]] == ["default", "extra"]

    # the workspace's name and the cluster's name are part of the view
    api.ok("POST", f"/workspaces/{workspace['id']}", json={"name": "after", "description": "", "cicdEnforcedDefault": False})
    assert api.ok("GET", path)["workspaceName"] == "after"
    # lists reuse the same rendered views and see the same changes
    listed = api.ok("GET", "/deployments")["deployments"]
    assert listed == [api.ok("GET", path)] and listed[0]["workerQueues"][1]["name"] == "extra"
    reconcile(server)
    api.ok("POST", f"/clusters/{cluster['id']}", json={"clusterType": "DEDICATED", "name": "renamed", "k8sTags": []})
    assert api.ok("GET", path)["clusterName"] == "renamed"

    # the author profile follows the token that last changed it
    from conftest import make_token
    token, _ = make_token(api, "ORGANIZATION", "ORGANIZATION_OWNER")
    reconcile(server)
    latest = api.ok("GET", path)
    api.as_token(token).ok("POST", path, json=_update_body(latest, clusterId=cluster["id"],
                                                           description="by a token"))
    after = api.ok("GET", path)
    assert after["description"] == "by a token" and after["updatedBy"]["subjectType"] == "SERVICEKEY"
    assert api.ok("GET", "/deployments")["deployments"] == [after]


def test_total_count_follows_creates_and_deletes(api, server):
    first, second = (make_workspace(api, defaultCloudProvider="AWS", defaultRegion="us-east-1") for _ in range(2))
    made = [api.ok("POST", "/deployments", json={"name": f"d{n}", "workspaceId": w["id"]})
            for n, w in enumerate([first, first, second])]
    assert api.ok("GET", "/deployments", params={"limit": 1})["totalCount"] == 3
    api.ok("DELETE", f"/deployments/{made[0]['id']}", 204)  # gone from the counts at once
    page = api.ok("GET", "/deployments", params={"limit": 1})
    assert page["totalCount"] == 2 and len(page["deployments"]) == 1
    assert api.ok("GET", "/deployments", params={"workspaceIds": first["id"]})["totalCount"] == 1
