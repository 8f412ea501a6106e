"""Content-addressed storage for DAG and bundle archives.

A blob is named by the SHA-256 of its bytes, so the same archive uploaded twice is stored once.
`LocalBlobStore` keeps blobs under `<data_dir>/blobs/sha256/<2 hex>/<64 hex>`. Another backend (an
S3-compatible store) only has to implement `BlobStore`; none ships yet.
"""

import hashlib
import os
import pathlib
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


def blob_store(settings) -> BlobStore:
    return LocalBlobStore(pathlib.Path(settings.data_dir) / "blobs")
