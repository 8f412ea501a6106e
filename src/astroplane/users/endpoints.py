from typing import Annotated

from fastapi import Query

from astroplane.kit.db import SessionDep
from astroplane.kit.router import AstroRouter
from astroplane.rbac.authorize import AuthenticatedDep
from astroplane.users import schemas, service

router = AstroRouter(tags=["self"])


@router.get("/users/self", operation_id="GetSelfUser", response_model=schemas.SelfUser)
async def get_self_user(session: SessionDep, principal: AuthenticatedDep,
                  createIfNotExist: Annotated[bool | None, Query()] = None):
    return service.get_self(session, principal)
