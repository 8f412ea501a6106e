"""The PyPI client `astro-platform-api` (generated from Platform v1beta1), unmodified, against us.

Its models parse every response strictly (a missing required field is a KeyError, an unknown enum
value a ValueError), so each call below also holds our shapes against what the client expects.
"""

import pytest
from fastapi.testclient import TestClient

from astro_platform_api_client import AuthenticatedClient
from astro_platform_api_client.api.cluster import list_clusters
from astro_platform_api_client.api.deployment import get_deployment, list_deployments
from astro_platform_api_client.api.organization import get_organization, list_organizations
from astro_platform_api_client.api.workspace import (create_workspace, delete_workspace, get_workspace,
                                                     list_workspaces, update_workspace)
from astro_platform_api_client.models import (CreateWorkspaceRequest, Deployment, Error, Organization,
                                              UpdateWorkspaceRequest, Workspace)

from conftest import CLIENT_ADDRESS


@pytest.fixture
def platform(server, api):
    """The generated client, sending through our app under /platform/v1beta1 with the org owner's token."""
    transport = TestClient(server.client.app, base_url="http://testserver/platform/v1beta1",
                           raise_server_exceptions=False, client=CLIENT_ADDRESS)
    client = AuthenticatedClient(base_url="http://testserver/platform/v1beta1", token=api.token)
    transport.headers["Authorization"] = f"Bearer {api.token}"
    client.set_httpx_client(transport)
    yield client
    transport.close()


def test_workspaces_round_trip_through_the_generated_client(platform, api):
    org = api.org.id
    created = create_workspace.sync(organization_id=org, client=platform,
                                    body=CreateWorkspaceRequest(name="from-pypi", description="made by the client"))
    assert isinstance(created, Workspace) and created.name == "from-pypi" and created.organization_id == org
    listed = list_workspaces.sync(organization_id=org, client=platform, names=["from-pypi"])
    assert [w.id for w in listed.workspaces] == [created.id] and listed.total_count == 1
    updated = update_workspace.sync(organization_id=org, workspace_id=created.id, client=platform,
                                    body=UpdateWorkspaceRequest(name="renamed", description="",
                                                                cicd_enforced_default=True))
    assert isinstance(updated, Workspace) and updated.cicd_enforced_default is True
    # the same workspace through v1
    assert api.ok("GET", f"/workspaces/{created.id}")["name"] == "renamed"
    assert delete_workspace.sync_detailed(organization_id=org, workspace_id=created.id, client=platform).status_code == 204
    gone = get_workspace.sync(organization_id=org, workspace_id=created.id, client=platform)
    assert isinstance(gone, Error) and gone.status_code == 404 and gone.request_id


def test_organization_deployments_and_clusters_parse(platform, api):
    org = api.org.id
    organization = get_organization.sync(organization_id=org, client=platform)
    assert isinstance(organization, Organization) and organization.id == org and organization.support_plan
    assert [o.id for o in list_organizations.sync(client=platform).organizations] == [org]
    workspace = api.ok("POST", "/workspaces", json={"name": "w", "defaultCloudProvider": "AWS",
                                                    "defaultRegion": "us-east-1"})
    made = api.ok("POST", "/deployments", json={"name": "d", "workspaceId": workspace["id"]})
    deployment = get_deployment.sync(organization_id=org, deployment_id=made["id"], client=platform)
    assert isinstance(deployment, Deployment) and deployment.id == made["id"]
    assert deployment.workspace_id == workspace["id"] and deployment.status
    listed = list_deployments.sync(organization_id=org, client=platform, workspace_ids=[workspace["id"]])
    assert [d.id for d in listed.deployments] == [made["id"]]
    assert list_clusters.sync(organization_id=org, client=platform).total_count >= 0


def test_deploys_through_the_generated_client(platform, api, server):
    from astro_platform_api_client.api.deploy import (create_deploy, deploy_rollback, finalize_deploy, get_deploy,
                                                      list_deploys, update_deploy)
    from astro_platform_api_client.models import (CreateDeployRequest, CreateDeployRequestType, Deploy,
                                                  DeployRollbackRequest, DeploysPaginated, DeployStatus,
                                                  FinalizeDeployRequest, UpdateDeployRequest)

    from archive_helpers import tarball
    from test_deploys import put_archive

    org = api.org.id
    workspace = api.ok("POST", "/workspaces", json={"name": "w", "defaultCloudProvider": "AWS",
                                                    "defaultRegion": "us-east-1"})
    deployment_id = api.ok("POST", "/deployments", json={"name": "d", "workspaceId": workspace["id"]})["id"]
    scope = dict(organization_id=org, deployment_id=deployment_id, client=platform)
    versions = []
    for name in ("first", "second"):
        created = create_deploy.sync(**scope, body=CreateDeployRequest(type_=CreateDeployRequestType.DAG_ONLY,
                                                                       description=name))
        assert isinstance(created, Deploy) and created.status == DeployStatus.INITIALIZED and created.dags_upload_url
        uploaded = put_archive(server, created.dags_upload_url, tarball({f"dags/{name}.py": b"x = 1\n"}))
        versions.append(uploaded.headers["x-ms-version-id"])
        done = finalize_deploy.sync(**scope, deploy_id=created.id,
                                    body=FinalizeDeployRequest(dag_tarball_version=versions[-1]))
        assert isinstance(done, Deploy) and done.status == DeployStatus.DEPLOYED
        assert done.dag_tarball_version == versions[-1]
    listed = list_deploys.sync(**scope, limit=1)
    assert isinstance(listed, DeploysPaginated) and listed.total_count == 2 and len(listed.deploys) == 1
    first_id = list_deploys.sync(**scope).deploys[-1].id
    described = update_deploy.sync(**scope, deploy_id=first_id, body=UpdateDeployRequest(description="renamed"))
    assert isinstance(described, Deploy) and described.description == "renamed"
    back = deploy_rollback.sync(**scope, deploy_id=first_id, body=DeployRollbackRequest(description="back"))
    assert isinstance(back, Deploy) and back.rollback_from_id == first_id
    assert back.dag_tarball_version == versions[0]
    read = get_deploy.sync(**scope, deploy_id=back.id)
    assert isinstance(read, Deploy) and read.id == back.id
    # the same deploys through v1
    assert {d["id"] for d in api.ok("GET", f"/deployments/{deployment_id}/deploys")["deploys"]} == {
        d.id for d in list_deploys.sync(**scope).deploys}
