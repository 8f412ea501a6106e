"""The alert logic without Airflow: what fires for which runs and task tries, checks of alert
properties and pattern matches, channel payloads and the delivery back-off."""

import datetime as dt

import pytest

from astroplane.alerts import delivery, rules
from astroplane.alerts.rules import DagRun, Observed, Rule, TaskTry
from astroplane.kit.errors import BadRequest

T0 = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC)  # a Monday
SINCE = T0 - dt.timedelta(hours=1)


def at(minutes: float) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


def rule(alert_type: str, patterns=(), since=SINCE, **properties) -> Rule:
    return Rule("alert-1", alert_type, properties, tuple(patterns), since)


def run(dag_id="etl", run_id="r1", state="failed", start=0, end=5) -> DagRun:
    return DagRun(dag_id, run_id, state, at(start), at(end) if end is not None else None)


def task(task_id="load", state="failed", start=1, end=4, try_number=1, dag_id="etl", map_index=-1) -> TaskTry:
    return TaskTry(dag_id, "r1", task_id, map_index, try_number, state, at(start), at(end) if end is not None else None)


def keys(firings) -> list[str]:
    return sorted(firing.event_key for firing in firings)


def test_dag_failure_and_success_fire_on_finished_runs_of_their_state():
    observed = Observed(runs=(run("etl", "r1", "failed"), run("etl", "r2", "success"),
                              run("etl", "r3", "running", end=None)))
    failures = rules.evaluate([rule("DAG_FAILURE")], observed, at(10))
    assert keys(failures) == ["run:etl:r1"] and failures[0].event_at == at(5) and failures[0].run_id == "r1"
    assert keys(rules.evaluate([rule("DAG_SUCCESS")], observed, at(10))) == ["run:etl:r2"]


def test_runs_that_ended_before_the_alert_existed_do_not_fire():
    observed = Observed(runs=(run(end=5),))
    assert rules.evaluate([rule("DAG_FAILURE", since=at(6))], observed, at(10)) == []
    assert len(rules.evaluate([rule("DAG_FAILURE", since=at(4))], observed, at(10))) == 1


def test_task_failure_fires_once_per_failed_try():
    observed = Observed(tasks=(task(try_number=1), task(try_number=2), task("other", state="success"),
                               task("mapped", map_index=3)))
    firings = rules.evaluate([rule("TASK_FAILURE")], observed, at(10))
    assert keys(firings) == ["task:etl:r1:load:-1:1", "task:etl:r1:load:-1:2", "task:etl:r1:mapped:3:1"]
    assert sorted(firing.try_number for firing in firings) == [1, 1, 2]


def test_durations_fire_for_runs_still_going_past_the_threshold_and_for_finished_long_ones():
    observed = Observed(runs=(run("etl", "slow", "running", start=0, end=None),
                              run("etl", "quick", "running", start=8, end=None),
                              run("etl", "long", "success", start=0, end=3)))
    firings = rules.evaluate([rule("DAG_DURATION", dagDurationSeconds=120)], observed, at(9))
    assert keys(firings) == ["run:etl:long", "run:etl:slow"]
    assert {f.event_key: f.event_at for f in firings}["run:etl:slow"] == at(2)
    # already past the limit when the alert was created: fires from then; over before it: never
    late = rule("DAG_DURATION", since=at(5), dagDurationSeconds=120)
    assert {f.event_key: f.event_at for f in rules.evaluate([late], observed, at(9))} == {"run:etl:slow": at(5)}
    tasks = Observed(tasks=(task("slow", "running", start=0, end=None), task("fast", "running", start=8.5, end=None)))
    assert keys(rules.evaluate([rule("TASK_DURATION", taskDurationSeconds=60)], tasks, at(9))) == [
        "task:etl:r1:slow:-1:1"]


@pytest.mark.parametrize("operator, values, fired", [
    ("IS", ["etl"], True), ("IS", ["other"], False), ("IS_NOT", ["etl"], False),
    ("INCLUDES", ["tl"], True), ("INCLUDES", ["zz"], False), ("EXCLUDES", ["et"], False), ("EXCLUDES", ["zz"], True),
])
def test_pattern_matches_on_dag_ids(operator, values, fired):
    patterns = [{"entityType": "DAG_ID", "operatorType": operator, "values": values}]
    assert bool(rules.evaluate([rule("DAG_FAILURE", patterns)], Observed(runs=(run(),)), at(10))) is fired


def test_task_id_patterns_select_tasks_and_all_patterns_must_hold():
    patterns = [{"entityType": "DAG_ID", "operatorType": "IS", "values": ["etl"]},
                {"entityType": "TASK_ID", "operatorType": "INCLUDES", "values": ["load"]}]
    observed = Observed(tasks=(task("load_orders"), task("extract"), task("load_orders", dag_id="other")))
    firings = rules.evaluate([rule("TASK_FAILURE", patterns)], observed, at(10))
    assert [(f.dag_id, f.task_id) for f in firings] == [("etl", "load_orders")]


def timeliness(**overrides) -> Rule:
    properties = {"dagDeadline": "12:30", "daysOfWeek": ["MONDAY"], "lookBackPeriodSeconds": 3600, **overrides}
    return rule("DAG_TIMELINESS", since=T0 - dt.timedelta(days=3), **properties)


def test_timeliness_fires_when_no_successful_run_lands_in_the_window_before_the_deadline():
    dags = ("etl", "report")
    landed = run("etl", "ok", "success", start=10, end=20)  # 12:20, inside [11:30, 12:30]
    late = run("report", "late", "success", start=35, end=40)  # after the deadline
    firings = rules.evaluate([timeliness()], Observed(runs=(landed, late), dag_ids=dags), at(31))
    assert keys(firings) == ["deadline:report:2026-03-02T12:30"]
    assert firings[0].event_at == at(30)
    assert rules.evaluate([timeliness()], Observed(dag_ids=dags), at(29)) == []  # before the deadline
    assert rules.evaluate([timeliness(daysOfWeek=["TUESDAY"])], Observed(dag_ids=dags), at(31)) == []
    early = run("etl", "early", "success", start=-120, end=-100)  # ended before the look-back window
    assert keys(rules.evaluate([timeliness()], Observed(runs=(early,), dag_ids=("etl",)), at(31))) == [
        "deadline:etl:2026-03-02T12:30"]


def test_timeliness_checks_yesterdays_deadline_after_midnight():
    tuesday_morning = T0 + dt.timedelta(hours=13)  # 01:00 on Tuesday
    firings = rules.evaluate([timeliness()], Observed(dag_ids=("etl",)), tuesday_morning)
    assert keys(firings) == ["deadline:etl:2026-03-02T12:30"]


@pytest.mark.parametrize("alert_type, properties, field", [
    ("DAG_DURATION", {}, "dagDurationSeconds"),
    ("DAG_DURATION", {"dagDurationSeconds": 59}, "dagDurationSeconds"),
    ("DAG_DURATION", {"dagDurationSeconds": 604801}, "dagDurationSeconds"),
    ("TASK_DURATION", {"taskDurationSeconds": 10}, "taskDurationSeconds"),
    ("DAG_TIMELINESS", {"dagDeadline": "24:00", "daysOfWeek": ["MONDAY"], "lookBackPeriodSeconds": 60}, "dagDeadline"),
    ("DAG_TIMELINESS", {"dagDeadline": "9:00", "daysOfWeek": ["MONDAY"], "lookBackPeriodSeconds": 60}, "dagDeadline"),
    ("DAG_TIMELINESS", {"dagDeadline": "09:00", "daysOfWeek": ["MONDAY", "MONDAY"], "lookBackPeriodSeconds": 60},
     "daysOfWeek"),
    ("DAG_TIMELINESS", {"dagDeadline": "09:00", "daysOfWeek": ["monday"], "lookBackPeriodSeconds": 60}, "daysOfWeek"),
    ("DAG_TIMELINESS", {"dagDeadline": "09:00", "daysOfWeek": [], "lookBackPeriodSeconds": 60}, "daysOfWeek"),
    ("DAG_TIMELINESS", {"dagDeadline": "09:00", "daysOfWeek": ["SUNDAY"], "lookBackPeriodSeconds": 0},
     "lookBackPeriodSeconds"),
])
def test_properties_are_checked_per_type(alert_type, properties, field):
    with pytest.raises(BadRequest) as refused:
        rules.check_properties(alert_type, properties)
    assert refused.value.field_errors[0]["field"] == f"rules.properties.{field}"


def test_valid_properties_keep_only_the_types_own():
    kept = rules.check_properties("DAG_DURATION", {"dagDurationSeconds": 60, "taskDurationSeconds": 5,
                                                   "deploymentId": "d"})
    assert kept == {"dagDurationSeconds": 60}


def test_pattern_checks():
    with pytest.raises(BadRequest, match="matches DAG_ID only"):
        rules.check_patterns("DAG_FAILURE", [{"entityType": "TASK_ID", "operatorType": "IS", "values": ["t"]}])
    with pytest.raises(BadRequest, match=r"values\[0\]"):
        rules.check_patterns("TASK_FAILURE", [{"entityType": "TASK_ID", "operatorType": "IS", "values": [""]}])
    with pytest.raises(BadRequest, match="1 to 100 values"):
        rules.check_patterns("TASK_FAILURE", [{"entityType": "DAG_ID", "operatorType": "IS", "values": []}])


NOTICE = delivery.Notice(firing_id="f1", alert_id="a1", alert_name="etl broke", alert_type="TASK_FAILURE",
                         severity="WARNING", summary="Task load of DAG etl failed", organization_id="o1",
                         deployment_id="d1", deployment_name="prod", dag_id="etl", event_at=T0, run_id="r1",
                         task_id="load", try_number=2)


def test_payloads_name_the_run_and_task_and_carry_their_channel_keys():
    slack = delivery.slack_payload(NOTICE)
    assert "etl broke" in slack["text"] and "load (try 2)" in slack["text"] and slack["astroplane"]["run_id"] == "r1"
    pagerduty = delivery.pagerduty_payload("routing-key-1", NOTICE)
    assert pagerduty["routing_key"] == "routing-key-1" and pagerduty["event_action"] == "trigger"
    assert pagerduty["payload"]["severity"] == "warning" and pagerduty["dedup_key"] == "astroplane-f1"
    assert delivery.opsgenie_payload(NOTICE)["priority"] == "P3"
    message = delivery.email_message(NOTICE, "alerts@example.com", ["a@example.com", "b@example.com"])
    assert message["To"] == "a@example.com, b@example.com" and "[WARNING] etl broke" in message["Subject"]
    assert "try_number: 2" in message.get_content()
    assert delivery.dag_trigger_body(NOTICE)["conf"]["astroplane_alert"]["task_id"] == "load"


def test_backoff_doubles_and_gives_up():
    waits = [delivery.backoff(attempt, T0, 5, 4) for attempt in (1, 2, 3, 4)]
    assert [(w - T0).total_seconds() for w in waits[:3]] == [5, 10, 20]
    assert waits[3] is None
    assert (delivery.backoff(30, T0, 5, 100) - T0).total_seconds() == 3600
