"""Agent tokens: deployment-scoped tokens with the API-token rules, on their own routes."""

import datetime as dt

import jwt
import sqlalchemy as sa

from conftest import assert_error, assert_no_nulls, make_token, make_workspace
from factories import insert_deployment
from test_deployment_logs import INGEST


def _deployment(server, api):
    workspace = make_workspace(api)
    return insert_deployment(server, api.org.id, workspace["id"]), workspace


def test_create_shows_value_once_and_lists_apart_from_api_tokens(server, api):
    deployment_id, _ = _deployment(server, api)
    base = f"/deployments/{deployment_id}/agent-tokens"
    created = api.ok("POST", base, json={"name": "agent-1", "description": "remote exec",
                                         "tokenExpiryPeriodInDays": 30})
    assert created["token"] and created["shortToken"] in created["token"]
    assert created["scope"] == "DEPLOYMENT" and created["kind"] == "STANDARD" and created["expiryPeriodInDays"] == 30
    assert created["description"] == "remote exec" and created["createdBy"]["subjectType"] == "SERVICEKEY"
    start = dt.datetime.fromisoformat(created["startAt"].replace("Z", "+00:00"))
    assert dt.datetime.fromisoformat(created["endAt"].replace("Z", "+00:00")) - start == dt.timedelta(days=30)
    claims = jwt.decode(created["token"], options={"verify_signature": False})
    assert f"deploymentId:{deployment_id}" in claims["permissions"] and claims["apiTokenId"] == created["id"]
    fetched = api.ok("GET", f"{base}/{created['id']}")
    assert "token" not in fetched and fetched["name"] == "agent-1"
    assert_no_nulls(fetched)
    second = api.ok("POST", base, json={"name": "agent-0"})
    assert "endAt" not in second and second["description"] == ""
    listed = api.ok("GET", base, params={"sorts": "name:asc"})
    assert [t["name"] for t in listed["tokens"]] == ["agent-0", "agent-1"] and listed["totalCount"] == 2
    assert all("token" not in t for t in listed["tokens"])
    # never among API tokens, and API tokens never here
    assert created["id"] not in {t["id"] for t in api.ok("GET", "/tokens", params={"limit": 1000})["tokens"]}
    assert_error(api.get(f"/tokens/{created['id']}"), 404)
    _, api_token = make_token(api, "DEPLOYMENT", "DEPLOYMENT_ADMIN", deployment_id)
    assert_error(api.get(f"{base}/{api_token['id']}"), 404)
    assert_error(api.delete(f"{base}/{api_token['id']}"), 404)


def test_validation_follows_api_token_rules(server, api):
    deployment_id, _ = _deployment(server, api)
    base = f"/deployments/{deployment_id}/agent-tokens"
    assert_error(api.post(base, json={}), 400, "name")
    assert_error(api.post(base, json={"name": " "}), 400, "name")
    assert_error(api.post(base, json={"name": "x" * 257}), 400, "name")
    assert_error(api.post(base, json={"name": "x", "description": "d" * 501}), 400, "description")
    assert_error(api.post(base, json={"name": "x", "tokenExpiryPeriodInDays": 0}), 400, "tokenExpiryPeriodInDays")
    assert_error(api.post(base, json={"name": "x", "tokenExpiryPeriodInDays": 3651}), 400, "tokenExpiryPeriodInDays")
    assert_error(api.get(base, params={"sorts": "color:asc"}), 400, "sorts")
    assert api.ok("GET", base)["totalCount"] == 0


def test_delete_and_expiry_stop_the_token_at_once(server, api):
    deployment_id, _ = _deployment(server, api)
    base = f"/deployments/{deployment_id}/agent-tokens"
    created = api.ok("POST", base, json={"name": "agent"})
    send = lambda: server.client.post(INGEST.format(deployment_id), json={"lines": [{"source": "worker", "raw": "x"}]},
                                      headers={"Authorization": f"Bearer {created['token']}"})
    assert send().status_code == 200
    with server.database.engine.begin() as connection:
        connection.execute(sa.text("UPDATE api_tokens SET end_at = :past WHERE id = :id"),
                           {"past": dt.datetime(2020, 1, 1), "id": created["id"]})
    assert send().status_code == 401
    api.ok("DELETE", f"{base}/{created['id']}", 204)
    assert send().status_code == 401
    assert_error(api.get(f"{base}/{created['id']}"), 404)
    assert_error(api.delete(f"{base}/{created['id']}"), 404)


def test_an_agent_token_cannot_use_the_api(server, api):
    deployment_id, workspace = _deployment(server, api)
    token = api.ok("POST", f"/deployments/{deployment_id}/agent-tokens", json={"name": "agent"})["token"]
    agent = api.as_token(token)
    assert_error(agent.get(f"/deployments/{deployment_id}/deploys"), 403)
    assert_error(agent.post(f"/deployments/{deployment_id}/agent-tokens", json={"name": "more"}), 403)
    assert_error(agent.get(f"/workspaces/{workspace['id']}"), 403)


def test_agent_token_permissions(server, api):
    deployment_id, workspace = _deployment(server, api)
    base = f"/deployments/{deployment_id}/agent-tokens"
    member, _ = make_token(api, "WORKSPACE", "WORKSPACE_MEMBER", workspace["id"])
    admin, _ = make_token(api, "DEPLOYMENT", "DEPLOYMENT_ADMIN", deployment_id)
    created = api.as_token(admin).ok("POST", base, json={"name": "by-admin"})
    assert api.as_token(member).ok("GET", base)["totalCount"] == 1
    assert_error(api.as_token(member).post(base, json={"name": "no"}), 403, "deployment.agentTokens.create")
    assert_error(api.as_token(member).delete(f"{base}/{created['id']}"), 403, "deployment.agentTokens.delete")
    other_deployment = insert_deployment(server, api.org.id, workspace["id"])
    assert_error(api.get(f"/deployments/{other_deployment}/agent-tokens/{created['id']}"), 404)
    api.as_token(admin).ok("DELETE", f"{base}/{created['id']}", 204)


def test_deployment_delete_cleanup_removes_deploys_tokens_and_logs(server, api):
    from astroplane.deployments.models import Deployment
    from astroplane.deployments.scope import run_delete_cleanups
    deployment_id, _ = _deployment(server, api)
    token = api.ok("POST", f"/deployments/{deployment_id}/agent-tokens", json={"name": "agent"})
    deploy = api.ok("POST", f"/deployments/{deployment_id}/deploys", json={"type": "IMAGE_ONLY"})
    api.ok("POST", f"/deployments/{deployment_id}/deploys/{deploy['id']}/finalize", json={})
    session = server.database.session()
    try:
        deployment = session.get(Deployment, deployment_id)
        run_delete_cleanups(session, deployment)
        session.delete(deployment)
        session.commit()
    finally:
        session.close()
    with server.database.engine.connect() as connection:
        for table, column in (("deploys", "deployment_id"), ("deploy_uploads", "deployment_id"),
                              ("deployment_log_lines", "deployment_id"), ("api_tokens", "entity_id")):
            count = connection.execute(sa.text(f"SELECT count(*) FROM {table} WHERE {column} = :id"),
                                       {"id": deployment_id}).scalar()
            assert count == 0, table
    assert server.client.post(INGEST.format(deployment_id), json={"lines": []},
                              headers={"Authorization": f"Bearer {token['token']}"}).status_code == 401
