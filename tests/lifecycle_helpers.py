"""Drive the lifecycle reconciler from tests (the test servers run without the background loop)."""

from astroplane.deployments.reconciler import Reconciler
from astroplane.deployments.steps import Steps

AWS = {"cloudProvider": "AWS", "region": "us-east-1", "type": "DEDICATED", "vpcSubnetRange": "172.20.0.0/20"}


def reconcile(server, now=None) -> int:
    return Reconciler(server.database, Steps(server.settings.step_delay_seconds)).run_once(now)


def poll(api, path: str, until: set[str], passes: int = 5) -> dict:
    """GET `path` and run a reconciler pass between reads until its status is in `until`."""
    for _ in range(passes):
        body = api.ok("GET", path)
        if body["status"] in until:
            return body
        reconcile(api.server)
    raise AssertionError(f"{path} stayed {body['status']}, wanted {until}")


def make_cluster(api, name: str, ready: bool = True, **fields) -> dict:
    cluster = api.ok("POST", "/clusters", json={**AWS, "name": name, **fields})
    if ready:
        cluster = poll(api, f"/clusters/{cluster['id']}", {"CREATED"})
    return cluster
