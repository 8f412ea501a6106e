"""Offset paging and `sorts=field:asc|desc` ordering, shared by every list.

Each list declares its sortable fields once: `ListParamsDep = list_params("name", "createdAt")`.
Pages are ordered by the requested sorts and then by id, so two pages never overlap.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

import sqlalchemy as sa
from fastapi import Depends, Query
from sqlalchemy.orm import Session

DEFAULT_LIMIT = 20
MAX_LIMIT = 1000
# Beyond any real table, and inside every database's integer range.
MAX_OFFSET = 2**31 - 1


@dataclass(frozen=True, slots=True)
class ListParams:
    offset: int = 0
    limit: int = DEFAULT_LIMIT
    sorts: tuple[tuple[str, bool], ...] = field(default_factory=tuple)  # (field, descending)


def list_params(*sort_fields: str):
    """A dependency alias parsing offset, limit and sorts restricted to `sort_fields`."""
    if sort_fields:
        values = tuple(f"{name}:{direction}" for name in sort_fields for direction in ("asc", "desc"))
        sort_type: Any = list[Literal[values]] | None  # type: ignore[valid-type]
    else:
        sort_type = None

    async def dependency(
        offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
        limit: Annotated[int, Query(ge=0, le=MAX_LIMIT)] = DEFAULT_LIMIT,
        sorts: Annotated[sort_type, Query()] = None,  # type: ignore[valid-type]
    ) -> ListParams:
        parsed = tuple((value.split(":")[0], value.endswith(":desc")) for value in sorts or ())
        return ListParams(offset=offset, limit=limit, sorts=parsed)

    if not sort_fields:
        async def dependency(  # noqa: F811 - lists without sorts take no sorts parameter
            offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
            limit: Annotated[int, Query(ge=0, le=MAX_LIMIT)] = DEFAULT_LIMIT,
        ) -> ListParams:
            return ListParams(offset=offset, limit=limit)

    # what the hot path of lists (rbac.hot_lists) accepts for `sorts` without asking FastAPI
    dependency.list_sort_values = values if sort_fields else ()  # type: ignore[attr-defined]
    return Annotated[ListParams, Depends(dependency)]


def count_of(query: sa.Select) -> sa.Select:
    """The number of rows `query` gives. A plain query is counted in place (SELECT count(*) FROM ...
    WHERE ...), which the database can answer from an index alone; wrapped as a subquery of every
    column, SQLite read each row (~2 ms per 1,000 rows). DISTINCT, GROUP BY and LIMIT keep the
    subquery, which counts them right."""
    if query._distinct or query._group_by_clauses or query._limit_clause is not None \
            or query._offset_clause is not None:
        return sa.select(sa.func.count()).select_from(query.order_by(None).subquery())
    return query.with_only_columns(sa.func.count(), maintain_column_froms=True).order_by(None)


def paginate(session: Session, query: sa.Select, params: ListParams,
             columns: Mapping[str, Any], tiebreak: Any, default_sort: Any = None,
             total: int | None = None, as_rows: bool = False) -> tuple[list[Any], int]:
    """Run one page of `query` and its total count (unless the caller keeps it, `total`).
    `columns` maps sort fields to columns."""
    if total is None:
        total = session.scalar(count_of(query)) or 0
    order = [columns[name].desc() if descending else columns[name].asc() for name, descending in params.sorts]
    if not order and default_sort is not None:
        order.append(default_sort)
    order.append(tiebreak.asc())
    page = query.order_by(*order).offset(params.offset).limit(params.limit)
    # a query of one entity gives its objects; `as_rows` keeps a query of several columns as rows
    rows = list(session.execute(page)) if as_rows else list(session.scalars(page))
    return rows, total
