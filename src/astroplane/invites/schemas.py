from astroplane.contract.models import CreateUserInviteRequest, Invite  # noqa: F401
