"""Secrets at rest: authenticated encryption, key rotation without downtime."""

import pytest
import sqlalchemy as sa

from astroplane.kit import crypto


@pytest.fixture(autouse=True)
def restore_keys():
    yield
    from conftest import TEST_ENCRYPTION_KEY
    crypto.configure([TEST_ENCRYPTION_KEY])


def test_roundtrip_and_tamper_detection():
    crypto.configure([crypto.generate_key()])
    token = crypto.encrypt("hunter2")
    assert "hunter2" not in token and crypto.decrypt(token) == "hunter2"
    tampered = token[:-6] + ("A" if token[-6] != "A" else "B") + token[-5:]
    with pytest.raises(RuntimeError):
        crypto.decrypt(tampered)


def test_rotation_keeps_old_values_readable_then_rewrites_them(tmp_path):
    old, new = crypto.generate_key(), crypto.generate_key()
    metadata = sa.MetaData()
    table = sa.Table("secrets", metadata, sa.Column("id", sa.Integer, primary_key=True),
                     sa.Column("value", crypto.EncryptedText))
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'r.db'}")
    metadata.create_all(engine)
    crypto.configure([old])
    with engine.begin() as connection:
        connection.execute(table.insert(), [{"id": 1, "value": "alpha"}, {"id": 2, "value": None}])
    crypto.configure([new, old])  # new key first, old still accepted: no downtime
    with engine.begin() as connection:
        assert connection.execute(sa.select(table.c.value).where(table.c.id == 1)).scalar() == "alpha"
    from sqlalchemy.orm import Session
    with Session(engine) as session:
        assert crypto.rotate_all(session, metadata) == 1
        session.commit()
    crypto.configure([new])  # old key retired
    with engine.begin() as connection:
        assert connection.execute(sa.select(table.c.value).where(table.c.id == 1)).scalar() == "alpha"
        raw = connection.execute(sa.text("SELECT value FROM secrets WHERE id = 1")).scalar()
    assert "alpha" not in raw
