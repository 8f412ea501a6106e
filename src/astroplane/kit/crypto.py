"""Encryption at rest for secret columns.

Columns typed `EncryptedText` hold Fernet tokens (AES-CBC + HMAC-SHA256, authenticated) and are
decrypted only when read through SQLAlchemy, so a raw row never shows the plaintext. Keys come from
ASTROPLANE_ENCRYPTION_KEYS (newest first) or are generated once into the data directory. Rotation
without downtime: put a new key first, keep the old ones after it (both decrypt), then run
`astroplane rotate-encryption` to re-encrypt every row under the new key, then drop the old key.
"""

import sqlalchemy as sa
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy.orm import Session

_box: MultiFernet | None = None


def configure(keys: list[str]) -> None:
    """Install the keys for this process (called once at start-up by the app and the CLI)."""
    global _box
    if not keys:
        raise ValueError("at least one encryption key is required")
    _box = MultiFernet([Fernet(key.encode() if isinstance(key, str) else key) for key in keys])


def generate_key() -> str:
    return Fernet.generate_key().decode()


def _require_box() -> MultiFernet:
    if _box is None:
        raise RuntimeError("encryption keys are not configured (astroplane.kit.crypto.configure)")
    return _box


def encrypt(plaintext: str) -> str:
    return _require_box().encrypt(plaintext.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _require_box().decrypt(token.encode()).decode()
    except InvalidToken as error:
        raise RuntimeError("a stored secret cannot be decrypted with the configured keys") from error


class EncryptedText(sa.types.TypeDecorator):
    """A text column stored encrypted; Python code only ever sees plaintext."""

    impl = sa.Text
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return None if value is None else encrypt(value)

    def process_result_value(self, value, dialect):
        return None if value is None else decrypt(value)


def rotate_all(session: Session, metadata: sa.MetaData) -> int:
    """Re-encrypt every EncryptedText value under the newest key; returns the number of values."""
    box = _require_box()
    count = 0
    for table in metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, EncryptedText)]
        if not columns:
            continue
        primary = list(table.primary_key.columns)
        raw = sa.table(table.name, *(sa.column(c.name) for c in primary + columns))
        for row in session.execute(sa.select(*raw.columns)).mappings():
            changes = {c.name: box.rotate(row[c.name].encode()).decode() for c in columns if row[c.name]}
            if changes:
                where = [raw.c[p.name] == row[p.name] for p in primary]
                session.execute(sa.update(raw).where(*where).values(**changes))
                count += len(changes)
    return count
