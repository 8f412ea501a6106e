"""Seed a benchmark database fast: copy one deployment made through the API N times, and append log
lines through the logs repository.

Copying a real row (and its child rows: worker queues, environment variables…) keeps the seeded
deployments exactly as valid as the one the service created, whatever columns the deployments
resource grows, without paying for N API calls.
"""

import random
import time

import sqlalchemy as sa

import astroplane.models  # noqa: F401 - every table into Base.metadata
from astroplane.kit.db import Base, Database
from astroplane.deployments.repository import DeploymentRepository
from astroplane.kit.ids import new_id
from astroplane.logs.repository import DeploymentLogRepository
from astroplane.logs.models import LOG_SOURCES

BATCH = 5_000
# tables keyed by a deployment that are not copied: history and per-deployment streams
NOT_COPIED = {"deployment_log_lines", "deploys", "audit_logs", "deployment_counts"}


def _child_tables() -> list[sa.Table]:
    return [table for table in Base.metadata.sorted_tables
            if "deployment_id" in table.c and table.name not in NOT_COPIED
            and not table.name.startswith("deployment_log")]


def copy_deployment(database: Database, source_id: str, count: int) -> None:
    """`count` copies of deployment `source_id` in its workspace, named bench-<n>."""
    deployments = Base.metadata.tables["deployments"]
    children = _child_tables()
    with database.engine.begin() as connection:
        row = connection.execute(sa.select(deployments).where(deployments.c.id == source_id)).mappings().one()
        child_rows = {table: connection.execute(sa.select(table).where(table.c.deployment_id == source_id))
                      .mappings().all() for table in children}
    done = 0
    while done < count:
        size = min(BATCH, count - done)
        new_rows, new_children = [], {table: [] for table in children}
        for n in range(done, done + size):
            deployment_id = new_id()
            new_rows.append({**row, "id": deployment_id, "name": f"bench-{n:06d}"})
            for table, rows in child_rows.items():
                for child in rows:
                    copy = {**child, "deployment_id": deployment_id}
                    if "id" in table.c and isinstance(child.get("id"), str):
                        copy["id"] = new_id()
                    new_children[table].append(copy)
        with database.engine.begin() as connection:
            connection.execute(deployments.insert(), new_rows)
            for table, rows in new_children.items():
                if rows:
                    connection.execute(table.insert(), rows)
        done += size
    session = database.session()
    try:
        DeploymentRepository(session).recount(row["organization_id"])
        session.commit()
    finally:
        session.close()
    analyze(database)


def analyze(database: Database) -> None:
    """Refresh the planner's statistics, as autovacuum would on a production PostgreSQL after a bulk
    load (this machine's PostgreSQL runs with autovacuum off: without it, plans made for the empty
    tables stay, and a GET by id scans 100,000 rows)."""
    if database.is_sqlite:
        return  # SQLite never analyzes on its own: a server in use would not have statistics either
    with database.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(sa.text("ANALYZE"))


WORDS = ("scheduler heartbeat ok", "task started", "task finished", "dag parsed", "worker ready",
         "connection refused retrying", "triggerer idle", "pool slots full", "xcom pushed", "sensor poke")


def append_log_lines(database: Database, organization_id: str, deployment_id: str, count: int,
                     needle_every: int = 10_000) -> None:
    """`count` lines spread over the last hour; one in `needle_every` contains the word 'needle'."""
    rng = random.Random(7)
    now = time.time()
    done = 0
    while done < count:
        size = min(BATCH * 4, count - done)
        session = database.session()
        try:
            repository = DeploymentLogRepository(session)
            for n in range(done, done + size):
                text = f"[{n}] {rng.choice(WORDS)}" + (" needle" if n % needle_every == 0 else "")
                repository.append(organization_id, deployment_id, LOG_SOURCES[n % 3], text,
                                  timestamp=now - 3600 + 3600 * n / count)
            session.commit()
        finally:
            session.close()
        done += size
    analyze(database)
