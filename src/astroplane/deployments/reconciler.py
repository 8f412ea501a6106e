"""The lifecycle reconciler: advances clusters and deployments through their transition tables.

Runs in every server process (ASTROPLANE_RUN_RECONCILER). Each pass is one transaction that claims
due rows with SELECT ... FOR UPDATE SKIP LOCKED, so several replicas on one PostgreSQL share the
work without taking the same row twice; SQLite has a single writer. Tests call `run_once` directly.
"""

import asyncio
import datetime as dt
import logging

from sqlalchemy.orm import Session

from astroplane.clusters import lifecycle as cluster_lifecycle
from astroplane.clusters import service as cluster_service
from astroplane.clusters.models import Cluster
from astroplane.clusters.repository import ClusterRepository
from astroplane.deployments import lifecycle, options, render
from astroplane.deployments.models import Deployment
from astroplane.deployments.repository import DeploymentRepository
from astroplane.deployments.steps import Steps, steps_for
from astroplane.kit.db import Database
from astroplane.kit.time import epoch_seconds, utcnow
from astroplane.logs.repository import DeploymentLogRepository
from astroplane.runtime.base import HEALTHY, DeploymentSpec, Observation, RuntimeBackend
from astroplane.runtime.simulated import SimulatedRuntime
from astroplane.runtime.spec import deployment_spec

log = logging.getLogger("astroplane.reconciler")
BATCH = 200
CATCH_UP_PASSES = 200
# Cluster states in which its deployments can come up.
CLUSTER_UP = frozenset({"CREATED", "UPDATING", "FAILING_OVER", "UPGRADE_PENDING", "UPDATE_FAILED", "FAILOVER_FAILED"})


def _transition_logs(deployment: Deployment, old: str, new: str) -> list[tuple[str, str]]:
    airflow3 = options.is_airflow3(deployment.runtime_version)
    web = "apiserver" if airflow3 else "webserver"
    if old == "CREATING" and new == "HEALTHY":
        lines = [("scheduler", f"Scheduler started (Astro Runtime {deployment.runtime_version})"),
                 (web, f"{'API server' if airflow3 else 'Webserver'} is listening"),
                 ("triggerer", "Triggerer started")]
        if airflow3:
            lines.append(("dag-processor", "DAG processor started"))
        if deployment.executor != "KUBERNETES":
            lines.append(("worker", f"Workers ready ({deployment.executor} executor)"))
        return lines
    if old == "DEPLOYING" and new == "HEALTHY":
        return [("scheduler", f"Rolled out image {deployment.image_tag or deployment.runtime_version}; "
                              "deployment is healthy"), (web, "Restarted with the new configuration")]
    if new == "HIBERNATING":
        return [("scheduler", "Hibernating: components scaled to zero")]
    if old == "HIBERNATING":
        return [("scheduler", "Woke from hibernation; scheduler running")]
    return [("scheduler", f"Status {old} -> {new}")]


CONFIG_PENDING = ("Configuration changed since Airflow last started; it applies at the next restart "
                  "(update the deployment to restart now)")
STOPPED = Observation("stopped")


def _reason(status: str, spec: DeploymentSpec | None, observed: Observation) -> str | None:
    if status == "HEALTHY":
        drifted = spec is not None and observed.config_hash not in (None, spec.config_hash)
        return CONFIG_PENDING if drifted else "Successfully Deployed"
    if status in lifecycle.RUNNING or status == "UNHEALTHY":
        return observed.reason
    return None


class Reconciler:
    def __init__(self, database: Database, steps: Steps, runtime: RuntimeBackend | None = None):
        self.database = database
        self.steps = steps
        self.runtime = runtime or SimulatedRuntime()
        self._claimed_up_to: str | None = None  # where the next pass continues a backlog

    def run_once(self, now: dt.datetime | None = None) -> int:
        """One pass over every due row; returns the number of transitions made."""
        now = now or utcnow()
        session = self.database.session()
        try:
            changed = self._clusters(session, now) + self._deployments(session, now) + self._teardowns(session)
            session.commit()
            self.runtime.sweep()
            return changed
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def catch_up(self, start: dt.datetime, end: dt.datetime) -> int:
        """The passes a clock jump from `start` to `end` skipped (astroplane.controls): one at each
        moment a step fell due in between, in order, then one at `end`, so that a chain of steps
        (a cluster, then its deployment, then a deploy) completes as it would have in real time."""
        changed, moment = 0, start
        for _ in range(CATCH_UP_PASSES):
            changed += self.run_once(moment)
            following = self._next_due_after(moment)
            if following is None or following >= end:
                break
            moment = following
        for _ in range(CATCH_UP_PASSES):  # a step that another one unblocked completes in a later pass
            made = self.run_once(end)
            changed += made
            if not made:
                break
        return changed

    def _next_due_after(self, moment: dt.datetime) -> dt.datetime | None:
        session = self.database.session(write=False)
        try:
            due = [ClusterRepository(session).next_due_after(moment),
                   DeploymentRepository(session).next_due_after(moment)]
        finally:
            session.close()
        return min((value for value in due if value is not None), default=None)

    def _clusters(self, session: Session, now: dt.datetime) -> int:
        repository = ClusterRepository(session)
        changed = 0
        for cluster in repository.claim_due(now, cluster_lifecycle.TRANSIENT, BATCH):
            event = cluster_lifecycle.step_event(cluster.status, cluster.delete_requested_at is not None,
                                                 cluster_service.should_fail(cluster))
            status = cluster_lifecycle.next_status(cluster.status, event) if event else None
            if status is None:
                continue
            changed += 1
            if status == cluster_lifecycle.DELETED:
                log.info("cluster %s deleted", cluster.id)
                repository.delete(cluster)
                continue
            if cluster.status == "FAILING_OVER" and event == "succeeded" and cluster.failover_target is not None:
                cluster.is_failed_over = cluster.failover_target
            if cluster.status == "FAILING_OVER":
                cluster.failover_target = None
            log.info("cluster %s %s -> %s", cluster.id, cluster.status, status)
            cluster.status, cluster.step_due_at, cluster.status_reason = status, None, None
        session.flush()
        return changed

    def _deployments(self, session: Session, now: dt.datetime) -> int:
        repository = DeploymentRepository(session)
        logs = DeploymentLogRepository(session)
        supervised = self.runtime.supervises
        statuses = lifecycle.RUNNING | {"HIBERNATING"} | ({"HEALTHY", "UNHEALTHY"} if supervised else set())
        changed = 0
        claimed = repository.claim_due(statuses, BATCH, after=self._claimed_up_to)
        self._claimed_up_to = claimed[-1].id if len(claimed) == BATCH else None
        for deployment in claimed:
            if deployment.step_due_at is None and deployment.status in lifecycle.RUNNING:
                # a step started elsewhere (a deploy set DEPLOYING): it runs from now
                deployment.step_due_at = self.steps.due(now)
            step_due = deployment.step_due_at is not None and deployment.step_due_at <= now
            cluster = session.get(Cluster, deployment.cluster_id) if deployment.cluster_id else None
            wants = render.hibernation(deployment, now).is_hibernating if deployment.is_development_mode else False
            spec, observed = self._converge(session, deployment, wants)
            if supervised:
                self._follow(deployment, spec, observed)
                now_seconds = epoch_seconds()
                logs.append_many(deployment.organization_id, deployment.id,
                                 [(source, text, now_seconds) for source, text in self.runtime.collect_logs(deployment.id)])
            event = lifecycle.step_event(deployment.status, step_due=step_due,
                                         cluster_ready=cluster is None or cluster.status in CLUSTER_UP,
                                         wants_hibernation=wants, runtime=observed.state)
            status = lifecycle.next_status(deployment.status, event) if event else None
            if status is None:
                continue
            changed += 1
            if status == "HIBERNATING":
                self.runtime.stop(deployment.id)
            if not supervised:  # a real runtime writes its own logs
                for source, text in _transition_logs(deployment, deployment.status, status):
                    logs.append(deployment.organization_id, deployment.id, source, text)
            log.info("deployment %s %s -> %s", deployment.id, deployment.status, status)
            deployment.status, deployment.step_due_at = status, None
            deployment.status_reason = _reason(status, spec, observed)
        session.flush()
        return changed

    def _converge(self, session: Session, deployment: Deployment, wants: bool | None
                  ) -> tuple[DeploymentSpec | None, Observation]:
        """Ask the runtime to run what the deployment should run, when it should run at all."""
        status = deployment.status
        if (status == "HIBERNATING" and wants is not False) or (status == "HEALTHY" and wants):
            return None, STOPPED
        if not self.runtime.supervises:
            return None, HEALTHY  # nothing runs: no spec to read, the step timer paces the lifecycle
        spec = deployment_spec(session, deployment)
        # a running deployment keeps its processes when only linked objects changed; steps restart
        return spec, self.runtime.converge(spec, restart_on_change=status != "HEALTHY")

    @staticmethod
    def _follow(deployment: Deployment, spec: DeploymentSpec | None, observed: Observation) -> None:
        """Show what the runtime really has: the DAG archive in place, and why it is not ready."""
        if observed.dag_version is not None and deployment.dag_tarball_version != observed.dag_version:
            deployment.dag_tarball_version = observed.dag_version
        reason = _reason(deployment.status, spec, observed)
        if spec is not None and deployment.status != "HIBERNATING" and deployment.status_reason != reason:
            deployment.status_reason = reason

    def _teardowns(self, session: Session) -> int:
        """Take down the runtime of deployments deleted since the last pass (their rows are gone)."""
        repository = DeploymentRepository(session)
        teardowns = repository.claim_teardowns(BATCH)
        for teardown in teardowns:
            self.runtime.remove(teardown.deployment_id)
            repository.teardown_done(teardown)
            log.info("deployment %s torn down", teardown.deployment_id)
        session.flush()
        return len(teardowns)


def start(app):
    """Background loop for resources.BACKGROUND: returns the coroutine function that stops it."""
    settings = app.state.settings
    reconciler = Reconciler(app.state.database, steps_for(settings), app.state.runtime)
    stopping = asyncio.Event()

    async def loop() -> None:
        while not stopping.is_set():
            try:
                await asyncio.to_thread(reconciler.run_once)
            except Exception:
                log.exception("reconciler pass failed; retrying")
            try:
                await asyncio.wait_for(stopping.wait(), timeout=settings.reconcile_interval_seconds)
            except TimeoutError:
                pass

    task = asyncio.create_task(loop())

    async def stop() -> None:
        stopping.set()
        await task
        await asyncio.to_thread(reconciler.runtime.shutdown)

    return stop
