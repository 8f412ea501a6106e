"""GetOrganizationAuditLogs: the organization's entries as gzipped NDJSON, oldest first."""

import datetime as dt
import gzip
import json

from sqlalchemy.orm import Session

from astroplane.audit.recorder import AuditLogRepository
from astroplane.kit.errors import BadRequest
from astroplane.kit.time import as_utc
from astroplane.rbac.authorize import AuthContext


def _iso(value: dt.datetime) -> str:
    return as_utc(value).isoformat().replace("+00:00", "Z")


def export(session: Session, auth: AuthContext, start: dt.datetime | None, end: dt.datetime | None) -> bytes:
    start = as_utc(start) if start is not None else None
    end = as_utc(end) if end is not None else None
    if start is not None and end is not None and start > end:
        raise BadRequest("startDate must not be after endDate", field="startDate")
    lines = []
    for entry in AuditLogRepository(session).between(auth.organization_id, start, end):
        lines.append(json.dumps({
            "organizationId": entry.organization_id, "subjectId": entry.subject_id,
            "subjectType": entry.subject_type, "timestamp": _iso(entry.timestamp), "method": entry.method,
            "path": entry.path, "status": entry.status, "requestId": entry.request_id,
            "sourceIp": entry.source_ip, "userAgent": entry.user_agent,
        }, separators=(",", ":")))
    text = "\n".join(lines) + ("\n" if lines else "")
    return gzip.compress(text.encode(), mtime=0)
