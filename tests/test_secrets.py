"""After a scenario that writes every secret-bearing field, no plaintext secret is readable: not in
any GET response (without showSecrets), not in the server's log records, not in a raw database row."""

import logging
import re

import sqlalchemy as sa

import scenario
from astroplane.kit.db import Base

PARAM = re.compile(r"{(\w+)}")


class _Capture(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


def _raw_rows(server) -> str:
    dump = []
    with server.database.engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            # plain SQL: the stored text, not what the column types would decrypt on the way out
            for row in connection.execute(sa.text(f"SELECT * FROM {table.name}")):
                dump.append(f"{table.name}: {tuple(row)!r}")
    return "\n".join(dump)


def _leaks(text: str, secrets: list[str]) -> list[str]:
    return [secret[:12] + "…" for secret in secrets if secret in text]


def test_no_plaintext_secret_anywhere(server):
    capture = _Capture()
    root = logging.getLogger()
    previous_level = root.level
    root.addHandler(capture)
    root.setLevel(logging.DEBUG)
    try:
        shape = scenario.build(server)
        document = server.client.get("/v1/openapi.json").json()
        reads = 0
        for method, path, _ in scenario.operations(document):
            if method != "GET" or "organizationId" not in path:
                continue
            response = shape.api.request("GET", PARAM.sub(lambda m: shape.ids[m.group(1)], path))
            assert response.status_code < 500, (path, response.status_code)
            assert not _leaks(response.text, shape.secrets), (path, _leaks(response.text, shape.secrets))
            reads += 1
    finally:
        root.removeHandler(capture)
        root.setLevel(previous_level)
    assert shape.secrets, "the scenario wrote no secret; the gate would prove nothing"
    assert reads >= 5
    assert not _leaks("\n".join(capture.lines), shape.secrets), "a secret reached a log record"
    assert not _leaks(_raw_rows(server), shape.secrets), "a secret is stored in plaintext"
