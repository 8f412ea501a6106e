"""Optional list members are left out, not `[]`, where the real service has nothing to say (a
KUBERNETES deployment's workerQueues, a team without workspace roles, ...): clients such as the
Terraform provider read `[]` as a value their configuration did not set. Every read operation of
the four APIs is called on one organization holding one of everything and its answer walked along
the reference contract."""

import re

import pytest

import scenario
from contract_shapes import empty_optional_lists, reference, response_schema

APIS = {"astro-v1": "/v1", "platform-v1beta1": "/platform/v1beta1", "iam-v1beta1": "/iam/v1beta1",
        "labs-v1": "/labs/v1"}
# Optional lists answered as [] when empty: a deployment's environmentVariables, which the Terraform
# provider requires in its configuration (`environment_variables = []`) and reads back as null when
# absent (an "inconsistent result after apply").
ALLOWED_NAMES = {"environmentVariables"}


@pytest.fixture(scope="module")
def shape(server):
    shape = scenario.build(server)
    shape.ids["kubernetesDeploymentId"] = shape.api.ok("POST", "/deployments", json={
        "name": "k8s", "workspaceId": shape.ids["workspaceId"], "type": "STANDARD", "cloudProvider": "AWS",
        "region": "us-east-1", "executor": "KUBERNETES"})["id"]
    return shape


def _reads(name: str, shape) -> list[tuple[str, str, str]]:
    """(reference path, concrete URL, what it names) of every GET whose parameters the shape has."""
    found = []
    for path, item in reference(name)["paths"].items():
        if "get" not in item:
            continue
        names = re.findall(r"{(\w+)}", path)
        if not all(n in shape.ids for n in names):
            continue
        url = APIS[name] + path
        for n in names:
            url = url.replace("{" + n + "}", shape.ids[n])
        found.append((path, url, "deployment"))
        if "deploymentId" in names:
            found.append((path, url.replace(shape.ids["deploymentId"], shape.ids["kubernetesDeploymentId"]),
                          "KUBERNETES deployment"))
    return found


@pytest.mark.parametrize("name", list(APIS))
def test_no_empty_optional_lists(shape, name):
    document = reference(name)
    faults, read = [], 0
    for path, url, _ in _reads(name, shape):
        schema = response_schema(document, "GET", path)
        response = shape.api.get(url)
        if schema is None or response.status_code != 200:
            continue  # operations that need more than the shape (e.g. an Airflow) are covered elsewhere
        read += 1
        for fault in empty_optional_lists(document, schema, response.json()):
            if fault.rsplit(".", 1)[-1] not in ALLOWED_NAMES:
                faults.append(f"GET {url}: {fault}")
    assert read >= (1 if name == "labs-v1" else 10), f"only {read} read operations of {name} answered"
    assert not faults, "\n".join(faults)


def test_kubernetes_deployments_have_no_worker_queues(shape):
    api, deployment_id = shape.api, shape.ids["kubernetesDeploymentId"]
    for prefix in ("/v1", "/platform/v1beta1"):
        got = api.at(prefix).ok("GET", f"/deployments/{deployment_id}")
        assert got["executor"] == "KUBERNETES" and "workerQueues" not in got
        listed = api.at(prefix).ok("GET", "/deployments", params={"deploymentIds": deployment_id})["deployments"]
        assert "workerQueues" not in listed[0]
    # an update echoing the deployment keeps it without queues; CELERY brings the default queue
    body = {key: got[key] for key in ("name", "workspaceId", "type", "executor", "isCicdEnforced",
                                      "isDagDeployEnabled", "isHighAvailability", "schedulerSize",
                                      "environmentVariables")}
    assert "workerQueues" not in api.ok("POST", f"/deployments/{deployment_id}", json=body)
    celery = api.ok("POST", f"/deployments/{deployment_id}", json={**body, "executor": "CELERY"})
    assert [queue["name"] for queue in celery["workerQueues"]] == ["default"]
    assert "workerQueues" not in api.ok("POST", f"/deployments/{deployment_id}", json=body)
