"""The upload URL CreateDeploy hands out: outside /v1 and the OpenAPI document, authorized by the
signed token in its query string instead of an API token (see astroplane.deploys.uploads).

It answers like Azure Blob Storage, which is what the Astro CLI's blob client speaks: a single
Put Blob (`PUT <url>`), or Put Block (`PUT <url>&comp=block&blockid=…`) for each chunk followed by
Put Block List (`PUT <url>&comp=blocklist`, XML naming the blocks in order). The accepting PUT
answers 201 with the blob's version in `x-ms-version-id`. Bodies are streamed to disk, so this
route is exempt from the app-wide JSON body limit and enforces `max_upload_bytes` itself; staged
blocks of a deploy together count against the same limit.
"""

import email.utils
import hashlib
import os
import pathlib
import shutil
import uuid
from collections.abc import AsyncIterator, Iterable

from fastapi import APIRouter, Request, Response
from fastapi.responses import FileResponse
from starlette.background import BackgroundTask

from astroplane.deploys import service
from astroplane.deploys.blobstore import blob_store
from astroplane.deploys.uploads import (DOWNLOAD_PREFIX, ArchiveRejected, StagedUpload, UploadGrant, UploadTooLarge,
                                        new_version_id, verify_download, verify_grant)
from astroplane.kit.errors import BadRequest, Forbidden, NotFound

UPLOAD_PREFIX = "/uploads/"
MAX_BLOCK_LIST_BYTES = 1024 * 1024
router = APIRouter(include_in_schema=False)


def _azure_headers(**extra: str) -> dict[str, str]:
    return {"x-ms-request-id": str(uuid.uuid4()), "x-ms-version": "2023-11-03",
            "Last-Modified": email.utils.formatdate(usegmt=True), "x-ms-request-server-encrypted": "true", **extra}


def _limit_error(settings) -> BadRequest:
    return BadRequest(f"archive refused: the archive is larger than the {settings.max_upload_bytes}-byte upload "
                      "limit", field="body")


def _blocks_dir(settings, grant: UploadGrant) -> pathlib.Path:
    return pathlib.Path(settings.data_dir) / "blobs" / "staging" / "blocks" / f"{grant.deploy_id}-{grant.kind}"


def _accept(request: Request, grant: UploadGrant, staged: StagedUpload) -> Response:
    """Validate a fully staged archive, keep it and record its version (or refuse, keeping nothing)."""
    try:
        digest = staged.finish()
    except ArchiveRejected as exc:
        staged.discard()
        raise BadRequest(f"archive refused: {exc}", field="body") from exc
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
    return Response(status_code=201, headers=_azure_headers(**{"x-ms-version-id": version_id,
                                                              "ETag": f'"0x{digest[:16].upper()}"'}))


async def _stream_into(staged: StagedUpload, chunks: AsyncIterator[bytes] | Iterable[bytes], settings) -> None:
    try:
        if hasattr(chunks, "__aiter__"):
            async for chunk in chunks:  # type: ignore[union-attr]
                staged.write(chunk)
        else:
            for chunk in chunks:  # type: ignore[union-attr]
                staged.write(chunk)
    except UploadTooLarge as exc:
        staged.discard()
        raise _limit_error(settings) from exc
    except BaseException:
        staged.discard()
        raise


async def _put_block(request: Request, grant: UploadGrant, settings) -> Response:
    block_id = request.query_params.get("blockid", "")
    if not block_id or len(block_id) > 128:
        raise BadRequest("blockid is required (at most 128 characters)", field="blockid")
    session = request.app.state.database.session(write=False)
    try:
        service.open_for_upload(session, grant)
    finally:
        session.close()
    directory = _blocks_dir(settings, grant)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / hashlib.sha256(block_id.encode()).hexdigest()
    others = sum(p.stat().st_size for p in directory.iterdir() if p != path)
    remaining = settings.max_upload_bytes - others
    size = 0
    with open(path, "wb") as handle:
        async for chunk in request.stream():
            size += len(chunk)
            if size > remaining:
                handle.close()
                shutil.rmtree(directory, ignore_errors=True)
                raise _limit_error(settings)
            handle.write(chunk)
    return Response(status_code=201, headers=_azure_headers())


def _block_ids(body: bytes) -> list[str]:
    if b"<!DOCTYPE" in body.upper() or b"<!ENTITY" in body.upper():
        raise BadRequest("the block list must not declare a DOCTYPE or entities", field="body")
    from xml.etree import ElementTree  # imported by the first block list, not by every server

    try:
        root = ElementTree.fromstring(body)
    except ElementTree.ParseError as exc:
        raise BadRequest("the block list is not valid XML", field="body") from exc
    if root.tag != "BlockList":
        raise BadRequest("the block list must be a <BlockList> document", field="body")
    return [(element.text or "").strip() for element in root if element.tag in ("Latest", "Uncommitted", "Committed")]


async def _put_block_list(request: Request, grant: UploadGrant, settings) -> Response:
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BLOCK_LIST_BYTES:
            raise BadRequest("the block list is too large", field="body")
    directory = _blocks_dir(settings, grant)
    try:
        ids = _block_ids(body)
        paths = [directory / hashlib.sha256(block_id.encode()).hexdigest() for block_id in ids]
        missing = [block_id for block_id, path in zip(ids, paths) if not path.is_file()]
        if not ids or missing:
            raise BadRequest(f"the block list names blocks that were not uploaded: {missing[:3]}" if missing
                             else "the block list is empty", field="body")

        def chunks():
            for path in paths:
                with open(path, "rb") as handle:
                    yield from iter(lambda: handle.read(1 << 20), b"")

        staged = StagedUpload(blob_store(settings), settings.max_upload_bytes)
        await _stream_into(staged, chunks(), settings)
        return _accept(request, grant, staged)
    finally:
        shutil.rmtree(directory, ignore_errors=True)  # committed or refused, staged blocks go


@router.put(UPLOAD_PREFIX + "{deployId}/{segment}")
async def put_archive(request: Request, deployId: str, segment: str, sig: str = "") -> Response:
    settings = request.app.state.settings
    grant = verify_grant(settings, sig, deployId, segment)
    if grant is None:
        raise Forbidden("The upload URL is invalid or has expired; create a new deploy for a fresh one")
    comp = request.query_params.get("comp")
    if comp == "block":
        return await _put_block(request, grant, settings)
    if comp == "blocklist":
        return await _put_block_list(request, grant, settings)
    if comp:
        raise BadRequest(f"comp={comp[:20]} is not supported on upload URLs", field="comp")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > settings.max_upload_bytes:
        raise _limit_error(settings)
    staged = StagedUpload(blob_store(settings), settings.max_upload_bytes)
    await _stream_into(staged, request.stream(), settings)
    return _accept(request, grant, staged)


@router.get(DOWNLOAD_PREFIX + "{digest}")
def get_archive(request: Request, digest: str, sig: str = "") -> Response:
    """An archive for a runtime that cannot read the blob store itself (a Kubernetes pod's init
    container), through the short-lived signed URL the runtime handed it."""
    settings = request.app.state.settings
    if not verify_download(settings, sig, digest):
        raise Forbidden("The download URL is invalid or has expired")
    store = blob_store(settings)
    if not store.exists(digest):
        raise NotFound(f"No archive {digest[:16]}")
    fd, path = store.staging_file()
    os.close(fd)
    store.fetch(digest, pathlib.Path(path))
    return FileResponse(path, media_type="application/gzip", background=BackgroundTask(os.unlink, path))
