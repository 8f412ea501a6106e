"""The upload URL CreateDeploy hands out: outside /v1 and the OpenAPI document, authorized by the
signed token in its query string instead of an API token (see astroplane.deploys.uploads).

It answers like Azure's Put Blob, which is what the Astro CLI's blob client expects: 201 with the
blob's version in `x-ms-version-id`. The body is streamed to disk, so this route is exempt from the
app-wide JSON body limit and enforces `max_upload_bytes` itself.
"""

import email.utils
import uuid

from fastapi import APIRouter, Request, Response

from astroplane.deploys import service
from astroplane.deploys.blobstore import blob_store
from astroplane.deploys.uploads import (ArchiveRejected, StagedUpload, UploadTooLarge, new_version_id,
                                        verify_grant)
from astroplane.kit.errors import BadRequest, Forbidden

UPLOAD_PREFIX = "/uploads/"
router = APIRouter(include_in_schema=False)


@router.put(UPLOAD_PREFIX + "{deployId}/{segment}")
async def put_archive(request: Request, deployId: str, segment: str, sig: str = "") -> Response:
    settings = request.app.state.settings
    if request.query_params.get("comp"):
        raise BadRequest("block uploads are not supported: send the whole archive in one PUT", field="comp")
    grant = verify_grant(settings, sig, deployId, segment)
    if grant is None:
        raise Forbidden("The upload URL is invalid or has expired; create a new deploy for a fresh one")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > settings.max_upload_bytes:
        raise BadRequest(f"the archive is larger than the {settings.max_upload_bytes}-byte upload limit",
                         field="body")
    staged = StagedUpload(blob_store(settings), settings.max_upload_bytes)
    try:
        async for chunk in request.stream():
            staged.write(chunk)
        digest = staged.finish()
    except (UploadTooLarge, ArchiveRejected) as exc:
        staged.discard()
        raise BadRequest(f"archive refused: {exc}", field="body") from exc
    except BaseException:
        staged.discard()
        raise
    version_id = new_version_id()
    session = request.app.state.database.session()
    try:
        service.record_upload(session, grant, digest, staged.size, version_id)
        staged.keep(digest)  # the blob is in place before the record that names it commits
        session.commit()
    except BaseException:
        session.rollback()
        staged.discard()
        raise
    finally:
        session.close()
    return Response(status_code=201, headers={
        "x-ms-version-id": version_id, "ETag": f'"0x{digest[:16].upper()}"',
        "Last-Modified": email.utils.formatdate(usegmt=True), "x-ms-request-server-encrypted": "true",
        "x-ms-request-id": str(uuid.uuid4()), "x-ms-version": "2023-11-03"})
