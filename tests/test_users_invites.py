"""Users and invites: pending users readable at once, expiry, deletion, sign-in, role replacement."""

import datetime as dt

import sqlalchemy as sa

from astroplane.invites.models import Invite
from conftest import assert_error, assert_no_nulls, make_workspace
from factories import insert_deployment
from identity_helpers import invite, signed_in_member, user_token


def test_invite_creates_a_pending_user_readable_at_once(api):
    created = invite(api, "ORGANIZATION_BILLING_ADMIN")
    assert_no_nulls(created)
    assert created["organizationId"] == api.org.id and created["organizationName"] == api.org.name
    assert created["invitee"]["username"] == created["email"]
    assert created["inviter"]["subjectType"] == "SERVICEKEY"
    expires = dt.datetime.fromisoformat(created["expiresAt"].replace("Z", "+00:00"))
    assert dt.timedelta(days=6) < expires - dt.datetime.now(dt.UTC) <= dt.timedelta(days=7)
    user = api.ok("GET", f"/users/{created['userId']}")
    assert user["status"] == "PENDING" and user["organizationRole"] == "ORGANIZATION_BILLING_ADMIN"
    assert_no_nulls(user)
    listed = api.ok("GET", "/users?sorts=username:asc")
    assert created["userId"] in [u["id"] for u in listed["users"]]
    assert listed["totalCount"] == 2  # the owner and the invitee


def test_inviting_a_member_again_and_bad_email_are_400(api):
    created = invite(api)
    assert_error(api.post("/invites", json={"inviteeEmail": created["email"].upper(), "role": "ORGANIZATION_MEMBER"}),
                 400, "already a member")
    assert_error(api.post("/invites", json={"inviteeEmail": "not-an-email", "role": "ORGANIZATION_MEMBER"}),
                 400, "inviteeEmail")
    assert_error(api.post("/invites", json={"inviteeEmail": "a@b.co", "role": "WORKSPACE_OWNER"}), 400, "role")


def test_deleting_an_invite_removes_the_pending_user(api):
    created = invite(api)
    api.ok("DELETE", f"/invites/{created['inviteId']}", status=204)
    assert_error(api.get(f"/users/{created['userId']}"), 404)
    assert_error(api.delete(f"/invites/{created['inviteId']}"), 404)
    # the address can be invited again
    again = invite(api, email=created["email"])
    assert again["userId"] != created["userId"]


def test_expired_invites_hide_the_pending_user(api, server):
    created = invite(api)
    with server.database.session() as session:
        session.execute(sa.update(Invite).where(Invite.id == created["inviteId"])
                        .values(expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)))
        session.commit()
    assert_error(api.get(f"/users/{created['userId']}"), 404)
    assert created["userId"] not in [u["id"] for u in api.ok("GET", "/users")["users"]]
    # and the person can be invited afresh
    again = invite(api, email=created["email"])
    assert again["userId"] == created["userId"]


def test_user_token_signs_the_invitee_in(api, server):
    created = invite(api)
    user_id, token = user_token(server, created["email"])
    assert user_id == created["userId"]
    me = api.ok("GET", "/v1/users/self", token=token)
    assert me["status"] == "ACTIVE" and me["organizationId"] == api.org.id
    assert api.ok("GET", f"/users/{user_id}")["status"] == "ACTIVE"
    # a member reads the organization but cannot change users
    member = api.as_token(token)
    member.ok("GET", "/users")
    assert_error(member.post(f"/users/{user_id}/roles", json={"organizationRole": "ORGANIZATION_OWNER"}), 403)


def test_update_user_roles_replaces_the_whole_set(api, server):
    user_id, _ = signed_in_member(api)
    ws1, ws2 = make_workspace(api)["id"], make_workspace(api)["id"]
    dep = insert_deployment(server, api.org.id, ws2)
    held = api.ok("POST", f"/users/{user_id}/roles", json={
        "organizationRole": "ORGANIZATION_MEMBER",
        "workspaceRoles": [{"workspaceId": ws1, "role": "WORKSPACE_OPERATOR"}],
        "deploymentRoles": [{"deploymentId": dep, "role": "DEPLOYMENT_ADMIN"}],
        "dagRoles": [{"deploymentId": dep, "dagId": "etl", "role": "DAG_VIEWER"}]})
    assert held["organizationRole"] == "ORGANIZATION_MEMBER"
    # a deployment role implies WORKSPACE_ACCESSOR on its workspace
    assert sorted((r["workspaceId"], r["role"]) for r in held["workspaceRoles"]) == sorted(
        [(ws1, "WORKSPACE_OPERATOR"), (ws2, "WORKSPACE_ACCESSOR")])
    assert held["deploymentRoles"] == [{"deploymentId": dep, "role": "DEPLOYMENT_ADMIN"}]
    assert held["dagRoles"] == [{"deploymentId": dep, "dagId": "etl", "role": "DAG_VIEWER"}]
    assert [u["id"] for u in api.ok("GET", f"/users?deploymentId={dep}")["users"]] == [user_id]
    assert [u["id"] for u in api.ok("GET", "/users?dagId=etl")["users"]] == [user_id]
    # replacing with only an organization role drops the rest
    held = api.ok("POST", f"/users/{user_id}/roles", json={"organizationRole": "ORGANIZATION_BILLING_ADMIN"})
    assert held == {"organizationRole": "ORGANIZATION_BILLING_ADMIN"}
    user = api.ok("GET", f"/users/{user_id}")
    assert "workspaceRoles" not in user and user["organizationRole"] == "ORGANIZATION_BILLING_ADMIN"


def test_role_input_errors_write_nothing(api, server):
    user_id, _ = signed_in_member(api)
    ws = make_workspace(api)["id"]
    dep = insert_deployment(server, api.org.id, ws)
    url = f"/users/{user_id}/roles"
    cases = [
        ({"organizationRole": "NOPE"}, "organizationRole"),
        ({"organizationRole": "WORKSPACE_OWNER"}, "organizationRole"),
        ({"deploymentRoles": [{"deploymentId": dep, "role": "WORKSPACE_OWNER"}]}, "deploymentRoles[0].role"),
        ({"deploymentRoles": [{"deploymentId": dep, "role": "GHOST"}]}, "unknown role"),
        ({"dagRoles": [{"deploymentId": dep, "role": "DAG_VIEWER"}]}, "dagRoles[0]"),
        ({"dagRoles": [{"deploymentId": dep, "role": "DAG_VIEWER", "dagId": "a", "dagTag": "t"}]}, "dagRoles[0]"),
        ({"workspaceRoles": [{"workspaceId": "c" + "0" * 24, "role": "WORKSPACE_MEMBER"}]}, "workspaceRoles[0].workspaceId"),
        ({"workspaceRoles": [{"workspaceId": ws, "role": "WORKSPACE_MEMBER"},
                             {"workspaceId": ws, "role": "WORKSPACE_OWNER"}]}, "more than once"),
        ({"workspaceRoles": [{"workspaceId": ws, "role": "WORKSPACE_BOSS"}]}, "workspaceRoles"),
        ({"dagRoles": [{"deploymentId": dep, "role": "DAG_VIEWER", "dagTag": "t" * 251}]}, "dagRoles[0]"),
    ]
    for body, fragment in cases:
        assert_error(api.post(url, json={"organizationRole": "ORGANIZATION_MEMBER", **body}
                              if "organizationRole" not in body else body), 400, fragment)
    user = api.ok("GET", f"/users/{user_id}")
    assert user["organizationRole"] == "ORGANIZATION_MEMBER" and "workspaceRoles" not in user


def test_the_last_owner_cannot_be_demoted(api):
    assert_error(api.post(f"/users/{api.org.owner_user_id}/roles", json={"organizationRole": "ORGANIZATION_MEMBER"}),
                 400, "ORGANIZATION_OWNER")
    assert api.ok("GET", f"/users/{api.org.owner_user_id}")["organizationRole"] == "ORGANIZATION_OWNER"


def test_user_roles_are_enforced(api, server):
    user_id, member = signed_in_member(api)
    ws = make_workspace(api)["id"]
    assert_error(member.post(f"/v1/organizations/{api.org.id}/workspaces/{ws}",
                             json={"name": "renamed", "description": "", "cicdEnforcedDefault": False}), 403)
    api.ok("POST", f"/users/{user_id}/roles", json={"organizationRole": "ORGANIZATION_MEMBER",
                                                     "workspaceRoles": [{"workspaceId": ws, "role": "WORKSPACE_OWNER"}]})
    member.ok("POST", f"/workspaces/{ws}", json={"name": "renamed", "description": "", "cicdEnforcedDefault": False})


def test_users_of_other_organizations_are_invisible(api, server):
    from conftest import new_org
    other = new_org(server)
    assert_error(api.get(f"/users/{other.owner_user_id}"), 404)
    assert_error(api.post(f"/users/{other.owner_user_id}/roles", json={"organizationRole": "ORGANIZATION_MEMBER"}), 404)
    assert_error(api.get(f"/users/{other.owner_user_id}/teams"), 404)
