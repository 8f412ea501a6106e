"""Development deployments hibernate on their schedules and by override, through the reconciler."""

import datetime as dt

from conftest import assert_error, make_workspace
from lifecycle_helpers import poll, reconcile

STANDARD = {"type": "STANDARD", "cloudProvider": "AWS", "region": "us-east-1"}
NIGHTS = {"hibernationSpec": {"schedules": [{"hibernateAtCron": "0 20 * * *", "wakeAtCron": "0 8 * * *",
                                             "isEnabled": True, "description": "nights off"}]}}
NIGHT = dt.datetime(2030, 1, 15, 23, 0, tzinfo=dt.UTC)
DAY = dt.datetime(2030, 1, 16, 12, 0, tzinfo=dt.UTC)


def _dev(api, **fields):
    workspace = make_workspace(api)
    return api.ok("POST", "/deployments", json={"name": "dev", "workspaceId": workspace["id"], **STANDARD,
                                                "isDevelopmentMode": True, **fields})


def test_schedules_hibernate_and_wake(api, server):
    deployment = _dev(api, scalingSpec=NIGHTS)
    path = f"/deployments/{deployment['id']}"
    spec = deployment["scalingSpec"]["hibernationSpec"]
    assert spec["schedules"][0]["description"] == "nights off" and "override" not in spec
    assert deployment["scalingStatus"]["hibernationStatus"]["nextEventType"] in ("HIBERNATE", "WAKE")
    reconcile(server, NIGHT)  # provisioning ends
    reconcile(server, NIGHT)  # the schedule says it is night
    asleep = api.ok("GET", path)
    assert asleep["status"] == "HIBERNATING" and asleep["scalingStatus"]["hibernationStatus"]["isHibernating"] is True
    reconcile(server, DAY)
    assert api.ok("GET", path)["status"] == "HEALTHY"


def test_override_until_removed_and_with_an_end(api, server):
    deployment = _dev(api)
    path = f"/deployments/{deployment['id']}"
    poll(api, path, {"HEALTHY"})
    override = api.ok("POST", path + "/hibernation-override", json={"isHibernating": True})
    assert override == {"isActive": True, "isHibernating": True}
    reconcile(server)
    body = api.ok("GET", path)
    assert body["status"] == "HIBERNATING"
    assert body["scalingSpec"]["hibernationSpec"]["override"]["isHibernating"] is True
    assert api.ok("DELETE", path + "/hibernation-override", 204) is None
    reconcile(server)
    assert api.ok("GET", path)["status"] == "HEALTHY"
    until = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)).replace(microsecond=0)
    timed = api.ok("POST", path + "/hibernation-override",
                   json={"isHibernating": True, "overrideUntil": until.strftime("%Y-%m-%dT%H:%M:%SZ")})
    assert timed["overrideUntil"] == until.strftime("%Y-%m-%dT%H:%M:%SZ")
    reconcile(server)
    assert api.ok("GET", path)["status"] == "HIBERNATING"
    reconcile(server, until + dt.timedelta(minutes=1))  # the override has expired; no schedule: awake
    assert api.ok("GET", path)["status"] == "HEALTHY"


def test_override_rules(api):
    deployment = _dev(api)
    path = f"/deployments/{deployment['id']}/hibernation-override"
    assert_error(api.post(path, json={"isHibernating": True, "overrideUntil": "2001-01-01T00:00:00Z"}),
                 400, "overrideUntil")
    assert_error(api.post(path, json={}), 400, "isHibernating")
    workspace = make_workspace(api)
    regular = api.ok("POST", "/deployments", json={"name": "prod", "workspaceId": workspace["id"], **STANDARD})
    assert_error(api.post(f"/deployments/{regular['id']}/hibernation-override", json={"isHibernating": True}),
                 400, "development")
    assert "scalingSpec" not in regular and "scalingStatus" not in regular
    # the contract declares no 404 here: an unreachable deployment is 403
    assert_error(api.post("/deployments/c" + "0" * 24 + "/hibernation-override", json={"isHibernating": True}), 403)


def test_leaving_development_mode_wakes_the_deployment(api, server):
    deployment = _dev(api)
    path = f"/deployments/{deployment['id']}"
    poll(api, path, {"HEALTHY"})
    api.ok("POST", path + "/hibernation-override", json={"isHibernating": True})
    reconcile(server)
    asleep = api.ok("GET", path)
    assert asleep["status"] == "HIBERNATING"
    body = {key: asleep[key] for key in ("name", "workspaceId", "type", "executor", "isCicdEnforced",
                                         "isDagDeployEnabled", "isHighAvailability", "schedulerSize")}
    updated = api.ok("POST", path, json={**body, "environmentVariables": [], "isDevelopmentMode": False})
    assert updated["status"] == "HIBERNATING" and "scalingSpec" not in updated
    reconcile(server)
    assert api.ok("GET", path)["status"] == "HEALTHY"
