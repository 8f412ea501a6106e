"""The Astro Platform API v1beta1 (`/platform/v1beta1`): what the Terraform provider and the PyPI
client call for organizations, workspaces, clusters, deployments and their options.

Differences from v1, and how they are held:
- Organization.supportPlan (required): the organization's product plan, which is what v1beta1
  called its support plan; `ListOrganizations?supportPlan=` filters by it. `productPlans` stays.
- Deployment.workloadIdentity / drWorkloadIdentity: the identities v1 names
  effectiveWorkloadIdentity / effectiveDRWorkloadIdentity.
- The hibernation override's members are required (and nullable); the override body's
  `overrideUntil` must be given but may be null (an override without an end, as v1 allows).
- Create requests name more members as required (type, executor, runtime version, ...): the
  version's models say so, so a body missing one is refused with 400 before v1 sees it.
- Fields only v1 has (workspace default placement, sigV4 metrics exports, environment-variable
  objects, egress flags, ...) are left out of the version's views; v1 keeps them.
"""

from typing import Any, Literal

from astroplane.contract import platform_v1beta1 as models
from astroplane.kit.unions import advertise_discriminator
from astroplane.kit.versions import Adaptation, ApiVersion, Data, each, one

PREFIX = "/platform/v1beta1"
DEPLOYMENT_TYPES = ["DEDICATED", "HYBRID", "STANDARD"]
SupportPlanFilter = Literal["BASIC", "BUSINESS_CRITICAL", "PREMIUM", "STANDARD", "TRIAL"]


def organization(data: Data) -> Data:
    plans = data.get("productPlans") or []
    return {**data, "supportPlan": plans[0]["productPlanName"] if plans else "INACTIVE"}


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


OPERATIONS = [
    "GetOrganizationAuditLogs",
    "ListClusters", "CreateCluster", "DeleteCluster", "GetCluster", "UpdateCluster", "GetClusterOptions",
    "ListDeployments", "CreateDeployment", "DeleteDeployment", "GetDeployment", "UpdateDeployment",
    "DeleteDeploymentHibernationOverride", "UpdateDeploymentHibernationOverride", "GetDeploymentOptions",
    "ListEnvironmentObjects", "CreateEnvironmentObject", "DeleteEnvironmentObject", "GetEnvironmentObject",
    "UpdateEnvironmentObject", "ExcludeLinkingEnvironmentObject",
    "ListOrganizations", "GetOrganization", "UpdateOrganization",
    "ListWorkspaces", "CreateWorkspace", "DeleteWorkspace", "GetWorkspace", "UpdateWorkspace",
]

ADAPTATIONS = {
    "ListOrganizations": Adaptation(query={"supportPlan": SupportPlanFilter}, v1_query=_support_plan_filter,
                                    response=_organizations),
    "GetOrganization": Adaptation(response=one(organization)),
    "UpdateOrganization": Adaptation(response=one(organization)),
    "ListDeployments": Adaptation(response=each("deployments", deployment)),
    "CreateDeployment": Adaptation(response=one(deployment)),
    "GetDeployment": Adaptation(response=one(deployment)),
    "UpdateDeployment": Adaptation(response=one(deployment)),
    "UpdateDeploymentHibernationOverride": Adaptation(response=one(_override)),
}

# each variant's tag published as the full enum, as the contract does (and v1 does: kit.unions)
advertise_discriminator(models.CreateClusterRequest, "cloudProvider", ["AWS", "AZURE", "GCP"])
advertise_discriminator(models.CreateDeploymentRequest, "type", DEPLOYMENT_TYPES)
advertise_discriminator(models.UpdateDeploymentRequest, "type", DEPLOYMENT_TYPES)

VERSION = ApiVersion(name="platform-v1beta1", prefix=PREFIX, title="astroplane — Astro Platform API v1beta1",
                     models=models, operations=OPERATIONS, adaptations=ADAPTATIONS)
