import datetime as dt
from typing import Annotated

from fastapi import Query, Response

from astroplane.audit import service
from astroplane.kit.db import SessionDep
from astroplane.kit.router import AstroRouter
from astroplane.rbac.authorize import permission

router = AstroRouter(tags=["audit-logs"])


@router.get("/organizations/{organizationId}/audit-logs", operation_id="GetOrganizationAuditLogs",
            response_class=Response)
async def get_organization_audit_logs(session: SessionDep, auth: permission("organization.auditLogs.get"),
                                      startDate: Annotated[dt.datetime | None, Query()] = None,
                                      endDate: Annotated[dt.datetime | None, Query()] = None) -> Response:
    body = service.export(session, auth, startDate, endDate)
    return Response(body, media_type="application/x-ndjson", headers={"Content-Encoding": "gzip"})
