"""The PyPI client `astro-platform-api` 1.1.1 (generated from Platform v1beta1), unmodified, against us:
every one of its 45 operations, deploys included (the last test checks that none is left out).

Its models parse every response strictly (a missing required field is a KeyError, an unknown enum
value a ValueError), so each call below also holds our shapes against what the client expects.
"""

import json

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


# --- every other operation of the client ------------------------------------------------------

def _ok(result, model):
    assert isinstance(result, model), result
    return result


def test_clusters_and_options_through_the_generated_client(platform, api, server):
    from astro_platform_api_client.api.cluster import create_cluster, delete_cluster, get_cluster, update_cluster
    from astro_platform_api_client.api.options import get_cluster_options, get_deployment_options
    from astro_platform_api_client.models import (Cluster, ClusterOptions, CreateAwsClusterRequest, DeploymentOptions,
                                                  GetClusterOptionsType, UpdateDedicatedClusterRequest)

    from lifecycle_helpers import reconcile

    org = api.org.id
    options = get_cluster_options.sync(organization_id=org, client=platform, type_=GetClusterOptionsType.DEDICATED)
    assert options and all(isinstance(o, ClusterOptions) for o in options)
    assert _ok(get_deployment_options.sync(organization_id=org, client=platform), DeploymentOptions).runtime_releases
    made = _ok(create_cluster.sync(organization_id=org, client=platform, body=CreateAwsClusterRequest.from_dict(
        {"cloudProvider": "AWS", "name": "pypi", "region": "us-east-1", "type": "DEDICATED",
         "vpcSubnetRange": "172.20.0.0/20"})), Cluster)
    reconcile(server)
    assert _ok(get_cluster.sync(organization_id=org, cluster_id=made.id, client=platform), Cluster).status == "CREATED"
    changed = _ok(update_cluster.sync(organization_id=org, cluster_id=made.id, client=platform,
                                      body=UpdateDedicatedClusterRequest.from_dict(
                                          {"clusterType": "DEDICATED", "name": "pypi-2", "k8sTags": []})), Cluster)
    assert changed.name == "pypi-2"
    reconcile(server)
    assert delete_cluster.sync_detailed(organization_id=org, cluster_id=made.id, client=platform).status_code == 204


def test_deployments_through_the_generated_client(platform, api):
    import datetime as dt

    from astro_platform_api_client.api.deployment import (create_deployment, delete_deployment,
                                                          delete_deployment_hibernation_override,
                                                          update_deployment, update_deployment_hibernation_override)
    from astro_platform_api_client.models import (CreateStandardDeploymentRequest, DeploymentHibernationOverride,
                                                  OverrideDeploymentHibernationBody, UpdateStandardDeploymentRequest)

    org = api.org.id
    workspace = api.ok("POST", "/workspaces", json={"name": "w"})
    standard = {"type": "STANDARD", "cloudProvider": "AWS", "region": "us-east-1", "executor": "KUBERNETES",
                "astroRuntimeVersion": "13.0.0", "schedulerSize": "SMALL", "isHighAvailability": False,
                "isDevelopmentMode": True, "isCicdEnforced": False, "isDagDeployEnabled": True,
                "resourceQuotaCpu": "10", "resourceQuotaMemory": "20Gi", "defaultTaskPodCpu": "1",
                "defaultTaskPodMemory": "2Gi", "name": "pypi", "workspaceId": workspace["id"]}
    response = create_deployment.sync_detailed(organization_id=org, client=platform,
                                               body=CreateStandardDeploymentRequest.from_dict(standard))
    made = _ok(response.parsed, Deployment)
    assert "workerQueues" not in json.loads(response.content)  # a KUBERNETES deployment has none
    body = {key: standard[key] for key in ("name", "workspaceId", "type", "executor", "isCicdEnforced",
                                           "isDagDeployEnabled", "isHighAvailability", "schedulerSize",
                                           "isDevelopmentMode", "resourceQuotaCpu", "resourceQuotaMemory",
                                           "defaultTaskPodCpu", "defaultTaskPodMemory")}
    body.update(description="from pypi", environmentVariables=[{"key": "A", "value": "1", "isSecret": False}])
    changed = _ok(update_deployment.sync(organization_id=org, deployment_id=made.id, client=platform,
                                         body=UpdateStandardDeploymentRequest.from_dict(body)), Deployment)
    assert changed.description == "from pypi" and changed.environment_variables[0].key == "A"
    until = dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)
    override = _ok(update_deployment_hibernation_override.sync(
        organization_id=org, deployment_id=made.id, client=platform,
        body=OverrideDeploymentHibernationBody(is_hibernating=True, override_until=until)),
        DeploymentHibernationOverride)
    assert override.is_hibernating is True
    assert delete_deployment_hibernation_override.sync_detailed(
        organization_id=org, deployment_id=made.id, client=platform).status_code == 204
    assert delete_deployment.sync_detailed(organization_id=org, deployment_id=made.id, client=platform).status_code == 204
    # gone at once: its workspace can go next
    assert api.delete(f"/workspaces/{workspace['id']}").status_code == 204


def test_environment_objects_through_the_generated_client(platform, api, server):
    from astro_platform_api_client.api.environment import (create_environment_object, delete_environment_object,
                                                           exclude_linking_environment_object,
                                                           get_environment_object, list_environment_objects,
                                                           update_environment_object)
    from astro_platform_api_client.models import (CreateEnvironmentObject, CreateEnvironmentObjectRequest,
                                                  EnvironmentObject, EnvironmentObjectsPaginated,
                                                  ExcludeLinkEnvironmentObjectRequest,
                                                  UpdateEnvironmentObjectRequest)

    from factories import insert_deployment

    org = api.org.id
    workspace = api.ok("POST", "/workspaces", json={"name": "w"})["id"]
    deployment = insert_deployment(server, org, workspace)
    created = _ok(create_environment_object.sync(organization_id=org, client=platform,
                                                 body=CreateEnvironmentObjectRequest.from_dict({
                                                     "objectKey": "PYPI_VAR", "objectType": "AIRFLOW_VARIABLE",
                                                     "scope": "WORKSPACE", "scopeEntityId": workspace,
                                                     "autoLinkDeployments": True,
                                                     "airflowVariable": {"value": "one", "isSecret": False}})),
                  CreateEnvironmentObject)
    read = _ok(get_environment_object.sync(organization_id=org, environment_object_id=created.id, client=platform),
               EnvironmentObject)
    assert read.object_key == "PYPI_VAR"
    listed = _ok(list_environment_objects.sync(organization_id=org, client=platform, workspace_id=workspace),
                 EnvironmentObjectsPaginated)
    assert [o.id for o in listed.environment_objects] == [created.id]
    _ok(update_environment_object.sync(organization_id=org, environment_object_id=created.id, client=platform,
                                       body=UpdateEnvironmentObjectRequest.from_dict(
                                           {"airflowVariable": {"value": "two"}})), EnvironmentObject)
    excluded = exclude_linking_environment_object.sync_detailed(
        organization_id=org, environment_object_id=created.id, client=platform,
        body=ExcludeLinkEnvironmentObjectRequest.from_dict({"scope": "DEPLOYMENT", "scopeEntityId": deployment}))
    assert excluded.status_code in (200, 204), excluded.content
    assert [link["scopeEntityId"] for link in api.ok("GET", f"/environment-objects/{created.id}")["excludeLinks"]] \
        == [deployment]
    assert delete_environment_object.sync_detailed(organization_id=org, environment_object_id=created.id,
                                                   client=platform).status_code == 204


def test_alerts_and_notification_channels_through_the_generated_client(platform, api, server):
    from astro_platform_api_client.api.alerts import create_alert, delete_alert, get_alert, list_alerts, update_alert
    from astro_platform_api_client.api.notification_channels import (create_notification_channel,
                                                                     delete_notification_channel,
                                                                     get_notification_channel,
                                                                     list_notification_channels,
                                                                     update_notification_channel)
    from astro_platform_api_client.models import (Alert, AlertsPaginated, CreateDagFailureAlertRequest,
                                                  CreateEmailNotificationChannelRequest, NotificationChannel,
                                                  NotificationChannelsPaginated, UpdateDagFailureAlertRequest,
                                                  UpdateEmailNotificationChannelRequest)

    from alerts_helpers import alert, email, workspace_with_deployments

    org = api.org.id
    _, [deployment] = workspace_with_deployments(server, api)
    channel = _ok(create_notification_channel.sync(organization_id=org, client=platform,
                                                   body=CreateEmailNotificationChannelRequest.from_dict(
                                                       email("DEPLOYMENT", deployment))), NotificationChannel)
    assert _ok(get_notification_channel.sync(organization_id=org, notification_channel_id=channel.id,
                                             client=platform), NotificationChannel).id == channel.id
    assert [c.id for c in _ok(list_notification_channels.sync(organization_id=org, client=platform),
                              NotificationChannelsPaginated).notification_channels] == [channel.id]
    renamed = _ok(update_notification_channel.sync(organization_id=org, notification_channel_id=channel.id,
                                                   client=platform, body=UpdateEmailNotificationChannelRequest.from_dict(
                                                       {"type": "EMAIL", "name": "renamed"})), NotificationChannel)
    assert renamed.name == "renamed"
    # without pattern matches: the client's response enum of a pattern's entityType holds only the
    # reference's artefact "DAG_ID TASK_ID", so it cannot read an alert with a DAG_ID pattern (nor
    # could it against Astro); an empty list watches every DAG
    made = _ok(create_alert.sync(organization_id=org, client=platform, body=CreateDagFailureAlertRequest.from_dict(
        alert(deployment, [channel.id], patterns=[]))), Alert)
    assert _ok(get_alert.sync(organization_id=org, alert_id=made.id, client=platform), Alert).id == made.id
    assert [a.id for a in _ok(list_alerts.sync(organization_id=org, client=platform), AlertsPaginated).alerts] == [made.id]
    changed = _ok(update_alert.sync(organization_id=org, alert_id=made.id, client=platform,
                                    body=UpdateDagFailureAlertRequest.from_dict({"type": "DAG_FAILURE",
                                                                                  "severity": "WARNING"})), Alert)
    assert changed.severity == "WARNING"
    assert delete_alert.sync_detailed(organization_id=org, alert_id=made.id, client=platform).status_code == 204
    assert delete_notification_channel.sync_detailed(organization_id=org, notification_channel_id=channel.id,
                                                     client=platform).status_code == 204


def test_organization_update_and_audit_logs_through_the_generated_client(platform, api):
    import gzip

    from astro_platform_api_client.api.organization import get_organization_audit_logs, update_organization
    from astro_platform_api_client.models import UpdateOrganizationRequest

    org = api.org.id
    updated = _ok(update_organization.sync(organization_id=org, client=platform, body=UpdateOrganizationRequest(
        billing_email="billing@example.com", is_scim_enabled=False, name="renamed-by-pypi")), Organization)
    assert updated.name == "renamed-by-pypi"
    logs = get_organization_audit_logs.sync(organization_id=org, client=platform)
    assert isinstance(logs, bytes)
    text = logs.decode() if not logs.startswith(b"\x1f\x8b") else gzip.decompress(logs).decode()
    entries = [json.loads(line) for line in text.splitlines() if line]  # gzipped NDJSON, one line a request
    assert any(e["method"] == "POST" and e["path"] == f"/platform/v1beta1/organizations/{org}" and e["status"] == 200
               for e in entries)


def test_every_operation_of_the_client_is_driven_here():
    """The client's operations are its api modules; each is called somewhere in this file."""
    import pathlib
    import pkgutil

    import astro_platform_api_client.api as package

    modules = {info.name for group in pkgutil.iter_modules(package.__path__)
               for info in pkgutil.iter_modules([f"{package.__path__[0]}/{group.name}"])}
    source = pathlib.Path(__file__).read_text()
    assert len(modules) == 45
    assert not {name for name in modules if f"{name}.sync" not in source}
