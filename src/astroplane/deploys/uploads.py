"""Signed upload URLs and receiving an archive PUT to one.

CreateDeploy returns `<public url>/uploads/<deployId>/<dags|bundle>?sig=<token>`: the token is a JWT
signed with the server's signing key for the audience `astroplane-upload`, naming the organization,
deployment, deploy and kind, and expiring after `upload_url_ttl_seconds`. It is useless as an API
token (different audience) and an API token is useless here. The body is streamed to a staging
file with the size limit enforced while reading, validated as a safe tar, then kept in the blob
store under its SHA-256; only then is a version id recorded and returned as `x-ms-version-id`.
"""

import datetime as dt
import hashlib
import os
import time
from dataclasses import dataclass

import jwt

from astroplane.auth.codec import ALGORITHM
from astroplane.deploys.archives import ArchiveRejected, validate_archive
from astroplane.deploys.blobstore import BlobStore
from astroplane.kit import signed
from astroplane.kit.time import epoch_seconds
from astroplane.settings import Settings

AUDIENCE = "astroplane-upload"
KINDS = {"dags": "DAGS", "bundle": "BUNDLE"}
UNPACKED_FACTOR = 8


@dataclass(frozen=True)
class UploadGrant:
    organization_id: str
    deployment_id: str
    deploy_id: str
    kind: str  # DAGS | BUNDLE


def upload_url(settings: Settings, grant: UploadGrant) -> str:
    claims = {"aud": AUDIENCE, "iss": settings.token_issuer, "org": grant.organization_id,
              "dep": grant.deployment_id, "deploy": grant.deploy_id, "kind": grant.kind,
              "exp": int(epoch_seconds()) + settings.upload_url_ttl_seconds}
    token = jwt.encode(claims, settings.token_signing_key, algorithm=ALGORITHM)
    segment = "dags" if grant.kind == "DAGS" else "bundle"
    return f"{settings.base_url}/uploads/{grant.deploy_id}/{segment}?sig={token}"


def verify_grant(settings: Settings, token: str, deploy_id: str, segment: str) -> UploadGrant | None:
    try:
        claims = signed.decode(token, settings.token_signing_key, algorithms=[ALGORITHM], audience=AUDIENCE,
                            issuer=settings.token_issuer, options={"require": ["exp"]})
    except jwt.PyJWTError:
        return None
    if claims.get("deploy") != deploy_id or claims.get("kind") != KINDS.get(segment):
        return None
    return UploadGrant(claims["org"], claims["dep"], claims["deploy"], claims["kind"])


DOWNLOAD_AUDIENCE = "astroplane-blob"
DOWNLOAD_PREFIX = "/blobs/"


def download_url(settings: Settings, digest: str, expires_at: int) -> str:
    """A URL from which a runtime (a pod's init container) fetches one archive until `expires_at`
    (epoch seconds): a JWT for its own audience, naming the blob, so it opens nothing else."""
    claims = {"aud": DOWNLOAD_AUDIENCE, "iss": settings.token_issuer, "blob": digest, "exp": expires_at}
    token = jwt.encode(claims, settings.token_signing_key, algorithm=ALGORITHM)
    return f"{settings.base_url}{DOWNLOAD_PREFIX}{digest}?sig={token}"


def verify_download(settings: Settings, token: str, digest: str) -> bool:
    try:
        claims = signed.decode(token, settings.token_signing_key, algorithms=[ALGORITHM], audience=DOWNLOAD_AUDIENCE,
                               issuer=settings.token_issuer, options={"require": ["exp"]})
    except jwt.PyJWTError:
        return False
    return claims.get("blob") == digest


def new_version_id() -> str:
    """A version id in the shape of an Azure blob version: 2024-01-12T18:32:20.5898930Z."""
    nanos = time.time_ns()  # an identifier (a primary key), so the system clock: a frozen one repeats
    stamp = dt.datetime.fromtimestamp(nanos // 1_000_000_000, dt.UTC)
    return stamp.strftime("%Y-%m-%dT%H:%M:%S") + f".{(nanos % 1_000_000_000) // 100:07d}Z"


class UploadTooLarge(ValueError):
    pass


class StagedUpload:
    """Receives an upload body chunk by chunk into the blob store's staging area."""

    def __init__(self, store: BlobStore, max_bytes: int):
        self.store = store
        self.max_bytes = max_bytes
        self.fd, self.path = store.staging_file()
        self.size = 0
        self.sha = hashlib.sha256()

    def write(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if self.size > self.max_bytes:
            raise UploadTooLarge(f"the archive is larger than the {self.max_bytes}-byte upload limit")
        self.sha.update(chunk)
        os.write(self.fd, chunk)

    def finish(self) -> str:
        """Validate the staged archive; return its digest (the file stays staged until keep())."""
        os.close(self.fd)
        self.fd = -1
        validate_archive(self.path, self.max_bytes * UNPACKED_FACTOR)
        return self.sha.hexdigest()

    def keep(self, digest: str) -> None:
        self.store.keep(self.path, digest)
        self.path = ""

    def discard(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1
        if self.path and os.path.exists(self.path):
            os.unlink(self.path)


__all__ = ["DOWNLOAD_PREFIX", "ArchiveRejected", "StagedUpload", "UploadGrant", "UploadTooLarge", "download_url",
           "new_version_id", "upload_url", "verify_download", "verify_grant"]
