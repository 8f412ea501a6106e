"""The pure transition tables and the hibernation clock."""

import datetime as dt

import pytest

from astroplane.clusters import lifecycle as clusters
from astroplane.deployments import lifecycle as deployments
from astroplane.deployments.lifecycle import Schedule, hibernation_state


@pytest.mark.parametrize("status,event,expected", [
    ("CREATING", "succeeded", "CREATED"), ("CREATING", "failed", "CREATE_FAILED"),
    ("UPDATING", "succeeded", "CREATED"), ("UPDATING", "failed", "UPDATE_FAILED"),
    ("FAILING_OVER", "succeeded", "CREATED"), ("FAILING_OVER", "failed", "FAILOVER_FAILED"),
    ("CREATED", "update", "UPDATING"), ("CREATED", "failover", "FAILING_OVER"),
    ("CREATED", "delete", "UPDATING"), ("UPDATING", "deleted", clusters.DELETED),
    ("CREATING", "update", None), ("UPDATING", "delete", None), ("CREATE_FAILED", "update", None),
])
def test_cluster_transitions(status, event, expected):
    assert clusters.next_status(status, event) == expected


def test_cluster_step_events():
    assert clusters.step_event("CREATED", False, False) is None
    assert clusters.step_event("CREATING", False, False) == "succeeded"
    assert clusters.step_event("CREATING", False, True) == "failed"
    assert clusters.step_event("UPDATING", True, True) == "deleted"
    assert {clusters.health(s) for s in ("CREATED", "CREATING", "CREATE_FAILED")} == {"HEALTHY", "UNKNOWN", "UNHEALTHY"}


def test_every_cluster_target_is_a_contract_status_or_deleted():
    statuses = {"CREATING", "CREATED", "CREATE_FAILED", "UPDATING", "UPDATE_FAILED", "UPGRADE_PENDING",
                "ACCESS_DENIED", "FAILING_OVER", "FAILOVER_FAILED"}
    assert set(clusters.TRANSITIONS.values()) <= statuses | {clusters.DELETED}
    assert {s for s, _ in clusters.TRANSITIONS} <= statuses


@pytest.mark.parametrize("status,event,expected", [
    ("CREATING", "ready", "HEALTHY"), ("DEPLOYING", "ready", "HEALTHY"), ("HEALTHY", "update", "DEPLOYING"),
    ("CREATING", "update", "CREATING"), ("HEALTHY", "hibernate", "HIBERNATING"), ("HIBERNATING", "wake", "HEALTHY"),
    ("HEALTHY", "delete", None), ("HEALTHY", "ready", None),  # a delete removes the row: no transition
    ("DEPLOYING", "hibernate", None), ("HEALTHY", "failing", "UNHEALTHY"), ("CREATING", "failing", "UNHEALTHY"),
    ("UNHEALTHY", "recovered", "HEALTHY"), ("HIBERNATING", "failing", None), ("HEALTHY", "recovered", None),
])
def test_deployment_transitions(status, event, expected):
    assert deployments.next_status(status, event) == expected


def test_deployment_step_events():
    event = deployments.step_event
    assert event("CREATING", step_due=True, cluster_ready=False, wants_hibernation=False) is None
    assert event("CREATING", step_due=True, cluster_ready=True, wants_hibernation=False) == "ready"
    assert event("DEPLOYING", step_due=False, cluster_ready=True, wants_hibernation=True) is None
    assert event("HEALTHY", step_due=False, cluster_ready=True, wants_hibernation=True) == "hibernate"
    assert event("HIBERNATING", step_due=False, cluster_ready=True, wants_hibernation=False) == "wake"


@pytest.mark.parametrize("status, wants, runtime, expected", [
    ("CREATING", False, "starting", None),  # due, but Airflow is not healthy yet
    ("CREATING", False, "healthy", "ready"),
    ("DEPLOYING", False, "failing", "failing"),
    ("HEALTHY", False, "failing", "failing"),
    ("HEALTHY", True, "failing", "hibernate"),  # hibernating stops the failing processes anyway
    ("UNHEALTHY", False, "healthy", "recovered"),
    ("UNHEALTHY", False, "starting", None),
    ("HIBERNATING", False, "starting", None),  # wakes only once Airflow is up again
    ("HIBERNATING", False, "healthy", "wake"),
])
def test_deployment_step_events_follow_the_runtime(status, wants, runtime, expected):
    assert deployments.step_event(status, step_due=True, cluster_ready=True,
                                  wants_hibernation=wants, runtime=runtime) == expected


NIGHTS = [Schedule(hibernate_at="0 20 * * *", wake_at="0 8 * * *")]


def _at(hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2030, 1, 15, hour, minute, tzinfo=dt.UTC)


def test_schedules_decide_by_the_latest_event():
    night = hibernation_state(NIGHTS, None, None, _at(23))
    assert night.is_hibernating and night.next_event_type == "WAKE" and night.next_event_at == _at(8) + dt.timedelta(days=1)
    day = hibernation_state(NIGHTS, None, None, _at(12))
    assert not day.is_hibernating and day.next_event_type == "HIBERNATE" and day.next_event_at == _at(20)
    assert hibernation_state(NIGHTS, None, None, _at(20)).is_hibernating  # on the minute itself
    disabled = [Schedule("0 20 * * *", "0 8 * * *", enabled=False)]
    assert hibernation_state(disabled, None, None, _at(23)) == deployments.HibernationState(False)


def test_override_wins_until_it_expires():
    state = hibernation_state(NIGHTS, False, _at(22), _at(21))
    assert not state.is_hibernating and state.reason == "Hibernation override"
    assert (state.next_event_type, state.next_event_at) == ("HIBERNATE", _at(22))
    assert hibernation_state(NIGHTS, False, _at(22), _at(22, 30)).is_hibernating  # expired
    assert hibernation_state([], True, None, _at(12)).is_hibernating  # no end: until removed


def test_cron_validation():
    assert deployments.valid_cron("0 20 * * 1-5")
    assert not deployments.valid_cron("0 20 * *")
    assert not deployments.valid_cron("every night")
