"""Alerts and notification channels through the HTTP API (Platform v1beta1, Labs v1), on both databases."""

import json
import logging

import pytest
import sqlalchemy as sa

from alerts_helpers import alert, email, labs, platform, slack, workspace_with_deployments
from conftest import assert_error, assert_no_nulls, make_token, make_workspace
from lifecycle_helpers import reconcile


def test_notification_channel_crud(server, api):
    v = platform(api)
    workspace, (deployment,) = workspace_with_deployments(server, api)
    made = v.ok("POST", "/notification-channels", json=email("WORKSPACE", workspace, "a@example.com", isShared=True))
    assert made["entityType"] == "WORKSPACE" and made["entityId"] == made["workspaceId"] == workspace
    assert made["isShared"] is True and made["definition"] == {"recipients": ["a@example.com"]}
    assert made["organizationId"] == api.org.id and made["createdBy"]["id"] and "entityName" in made
    assert_no_nulls(made)
    assert v.ok("GET", f"/notification-channels/{made['id']}") == made
    renamed = v.ok("POST", f"/notification-channels/{made['id']}", json={
        "name": "renamed", "definition": {"recipients": ["b@example.com", "c@example.com"]}})  # no type: inferred
    assert renamed["name"] == "renamed" and renamed["definition"]["recipients"] == ["b@example.com", "c@example.com"]
    own = v.ok("POST", "/notification-channels", json=slack("DEPLOYMENT", deployment, isShared=True))
    assert own["isShared"] is False and own["deploymentId"] == deployment  # only org/workspace channels share
    org = v.ok("POST", "/notification-channels", json=slack("ORGANIZATION", api.org.id))
    listed = v.ok("GET", "/notification-channels", params={"sorts": "name:asc"})
    assert listed["totalCount"] == 3 and [c["name"] for c in listed["notificationChannels"]] == sorted(
        c["name"] for c in listed["notificationChannels"])
    assert [c["id"] for c in v.ok("GET", "/notification-channels", params={"channelTypes": "EMAIL"})[
        "notificationChannels"]] == [made["id"]]
    assert {c["id"] for c in v.ok("GET", "/notification-channels", params={"entityType": "ORGANIZATION"})[
        "notificationChannels"]} == {org["id"]}
    # a deployment sees its own channels and the shared ones above it (the org one is not shared)
    seen = v.ok("GET", "/notification-channels", params={"deploymentIds": deployment})["notificationChannels"]
    assert {c["id"] for c in seen} == {made["id"], own["id"]}
    assert_error(v.get("/notification-channels", params={"deploymentIds": deployment, "workspaceIds": workspace}), 400)
    assert v.ok("DELETE", f"/notification-channels/{made['id']}", 204) is None
    assert_error(v.get(f"/notification-channels/{made['id']}"), 404)
    # not in v1
    assert api.get(f"/v1/organizations/{api.org.id}/notification-channels").status_code == 404


def test_alert_crud_and_lists(server, api):
    v = platform(api)
    workspace, (first, second) = workspace_with_deployments(server, api, 2)
    shared = v.ok("POST", "/notification-channels", json=slack("WORKSPACE", workspace, isShared=True))
    created = v.ok("POST", "/alerts", json=alert(first, [shared["id"]], "DAG_DURATION", dagDurationSeconds=600))
    assert created["type"] == "DAG_DURATION" and created["entityType"] == "DEPLOYMENT"
    assert created["entityId"] == created["deploymentId"] == first and created["workspaceId"] == workspace
    assert created["rules"]["properties"] == {"deploymentId": first, "dagDurationSeconds": 600}
    assert created["rules"]["patternMatches"] == [{"entityType": "DAG_ID", "operatorType": "IS", "values": ["etl"]}]
    assert [c["id"] for c in created["notificationChannels"]] == [shared["id"]]
    assert created["notificationChannels"][0]["definition"]["webhookUrl"] != "https://hooks.slack.example/services/T1/B1/x"
    assert "entityName" in created
    assert_no_nulls(created)
    assert v.ok("GET", f"/alerts/{created['id']}") == created
    other = v.ok("POST", "/alerts", json=alert(second, [shared["id"]], "TASK_FAILURE", patterns=[
        {"entityType": "TASK_ID", "operatorType": "INCLUDES", "values": ["load"]}]))
    # a partial update without type keeps the rest; properties merge
    updated = v.ok("POST", f"/alerts/{created['id']}", json={"severity": "INFO",
                                                            "rules": {"properties": {"dagDurationSeconds": 120}}})
    assert updated["severity"] == "INFO" and updated["name"] == created["name"]
    assert updated["rules"]["properties"]["dagDurationSeconds"] == 120 and updated["rules"]["patternMatches"]
    assert v.ok("GET", "/alerts", params={"deploymentIds": second})["alerts"][0]["id"] == other["id"]
    assert v.ok("GET", "/alerts", params={"alertTypes": "DAG_DURATION"})["totalCount"] == 1
    assert v.ok("GET", "/alerts", params={"workspaceIds": workspace, "limit": 1})["totalCount"] == 2
    names = [a["name"] for a in v.ok("GET", "/alerts", params={"sorts": "name:desc"})["alerts"]]
    assert names == sorted(names, reverse=True)
    bulk = labs(api).ok("GET", "/alerts", params={"alertIds": [created["id"]]})
    assert set(bulk) == {"alerts"} and [a["id"] for a in bulk["alerts"]] == [created["id"]]
    assert v.ok("DELETE", f"/alerts/{created['id']}", 204) is None
    assert_error(v.get(f"/alerts/{created['id']}"), 404)
    assert api.get(f"/v1/organizations/{api.org.id}/alerts").status_code == 404


@pytest.fixture
def setup(server, api):
    v = platform(api)
    workspace, (deployment, neighbour) = workspace_with_deployments(server, api, 2)
    other_workspace, (elsewhere,) = workspace_with_deployments(server, api)
    channels = {
        "own": v.ok("POST", "/notification-channels", json=slack("DEPLOYMENT", deployment))["id"],
        "neighbours": v.ok("POST", "/notification-channels", json=slack("DEPLOYMENT", neighbour))["id"],
        "unshared": v.ok("POST", "/notification-channels", json=slack("WORKSPACE", workspace))["id"],
        "other_ws": v.ok("POST", "/notification-channels", json=slack("WORKSPACE", other_workspace,
                                                                      isShared=True))["id"],
        "org": v.ok("POST", "/notification-channels", json=slack("ORGANIZATION", api.org.id, isShared=True))["id"],
    }
    return dict(v=v, workspace=workspace, deployment=deployment, neighbour=neighbour, elsewhere=elsewhere, **channels)


def _without(body: dict, *path: str) -> dict:
    copy = json.loads(json.dumps(body))
    target = copy
    for name in path[:-1]:
        target = target[name]
    del target[path[-1]]
    return copy


@pytest.mark.parametrize("change, field", [
    (lambda s, b: _without(b, "rules", "properties", "dagDurationSeconds"), "dagDurationSeconds"),
    (lambda s, b: {**b, "rules": {**b["rules"], "properties": {"deploymentId": s["deployment"],
                                                               "dagDurationSeconds": 30}}}, "dagDurationSeconds"),
    (lambda s, b: {**b, "rules": {**b["rules"], "properties": {"deploymentId": s["neighbour"],
                                                               "dagDurationSeconds": 60}}}, "deploymentId"),
    (lambda s, b: {**b, "entityId": "cmx7aaaaaaaaaaaaaaaaaaaaa"}, "entityId"),
    (lambda s, b: {**b, "notificationChannelIds": []}, "notificationChannelIds"),
    (lambda s, b: {**b, "notificationChannelIds": [s["own"], s["own"]]}, "notificationChannelIds"),
    (lambda s, b: {**b, "notificationChannelIds": ["cmx7aaaaaaaaaaaaaaaaaaaaa"]}, "notificationChannelIds"),
    (lambda s, b: {**b, "notificationChannelIds": [s["neighbours"]]}, "notificationChannelIds"),
    (lambda s, b: {**b, "notificationChannelIds": [s["unshared"]]}, "notificationChannelIds"),
    (lambda s, b: {**b, "notificationChannelIds": [s["other_ws"]]}, "notificationChannelIds"),
    (lambda s, b: {**b, "rules": {**b["rules"], "patternMatches": [
        {"entityType": "TASK_ID", "operatorType": "IS", "values": ["t"]}]}}, "entityType"),
    (lambda s, b: {**b, "rules": {**b["rules"], "patternMatches": [
        {"entityType": "DAG_ID", "operatorType": "IS", "values": [""]}]}}, "values[0]"),
    (lambda s, b: {**b, "rules": {**b["rules"], "patternMatches": [
        {"entityType": "DAG", "operatorType": "IS", "values": ["x"]}]}}, "entityType"),
    (lambda s, b: {**b, "severity": "LOUD"}, "severity"),
    (lambda s, b: {**b, "type": "WORKER_QUEUE_AT_CAPACITY"}, "type"),
    (lambda s, b: {**b, "name": " "}, "name"),
])
def test_alert_validation(setup, change, field):
    body = alert(setup["deployment"], [setup["own"], setup["org"]], "DAG_DURATION", dagDurationSeconds=60)
    response = setup["v"].post("/alerts", json=change(setup, body))
    error = assert_error(response, 400)
    assert field in json.dumps(error), error
    assert setup["v"].ok("GET", "/alerts")["totalCount"] == 0


def test_alert_update_validation(setup):
    v = setup["v"]
    made = v.ok("POST", "/alerts", json=alert(setup["deployment"], [setup["own"]], "DAG_TIMELINESS",
                                              dagDeadline="09:30", daysOfWeek=["MONDAY"], lookBackPeriodSeconds=3600))
    path = f"/alerts/{made['id']}"
    assert_error(v.post(path, json={"type": "DAG_FAILURE", "name": "x"}), 400, "cannot become")
    assert_error(v.post(path, json={"rules": {"properties": {"dagDeadline": "9:30"}}}), 400, "dagDeadline")
    assert_error(v.post(path, json={"notificationChannelIds": [setup["neighbours"]]}), 400, "not visible")
    changed = v.ok("POST", path, json={"type": "DAG_TIMELINESS", "notificationChannelIds": [setup["org"], setup["own"]],
                                       "rules": {"properties": {"daysOfWeek": ["FRIDAY", "SUNDAY"]}}})
    assert [c["id"] for c in changed["notificationChannels"]] == [setup["org"], setup["own"]]
    assert changed["rules"]["properties"]["daysOfWeek"] == ["FRIDAY", "SUNDAY"]
    assert changed["rules"]["properties"]["dagDeadline"] == "09:30"


@pytest.mark.parametrize("body, field", [
    ({"type": "SLACK", "definition": {"webhookUrl": "not a url"}}, "webhookUrl"),
    ({"type": "SLACK", "definition": {}}, "webhookUrl"),
    ({"type": "EMAIL", "definition": {"recipients": []}}, "recipients"),
    ({"type": "EMAIL", "definition": {"recipients": ["nobody"]}}, "recipients[0]"),
    ({"type": "PAGERDUTY", "definition": {"integrationKey": " "}}, "integrationKey"),
    ({"type": "OPSGENIE", "definition": {}}, "apiKey"),
    ({"type": "DAG_TRIGGER", "definition": {"dagId": "d", "deploymentApiToken": "t",
                                            "deploymentId": "cmx7aaaaaaaaaaaaaaaaaaaaa"}}, "deploymentId"),
    ({"type": "SLACK", "definition": {"webhookUrl": "https://x.example"}, "entityType": "WORKSPACE",
      "entityId": "cmx7aaaaaaaaaaaaaaaaaaaaa"}, "entityId"),
    ({"type": "SLACK", "definition": {"webhookUrl": "https://x.example"}, "entityType": "ORGANIZATION",
      "entityId": "cmx7aaaaaaaaaaaaaaaaaaaaa"}, "entityId"),
    ({"type": "SLACK", "definition": {"webhookUrl": "https://x.example"}, "entityType": "CLUSTER"}, "entityType"),
])
def test_channel_validation(server, api, body, field):
    workspace = make_workspace(api)["id"]
    response = platform(api).post("/notification-channels", json={
        "name": "c", "entityType": "WORKSPACE", "entityId": workspace, **body})
    assert field in json.dumps(assert_error(response, 400))


def test_permissions_follow_workspace_and_deployment_roles(server, api):
    v = platform(api)
    workspace, (deployment, other) = workspace_with_deployments(server, api, 2)
    channel = v.ok("POST", "/notification-channels", json=slack("WORKSPACE", workspace, isShared=True))["id"]
    made = v.ok("POST", "/alerts", json=alert(deployment, [channel]))
    member = v.as_token(make_token(api, "WORKSPACE", "WORKSPACE_MEMBER", workspace)[0])
    assert member.ok("GET", f"/alerts/{made['id']}")["id"] == made["id"]
    assert member.ok("GET", f"/notification-channels/{channel}")["id"] == channel
    assert_error(member.post("/alerts", json=alert(deployment, [channel])), 403)
    assert_error(member.post(f"/alerts/{made['id']}", json={"name": "x"}), 403)
    assert_error(member.delete(f"/alerts/{made['id']}"), 403)
    assert_error(member.post("/notification-channels", json=slack("WORKSPACE", workspace)), 403)
    operator = v.as_token(make_token(api, "WORKSPACE", "WORKSPACE_OPERATOR", workspace)[0])
    operator.ok("POST", "/alerts", json=alert(other, [channel]))
    operator.ok("POST", "/notification-channels", json=slack("WORKSPACE", workspace))
    assert_error(operator.post("/notification-channels", json=slack("ORGANIZATION", api.org.id)), 403)
    admin = v.as_token(make_token(api, "DEPLOYMENT", "DEPLOYMENT_ADMIN", deployment)[0])
    admin.ok("POST", "/alerts", json=alert(deployment, [channel]))
    admin.ok("POST", "/notification-channels", json=slack("DEPLOYMENT", deployment))
    assert_error(admin.post("/alerts", json=alert(other, [channel])), 403)
    assert {a["deploymentId"] for a in admin.ok("GET", "/alerts")["alerts"]} == {deployment}
    assert admin.ok("GET", "/alerts")["totalCount"] == 2
    # the labs bulk operations check each alert the same way
    assert_error(labs(api).as_token(member.token).post("/create-alerts", json={"alerts": [alert(deployment, [channel])]}),
                 403)
    # other organizations see nothing
    from conftest import Api, new_org
    stranger_org = new_org(server)
    stranger = platform(Api(server, stranger_org, stranger_org.token))
    stranger.base = f"/platform/v1beta1/organizations/{api.org.id}"
    assert_error(stranger.get(f"/alerts/{made['id']}"), 403)
    own = platform(Api(server, stranger_org, stranger_org.token))
    assert_error(own.get(f"/alerts/{made['id']}"), 404)
    assert_error(own.get(f"/notification-channels/{channel}"), 404)


def test_labs_bulk_operations_are_all_or_nothing(server, api):
    v, bulk = platform(api), labs(api)
    _, (deployment,) = workspace_with_deployments(server, api)
    channel = v.ok("POST", "/notification-channels", json=slack("DEPLOYMENT", deployment))["id"]
    good = [alert(deployment, [channel]), alert(deployment, [channel], "TASK_DURATION", taskDurationSeconds=300)]
    bad = alert(deployment, [channel], "DAG_DURATION", dagDurationSeconds=5)
    error = assert_error(bulk.post("/create-alerts", json={"alerts": [*good, bad]}), 400)
    assert "alerts[2]" in error["message"]
    assert v.ok("GET", "/alerts")["totalCount"] == 0
    created = bulk.ok("POST", "/create-alerts", json={"alerts": good})["alerts"]
    assert [a["type"] for a in created] == ["DAG_FAILURE", "TASK_DURATION"]
    ids = [a["id"] for a in created]
    assert_error(bulk.post("/create-alerts", json={"alerts": [good[0]] * 31}), 400)
    # update: one bad item, nothing changes
    changes = [{"id": ids[0], "name": "renamed"}, {"id": ids[1], "rules": {"properties": {"taskDurationSeconds": 1}}}]
    assert_error(bulk.post("/update-alerts", json={"alerts": changes}), 400, "alerts[1]")
    assert v.ok("GET", f"/alerts/{ids[0]}")["name"] == good[0]["name"]
    assert_error(bulk.post("/update-alerts", json={"alerts": [{"name": "no id", "type": "DAG_FAILURE"}]}), 400, "id")
    changes[1] = {"id": ids[1], "type": "TASK_DURATION", "rules": {"properties": {"taskDurationSeconds": 600}}}
    updated = bulk.ok("POST", "/update-alerts", json={"alerts": changes})["alerts"]
    assert updated[0]["name"] == "renamed" and updated[1]["rules"]["properties"]["taskDurationSeconds"] == 600
    # delete: one unknown id, nothing goes
    assert_error(bulk.post("/delete-alerts", json={"alertIds": [ids[0], "cmx7aaaaaaaaaaaaaaaaaaaaa"]}), 404)
    assert v.ok("GET", "/alerts")["totalCount"] == 2
    assert bulk.ok("POST", "/delete-alerts", 204, json={"alertIds": ids}) is None
    assert v.ok("GET", "/alerts")["totalCount"] == 0


SECRETS = {"webhook": "https://hooks.slack.example/services/T0/B0/webhook-secret-must-not-leak",
           "pagerduty": "pagerduty-integration-key-must-not-leak",
           "opsgenie": "opsgenie-api-key-must-not-leak", "updated": "https://hooks.example/updated-secret-must-not-leak"}


def test_channel_secrets_never_appear_in_responses_rows_or_logs(server, api, caplog):
    caplog.set_level(logging.DEBUG)
    v = platform(api)
    workspace, (deployment,) = workspace_with_deployments(server, api)
    token = make_token(api, "DEPLOYMENT", "DEPLOYMENT_ADMIN", deployment)[0]
    bodies = [slack("WORKSPACE", workspace, SECRETS["webhook"], isShared=True),
              {"name": "pd", "type": "PAGERDUTY", "entityType": "DEPLOYMENT", "entityId": deployment,
               "definition": {"integrationKey": SECRETS["pagerduty"]}},
              {"name": "og", "type": "OPSGENIE", "entityType": "ORGANIZATION", "entityId": api.org.id, "isShared": True,
               "definition": {"apiKey": SECRETS["opsgenie"]}},
              {"name": "dt", "type": "DAG_TRIGGER", "entityType": "DEPLOYMENT", "entityId": deployment,
               "definition": {"dagId": "react", "deploymentId": deployment, "deploymentApiToken": token}}]
    responses = [v.post("/notification-channels", json=body) for body in bodies]
    ids = [response.json()["id"] for response in responses]
    made = v.ok("POST", "/alerts", json=alert(deployment, ids))
    # sending a channel's masked definition back keeps the stored secret
    masked = v.ok("GET", f"/notification-channels/{ids[0]}")["definition"]
    v.ok("POST", f"/notification-channels/{ids[0]}", json={"type": "SLACK", "definition": masked})
    v.ok("POST", f"/notification-channels/{ids[1]}", json={"definition": {"integrationKey": SECRETS["pagerduty"]}})
    texts = [response.text for response in responses]
    texts += [v.get(f"/notification-channels/{i}").text for i in ids]
    texts += [v.get("/notification-channels").text, v.get(f"/alerts/{made['id']}").text, v.get("/alerts").text,
              labs(api).get("/alerts").text]
    secrets = [*SECRETS.values(), token]
    for index, text in enumerate(texts):
        assert not any(secret in text for secret in secrets), f"a secret in response {index}"
    assert json.loads(texts[4])["definition"] == {"webhookUrl": "********"}
    assert json.loads(texts[7])["definition"]["dagId"] == "react"
    from astroplane.notification_channels.models import NotificationChannel
    from astroplane.notification_channels.service import definition_of
    with server.database.session() as session:
        assert definition_of(session.get(NotificationChannel, ids[0]))["webhookUrl"] == SECRETS["webhook"]
    with server.database.engine.connect() as connection:
        raw = repr([tuple(row) for table in ("notification_channels", "alerts", "alert_channels", "audit_log")
                    for row in connection.execute(sa.text(f"SELECT * FROM {table}"))])
    assert ids[0] in raw and not any(secret in raw for secret in secrets)
    assert caplog.records and not any(secret in caplog.text for secret in secrets)
    # the mask is not a value for a new channel
    assert_error(v.post("/notification-channels", json=slack("WORKSPACE", workspace, "********")), 400, "mask")


def _count(server, table: str, column: str, value: str) -> int:
    with server.database.engine.connect() as connection:
        return connection.execute(sa.text(f"SELECT count(*) FROM {table} WHERE {column} = :v"), {"v": value}).scalar()


def test_deletes_remove_or_detach_dependents(server, api):
    v = platform(api)
    workspace, (deployment, stays) = workspace_with_deployments(server, api, 2)
    shared = v.ok("POST", "/notification-channels", json=slack("WORKSPACE", workspace, isShared=True))["id"]
    own = v.ok("POST", "/notification-channels", json=slack("DEPLOYMENT", deployment))["id"]
    doomed = v.ok("POST", "/alerts", json=alert(deployment, [shared, own]))["id"]
    kept = v.ok("POST", "/alerts", json=alert(stays, [shared]))["id"]
    # a channel other deployments' alerts notify stays shared
    assert_error(v.post(f"/notification-channels/{shared}", json={"type": "SLACK", "isShared": False}), 400, "alert")
    # deleting a channel detaches it; the alert stays
    v.ok("DELETE", f"/notification-channels/{own}", 204)
    assert [c["id"] for c in v.ok("GET", f"/alerts/{doomed}")["notificationChannels"]] == [shared]
    assert _count(server, "alert_channels", "channel_id", own) == 0
    # deleting the deployment (the reconciler's removal) takes its alerts and their links
    again = v.ok("POST", "/notification-channels", json=slack("DEPLOYMENT", deployment))["id"]
    api.ok("DELETE", f"/deployments/{deployment}", status=204)
    reconcile(server)
    assert_error(v.get(f"/alerts/{doomed}"), 404)
    assert_error(v.get(f"/notification-channels/{again}"), 404)
    assert _count(server, "alert_channels", "alert_id", doomed) == 0
    assert _count(server, "alerts", "deployment_id", deployment) == 0
    assert v.ok("GET", f"/alerts/{kept}")["notificationChannels"][0]["id"] == shared
    # a workspace without deployments takes its channels with it
    empty = make_workspace(api)["id"]
    lonely = v.ok("POST", "/notification-channels", json=email("WORKSPACE", empty))["id"]
    api.ok("DELETE", f"/workspaces/{empty}", status=204)
    assert_error(v.get(f"/notification-channels/{lonely}"), 404)
    assert _count(server, "notification_channels", "workspace_id", empty) == 0
