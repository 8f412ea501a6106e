"""The Astro Platform API v1beta1 (`/platform/v1beta1`): what the Terraform provider and the PyPI
client call for organizations, workspaces, clusters, deployments and their options.

Differences from v1, and how they are held:
- Organization.supportPlan (required): the organization's product plan, which is what v1beta1
  called its support plan; `ListOrganizations?supportPlan=` filters by it. `productPlans` (optional
  here) is left out: the generated PyPI client astro-platform-api (1.1.1) knows a single product
  value that is not one of the contract's, and fails to read any organization that lists a plan.
- Deployment.workloadIdentity / drWorkloadIdentity: the identities v1 names
  effectiveWorkloadIdentity / effectiveDRWorkloadIdentity.
- The hibernation override's members are required (and nullable); the override body's
  `overrideUntil` must be given but may be null (an override without an end, as v1 allows).
- Create requests name more members as required (type, executor, runtime version, ...): the
  version's models say so, so a body missing one is refused with 400 before v1 sees it.
- Fields only v1 has (workspace default placement, sigV4 settings, egress flags, ...) are left
  out of the version's views; v1 keeps them: where an update replaces the object (a workspace, a
  deployment's queues) the adapter carries them over from the current object.
- Deploys are v1's; a deploy's `git` is not shown (v1beta1's Deploy has none), and v1beta1's git
  request is the GITHUB form only (account, repo, branch, commitUrl required).
- Two v1 values have no v1beta1 form at all: an ENVIRONMENT_VARIABLE environment object is not
  found through v1beta1 (and left out of its lists, so such a page can hold fewer items than
  `limit` and `totalCount` counts only this page's omissions), and a SIGV4 metrics export shows
  no `authType` there.
"""

from typing import Any, Literal

from astroplane.contract import platform_v1beta1 as models
from astroplane.kit.errors import NotFound
from astroplane.kit.unions import advertise_discriminator
from astroplane.kit.versions import Adaptation, ApiVersion, Data, each, one

PREFIX = "/platform/v1beta1"
DEPLOYMENT_TYPES = ["DEDICATED", "HYBRID", "STANDARD"]
SupportPlanFilter = Literal["BASIC", "BUSINESS_CRITICAL", "PREMIUM", "STANDARD", "TRIAL"]


def organization(data: Data) -> Data:
    view = dict(data)
    plans = view.pop("productPlans", None) or []
    return {**view, "supportPlan": plans[0]["productPlanName"] if plans else "INACTIVE"}


def _support_plan_filter(extras: Data, arguments: dict[str, Any]) -> None:
    """?supportPlan is the v1 ?productPlan filter; given both, an organization must match both."""
    wanted = extras.get("supportPlan")
    if wanted is None:
        return
    if arguments.get("productPlan") not in (None, wanted):
        extras["matchesNothing"] = True
    arguments["productPlan"] = wanted


def _organizations(data: Data, extras: Data) -> Data:
    if extras.get("matchesNothing"):
        data = {**data, "organizations": [], "totalCount": 0}
    return each("organizations", organization)(data, extras)


def _override(override: Data) -> Data:
    return {"isActive": None, "isHibernating": None, "overrideUntil": None, **override}


def deployment(data: Data) -> Data:
    view = dict(data)
    for v1_name, name in (("effectiveWorkloadIdentity", "workloadIdentity"),
                          ("effectiveDRWorkloadIdentity", "drWorkloadIdentity")):
        if v1_name in view:
            view[name] = view[v1_name]
    hibernation = (view.get("scalingSpec") or {}).get("hibernationSpec") or {}
    if "override" in hibernation:
        view["scalingSpec"] = {**view["scalingSpec"],
                               "hibernationSpec": {**hibernation, "override": _override(hibernation["override"])}}
    return view


def _without_sigv4(metrics: Data | None) -> Data | None:
    if metrics is None or metrics.get("authType") != "SIGV4":
        return metrics
    return {key: value for key, value in metrics.items() if key != "authType"}


def _representable(data: Data) -> bool:
    return data.get("objectType") != "ENVIRONMENT_VARIABLE"


def _environment_object_view(data: Data) -> Data:
    view = dict(data)
    if "metricsExport" in view:
        view["metricsExport"] = _without_sigv4(view["metricsExport"])
    if view.get("links"):
        view["links"] = [{**link, "metricsExportOverrides": _without_sigv4(link["metricsExportOverrides"])}
                         if "metricsExportOverrides" in link else link for link in view["links"]]
    return view


def environment_object(data: Data) -> Data:
    if not _representable(data):
        raise NotFound("Environment object not found")
    return _environment_object_view(data)


def _environment_objects(data: Data, _extras: Data) -> Data:
    items = data.get("environmentObjects") or []
    shown = [_environment_object_view(item) for item in items if _representable(item)]
    return {**data, "environmentObjects": shown, "totalCount": data["totalCount"] - (len(items) - len(shown))}


WORKSPACE_PLACEMENT = ("defaultClusterId", "defaultCloudProvider", "defaultRegion")


def _keep_workspace_placement(body: Data, current: Data) -> Data:
    """UpdateWorkspace replaces the workspace: its default placement (v1 only) stays as it was."""
    return {**{key: current[key] for key in WORKSPACE_PLACEMENT if key in current}, **body}


def _keep_queue_storage(body: Data, current: Data) -> Data:
    """UpdateDeployment replaces the queues: a kept queue keeps its ephemeral storage (v1 only)."""
    storage = {queue["id"]: queue["podEphemeralStorage"] for queue in current.get("workerQueues") or []
               if "podEphemeralStorage" in queue}
    if not body.get("workerQueues"):
        return body
    queues = [{"podEphemeralStorage": storage[queue["id"]], **queue} if queue.get("id") in storage else queue
              for queue in body["workerQueues"]]
    return {**body, "workerQueues": queues}


OPERATIONS = [
    "GetOrganizationAuditLogs",
    "ListClusters", "CreateCluster", "DeleteCluster", "GetCluster", "UpdateCluster", "GetClusterOptions",
    "ListDeployments", "CreateDeployment", "DeleteDeployment", "GetDeployment", "UpdateDeployment",
    "ListDeploys", "CreateDeploy", "GetDeploy", "UpdateDeploy", "FinalizeDeploy", "DeployRollback",
    "DeleteDeploymentHibernationOverride", "UpdateDeploymentHibernationOverride", "GetDeploymentOptions",
    "ListEnvironmentObjects", "CreateEnvironmentObject", "DeleteEnvironmentObject", "GetEnvironmentObject",
    "UpdateEnvironmentObject", "ExcludeLinkingEnvironmentObject",
    "ListOrganizations", "GetOrganization", "UpdateOrganization",
    "ListWorkspaces", "CreateWorkspace", "DeleteWorkspace", "GetWorkspace", "UpdateWorkspace",
]

ADAPTATIONS = {
    "UpdateWorkspace": Adaptation(current="GetWorkspace", request=_keep_workspace_placement),
    "ListOrganizations": Adaptation(query={"supportPlan": SupportPlanFilter}, v1_query=_support_plan_filter,
                                    response=_organizations),
    "GetOrganization": Adaptation(response=one(organization)),
    "UpdateOrganization": Adaptation(response=one(organization)),
    "ListDeployments": Adaptation(response=each("deployments", deployment)),
    "CreateDeployment": Adaptation(response=one(deployment)),
    "GetDeployment": Adaptation(response=one(deployment)),
    "UpdateDeployment": Adaptation(response=one(deployment), current="GetDeployment", request=_keep_queue_storage),
    "UpdateDeploymentHibernationOverride": Adaptation(response=one(_override)),
    "ListEnvironmentObjects": Adaptation(response=_environment_objects),
    "GetEnvironmentObject": Adaptation(response=one(environment_object)),
    "UpdateEnvironmentObject": Adaptation(response=one(environment_object)),
}

# each variant's tag published as the full enum, as the contract does (and v1 does: kit.unions)
advertise_discriminator(models.CreateClusterRequest, "cloudProvider", ["AWS", "AZURE", "GCP"])
advertise_discriminator(models.CreateDeploymentRequest, "type", DEPLOYMENT_TYPES)
advertise_discriminator(models.UpdateDeploymentRequest, "type", DEPLOYMENT_TYPES)

VERSION = ApiVersion(name="platform-v1beta1", prefix=PREFIX, label="Astro Platform API v1beta1",
                     models=models, operations=OPERATIONS, adaptations=ADAPTATIONS)
