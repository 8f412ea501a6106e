"""The Terraform provider astronomer/astro v1.5.2, built from its release, driven by the machine's
`terraform` against a live `astroplane serve --tls` on SQLite and on PostgreSQL.

Each test takes one family of the provider's resources through what a user does with it:
`apply`; a second plan with no changes; an in-place update (the plan updates, never replaces);
`terraform import` of every resource into a fresh state, whose plan shows no changes; `destroy`;
then the API shows nothing left behind. How terraform reaches astroplane under the provider's host
name, and where the provider comes from: tests/terraform_harness.py.
"""

import dataclasses
import re
import ssl
import time
import uuid

import httpx
import pytest

from astroplane.kit.tls import ensure_certificate
from live import LiveServer
from terraform_harness import ROOT, Terraform, Tunnel, provider_setup

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("terraform")]

# A cluster's step is done by the provider's first poll (its next one comes a minute later): every
# GetCluster waits this long first, while the reconciler (every 0.2 s, steps of 0 s) moves it on.
CLUSTER_READ_LATENCY_MS = 1500


@dataclasses.dataclass
class Astro:
    """The live server as the tests see it: terraform bound to it, and an API client for checks."""
    tf: Terraform
    http: httpx.Client
    organization_id: str
    owner_id: str
    member_id: str  # a second person in the organization, for memberships and user roles

    def get(self, path: str) -> httpx.Response:
        return self.http.get(path.replace("{org}", f"/organizations/{self.organization_id}"))

    def found(self, path: str) -> dict:
        response = self.get(path)
        assert response.status_code == 200, (path, response.status_code, response.text)
        return response.json()

    def gone(self, path: str) -> None:
        response = self.get(path)
        assert response.status_code == 404, (path, response.status_code, response.text)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def astro(request, databases, tmp_path_factory):
    terraform, cli_config = provider_setup()
    data = tmp_path_factory.mktemp(f"terraform-{request.param}")
    authority = ensure_certificate(data / "tls").authority
    server = LiveServer(data, databases.url(request.param), run_reconciler="true", test_controls="true",
                        reconcile_interval_seconds="0.2")
    owner = server.cli("init", "--organization", "terraform", "--owner-email", "owner@terraform.test")
    member = server.cli("init", "--organization", "terraform", "--owner-email", "member@terraform.test")
    server.start("--tls", health_context=ssl.create_default_context(cafile=str(authority)))
    tunnel = Tunnel(server.port).start()
    http = httpx.Client(base_url=server.base, verify=str(authority), timeout=60,
                        headers={"Authorization": f"Bearer {owner['token']}"})
    org = owner["organizationId"]
    fault = http.post(f"/astroplane/v1/organizations/{org}/faults",
                      json={"operationId": "GetCluster", "kind": "LATENCY", "latencyMs": CLUSTER_READ_LATENCY_MS,
                            "count": 100000})
    assert fault.status_code in (200, 201), fault.text
    home = data / "terraform"
    home.mkdir()
    tf = Terraform(terraform, cli_config, home, tunnel, authority, owner["token"], org)
    try:
        yield Astro(tf, http, org, owner["userId"], member["userId"])
        assert not tunnel.refused, f"the tunnel refused {tunnel.refused}"  # nothing tried to leave
    finally:
        http.close()
        tunnel.stop()
        server.stop()


# How `terraform import` names each kind of resource (the provider's ImportState).
IMPORT_IDS = {
    "astro_agent_token": lambda v: f"{v['deployment_id']}/{v['id']}",
    "astro_hybrid_cluster_workspace_authorization": lambda v: v["cluster_id"],
    "astro_team_membership": lambda v: f"{v['team_id']}/{v['user_id']}",
    "astro_team_roles": lambda v: v["team_id"],
    "astro_user_roles": lambda v: v["user_id"],
}


def lifecycle(astro: Astro, name: str, first: str, second: str, updated: set[str], *,
              not_importable: str = "", after_apply=None) -> dict[str, dict]:
    """apply `first`; no changes; `second` updates exactly `updated` in place; import into a fresh
    state whose config is `second` without the blocks in `not_importable` (resources the provider
    cannot import); destroy. `after_apply(folder)` checks the first apply (outputs...).
    Returns the state after the update, for the caller's checks that nothing is left."""
    tf = astro.tf
    folder = tf.workdir(name, first)
    tf.apply(folder)
    if after_apply:
        after_apply(folder)
    tf.assert_no_changes(folder)
    tf.write(folder, second)
    changes = tf.plan_changes(folder)
    assert {change["address"]: change["change"]["actions"] for change in changes} == {
        address: ["update"] for address in updated}
    tf.run(folder, "apply", "-input=false", "plan.out")  # the plan just checked
    tf.assert_no_changes(folder)
    state = tf.state(folder)
    assert not not_importable or not_importable in second
    fresh = tf.workdir(f"{name}-imported", second.replace(not_importable, "") if not_importable else second)
    importable = tf.addresses(fresh)
    for address, values in state.items():
        if address in importable:
            import_id = IMPORT_IDS.get(address.split(".")[0], lambda v: v["id"])(values)
            tf.run(fresh, "import", "-input=false", address, import_id)
    tf.assert_no_changes(fresh)
    tf.run(folder, "destroy", "-auto-approve", "-input=false")
    return state


def _suffix() -> str:
    return uuid.uuid4().hex[:6]


WORKSPACE = """
resource "astro_workspace" "analytics" {{
  name                  = "analytics-{suffix}"
  description           = "{description}"
  cicd_enforced_default = false
}}
"""

CELERY = """
resource "astro_deployment" "celery" {{
  original_astro_runtime_version = "13.2.0"
  name                    = "etl-{suffix}"
  description             = "{description}"
  type                    = "STANDARD"
  cloud_provider          = "AWS"
  region                  = "us-east-1"
  workspace_id            = astro_workspace.analytics.id
  contact_emails          = []
  default_task_pod_cpu    = "0.25"
  default_task_pod_memory = "0.5Gi"
  executor                = "CELERY"
  is_cicd_enforced        = false
  is_dag_deploy_enabled   = true
  is_development_mode     = false
  is_high_availability    = false
  resource_quota_cpu      = "10"
  resource_quota_memory   = "20Gi"
  scheduler_size          = "SMALL"
  worker_queues = [{{
    name               = "default"
    astro_machine      = "A5"
    is_default         = true
    max_worker_count   = {max_workers}
    min_worker_count   = 0
    worker_concurrency = 5
  }}, {{
    name               = "heavy"
    astro_machine      = "A10"
    is_default         = false
    max_worker_count   = 2
    min_worker_count   = 0
    worker_concurrency = 1
  }}]
  environment_variables = [{{
    key       = "STAGE"
    value     = "{description}"
    is_secret = false
  }}]
}}
"""

KUBERNETES = """
resource "astro_deployment" "kubernetes" {{
  original_astro_runtime_version = "13.2.0"
  name                    = "k8s-{suffix}"
  description             = "{description}"
  type                    = "STANDARD"
  cloud_provider          = "AWS"
  region                  = "us-east-1"
  workspace_id            = astro_workspace.analytics.id
  contact_emails          = ["data@terraform.test"]
  default_task_pod_cpu    = "0.25"
  default_task_pod_memory = "0.5Gi"
  executor                = "KUBERNETES"
  is_cicd_enforced        = false
  is_dag_deploy_enabled   = true
  is_development_mode     = false
  is_high_availability    = false
  resource_quota_cpu      = "10"
  resource_quota_memory   = "20Gi"
  scheduler_size          = "SMALL"
  environment_variables   = []
}}
"""

# Environment objects (the provider's only /v1 resource) and an agent token (every attribute of
# which forces a new token: nothing to update in place) on the deployments above. The connection
# has no password: the API never returns secrets, so an imported one could not match the config.
ENVIRONMENT_OBJECTS = """
resource "astro_environment_object" "region" {{
  object_key      = "region_{suffix}"
  object_type     = "AIRFLOW_VARIABLE"
  scope           = "WORKSPACE"
  scope_entity_id = astro_workspace.analytics.id
  value           = "{description}"
  is_secret       = false
}}
resource "astro_environment_object" "warehouse" {{
  object_key      = "warehouse_{suffix}"
  object_type     = "CONNECTION"
  scope           = "DEPLOYMENT"
  scope_entity_id = astro_deployment.celery.id
  type            = "postgres"
  host            = "warehouse.example.com"
  port            = 5432
  login           = "airflow-{description}"
  schema          = "analytics"
}}
resource "astro_agent_token" "celery" {{
  deployment_id = astro_deployment.celery.id
  name          = "agent-{suffix}"
  description   = "a remote agent"
}}
"""


def test_workspace_deployments_environment_objects_and_agent_token(astro):
    suffix = _suffix()
    reads = """
data "astro_workspace" "analytics" {
  id = astro_workspace.analytics.id
}
data "astro_deployments" "analytics" {
  workspace_ids = [astro_workspace.analytics.id]
  depends_on    = [astro_deployment.celery, astro_deployment.kubernetes]
}
output "workspace_name" {
  value = data.astro_workspace.analytics.name
}
output "deployment_names" {
  value = sort([for d in data.astro_deployments.analytics.deployments : d.name])
}
data "astro_deployment_options" "celery" {
  executor = "CELERY"
}
output "has_a5" {
  value = contains([for m in data.astro_deployment_options.celery.worker_machines : m.name], "A5")
}
data "astro_environment_objects" "analytics" {
  workspace_id = astro_workspace.analytics.id
  depends_on   = [astro_environment_object.region]
}
output "environment_object_keys" {
  value     = [for o in data.astro_environment_objects.analytics.environment_objects : o.object_key]
  sensitive = true  # the list holds secrets; `terraform output -json` still shows it
}
"""

    def config(description: str, max_workers: int) -> str:
        values = dict(suffix=suffix, description=description, max_workers=max_workers)
        return (WORKSPACE.format(**values) + CELERY.format(**values) + KUBERNETES.format(**values)
                + ENVIRONMENT_OBJECTS.format(**values) + reads)

    def created(folder):
        assert astro.tf.outputs(folder) == {"workspace_name": f"analytics-{suffix}",
                                            "deployment_names": [f"etl-{suffix}", f"k8s-{suffix}"],
                                            "has_a5": True, "environment_object_keys": [f"region_{suffix}"]}

    state = lifecycle(astro, "deployments", config("first", 10), config("second", 4),
                      updated={"astro_workspace.analytics", "astro_deployment.celery", "astro_deployment.kubernetes",
                               "astro_environment_object.region", "astro_environment_object.warehouse"},
                      after_apply=created)
    celery = state["astro_deployment.celery"]
    assert {q["name"]: q["max_worker_count"] for q in celery["worker_queues"]} == {"default": 4, "heavy": 2}
    assert state["astro_deployment.kubernetes"]["worker_queues"] is None
    for address in ("astro_deployment.celery", "astro_deployment.kubernetes"):
        astro.gone(f"/v1{{org}}/deployments/{state[address]['id']}")
    for address in ("astro_environment_object.region", "astro_environment_object.warehouse"):
        astro.gone(f"/v1{{org}}/environment-objects/{state[address]['id']}")
    agent = state["astro_agent_token.celery"]
    astro.gone(f"/v1{{org}}/deployments/{agent['deployment_id']}/agent-tokens/{agent['id']}")
    astro.gone(f"/v1{{org}}/workspaces/{state['astro_workspace.analytics']['id']}")


def _wait_created(astro: Astro, cluster_id: str) -> None:
    deadline = time.monotonic() + 120
    while astro.found(f"/v1{{org}}/clusters/{cluster_id}")["status"] != "CREATED":
        assert time.monotonic() < deadline, f"cluster {cluster_id} never became CREATED"
        time.sleep(0.5)


def test_clusters_a_dedicated_deployment_and_hybrid_workspace_authorization(astro):
    suffix = _suffix()
    # a hybrid cluster is made by Astro's support, not by the provider: here through /v1
    hybrid = astro.http.post(f"/v1/organizations/{astro.organization_id}/clusters",
                             json={"cloudProvider": "AWS", "region": "us-east-1", "type": "HYBRID",
                                   "vpcSubnetRange": "172.20.0.0/20", "name": f"hybrid-{suffix}",
                                   "providerAccount": "123456789012"})
    assert hybrid.status_code == 200, hybrid.text
    _wait_created(astro, hybrid.json()["id"])

    def config(description: str, workspaces: str, hybrid_workspaces: str) -> str:
        return WORKSPACE.format(suffix=suffix, description=description) + f"""
resource "astro_workspace" "hybrid" {{
  name                  = "hybrid-{suffix}"
  description           = "for the hybrid cluster"
  cicd_enforced_default = false
}}
resource "astro_hybrid_cluster_workspace_authorization" "hybrid" {{
  cluster_id    = "{hybrid.json()['id']}"
  workspace_ids = [{hybrid_workspaces}]
}}
resource "astro_cluster" "dedicated" {{
  type             = "DEDICATED"
  name             = "cluster-{suffix}"
  region           = "us-east-1"
  cloud_provider   = "AWS"
  vpc_subnet_range = "172.20.0.0/20"
  workspace_ids    = [{workspaces}]
}}
resource "astro_deployment" "dedicated" {{
  original_astro_runtime_version = "13.2.0"
  name                    = "dedicated-{suffix}"
  description             = "{description}"
  type                    = "DEDICATED"
  cluster_id              = astro_cluster.dedicated.id
  workspace_id            = astro_workspace.analytics.id
  contact_emails          = []
  default_task_pod_cpu    = "0.25"
  default_task_pod_memory = "0.5Gi"
  executor                = "CELERY"
  is_cicd_enforced        = false
  is_dag_deploy_enabled   = true
  is_development_mode     = false
  is_high_availability    = true
  resource_quota_cpu      = "10"
  resource_quota_memory   = "20Gi"
  scheduler_size          = "MEDIUM"
  environment_variables   = []
  worker_queues = [{{
    name               = "default"
    astro_machine      = "A5"
    is_default         = true
    max_worker_count   = 10
    min_worker_count   = 1
    worker_concurrency = 5
  }}]
}}
data "astro_cluster" "dedicated" {{
  id = astro_cluster.dedicated.id
}}
output "cluster_status" {{
  value = data.astro_cluster.dedicated.status
}}
"""

    def created(folder):
        assert astro.tf.outputs(folder) == {"cluster_status": "CREATED"}

    state = lifecycle(astro, "cluster", config("first", "", "astro_workspace.analytics.id"),
                      config("second", "astro_workspace.analytics.id", "astro_workspace.hybrid.id"),
                      updated={"astro_workspace.analytics", "astro_cluster.dedicated", "astro_deployment.dedicated",
                               "astro_hybrid_cluster_workspace_authorization.hybrid"},
                      after_apply=created)
    assert state["astro_cluster.dedicated"]["workspace_ids"] == [state["astro_workspace.analytics"]["id"]]
    assert state["astro_hybrid_cluster_workspace_authorization.hybrid"]["workspace_ids"] == [
        state["astro_workspace.hybrid"]["id"]]
    # destroying the authorization leaves the hybrid cluster, open to no workspace
    assert "workspaceIds" not in astro.found(f"/v1{{org}}/clusters/{hybrid.json()['id']}")
    astro.gone(f"/v1{{org}}/deployments/{state['astro_deployment.dedicated']['id']}")
    astro.gone(f"/v1{{org}}/clusters/{state['astro_cluster.dedicated']['id']}")
    for workspace in ("astro_workspace.analytics", "astro_workspace.hybrid"):
        astro.gone(f"/v1{{org}}/workspaces/{state[workspace]['id']}")


def test_tokens_teams_roles_and_invites(astro):
    suffix = _suffix()
    # a team made elsewhere, whose roles (astro_team_roles) and one membership terraform manages.
    # Not astro_team's member_ids: the provider never reads members back (its Read echoes the
    # state), so they cannot survive an import; and an astro_team update sets the members to
    # member_ids (none when unset), which would drop a membership managed beside it.
    made = astro.http.post(f"/v1/organizations/{astro.organization_id}/teams",
                           json={"name": f"made-elsewhere-{suffix}", "organizationRole": "ORGANIZATION_MEMBER"})
    assert made.status_code == 200, made.text
    invite = f"""
resource "astro_user_invite" "newcomer" {{
  email = "newcomer-{suffix}@terraform.test"
  role  = "ORGANIZATION_MEMBER"
}}
"""

    def config(description: str, workspace_role: str, permissions: str) -> str:
        return WORKSPACE.format(suffix=suffix, description=description) + f"""
resource "astro_api_token" "organization" {{
  name                  = "ci-{suffix}"
  description           = "{description}"
  type                  = "ORGANIZATION"
  expiry_period_in_days = 30
  roles = [{{
    role        = "ORGANIZATION_MEMBER"
    entity_id   = "{astro.organization_id}"
    entity_type = "ORGANIZATION"
  }}]
}}
resource "astro_api_token" "workspace" {{
  name        = "deployer-{suffix}"
  description = "{description}"
  type        = "WORKSPACE"
  roles = [{{
    role        = "{workspace_role}"
    entity_id   = astro_workspace.analytics.id
    entity_type = "WORKSPACE"
  }}]
}}
locals {{
  workspace_roles = [{{
    workspace_id = astro_workspace.analytics.id
    role         = "{workspace_role}"
  }}]
}}
resource "astro_team" "data" {{
  name              = "data-{suffix}"
  description       = "{description}"
  organization_role = "ORGANIZATION_MEMBER"
  workspace_roles   = local.workspace_roles
}}
resource "astro_team_membership" "member" {{
  team_id = "{made.json()['id']}"
  user_id = "{astro.member_id}"
}}
resource "astro_team_roles" "made_elsewhere" {{
  team_id           = "{made.json()['id']}"
  organization_role = "ORGANIZATION_MEMBER"
  workspace_roles   = local.workspace_roles
}}
resource "astro_user_roles" "member" {{
  user_id           = "{astro.member_id}"
  organization_role = "ORGANIZATION_MEMBER"
  workspace_roles   = local.workspace_roles
}}
resource "astro_custom_role" "viewer" {{
  name        = "viewer-{suffix}"
  description = "{description}"
  scope_type  = "DEPLOYMENT"
  permissions = [{permissions}]
}}
data "astro_api_tokens" "all" {{
  depends_on = [astro_api_token.organization, astro_api_token.workspace]
}}
output "token_names" {{
  value = [for t in data.astro_api_tokens.all.api_tokens : t.name if endswith(t.name, "-{suffix}")]
}}
data "astro_organization" "this" {{}}
data "astro_user" "member" {{
  id = "{astro.member_id}"
}}
data "astro_teams" "data" {{
  names      = ["data-{suffix}"]
  depends_on = [astro_team.data]
}}
data "astro_custom_role" "viewer" {{
  id = astro_custom_role.viewer.id
}}
output "read" {{
  value = {{
    organization = data.astro_organization.this.id
    member       = data.astro_user.member.username
    teams        = [for t in data.astro_teams.data.teams : t.name]
    role         = data.astro_custom_role.viewer.name
  }}
}}
""" + invite

    def created(folder):
        outputs = astro.tf.outputs(folder)
        assert sorted(outputs["token_names"]) == [f"ci-{suffix}", f"deployer-{suffix}"]
        assert outputs["read"] == {"organization": astro.organization_id, "member": "member@terraform.test",
                                   "teams": [f"data-{suffix}"], "role": f"viewer-{suffix}"}

    state = lifecycle(
        astro, "identity",
        config("first", "WORKSPACE_MEMBER", '"deployment.get"'),
        config("second", "WORKSPACE_OPERATOR", '"deployment.get", "deployment.update"'),
        updated={"astro_workspace.analytics", "astro_api_token.organization", "astro_api_token.workspace",
                 "astro_team.data", "astro_team_roles.made_elsewhere", "astro_user_roles.member",
                 "astro_custom_role.viewer"},
        not_importable=invite, after_apply=created)
    for address in ("astro_api_token.organization", "astro_api_token.workspace"):
        astro.gone(f"/iam/v1beta1{{org}}/tokens/{state[address]['id']}")
    astro.gone(f"/v1{{org}}/teams/{state['astro_team.data']['id']}")
    astro.gone(f"/v1{{org}}/roles/{state['astro_custom_role.viewer']['id']}")
    astro.gone(f"/v1{{org}}/workspaces/{state['astro_workspace.analytics']['id']}")
    # role resources leave their subject with the lowest organization role and nothing else
    assert astro.found(f"/v1{{org}}/teams/{made.json()['id']}")["organizationRole"] == "ORGANIZATION_MEMBER"
    member = astro.found(f"/v1{{org}}/users/{astro.member_id}")
    assert member["organizationRole"] == "ORGANIZATION_MEMBER" and not member.get("workspaceRoles")
    # the invite is gone, and with it the pending user it made
    astro.gone(f"/v1{{org}}/users/{state['astro_user_invite.newcomer']['user_id']}")


def test_notification_channels_and_alerts(astro):
    suffix = _suffix()
    bulk = """
resource "astro_alerts" "per_dag" {{
  alerts = {{
    for dag in ["ingest", "report"] : "${{dag}}_failure" => {{
      name                     = "${{dag}} failure {suffix}"
      type                     = "DAG_FAILURE"
      severity                 = "{severity}"
      entity_type              = "DEPLOYMENT"
      entity_id                = astro_deployment.celery.id
      notification_channel_ids = [astro_notification_channel.email.id]
      rules = {{
        properties      = {{ deployment_id = astro_deployment.celery.id }}
        pattern_matches = [{{ entity_type = "DAG_ID", operator_type = "IS", values = [dag] }}]
      }}
    }}
  }}
}}
"""

    def config(description: str, severity: str, recipients: str) -> str:
        values = dict(suffix=suffix, description=description, max_workers=10, severity=severity)
        return WORKSPACE.format(**values) + CELERY.format(**values) + f"""
resource "astro_notification_channel" "email" {{
  name        = "oncall-{suffix}"
  type        = "EMAIL"
  entity_type = "DEPLOYMENT"
  entity_id   = astro_deployment.celery.id
  is_shared   = false
  definition = {{
    recipients = [{recipients}]
  }}
}}
resource "astro_alert" "etl_failure" {{
  name                     = "etl failure {suffix}"
  type                     = "DAG_FAILURE"
  severity                 = "{severity}"
  entity_type              = "DEPLOYMENT"
  entity_id                = astro_deployment.celery.id
  notification_channel_ids = [astro_notification_channel.email.id]
  rules = {{
    properties = {{
      deployment_id = astro_deployment.celery.id
    }}
    pattern_matches = [{{
      entity_type   = "DAG_ID"
      operator_type = "IS"
      values        = ["etl"]
    }}]
  }}
}}
data "astro_notification_channels" "deployment" {{
  deployment_ids = [astro_deployment.celery.id]
  depends_on     = [astro_notification_channel.email]
}}
data "astro_alerts" "deployment" {{
  deployment_ids = [astro_deployment.celery.id]
  depends_on     = [astro_alert.etl_failure]
}}
output "read" {{
  value = {{
    channels = [for c in data.astro_notification_channels.deployment.notification_channels : c.name]
    alerts   = [for a in data.astro_alerts.deployment.alerts : a.name]
  }}
}}
""" + bulk.format(**values)

    def created(folder):
        # the bulk alerts may land before or after the data source reads: only ours is certain
        read = astro.tf.outputs(folder)["read"]
        assert read["channels"] == [f"oncall-{suffix}"] and f"etl failure {suffix}" in read["alerts"]

    state = lifecycle(astro, "alerts",
                      config("first", "CRITICAL", '"oncall@terraform.test"'),
                      config("first", "WARNING", '"oncall@terraform.test", "lead@terraform.test"'),
                      updated={"astro_notification_channel.email", "astro_alert.etl_failure", "astro_alerts.per_dag"},
                      not_importable=bulk.format(suffix=suffix, severity="WARNING"), after_apply=created)
    assert len(state["astro_alerts.per_dag"]["alerts"]) == 2
    ids = [state["astro_alert.etl_failure"]["id"]] + [a["id"] for a in state["astro_alerts.per_dag"]["alerts"].values()]
    for alert_id in ids:
        astro.gone(f"/platform/v1beta1{{org}}/alerts/{alert_id}")
    astro.gone(f"/platform/v1beta1{{org}}/notification-channels/{state['astro_notification_channel.email']['id']}")
    astro.gone(f"/v1{{org}}/deployments/{state['astro_deployment.celery']['id']}")


def test_allowed_ip_address_ranges(astro):
    # the list must keep admitting the caller (the tunnel connects from 127.0.0.1)
    def config(ranges: str) -> str:
        return f"""
resource "astro_allowed_ip_address_ranges" "organization" {{
  ip_address_ranges = [{ranges}]
}}
"""

    state = lifecycle(astro, "ip-ranges", config('"127.0.0.0/8", "10.0.0.0/8"'),
                      config('"127.0.0.0/8", "10.0.0.0/8", "192.168.0.0/16"'),
                      updated={"astro_allowed_ip_address_ranges.organization"})
    assert sorted(state["astro_allowed_ip_address_ranges.organization"]["ip_address_ranges"]) == [
        "10.0.0.0/8", "127.0.0.0/8", "192.168.0.0/16"]
    assert astro.found("/v1{org}/allowed-ip-address-ranges")["totalCount"] == 0


def test_the_docs_recipe_runs_as_written(astro):
    """docs/clients.md, Terraform section: its HCL, with only the organization id filled in."""
    docs = (ROOT / "docs" / "clients.md").read_text()
    section = docs.split("## The Terraform provider", 1)[1].split("\n## ", 1)[0]
    [hcl] = re.findall(r"```hcl\n(.*?)```", section, re.S)
    config = hcl.replace("<ORG>", astro.organization_id)
    tf = astro.tf
    folder = tf.workdir("docs", config, provider=False)
    tf.apply(folder)
    tf.assert_no_changes(folder)
    state = tf.state(folder)
    assert astro.found(f"/v1{{org}}/deployments/{state['astro_deployment.etl']['id']}")["name"] == "etl"
    adopted = tf.workdir("docs-imported", config, provider=False)  # `terraform import` as the section says
    for address in ("astro_workspace.analytics", "astro_deployment.etl"):
        tf.run(adopted, "import", "-input=false", address, state[address]["id"])
    tf.assert_no_changes(adopted)
    tf.run(folder, "destroy", "-auto-approve", "-input=false")
    astro.gone(f"/v1{{org}}/deployments/{state['astro_deployment.etl']['id']}")
    astro.gone(f"/v1{{org}}/workspaces/{state['astro_workspace.analytics']['id']}")
