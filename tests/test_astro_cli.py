"""The Astro CLI v1.45.0 against astroplane, as replays of the calls its commands make (tests/astro_cli.py;
the CLI's module cannot be installed with `go install`). Sources, in astronomer/astro-cli:
cmd/api/cloud.go, cmd/api/request.go, pkg/openapi/cache.go (astro api cloud); cmd/cloud/dbt.go,
cloud/deploy/bundle.go, pkg/azure/azure.go (astro dbt deploy / delete)."""

import urllib.parse

import pytest

from archive_helpers import tarball
from astro_cli import AstroCli
from conftest import assert_error, make_workspace


@pytest.fixture
def cli(server, api) -> AstroCli:
    workspace = make_workspace(api)
    return AstroCli(server.client, "http://testserver", api.token, api.org.id, workspace["id"])


def _refs(node, found: set[str]) -> set[str]:
    if isinstance(node, dict):
        if isinstance(node.get("$ref"), str):
            found.add(node["$ref"])
        for value in node.values():
            _refs(value, found)
    elif isinstance(node, list):
        for value in node:
            _refs(value, found)
    return found


def test_api_cloud_ls_loads_the_spec_without_a_token(cli, server):
    spec = cli.load_spec()
    assert spec["openapi"].startswith("3.")  # libopenapi builds a v3 model
    # servers[0] names the v1 base; every path is relative to it (the CLI prefixes <core>/v1)
    assert urllib.parse.urlsplit(spec["servers"][0]["url"]).path == "/v1"
    assert spec["servers"][0]["url"] == f"{server.settings.base_url}/v1"
    assert not [path for path in spec["paths"] if path.startswith("/v1")]
    schemas = spec["components"]["schemas"]
    unresolved = {ref for ref in _refs(spec, set()) if ref.rsplit("/", 1)[-1] not in schemas}
    assert not unresolved and all(ref.startswith("#/components/schemas/") for ref in _refs(spec, set()))
    endpoints = cli.endpoints()
    operations = {operation for _, _, operation in endpoints}
    assert len(endpoints) == len(operations) >= 75 and {"ListDeployments", "GetOrganization"} <= operations
    assert ("GET", "/organizations/{organizationId}/deployments", "ListDeployments") in endpoints
    # the document v1 serves for itself is the same API with the prefix in its paths
    assert len(server.client.get("/v1/openapi.json").json()["paths"]) == len(spec["paths"])


def test_api_cloud_operation_ids_and_paths_reach_v1(cli, api):
    listed = cli.api_cloud("ListDeployments")
    assert listed.status_code == 200 and listed.json()["deployments"] == []
    organization = cli.api_cloud("/organizations/{organizationId}")
    assert organization.status_code == 200 and organization.json()["id"] == api.org.id
    got = cli.api_cloud("GetWorkspace", path_params={"workspaceId": cli.workspace})
    assert got.status_code == 200 and got.json()["id"] == cli.workspace
    made = cli.api_cloud("/organizations/{organizationId}/workspaces", fields={"name": "from-cli"}, method="POST")
    assert made.status_code == 200 and made.json()["name"] == "from-cli"
    filtered = cli.api_cloud("ListWorkspaces", fields={"names": "from-cli"})
    assert [w["id"] for w in filtered.json()["workspaces"]] == [made.json()["id"]]
    assert cli.api_cloud("DeleteWorkspace", path_params={"workspaceId": made.json()["id"]}).status_code == 204
    refused = cli.api_cloud("GetDeployment", path_params={"deploymentId": "c" + "0" * 24})
    assert refused.status_code == 404 and refused.json()["requestId"]


def _dbt_project(name: str, model: bytes = b"select 1 as id\n") -> bytes:
    return tarball({"dbt_project.yml": f"name: {name}\nversion: '1.0'\n".encode(), "models/one.sql": model})


def test_dbt_deploy_then_delete_removes_the_bundle(cli, api):
    deployment = api.ok("POST", "/deployments", json={"name": "dbt", "workspaceId": cli.workspace, "type": "STANDARD",
                                                      "cloudProvider": "AWS", "region": "us-east-1"})
    deployed = cli.dbt_deploy(deployment["id"], "jaffle", _dbt_project("jaffle"))
    [bundle] = deployed["bundles"]
    assert (bundle["mountPath"], bundle["bundleType"]) == ("/usr/local/airflow/dbt/jaffle", "dbt")
    assert bundle["currentVersion"] and deployed["status"] == "DEPLOYED"
    other = cli.dbt_deploy(deployment["id"], "other", _dbt_project("other"))

    removed = cli.dbt_delete(deployment["id"], "jaffle")
    assert removed.status_code == 200, removed.text
    body = removed.json()
    assert body["status"] == "DEPLOYED" and body["bundleMountPath"] == "/usr/local/airflow/dbt/jaffle"
    assert [set(b) for b in body["bundles"]] == [{"bundleType", "deployId", "mountPath"}]  # no version: removed
    deploys = api.ok("GET", f"/deployments/{deployment['id']}/deploys")["deploys"]
    assert [d["id"] for d in deploys][0] == body["id"] and len(deploys) == 3
    # the other bundle stays; rolling back to the first deploy brings jaffle back
    back = api.ok("POST", f"/deployments/{deployment['id']}/deploys/{deployed['id']}/rollback", json={})
    assert back["bundles"][0]["currentVersion"] == bundle["currentVersion"]
    assert other["bundles"][0]["mountPath"] == "/usr/local/airflow/dbt/other"
    # a BUNDLE finalize still needs a version or "" (an omitted one is refused), and "" only for bundles
    pending = api.ok("POST", f"/deployments/{deployment['id']}/deploys",
                     json={"type": "BUNDLE", "bundleMountPath": "/x", "bundleType": "dbt"})
    assert_error(api.post(f"/deployments/{deployment['id']}/deploys/{pending['id']}/finalize", json={}), 400,
                 "bundleTarballVersion")
    dag = api.ok("POST", f"/deployments/{deployment['id']}/deploys", json={"type": "IMAGE_ONLY"})
    api.ok("POST", f"/deployments/{deployment['id']}/deploys/{dag['id']}/finalize", json={"bundleTarballVersion": ""})
