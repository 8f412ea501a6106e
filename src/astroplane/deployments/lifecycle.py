"""Deployment lifecycle: a pure transition table and the hibernation clock, driven by the reconciler.

Events: `update` comes from requests; `ready` ends a running step (CREATING waits for its
cluster to be CREATED, and for the runtime to report healthy); `hibernate` / `wake` come from
hibernation schedules and overrides; `failing` / `recovered` come from a runtime that supervises
real processes (the local backend).
A delete is no transition: DeleteDeployment removes the row at once and queues the runtime's
teardown (models.DeploymentTeardown), which the reconciler carries out.
"""

import datetime as dt
from dataclasses import dataclass

from croniter import croniter

RUNNING = frozenset({"CREATING", "DEPLOYING"})

TRANSITIONS: dict[tuple[str, str], str] = {
    ("CREATING", "ready"): "HEALTHY",
    ("DEPLOYING", "ready"): "HEALTHY",
    ("CREATING", "update"): "CREATING",
    ("DEPLOYING", "update"): "DEPLOYING",
    ("HEALTHY", "update"): "DEPLOYING",
    ("UNHEALTHY", "update"): "DEPLOYING",
    ("UNKNOWN", "update"): "DEPLOYING",
    ("HIBERNATING", "update"): "HIBERNATING",
    ("HEALTHY", "hibernate"): "HIBERNATING",
    ("HIBERNATING", "wake"): "HEALTHY",
    **{(status, "failing"): "UNHEALTHY" for status in ("CREATING", "DEPLOYING", "HEALTHY")},
    ("UNHEALTHY", "recovered"): "HEALTHY",
}


def next_status(status: str, event: str) -> str | None:
    return TRANSITIONS.get((status, event))


def step_event(status: str, *, step_due: bool, cluster_ready: bool,
               wants_hibernation: bool | None, runtime: str = "healthy") -> str | None:
    """What should happen to a deployment now, or None. `wants_hibernation` is None when
    hibernation does not apply (not a development deployment); `runtime` is what the runtime
    backend observed (healthy, starting, failing or stopped)."""
    if wants_hibernation is True and status == "HEALTHY":
        return "hibernate"
    if wants_hibernation is False and status == "HIBERNATING":
        return "wake" if runtime == "healthy" else None
    if runtime == "failing" and (status in RUNNING or status == "HEALTHY"):
        return "failing"
    if status in RUNNING:
        return "ready" if step_due and cluster_ready and runtime == "healthy" else None
    if status == "UNHEALTHY" and runtime == "healthy":
        return "recovered"
    return None


@dataclass(frozen=True, slots=True)
class Schedule:
    hibernate_at: str
    wake_at: str
    enabled: bool = True


@dataclass(frozen=True, slots=True)
class HibernationState:
    is_hibernating: bool
    next_event_type: str | None = None  # HIBERNATE | WAKE
    next_event_at: dt.datetime | None = None
    reason: str | None = None


def valid_cron(expression: str) -> bool:
    return len(expression.split()) == 5 and croniter.is_valid(expression)


def _last(expression: str, now: dt.datetime) -> dt.datetime:
    return croniter(expression, now + dt.timedelta(seconds=1)).get_prev(dt.datetime)


def _next(expression: str, now: dt.datetime) -> dt.datetime:
    return croniter(expression, now).get_next(dt.datetime)


def scheduled(schedules: list[Schedule], now: dt.datetime) -> tuple[bool, str | None, dt.datetime | None]:
    """(hibernating by the schedules at `now`, next event type, next event time). Cron times are UTC;
    the most recent hibernate or wake event of any enabled schedule decides."""
    active = [s for s in schedules if s.enabled]
    if not active:
        return False, None, None
    latest: tuple[dt.datetime, bool] | None = None
    upcoming: tuple[dt.datetime, str] | None = None
    for schedule in active:
        for expression, hibernates, kind in ((schedule.hibernate_at, True, "HIBERNATE"),
                                             (schedule.wake_at, False, "WAKE")):
            last = _last(expression, now)
            if latest is None or last > latest[0]:
                latest = (last, hibernates)
            following = _next(expression, now)
            if upcoming is None or following < upcoming[0]:
                upcoming = (following, kind)
    assert latest is not None and upcoming is not None
    return latest[1], upcoming[1], upcoming[0]


def override_active(override: bool | None, until: dt.datetime | None, now: dt.datetime) -> bool:
    return override is not None and (until is None or until > now)


def hibernation_state(schedules: list[Schedule], override: bool | None, until: dt.datetime | None,
                      now: dt.datetime) -> HibernationState:
    if override_active(override, until, now):
        assert override is not None
        next_type, next_at = None, None
        if until is not None:
            after, _, _ = scheduled(schedules, until)
            if after != override:
                next_type, next_at = ("HIBERNATE" if after else "WAKE"), until
        return HibernationState(override, next_type, next_at, "Hibernation override")
    hibernating, next_type, next_at = scheduled(schedules, now)
    reason = "Hibernation schedule" if next_type else None
    return HibernationState(hibernating, next_type, next_at, reason)


def hibernation_changes_at(schedules: list[Schedule], override: bool | None, until: dt.datetime | None,
                           now: dt.datetime) -> dt.datetime | None:
    """The first instant after `now` at which the hibernation state seen at `now` changes by the clock
    alone (an override lapsing, a schedule firing); None when only a write can change it."""
    candidates = []
    if override_active(override, until, now) and until is not None:
        candidates.append(until)
    upcoming = hibernation_state(schedules, override, until, now).next_event_at
    if upcoming is not None and upcoming > now:
        candidates.append(upcoming)
    return min(candidates, default=None)
