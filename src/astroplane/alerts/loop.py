"""The alert loop (resources.BACKGROUND): under the local runtime, read each deployment's Airflow,
record what fires, and deliver it to the alert's channels.

Each pass (every ASTROPLANE_ALERT_INTERVAL_SECONDS):
1. For every deployment with alerts whose Airflow runs in this server, read the runs and task
   tries that changed since the last pass (alerts.airflow) and evaluate the rules (alerts.rules).
2. Insert the firings with ON CONFLICT DO NOTHING on (alert, event key): a firing another pass or
   another server already recorded is skipped, so each run or task try fires once, across restarts
   and processes. Only the pass that inserted a firing adds its deliveries (one per channel).
3. Send due deliveries. A server first claims one (a conditional UPDATE that only one can win),
   then sends it and records the outcome; a failed send is retried with back-off, then FAILED.
   A send the egress policy refuses (or that meets a redirect) is FAILED at once: it never can succeed.

Every firing and every delivery attempt is written to the organization's audit log (method ALERT
or NOTIFY, see docs/alerts.md) and counted in Prometheus. Under the simulated runtime nothing runs.
"""

import asyncio
import datetime as dt
import logging

from astroplane.kit.http import httpx
from prometheus_client import Counter
from sqlalchemy.orm import Session

from astroplane.alerts import delivery, rules
from astroplane.alerts.airflow import AirflowReader
from astroplane.alerts.repository import DELIVERED, FAILED, PENDING, AlertRepository, FiringRepository
from astroplane.alerts.service import rule_of
from astroplane.audit import recorder as audit
from astroplane.auth.dependencies import load_principal
from astroplane.deployments import scope as deployment_scope
from astroplane.kit.egress import EgressPolicy
from astroplane.kit.errors import AstroError
from astroplane.kit.ids import new_id
from astroplane.notification_channels.service import definition_of

log = logging.getLogger("astroplane.alerts")
FIRINGS = Counter("astroplane_alert_firings_total", "Alerts fired", ["type"])
DELIVERIES = Counter("astroplane_alert_deliveries_total", "Alert delivery attempts", ["channel", "outcome"])
CLAIM_SECONDS = 120  # a delivery claimed by a server that then died is free again after this
OVERLAP = dt.timedelta(seconds=30)  # each read goes back this far before the last one (clock skew, slow commits)
HISTORY = dt.timedelta(days=7)  # never read further back than this
BATCH = 50


def _now() -> dt.datetime:
    """Now, to the microsecond (kit.time.utcnow keeps seconds, too coarse for retry back-off)."""
    return dt.datetime.now(dt.UTC)


class AlertLoop:
    def __init__(self, database, runtime, settings, codec):
        self.database, self.runtime, self.settings, self.codec = database, runtime, settings, codec
        self.egress = EgressPolicy.from_settings(settings)
        self.reader = AirflowReader(runtime)
        self.read_until: dict[str, dt.datetime] = {}  # deployment -> where its last successful read began
        self.read_errors: dict[str, str] = {}  # deployment -> the last read's failure, logged once

    # ------------------------------------------------------------ one pass

    async def run_once(self) -> None:
        by_deployment = await asyncio.to_thread(self._rules)
        for deployment_id, deployment_rules in by_deployment.items():
            try:
                await self._evaluate(deployment_id, deployment_rules)
                self.read_errors.pop(deployment_id, None)
            except (httpx().HTTPError, OSError, KeyError, ValueError) as error:
                described = f"{type(error).__name__}: {str(error)[:200]}"
                if self.read_errors.get(deployment_id) != described:  # once per kind of failure, not every pass
                    log.warning("alerts: could not read the Airflow of deployment %s (%s)", deployment_id, described)
                self.read_errors[deployment_id] = described
        await self.deliver_due()

    def _rules(self) -> dict[str, list[rules.Rule]]:
        with self.database.session(write=False) as session:
            deployment_ids = [d for d in FiringRepository(session).deployments_with_alerts()
                              if self.runtime.endpoint(d) is not None]
            found: dict[str, list[rules.Rule]] = {d: [] for d in deployment_ids}
            for row in FiringRepository(session).rules_on(deployment_ids):
                found[row.deployment_id].append(rule_of(row))
            return found

    async def _evaluate(self, deployment_id: str, deployment_rules: list[rules.Rule]) -> None:
        started = _now()
        earliest = max(min(rule.since for rule in deployment_rules), started - HISTORY)
        since = max(earliest, self.read_until.get(deployment_id, earliest) - OVERLAP)
        timeliness = [rule for rule in deployment_rules if rule.alert_type == "DAG_TIMELINESS"]
        lookback = max((rule.properties["lookBackPeriodSeconds"] for rule in timeliness), default=0)
        client = await self.reader.client(deployment_id)
        if client is None:
            return
        async with client:
            observed = await self.reader.observe(
                client, changed_since=since,
                needs_running=any(rule.alert_type in ("DAG_DURATION", "TASK_DURATION") for rule in deployment_rules),
                needs_dags=bool(timeliness),
                successes_since=started - dt.timedelta(days=1, seconds=lookback) if timeliness else None)
        firings = rules.evaluate(deployment_rules, observed, started)
        if firings:
            await asyncio.to_thread(self._record, deployment_id, firings)
        self.read_until[deployment_id] = started

    def _record(self, deployment_id: str, firings: list[rules.Firing]) -> None:
        with self.database.session() as session:
            repository = FiringRepository(session)
            alerts = AlertRepository(session).among_ids({firing.alert_id for firing in firings})
            known = repository.known_keys(list(alerts), {firing.event_key for firing in firings})
            fresh = [firing for firing in firings
                     if firing.alert_id in alerts and (firing.alert_id, firing.event_key) not in known]
            if not fresh:
                return
            now = _now()
            rows = {new_id(): firing for firing in fresh}
            inserted = repository.record([
                dict(id=firing_id, alert_id=f.alert_id, organization_id=alerts[f.alert_id].organization_id,
                     deployment_id=deployment_id, event_key=f.event_key, dag_id=f.dag_id, run_id=f.run_id,
                     task_id=f.task_id, try_number=f.try_number, event_at=f.event_at, fired_at=now, summary=f.summary)
                for firing_id, f in rows.items()])
            channels = repository.channel_ids_of([rows[firing_id].alert_id for firing_id in inserted])
            repository.add_deliveries([
                dict(id=new_id(), firing_id=firing_id, channel_id=channel_id, channel_type=channel_type,
                     status=PENDING, attempts=0, next_attempt_at=now)
                for firing_id in inserted for channel_id, channel_type in channels[rows[firing_id].alert_id]])
            for firing_id in inserted:
                alert = alerts[rows[firing_id].alert_id]
                FIRINGS.labels(alert.alert_type).inc()
                audit.record(session, organization_id=alert.organization_id, method="ALERT",
                             path=f"/organizations/{alert.organization_id}/alerts/{alert.id}", status=200,
                             request_id=firing_id, user_agent=f"astroplane-alerts: {rows[firing_id].summary}")
                log.info("alert %s fired: %s", alert.id, rows[firing_id].summary)
            session.commit()

    # ------------------------------------------------------------ deliveries

    async def deliver_due(self) -> None:
        claimed = await asyncio.to_thread(self._claim_due)
        await asyncio.gather(*(self._deliver(delivery_id) for delivery_id in claimed))

    def _claim_due(self) -> list[str]:
        with self.database.session() as session:
            repository = FiringRepository(session)
            now = _now()
            until = now + dt.timedelta(seconds=CLAIM_SECONDS)
            claimed = [delivery_id for delivery_id in repository.due(now, BATCH)
                       if repository.claim(delivery_id, now, until)]
            session.commit()
            return claimed

    def _notice(self, session: Session, delivery_id: str):
        found = FiringRepository(session).delivery(delivery_id)
        if found is None:
            return None
        row, firing, alert, channel = found
        names = AlertRepository(session).deployment_names({alert.deployment_id})
        notice = delivery.Notice(
            firing_id=firing.id, alert_id=alert.id, alert_name=alert.name, alert_type=alert.alert_type,
            severity=alert.severity, summary=firing.summary, organization_id=alert.organization_id,
            deployment_id=alert.deployment_id, deployment_name=names.get(alert.deployment_id, ""),
            dag_id=firing.dag_id, event_at=firing.event_at, run_id=firing.run_id, task_id=firing.task_id,
            try_number=firing.try_number)
        return row.attempts, channel.id, channel.channel_type, definition_of(channel), notice

    async def _deliver(self, delivery_id: str) -> None:
        loaded = await asyncio.to_thread(self._load_notice, delivery_id)
        if loaded is None:  # the alert or channel went meanwhile
            return
        attempts, channel_id, channel_type, definition, notice = loaded
        error, final = None, False
        try:
            await delivery.send(channel_type, definition, notice, self.settings,
                                lambda *args: self._trigger_dag(notice.organization_id, *args), self.egress)
        except delivery.DeliveryFailed as failure:
            error, final = str(failure), isinstance(failure, delivery.DeliveryRefused)
        except Exception as failure:  # a bug must not stop the loop; the delivery is retried
            log.exception("alerts: delivery %s failed unexpectedly", delivery_id)
            error = f"unexpected error ({type(failure).__name__})"
        await asyncio.to_thread(self._finish, delivery_id, attempts + 1, channel_id, channel_type, notice, error, final)

    def _load_notice(self, delivery_id: str):
        with self.database.session(write=False) as session:
            return self._notice(session, delivery_id)

    def _finish(self, delivery_id: str, attempts: int, channel_id: str, channel_type: str,
                notice: delivery.Notice, error: str | None, final: bool = False) -> None:
        """Record a try: delivered; refused (FAILED now, no retry); or failed (retried with back-off)."""
        now = _now()
        if error is None:
            values = dict(status=DELIVERED, attempts=attempts, delivered_at=now, last_error=None)
            outcome = "delivered"
        elif final:
            values = dict(status=FAILED, attempts=attempts, last_error=error)
            outcome = "refused"
            log.warning("alerts: delivery %s to %s channel %s refused: %s", delivery_id, channel_type, channel_id, error)
        else:
            retry_at = delivery.backoff(attempts, now, self.settings.alert_retry_base_seconds,
                                        self.settings.alert_max_attempts)
            values = (dict(status=PENDING, attempts=attempts, next_attempt_at=retry_at, last_error=error)
                      if retry_at is not None else dict(status=FAILED, attempts=attempts, last_error=error))
            outcome = "retrying" if retry_at is not None else "failed"
            log.info("alerts: delivery %s to %s channel %s failed (try %d): %s", delivery_id, channel_type,
                     channel_id, attempts, error)
        with self.database.session() as session:
            FiringRepository(session).finish(delivery_id, **values)
            audit.record(session, organization_id=notice.organization_id, method="NOTIFY",
                         path=f"/organizations/{notice.organization_id}/notification-channels/{channel_id}",
                         status=200 if error is None else 502, request_id=delivery_id,
                         user_agent=f"astroplane-alerts: {outcome} (try {attempts}) for alert {notice.alert_id}"
                                    + (f": {error}" if error else ""))
            session.commit()
        DELIVERIES.labels(channel_type, outcome).inc()

    async def _trigger_dag(self, organization_id: str, deployment_id: str, dag_id: str, token: str, body: dict) -> None:
        refusal = await asyncio.to_thread(self._token_refusal, organization_id, deployment_id, token)
        if refusal:
            raise delivery.DeliveryFailed(refusal)
        try:
            status = await self.reader.trigger(deployment_id, dag_id, body)
        except (httpx().HTTPError, OSError, KeyError, ValueError) as error:
            raise delivery.DeliveryFailed(f"the deployment's Airflow did not answer ({type(error).__name__})") from None
        if status is None:
            raise delivery.DeliveryFailed(f"deployment {deployment_id} runs no Airflow on this server")
        if status >= 300:
            raise delivery.DeliveryFailed(f"Airflow refused to start DAG {dag_id} ({status})")

    def _token_refusal(self, organization_id: str, deployment_id: str, token: str) -> str | None:
        """Why the channel's deployment API token may not start DAG runs there, or None when it may."""
        claims = self.codec.decode(token)
        if claims is None:
            return "the channel's deploymentApiToken is not a valid API token"
        with self.database.session(write=False) as session:
            try:
                principal = load_principal(session, claims)
            except AstroError as error:
                return f"the channel's deploymentApiToken is refused: {error.message}"
            target = deployment_scope.resolve_scope(session, organization_id, deployment_id)
            if target is None:
                return f"deployment {deployment_id} no longer exists"
            if not principal.can("dag.airflow.dagRun.create", target):
                return "the channel's deploymentApiToken may not start DAG runs in that deployment"
        return None


def configured_destination_refusals(policy: EgressPolicy, settings) -> list[tuple[str, str]]:
    """(setting, why) for each operator-set destination the policy refuses as written, said at start
    rather than at the first delivery."""
    found = [(name.upper(), policy.url_refusal(getattr(settings, name)))
             for name in ("pagerduty_events_url", "opsgenie_alerts_url")]
    if settings.smtp_host:
        found.append(("SMTP_HOST", policy.host_refusal(settings.smtp_host)))
    return [(name, refusal) for name, refusal in found if refusal]


def start(app):
    """Background loop for resources.BACKGROUND: returns the coroutine function that stops it."""
    runtime = app.state.runtime
    if not runtime.supervises:  # the simulated runtime: alerts are stored, nothing fires

        async def nothing_to_stop() -> None:
            return None

        return nothing_to_stop
    settings = app.state.settings
    loop = AlertLoop(app.state.database, runtime, settings, app.state.token_codec)
    for setting, refusal in configured_destination_refusals(loop.egress, settings):
        log.warning("alerts: ASTROPLANE_%s is refused by the egress policy, deliveries there will fail: %s",
                    setting, refusal)
    stopping = asyncio.Event()

    async def run() -> None:
        while not stopping.is_set():
            try:
                await loop.run_once()
            except Exception:
                log.exception("alert pass failed; retrying")
            try:
                await asyncio.wait_for(stopping.wait(), timeout=settings.alert_interval_seconds)
            except TimeoutError:
                pass

    task = asyncio.create_task(run())

    async def stop() -> None:
        stopping.set()
        await task

    return stop
