"""GetDeploymentLogs and the ingestion path.

Paging: the first request (no searchId) fixes its filters — sources, absolute time window,
searchText, maxNumResults — and the id of the newest line of the deployment at that moment, and
returns them signed as `searchId`. Later pages sent with that searchId read exactly the same set
of lines however many arrive meanwhile, so `offset += resultCount` never skips or repeats a line.
Order is newest first (timestamp, then arrival), so page one is what happened most recently.
"""

import datetime as dt

import jwt
from sqlalchemy.orm import Session

from astroplane.auth.codec import ALGORITHM
from astroplane.contract.models import DeploymentLog, DeploymentLogEntry
from astroplane.kit import signed
from astroplane.kit.errors import BadRequest
from astroplane.kit.time import epoch_seconds
from astroplane.logs.models import LOG_SOURCES
from astroplane.logs.repository import DeploymentLogRepository
from astroplane.logs.search import LogQuery
from astroplane.rbac.authorize import AuthContext
from astroplane.settings import Settings

SEARCH_AUDIENCE = "astroplane-log-search"
SEARCH_TTL_SECONDS = 24 * 3600
DEFAULT_RANGE_SECONDS = 86400
MAX_RANGE_SECONDS = 90 * 86400
DEFAULT_LIMIT = 500
MAX_LIMIT = 5000
DEFAULT_MAX_RESULTS = 10_000
MAX_MAX_RESULTS = 1_000_000
MAX_SEARCH_TEXT = 256
MAX_RAW_LENGTH = 64 * 1024
MAX_INGEST_LINES = 5000


def _timestamp(value: dt.datetime) -> float:
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.timestamp()


def _encode(settings: Settings, deployment_id: str, query: LogQuery) -> str:
    claims = {"aud": SEARCH_AUDIENCE, "dep": deployment_id, "src": list(query.sources), "s": query.start,
              "e": query.end, "q": query.text, "max": query.max_id, "n": query.max_results,
              "exp": int(epoch_seconds()) + SEARCH_TTL_SECONDS}
    return jwt.encode(claims, settings.token_signing_key, algorithm=ALGORITHM)


def _decode(settings: Settings, deployment_id: str, search_id: str) -> LogQuery:
    try:
        claims = signed.decode(search_id, settings.token_signing_key, algorithms=[ALGORITHM], audience=SEARCH_AUDIENCE)
    except jwt.ExpiredSignatureError as exc:
        raise BadRequest("searchId has expired; start a new search without it", field="searchId") from exc
    except jwt.PyJWTError as exc:
        raise BadRequest("searchId is not a search this server started", field="searchId") from exc
    if claims.get("dep") != deployment_id:
        raise BadRequest("searchId belongs to another deployment", field="searchId")
    return LogQuery(tuple(claims["src"]), float(claims["s"]), float(claims["e"]), claims.get("q"),
                    int(claims["max"]), int(claims["n"]))


def _new_query(session: Session, deployment_id: str, sources: list[str], range_seconds: int | None,
               start: dt.datetime | None, end: dt.datetime | None, text: str | None,
               max_results: int | None) -> LogQuery:
    if not sources:
        raise BadRequest("sources must name at least one log source", field="sources")
    if (start is None) != (end is None):
        missing = "endDate" if end is None else "startDate"
        raise BadRequest("startDate and endDate must be used together", field=missing)
    if start is not None and end is not None:
        if range_seconds is not None:
            raise BadRequest("range cannot be combined with startDate and endDate", field="range")
        window = (_timestamp(start), _timestamp(end))
        if window[0] > window[1]:
            raise BadRequest("startDate must not be after endDate", field="startDate")
    else:
        seconds = DEFAULT_RANGE_SECONDS if range_seconds is None else range_seconds
        if not 1 <= seconds <= MAX_RANGE_SECONDS:
            raise BadRequest(f"range must be between 1 and {MAX_RANGE_SECONDS} seconds", field="range")
        now = epoch_seconds()
        window = (now - seconds, now)
    if text is not None and len(text) > MAX_SEARCH_TEXT:
        raise BadRequest(f"searchText must be at most {MAX_SEARCH_TEXT} characters", field="searchText")
    limit = DEFAULT_MAX_RESULTS if max_results is None else max_results
    if not 1 <= limit <= MAX_MAX_RESULTS:
        raise BadRequest(f"maxNumResults must be between 1 and {MAX_MAX_RESULTS}", field="maxNumResults")
    return LogQuery(tuple(sorted(set(sources))), window[0], window[1], text or None,
                    DeploymentLogRepository(session).newest_id(deployment_id), limit)


def get_logs(session: Session, auth: AuthContext, settings: Settings, *, sources: list[str],
             limit: int | None, offset: int | None, range_seconds: int | None, max_results: int | None,
             search_id: str | None, search_text: str | None, start: dt.datetime | None,
             end: dt.datetime | None) -> DeploymentLog:
    deployment_id = auth.target.deployment_id or ""
    page_size = DEFAULT_LIMIT if limit is None else limit
    if not 0 <= page_size <= MAX_LIMIT:
        raise BadRequest(f"limit must be between 0 and {MAX_LIMIT}", field="limit")
    skip = offset or 0
    if skip < 0:
        raise BadRequest("offset must not be negative", field="offset")
    if search_id:
        query = _decode(settings, deployment_id, search_id)  # the pinned filters win over the request's
    else:
        query = _new_query(session, deployment_id, sources, range_seconds, start, end, search_text, max_results)
    take = max(0, min(page_size, query.max_results - skip))
    rows = DeploymentLogRepository(session).search(deployment_id, query, skip, take) if take else []
    results = [DeploymentLogEntry(raw=row.raw, source=row.source, timestamp=row.timestamp) for row in rows]
    return DeploymentLog(limit=page_size, maxNumResults=query.max_results, offset=skip, resultCount=len(results),
                         results=results, searchId=search_id or _encode(settings, deployment_id, query))


def ingest(session: Session, organization_id: str, deployment_id: str,
           lines: list[tuple[str, str, float | None]]) -> int:
    """Store lines a runtime sends: (source, raw, timestamp or None for now)."""
    if len(lines) > MAX_INGEST_LINES:
        raise BadRequest(f"send at most {MAX_INGEST_LINES} lines per request", field="lines")
    now = epoch_seconds()
    checked = []
    for index, (source, raw, timestamp) in enumerate(lines):
        if source not in LOG_SOURCES:
            raise BadRequest(f"lines[{index}].source must be one of {', '.join(LOG_SOURCES)}",
                             field=f"lines[{index}].source")
        if len(raw) > MAX_RAW_LENGTH:
            raise BadRequest(f"lines[{index}].raw must be at most {MAX_RAW_LENGTH} characters",
                             field=f"lines[{index}].raw")
        checked.append((source, raw, now if timestamp is None else timestamp))
    DeploymentLogRepository(session).append_many(organization_id, deployment_id, checked)
    return len(checked)
