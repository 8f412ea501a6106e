"""GET /users/self, and the rule that every route declares its permission."""

import subprocess
import sys

from astroplane.rbac.authorize import Authenticated, Permission
from conftest import assert_error, make_workspace


def _user_token(server, email):
    from astroplane.auth.codec import TokenCodec
    from astroplane.bootstrap import mint_user_token
    session = server.database.session()
    try:
        user, token = mint_user_token(session, TokenCodec(server.settings), email)
        session.commit()
        return user.id, token
    finally:
        session.close()


def _owner_email(server, org):
    import sqlalchemy as sa
    with server.database.engine.connect() as connection:
        return connection.execute(sa.text("SELECT username FROM users WHERE id = :id"),
                                  {"id": org.owner_user_id}).scalar()


def test_self_user_with_a_user_token(server, api):
    user_id, token = _user_token(server, _owner_email(server, api.org))
    me = api.as_token(token).ok("GET", "/v1/users/self")
    assert me["id"] == user_id == api.org.owner_user_id and me["status"] == "ACTIVE"
    assert {"role": "ORGANIZATION_OWNER", "scope": {"type": "ORGANIZATION", "entityId": api.org.id}} in me["roles"]
    assert me["organizationId"] == api.org.id
    # the person acts with their own roles
    workspace = make_workspace(api.as_token(token))
    assert workspace["createdBy"] == {"id": user_id, "subjectType": "USER", "username": me["username"],
                                      "fullName": me["fullName"]}
    assert {"role": "WORKSPACE_OWNER", "scope": {"type": "WORKSPACE", "entityId": workspace["id"]}} in \
        api.as_token(token).ok("GET", "/v1/users/self")["roles"]


def test_self_user_with_an_api_token_says_why(api):
    body = assert_error(api.get("/v1/users/self"), 403, "API token")
    assert "user token" in body["message"]


def test_self_user_needs_a_token(api):
    assert_error(api.get("/v1/users/self", token=""), 401)


def _declares_permission(route) -> bool:
    stack = list(route.dependant.dependencies)
    while stack:
        dependency = stack.pop()
        if isinstance(dependency.call, (Permission, Authenticated)):
            return True
        stack.extend(dependency.dependencies)
    return False


def test_every_route_declares_its_permission(server):
    routes = server.client.app.state.api_routes
    assert len(routes) >= 16
    assert [f"{r.methods} {r.path}" for r in routes if not _declares_permission(r)] == []


def test_the_permission_check_notices_an_undeclared_route():
    from fastapi import APIRouter

    from astroplane.kit.db import SessionDep
    router = APIRouter()

    @router.get("/open")
    async def wide_open(session: SessionDep):
        return {}

    assert not _declares_permission(router.routes[0])


def test_every_handler_runs_on_the_event_loop(server):
    """Sync handlers would go through the threadpool (see astroplane.kit.db for why not)."""
    import inspect
    routes = server.client.app.state.api_routes
    assert len(routes) >= 16
    sync = [route.path for route in routes if not inspect.iscoroutinefunction(route.endpoint)]
    assert sync == []


def test_openapi_command_prints_the_document():
    output = subprocess.run([sys.executable, "-m", "astroplane.cli", "openapi"], capture_output=True, text=True,
                            check=True).stdout
    assert '"operationId": "ListOrganizations"' in output
