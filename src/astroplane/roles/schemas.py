from typing import Literal

from astroplane.contract import models as contract
from astroplane.contract.models import (  # noqa: F401 - the contract's shapes for this resource
    CreateCustomRoleRequest,
    DefaultRole,
    PermissionGroup,
    RoleTemplate,
    UpdateCustomRoleRequest,
)

# The contract's response enum lacks DAG although DAG custom roles can be created; a DAG role is
# reported as DAG rather than mislabelled.
RoleScope = Literal['DAG', 'DEPLOYMENT', 'ORGANIZATION', 'WORKSPACE']


class Role(contract.Role):
    scopeType: RoleScope


class RoleWithPermission(contract.RoleWithPermission):
    scopeType: RoleScope


class RolesPaginated(contract.RolesPaginated):
    roles: list[Role]
