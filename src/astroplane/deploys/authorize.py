"""Route permissions for the operations whose contract declares no 404 (FinalizeDeploy,
GetDeploymentLogs): a deployment or deploy the caller cannot reach answers 403, as a foreign or
malformed organization id does everywhere, so clients only ever see documented statuses."""

from typing import Annotated

from fastapi import Depends

from astroplane.kit.errors import Forbidden, NotFound
from astroplane.rbac.authorize import AuthContext, Permission
from astroplane.rbac.permissions import ScopeType

UNREACHABLE = "No such deployment or deploy is reachable with this token"


class PermissionWithout404(Permission):
    async def __call__(self, **kwargs) -> AuthContext:
        try:
            return await super().__call__(**kwargs)
        except NotFound as exc:
            raise Forbidden(UNREACHABLE) from exc


def permission_without_404(name: str, scope: ScopeType):
    return Annotated[AuthContext, Depends(PermissionWithout404(name, scope))]
