from astroplane.contract.models import (  # noqa: F401 - the contract's shapes for this resource
    AddTeamMembersRequest,
    CreateTeamRequest,
    SubjectRoles,
    Team,
    TeamMember,
    TeamMembersPaginated,
    TeamsPaginated,
    UpdateTeamRequest,
    UpdateTeamRolesRequest,
    UserTeamMembership,
    UserTeamsPaginated,
)
