"""Seed a benchmark database fast: copy one deployment made through the API N times, and append log
lines through the logs repository.

Copying a real row (and its child rows: worker queues, environment variables…) keeps the seeded
deployments exactly as valid as the one the service created, whatever columns the deployments
resource grows, without paying for N API calls.
"""

import argparse
import random
import time

import sqlalchemy as sa

import astroplane.models  # noqa: F401 - every table into Base.metadata
from astroplane.kit.crypto import EncryptedText
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
    organization_id = copy_rows(database, "deployments", source_id, count, renamed={"name": "bench-{n:06d}"},
                                children={table.name: "deployment_id" for table in _child_tables()})
    session = database.session()
    try:
        DeploymentRepository(session).recount(organization_id)
        session.commit()
    finally:
        session.close()


def copy_rows(database: Database, table_name: str, source_id: str, count: int, *, renamed: dict[str, str],
              children: dict[str, str] | None = None, child_values: dict[str, object] | None = None,
              start: int = 0) -> str:
    """`count` copies of row `source_id` of `table_name` with new ids, each `renamed` column set from
    its pattern (`{n}`: the copy's number, from `start`), and copies of the rows of `children` (table
    name -> the column naming the parent) pointing at each copy, with `child_values` set on them.
    Returns the row's organization_id."""
    table = _as_stored(Base.metadata.tables[table_name])
    child_tables = {_as_stored(Base.metadata.tables[name]): column for name, column in (children or {}).items()}
    with database.engine.begin() as connection:
        row = connection.execute(sa.select(table).where(table.c.id == source_id)).mappings().one()
        child_rows = {child: connection.execute(sa.select(child).where(child.c[column] == source_id))
                      .mappings().all() for child, column in child_tables.items()}
    done = 0
    while done < count:
        size = min(BATCH, count - done)
        new_rows, new_children = [], {child: [] for child in child_tables}
        for n in range(start + done, start + done + size):
            copy_id = new_id()
            new_rows.append({**row, "id": copy_id, **{column: pattern.format(n=n) for column, pattern in renamed.items()}})
            for child, rows in child_rows.items():
                for child_row in rows:
                    copy = {**child_row, child_tables[child]: copy_id, **(child_values or {})}
                    if "id" in child.c and isinstance(child_row.get("id"), str):
                        copy["id"] = new_id()
                    new_children[child].append(copy)
        with database.engine.begin() as connection:
            connection.execute(table.insert(), new_rows)
            for child, rows in new_children.items():
                if rows:
                    connection.execute(child.insert(), rows)
        done += size
    announce_bulk_writes(database)
    analyze(database)
    return row.get("organization_id")


def announce_bulk_writes(database: Database) -> None:
    """These copies bypass the ORM session, whose hooks move the authz epoch (rbac.epoch) and the
    tables' versions (kit.data_versions): move them all here, as a migration writing rows would, so
    no list page kept before the copies is served after them. (A baseline revision may predate
    `data_versions`.)"""
    with database.engine.begin() as connection:
        connection.execute(sa.text("UPDATE authz_epoch SET epoch = epoch + 1"))
        if sa.inspect(connection).has_table("data_versions"):
            connection.execute(sa.text("UPDATE data_versions SET version = version + 1"))


def _as_stored(table: sa.Table) -> sa.Table:
    """`table` with its encrypted columns as the text they are stored as: copies keep the ciphertext."""
    if not any(isinstance(column.type, EncryptedText) for column in table.c):
        return table
    return sa.Table(table.name, sa.MetaData(), *[
        sa.Column(column.name, sa.Text if isinstance(column.type, EncryptedText) else column.type)
        for column in table.c])


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
    """`count` lines spread over the last hour; one in `needle_every` contains the word 'needle'.
    Batches go through the repository's one-INSERT append (the ORM's unit of work would be most of
    the seeding time, and the rows are the same)."""
    rng = random.Random(7)
    now = time.time()
    done = 0
    while done < count:
        size = min(BATCH * 4, count - done)
        session = database.session()
        try:
            lines = [(LOG_SOURCES[n % 3], f"[{n}] {rng.choice(WORDS)}" + (" needle" if n % needle_every == 0 else ""),
                      now - 3600 + 3600 * n / count) for n in range(done, done + size)]
            DeploymentLogRepository(session).append_many(organization_id, deployment_id, lines)
            session.commit()
        finally:
            session.close()
        done += size
    analyze(database)


def main() -> None:
    """Seeding as a command, so that another revision's server is seeded by that revision's own code
    (run with its src/ first on PYTHONPATH: bench/baseline.py):
    `seed.py deployments DATABASE_URL SOURCE_ID COUNT`, `seed.py logs DATABASE_URL ORG_ID DEPLOYMENT_ID COUNT`."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("what", choices=("deployments", "logs"))
    parser.add_argument("database_url")
    parser.add_argument("ids", nargs="+")
    parser.add_argument("count", type=int)
    args = parser.parse_args()
    database = Database(args.database_url)
    try:
        if args.what == "deployments":
            copy_deployment(database, *args.ids, args.count)
        else:
            append_log_lines(database, *args.ids, args.count)
    finally:
        database.dispose()


if __name__ == "__main__":
    main()
