"""What alerts mean, without any I/O: checking an alert's properties and pattern matches, and
turning a deployment's DAG runs and task tries into firings.

`evaluate` is the whole firing logic: given the rules, what Airflow reports and the time, it says
which alerts fire for which run or task try. Each firing carries an `event_key` naming exactly what
fired (a run, a task try, a day's deadline); the database keeps one firing per (alert, key).
"""

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from astroplane.kit.errors import BadRequest

DAG_TYPES = {"DAG_FAILURE", "DAG_SUCCESS", "DAG_DURATION", "DAG_TIMELINESS"}
TASK_TYPES = {"TASK_FAILURE", "TASK_DURATION"}
DAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")
MIN_DURATION, MAX_DURATION = 60, 7 * 24 * 3600
MAX_PATTERNS, MAX_VALUES = 20, 100
_DEADLINE = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
# the properties each type takes besides deploymentId (which names the alert's deployment)
PROPERTIES = {
    "DAG_FAILURE": (), "DAG_SUCCESS": (), "TASK_FAILURE": (),
    "DAG_DURATION": ("dagDurationSeconds",), "TASK_DURATION": ("taskDurationSeconds",),
    "DAG_TIMELINESS": ("dagDeadline", "daysOfWeek", "lookBackPeriodSeconds"),
}


# ---------------------------------------------------------------- checking an alert

def check_properties(alert_type: str, properties: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """The type's properties, checked; BadRequest naming the first bad one."""
    field = f"{prefix}rules.properties."
    kept = {name: properties[name] for name in PROPERTIES[alert_type] if properties.get(name) is not None}
    missing = [name for name in PROPERTIES[alert_type] if name not in kept]
    if missing:
        raise BadRequest(f"{field}{missing[0]} is required for a {alert_type} alert", field=field + missing[0])
    for name in ("dagDurationSeconds", "taskDurationSeconds"):
        if name in kept and not MIN_DURATION <= kept[name] <= MAX_DURATION:
            raise BadRequest(f"{field}{name} must be between {MIN_DURATION} and {MAX_DURATION} seconds",
                             field=field + name)
    if alert_type == "DAG_TIMELINESS":
        if not _DEADLINE.match(kept["dagDeadline"]):
            raise BadRequest(f"{field}dagDeadline must be a UTC time of day as HH:MM (00:00 to 23:59)",
                             field=field + "dagDeadline")
        days = kept["daysOfWeek"]
        if not days or any(day not in DAYS for day in days) or len(set(days)) != len(days):
            raise BadRequest(f"{field}daysOfWeek must list distinct days among {', '.join(DAYS)}",
                             field=field + "daysOfWeek")
        if not 0 < kept["lookBackPeriodSeconds"] <= MAX_DURATION:
            raise BadRequest(f"{field}lookBackPeriodSeconds must be between 1 and {MAX_DURATION} seconds",
                             field=field + "lookBackPeriodSeconds")
    return kept


def check_patterns(alert_type: str, patterns: list[dict[str, Any]], prefix: str = "") -> list[dict[str, Any]]:
    field = f"{prefix}rules.patternMatches"
    if len(patterns) > MAX_PATTERNS:
        raise BadRequest(f"{field} may hold at most {MAX_PATTERNS} pattern matches", field=field)
    for index, pattern in enumerate(patterns):
        here = f"{field}[{index}]"
        if pattern["entityType"] == "TASK_ID" and alert_type not in TASK_TYPES:
            raise BadRequest(f"{here}.entityType: a {alert_type} alert matches DAG_ID only", field=f"{here}.entityType")
        values = pattern["values"]
        if not 1 <= len(values) <= MAX_VALUES:
            raise BadRequest(f"{here}.values must hold 1 to {MAX_VALUES} values", field=f"{here}.values")
        for position, value in enumerate(values):
            if not value or len(value) > 250:
                raise BadRequest(f"{here}.values[{position}] must be 1 to 250 characters",
                                 field=f"{here}.values[{position}]")
    return patterns


def matches(patterns: Iterable[dict[str, Any]], dag_id: str, task_id: str | None = None) -> bool:
    """Every pattern holds (a TASK_ID pattern only constrains task events)."""
    for pattern in patterns:
        subject = dag_id if pattern["entityType"] == "DAG_ID" else task_id
        if subject is None:
            continue
        values, operator = pattern["values"], pattern["operatorType"]
        if operator == "IS" and subject not in values:
            return False
        if operator == "IS_NOT" and subject in values:
            return False
        if operator == "INCLUDES" and not any(value in subject for value in values):
            return False
        if operator == "EXCLUDES" and any(value in subject for value in values):
            return False
    return True


# ---------------------------------------------------------------- evaluation

@dataclass(frozen=True)
class Rule:
    alert_id: str
    alert_type: str
    properties: dict[str, Any]
    patterns: tuple[dict[str, Any], ...]
    since: dt.datetime  # when the alert was created: nothing earlier fires it


@dataclass(frozen=True)
class DagRun:
    dag_id: str
    run_id: str
    state: str
    start_date: dt.datetime | None
    end_date: dt.datetime | None


@dataclass(frozen=True)
class TaskTry:
    dag_id: str
    run_id: str
    task_id: str
    map_index: int
    try_number: int
    state: str
    start_date: dt.datetime | None
    end_date: dt.datetime | None


@dataclass(frozen=True)
class Firing:
    alert_id: str
    event_key: str
    dag_id: str
    event_at: dt.datetime
    summary: str
    run_id: str | None = None
    task_id: str | None = None
    try_number: int | None = None


@dataclass(frozen=True)
class Observed:
    """What one pass read from a deployment's Airflow."""

    runs: tuple[DagRun, ...] = ()
    tasks: tuple[TaskTry, ...] = ()
    dag_ids: tuple[str, ...] = ()


def _run_key(run: DagRun) -> str:
    return f"run:{run.dag_id}:{run.run_id}"


def _task_key(task: TaskTry) -> str:
    return f"task:{task.dag_id}:{task.run_id}:{task.task_id}:{task.map_index}:{task.try_number}"


def _task_name(task: TaskTry) -> str:
    return task.task_id if task.map_index < 0 else f"{task.task_id}[{task.map_index}]"


def _over(rule: Rule, start: dt.datetime | None, end: dt.datetime | None, now: dt.datetime, limit: int
          ) -> dt.datetime | None:
    """When a run or try that started at `start` was seen past `limit` seconds under this alert (None:
    it has not been; one that ended before the alert existed never is; one already past the limit
    when the alert was created counts from then)."""
    if start is None or (end or now) < rule.since:
        return None
    passed = start + dt.timedelta(seconds=limit)
    return max(passed, rule.since) if (end or now) >= passed else None


def _run_firing(rule: Rule, run: DagRun, now: dt.datetime) -> Firing | None:
    finished = run.end_date is not None and run.state in ("success", "failed")
    if rule.alert_type in ("DAG_FAILURE", "DAG_SUCCESS"):
        wanted = "failed" if rule.alert_type == "DAG_FAILURE" else "success"
        if finished and run.state == wanted:
            verb = "failed" if wanted == "failed" else "succeeded"
            return Firing(rule.alert_id, _run_key(run), run.dag_id, run.end_date, f"DAG {run.dag_id} {verb} "
                          f"(run {run.run_id})", run_id=run.run_id)
    elif rule.alert_type == "DAG_DURATION":
        limit = rule.properties["dagDurationSeconds"]
        passed = _over(rule, run.start_date, run.end_date, now, limit)
        if passed is not None:
            return Firing(rule.alert_id, _run_key(run), run.dag_id, passed, f"DAG {run.dag_id} has run longer "
                          f"than {limit} s (run {run.run_id})", run_id=run.run_id)
    return None


def _task_firing(rule: Rule, task: TaskTry, now: dt.datetime) -> Firing | None:
    name = _task_name(task)
    details = dict(run_id=task.run_id, task_id=task.task_id, try_number=task.try_number)
    if rule.alert_type == "TASK_FAILURE":
        if task.state == "failed" and task.end_date is not None:
            return Firing(rule.alert_id, _task_key(task), task.dag_id, task.end_date,
                          f"Task {name} of DAG {task.dag_id} failed (run {task.run_id}, try {task.try_number})",
                          **details)
    elif rule.alert_type == "TASK_DURATION":
        limit = rule.properties["taskDurationSeconds"]
        passed = _over(rule, task.start_date, task.end_date, now, limit)
        if passed is not None:
            return Firing(rule.alert_id, _task_key(task), task.dag_id, passed,
                          f"Task {name} of DAG {task.dag_id} has run longer than {limit} s "
                          f"(run {task.run_id}, try {task.try_number})", **details)
    return None


def _deadlines(rule: Rule, now: dt.datetime) -> list[dt.datetime]:
    """Today's and yesterday's deadlines (UTC) on the listed days that have passed since the alert began."""
    hour, minute = (int(part) for part in rule.properties["dagDeadline"].split(":"))
    found = []
    for days_back in (1, 0):
        day = (now - dt.timedelta(days=days_back)).date()
        deadline = dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=dt.UTC)
        if DAYS[day.weekday()] in rule.properties["daysOfWeek"] and rule.since <= deadline <= now:
            found.append(deadline)
    return found


def _timeliness_firings(rule: Rule, observed: Observed, now: dt.datetime) -> list[Firing]:
    lookback = dt.timedelta(seconds=rule.properties["lookBackPeriodSeconds"])
    firings = []
    for deadline in _deadlines(rule, now):
        for dag_id in observed.dag_ids:
            if not matches(rule.patterns, dag_id):
                continue
            landed = any(run.dag_id == dag_id and run.state == "success" and run.end_date is not None
                         and deadline - lookback <= run.end_date <= deadline for run in observed.runs)
            if not landed:
                firings.append(Firing(rule.alert_id, f"deadline:{dag_id}:{deadline:%Y-%m-%dT%H:%M}", dag_id, deadline,
                                      f"DAG {dag_id} had no successful run in the "
                                      f"{int(lookback.total_seconds())} s before its deadline {deadline:%Y-%m-%d %H:%M} UTC"))
    return firings


def evaluate(rules: Iterable[Rule], observed: Observed, now: dt.datetime) -> list[Firing]:
    """Every firing the rules call for in what was observed (already recorded ones included: the
    caller keeps one per event key)."""
    firings: list[Firing] = []
    for rule in rules:
        if rule.alert_type == "DAG_TIMELINESS":
            firings.extend(_timeliness_firings(rule, observed, now))
            continue
        if rule.alert_type in TASK_TYPES:
            candidates = [(_task_firing(rule, task, now), task.task_id) for task in observed.tasks
                          if matches(rule.patterns, task.dag_id, task.task_id)]
        else:
            candidates = [(_run_firing(rule, run, now), None) for run in observed.runs
                          if matches(rule.patterns, run.dag_id)]
        firings.extend(firing for firing, _ in candidates if firing is not None and firing.event_at >= rule.since)
    return firings
