"""The Astro CLI v1.45.0 against astroplane, as replays of the calls its commands make (tests/astro_cli.py;
the CLI's module cannot be installed with `go install`). Sources, in astronomer/astro-cli:
cmd/api/cloud.go, cmd/api/request.go, pkg/openapi/cache.go (astro api cloud)."""

import urllib.parse

import pytest

from astro_cli import AstroCli
from conftest import make_workspace


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
