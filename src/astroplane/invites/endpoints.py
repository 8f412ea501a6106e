from fastapi import Request, Response

from astroplane.invites import schemas, service
from astroplane.kit.db import SessionDep
from astroplane.kit.router import AstroRouter
from astroplane.rbac.authorize import permission

router = AstroRouter(tags=["invites"])
PATH = "/organizations/{organizationId}/invites"


@router.post(PATH, operation_id="CreateUserInvite", response_model=schemas.Invite)
async def create_user_invite(request: Request, session: SessionDep, auth: permission("organization.invites.create"),
                             body: schemas.CreateUserInviteRequest):
    return service.create_invite(session, auth, body, request.app.state.settings.invite_expiry_days)


@router.delete(PATH + "/{inviteId}", operation_id="DeleteUserInvite", status_code=204, response_class=Response)
async def delete_user_invite(session: SessionDep, auth: permission("organization.invites.delete"),
                             inviteId: str) -> None:
    service.delete_invite(session, auth, inviteId)
