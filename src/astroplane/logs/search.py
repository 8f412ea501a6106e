"""Log search: the pinned query a searchId carries, and the substring filter through the index.

The search index is made by migration 0007 outside the ORM metadata: on SQLite an FTS5 table with
the trigram tokenizer over `raw` (kept current by triggers), on PostgreSQL a pg_trgm GIN index on
`raw`. Both make `searchText` a case-insensitive substring match that the index answers. FTS5
trigrams need at least three characters, so one- and two-character searches on SQLite fall back
to LIKE over the deployment's lines.
"""

from dataclasses import dataclass

import sqlalchemy as sa

from astroplane.logs.models import DeploymentLogLine

FTS_TABLE = "deployment_log_lines_fts"


@dataclass(frozen=True)
class LogQuery:
    sources: tuple[str, ...]
    start: float
    end: float
    text: str | None
    max_id: int
    max_results: int


def _like_pattern(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search_clause(dialect: str, text: str):
    if dialect == "sqlite" and len(text) >= 3:
        phrase = '"' + text.replace('"', '""') + '"'
        matches = (sa.select(sa.column("rowid")).select_from(sa.table(FTS_TABLE))
                   .where(sa.text(f"{FTS_TABLE} MATCH :phrase").bindparams(phrase=phrase)))
        return DeploymentLogLine.id.in_(matches)
    return DeploymentLogLine.raw.ilike(_like_pattern(text), escape="\\")
