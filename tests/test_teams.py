"""Teams: CRUD, members, roles; a member holds the team's roles only while in the team."""

from conftest import Api, assert_error, assert_no_nulls, make_workspace, new_org
from factories import insert_deployment
from identity_helpers import invite, signed_in_member

UPDATE_WS = {"name": "renamed", "description": "", "cicdEnforcedDefault": False}


def _team(api, **extra):
    import uuid
    return api.ok("POST", "/teams", json={"name": f"team-{uuid.uuid4().hex[:6]}", **extra})


def test_team_crud_and_members(api):
    pending = invite(api)["userId"]
    team = _team(api, description="the data team", memberIds=[pending, pending])
    assert_no_nulls(team)
    assert team["organizationRole"] == "ORGANIZATION_MEMBER" and team["isIdpManaged"] is False
    assert team["organizationId"] == api.org.id and team["description"] == "the data team"
    members = api.ok("GET", f"/teams/{team['id']}/members")
    assert members["totalCount"] == 1 and members["teamMembers"][0]["userId"] == pending
    assert_no_nulls(members)
    updated = api.ok("POST", f"/teams/{team['id']}", json={"name": "analysts", "description": "renamed"})
    assert updated["name"] == "analysts" and updated["description"] == "renamed"
    assert api.ok("GET", f"/teams/{team['id']}")["name"] == "analysts"
    assert [t["id"] for t in api.ok("GET", "/teams?names=analysts")["teams"]] == [team["id"]]
    assert api.ok("GET", "/teams?names=nobody")["totalCount"] == 0
    teams = api.ok("GET", f"/users/{pending}/teams")
    assert teams["totalCount"] == 1 and teams["teams"][0]["id"] == team["id"]
    assert teams["teams"][0]["organizationRole"] == "ORGANIZATION_MEMBER"
    api.ok("DELETE", f"/teams/{team['id']}/members/{pending}", status=204)
    assert api.ok("GET", f"/teams/{team['id']}/members")["totalCount"] == 0
    assert_error(api.delete(f"/teams/{team['id']}/members/{pending}"), 404)
    api.ok("DELETE", f"/teams/{team['id']}", status=204)
    assert_error(api.get(f"/teams/{team['id']}"), 404)


def test_team_input_errors(api, server):
    team = _team(api)
    assert_error(api.post("/teams", json={"name": team["name"]}), 400, "already exists")
    assert_error(api.post("/teams", json={"name": "  "}), 400, "name")
    other = new_org(server)
    assert_error(api.post("/teams", json={"name": "x1", "memberIds": [other.owner_user_id]}), 400, "memberIds[0]")
    assert_error(api.post(f"/teams/{team['id']}/members", json={"memberIds": []}), 400, "memberIds")
    assert_error(api.post(f"/teams/{team['id']}/members", json={"memberIds": [other.owner_user_id]}),
                 400, "memberIds[0]")
    assert api.ok("GET", f"/teams/{team['id']}/members")["totalCount"] == 0
    assert_error(api.post(f"/teams/{team['id']}/roles", json={"organizationRole": "DAG_VIEWER"}), 400,
                 "organizationRole")
    assert_error(api.post(f"/teams/{team['id']}/roles", json={"organizationRole": "ORGANIZATION_MEMBER",
                                                              "dagRoles": [{"deploymentId": "c" + "0" * 24,
                                                                            "role": "DAG_VIEWER", "dagTag": "x"}]}),
                 400, "dagRoles[0].deploymentId")


def test_team_roles_reach_members_until_they_leave(api, server):
    user_id, member = signed_in_member(api)
    ws = make_workspace(api)["id"]
    team = _team(api, memberIds=[user_id])
    assert_error(member.post(f"/workspaces/{ws}", json=UPDATE_WS), 403)
    held = api.ok("POST", f"/teams/{team['id']}/roles", json={
        "organizationRole": "ORGANIZATION_MEMBER", "workspaceRoles": [{"workspaceId": ws, "role": "WORKSPACE_OWNER"}]})
    assert held["workspaceRoles"] == [{"workspaceId": ws, "role": "WORKSPACE_OWNER"}]
    member.ok("POST", f"/workspaces/{ws}", json=UPDATE_WS)
    assert [t["id"] for t in api.ok("GET", f"/teams?workspaceId={ws}")["teams"]] == [team["id"]]
    # removing the member takes the team's permissions away at once
    api.ok("DELETE", f"/teams/{team['id']}/members/{user_id}", status=204)
    assert_error(member.post(f"/workspaces/{ws}", json=UPDATE_WS), 403)
    # back in the team, then the team is deleted: gone again
    api.ok("POST", f"/teams/{team['id']}/members", status=204, json={"memberIds": [user_id]})
    member.ok("POST", f"/workspaces/{ws}", json=UPDATE_WS)
    api.ok("DELETE", f"/teams/{team['id']}", status=204)
    assert_error(member.post(f"/workspaces/{ws}", json=UPDATE_WS), 403)


def test_team_organization_role_is_enforced(api):
    user_id, member = signed_in_member(api)
    team = _team(api, memberIds=[user_id])
    assert_error(member.post("/workspaces", json={"name": "by-member"}), 403)
    api.ok("POST", f"/teams/{team['id']}/roles", json={"organizationRole": "ORGANIZATION_OWNER"})
    member.ok("POST", "/workspaces", json={"name": "by-member"})
    assert api.ok("GET", f"/teams/{team['id']}")["organizationRole"] == "ORGANIZATION_OWNER"


def test_list_teams_by_deployment(api, server):
    ws = make_workspace(api)["id"]
    dep = insert_deployment(server, api.org.id, ws)
    team, other = _team(api), _team(api)
    api.ok("POST", f"/teams/{team['id']}/roles", json={"organizationRole": "ORGANIZATION_MEMBER",
                                                       "deploymentRoles": [{"deploymentId": dep, "role": "DEPLOYMENT_ADMIN"}]})
    assert [t["id"] for t in api.ok("GET", f"/teams?deploymentId={dep}")["teams"]] == [team["id"]]
    assert api.ok("GET", "/teams")["totalCount"] == 2
    got = api.ok("GET", f"/teams/{team['id']}")
    assert got["deploymentRoles"] == [{"deploymentId": dep, "role": "DEPLOYMENT_ADMIN"}]
    assert got["workspaceRoles"] == [{"workspaceId": ws, "role": "WORKSPACE_ACCESSOR"}]
    assert got["rolesCount"] == 3
    assert other["id"] not in [t["id"] for t in api.ok("GET", f"/teams?workspaceId={ws}")["teams"]]


def test_team_member_from_token_org_is_isolated(api, server):
    other = new_org(server)
    other_api = Api(server, other, other.token)
    team = _team(other_api)
    assert_error(api.get(f"/teams/{team['id']}"), 404)
    assert_error(api.post(f"/teams/{team['id']}/members", json={"memberIds": [api.org.owner_user_id]}), 404)
