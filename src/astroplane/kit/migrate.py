"""Alembic, driven from code: `upgrade(engine)` brings a database to the newest schema."""

import pathlib

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Engine

MIGRATIONS = pathlib.Path(__file__).resolve().parents[1] / "migrations"


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def revision(engine: Engine, message: str) -> None:
    """Autogenerate a migration against a database at head (developer tool)."""
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.revision(config, message=message, autogenerate=True)


# Database objects made by migrations but kept out of the ORM metadata (the log search index: an
# FTS5 virtual table with its shadow tables on SQLite, a trigram index on PostgreSQL).
UNMANAGED_NAME_PREFIXES = ("deployment_log_lines_fts",)


def include_name(name, type_, parent_names) -> bool:
    """Alembic filter: compare and autogenerate only what the models declare."""
    return not (name and name.startswith(UNMANAGED_NAME_PREFIXES))
