from astroplane.contract.models import (  # noqa: F401 - the contract's shapes for this resource
    SelfUser,
    SelfUserRole,
    SelfUserRoleScope,
)
from astroplane.contract.models import (  # noqa: F401,E402
    SubjectRoles,
    UpdateUserRolesRequest,
    User,
    UsersPaginated,
)
