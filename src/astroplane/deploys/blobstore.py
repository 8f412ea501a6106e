"""Content-addressed storage for DAG and bundle archives.

A blob is named by the SHA-256 of its bytes, so the same archive uploaded twice is stored once.
`LocalBlobStore` (the default) keeps blobs under `<data_dir>/blobs/sha256/<2 hex>/<64 hex>`.
`S3BlobStore` keeps them as objects `<prefix>sha256/<64 hex>` in an S3-compatible bucket when
`blob_store_url` is `s3://bucket/prefix` (optional `s3_endpoint_url` for MinIO and the like;
credentials come from boto3's usual chain: environment, config files, instance roles). Either way
an upload is staged and validated on local disk first, so a refused archive never reaches the store.
"""

import hashlib
import os
import pathlib
import shutil
import tempfile
from typing import Protocol


class BlobStore(Protocol):
    def staging_file(self) -> tuple[int, str]:
        """A temporary file (fd, path) to receive an upload before it is accepted."""

    def keep(self, staged_path: str, digest: str) -> None:
        """Take ownership of a staged, validated file as the blob `digest`."""

    def exists(self, digest: str) -> bool: ...

    def verify(self, digest: str) -> bool:
        """True when the blob is present and its bytes still hash to `digest`."""

    def fetch(self, digest: str, destination: pathlib.Path) -> None:
        """Copy the blob to a local file (the local runtime unpacks it from there)."""


class LocalBlobStore:
    def __init__(self, root: pathlib.Path):
        self.root = root
        self.staging = root / "staging"

    def _path(self, digest: str) -> pathlib.Path:
        return self.root / "sha256" / digest[:2] / digest

    def staging_file(self) -> tuple[int, str]:
        self.staging.mkdir(parents=True, exist_ok=True)
        return tempfile.mkstemp(dir=self.staging, prefix="upload-")

    def keep(self, staged_path: str, digest: str) -> None:
        target = self._path(digest)
        if target.exists():
            os.unlink(staged_path)
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staged_path, target)  # atomic: a blob is either whole or absent

    def exists(self, digest: str) -> bool:
        return self._path(digest).is_file()

    def verify(self, digest: str) -> bool:
        path = self._path(digest)
        if not path.is_file():
            return False
        sha = hashlib.sha256()
        with open(path, "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                sha.update(chunk)
        return sha.hexdigest() == digest

    def fetch(self, digest: str, destination: pathlib.Path) -> None:
        shutil.copyfile(self._path(digest), destination)


class S3BlobStore:
    def __init__(self, client, bucket: str, prefix: str, staging_root: pathlib.Path):
        self.client = client
        self.bucket = bucket
        self.prefix = prefix
        self.local = LocalBlobStore(staging_root)

    def _key(self, digest: str) -> str:
        return f"{self.prefix}sha256/{digest}"

    def staging_file(self) -> tuple[int, str]:
        return self.local.staging_file()

    def keep(self, staged_path: str, digest: str) -> None:
        try:
            if not self.exists(digest):
                self.client.upload_file(staged_path, self.bucket, self._key(digest),
                                        ExtraArgs={"Metadata": {"sha256": digest}})
        finally:
            os.unlink(staged_path)

    def exists(self, digest: str) -> bool:
        from botocore.exceptions import ClientError
        try:
            self.client.head_object(Bucket=self.bucket, Key=self._key(digest))
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return False
            raise
        return True

    def verify(self, digest: str) -> bool:
        from botocore.exceptions import ClientError
        try:
            body = self.client.get_object(Bucket=self.bucket, Key=self._key(digest))["Body"]
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return False
            raise
        sha = hashlib.sha256()
        for chunk in iter(lambda: body.read(1 << 20), b""):
            sha.update(chunk)
        return sha.hexdigest() == digest

    def fetch(self, digest: str, destination: pathlib.Path) -> None:
        self.client.download_file(self.bucket, self._key(digest), str(destination))


_S3_CLIENTS: dict[tuple[str, str], object] = {}


def _s3_client(endpoint_url: str, region: str):
    # boto3 clients are thread-safe and slow to build: one per endpoint for the process
    key = (endpoint_url, region)
    if key not in _S3_CLIENTS:
        import boto3  # optional dependency: pip install 'astroplane[s3]'
        _S3_CLIENTS[key] = boto3.client("s3", endpoint_url=endpoint_url or None, region_name=region or None)
    return _S3_CLIENTS[key]


def blob_store(settings) -> BlobStore:
    root = pathlib.Path(settings.data_dir) / "blobs"
    url = settings.blob_store_url
    if not url:
        return LocalBlobStore(root)
    if not url.startswith("s3://") or len(url) <= len("s3://"):
        raise ValueError("ASTROPLANE_BLOB_STORE_URL must be empty (local directory) or s3://bucket[/prefix]")
    bucket, _, prefix = url[len("s3://"):].partition("/")
    if prefix and not prefix.endswith("/"):
        prefix += "/"
    return S3BlobStore(_s3_client(settings.s3_endpoint_url, settings.s3_region), bucket, prefix, root)
