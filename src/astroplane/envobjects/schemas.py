from pydantic.json_schema import SkipJsonSchema

from astroplane.contract import models as contract
from astroplane.contract.models import (  # noqa: F401 - the contract's shapes for this resource
    CreateEnvironmentObject,
    CreateEnvironmentObjectLinkRequest,
    CreateEnvironmentObjectRequest,
    EnvironmentObject,
    EnvironmentObjectAirflowVariable,
    EnvironmentObjectAirflowVariableOverrides,
    EnvironmentObjectConnection,
    EnvironmentObjectConnectionOverrides,
    EnvironmentObjectEnvironmentVariable,
    EnvironmentObjectEnvironmentVariableOverrides,
    EnvironmentObjectExcludeLink,
    EnvironmentObjectLink,
    EnvironmentObjectMetricsExport,
    EnvironmentObjectMetricsExportOverrides,
    EnvironmentObjectsPaginated,
    ExcludeLinkEnvironmentObjectRequest,
    UpdateEnvironmentObjectLinkRequest,
)


# isSecret cannot change on update. The contract leaves it out of update bodies; these read it when a
# client sends it anyway, so a change is refused (400) rather than silently ignored.
class UpdateEnvironmentObjectAirflowVariableRequest(contract.UpdateEnvironmentObjectAirflowVariableRequest):
    isSecret: SkipJsonSchema[bool | None] = None


class UpdateEnvironmentObjectEnvironmentVariableRequest(
        contract.UpdateEnvironmentObjectEnvironmentVariableRequest):
    isSecret: SkipJsonSchema[bool | None] = None


class UpdateEnvironmentObjectRequest(contract.UpdateEnvironmentObjectRequest):
    airflowVariable: UpdateEnvironmentObjectAirflowVariableRequest | None = None
    environmentVariable: UpdateEnvironmentObjectEnvironmentVariableRequest | None = None
