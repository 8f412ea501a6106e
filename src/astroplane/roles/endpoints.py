from typing import Annotated, Literal

from fastapi import Query, Response

from astroplane.kit.db import SessionDep
from astroplane.kit.pagination import list_params
from astroplane.kit.router import AstroRouter
from astroplane.kit.hot import pages_follow_epoch
from astroplane.rbac.authorize import AuthenticatedDep, permission
from astroplane.roles import catalog, schemas, service

router = AstroRouter(tags=["roles"])
PATH = "/organizations/{organizationId}/roles"
ScopeName = Literal["DAG", "DEPLOYMENT", "ORGANIZATION", "WORKSPACE"]
RoleListParams = list_params("name", "description", "scopeType", "createdAt", "updatedAt")
CanRead = permission("organization.roles.get")


@router.get("/authorization/permission-groups", operation_id="ListPermissionGroups",
            response_model=list[schemas.PermissionGroup], tags=["permission-groups"])
async def list_permission_groups(principal: AuthenticatedDep, scopeType: Annotated[ScopeName | None, Query()] = None):
    return catalog.permission_groups(scopeType)


@router.get("/organizations/{organizationId}/role-templates", operation_id="ListRoleTemplates",
            response_model=list[schemas.RoleTemplate])
async def list_role_templates(auth: CanRead, scopeTypes: Annotated[list[ScopeName] | None, Query()] = None):
    return catalog.role_templates(scopeTypes)


@router.get(PATH, operation_id="ListRoles", response_model=schemas.RolesPaginated)
@pages_follow_epoch
async def list_roles(session: SessionDep, auth: CanRead, params: RoleListParams,
                     includeDefaultRoles: Annotated[bool | None, Query()] = None,
                     scopeTypes: Annotated[list[ScopeName] | None, Query()] = None):
    return service.list_roles(session, auth, params, bool(includeDefaultRoles), scopeTypes)


@router.post(PATH, operation_id="CreateCustomRole", response_model=schemas.RoleWithPermission)
async def create_custom_role(session: SessionDep, auth: permission("organization.roles.create"),
                             body: schemas.CreateCustomRoleRequest):
    return service.create_role(session, auth, body)


@router.get(PATH + "/{customRoleId}", operation_id="GetCustomRole", response_model=schemas.RoleWithPermission)
async def get_custom_role(session: SessionDep, auth: CanRead, customRoleId: str):
    return service.get_role(session, auth, customRoleId)


@router.post(PATH + "/{customRoleId}", operation_id="UpdateCustomRole", response_model=schemas.RoleWithPermission)
async def update_custom_role(session: SessionDep, auth: permission("organization.roles.update"), customRoleId: str,
                             body: schemas.UpdateCustomRoleRequest):
    return service.update_role(session, auth, customRoleId, body)


@router.delete(PATH + "/{customRoleId}", operation_id="DeleteCustomRole", status_code=204, response_class=Response)
async def delete_custom_role(session: SessionDep, auth: permission("organization.roles.delete"),
                             customRoleId: str) -> None:
    service.delete_role(session, auth, customRoleId)
