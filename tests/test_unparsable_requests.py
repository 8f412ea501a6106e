"""A request uvicorn's parser refuses is answered with the Astro error body, not uvicorn's text."""

import json
import socket

from astroplane.testing import running_server

SIGNING_KEY = "unparsable-request-test-key-" + "k" * 32


def _raw_get(port: int, target: str, token: str) -> tuple[str, dict[str, str], bytes]:
    request = (f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n"
               "Connection: close\r\n\r\n").encode()
    with socket.create_connection(("127.0.0.1", port)) as connection:
        for start in range(0, len(request), 4096):  # in pieces, as a client's TCP stream arrives
            connection.sendall(request[start:start + 4096])
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in header_lines)
    return status_line, {name.lower(): value for name, value in headers.items()}, body


def test_a_url_past_the_parsers_limit_gets_the_astro_error_body(tmp_path):
    with running_server(f"sqlite:///{tmp_path / 'db.sqlite'}", signing_key=SIGNING_KEY) as server:
        port = int(server.url.rsplit(":", 1)[1])
        base = f"/labs/v1/organizations/{server.organization_id}/alerts"
        ids = "&".join(f"alertIds=c{index:024d}" for index in range(3000))  # ~105 KB of query

        status, headers, body = _raw_get(port, f"{base}?{ids}", server.token)
        assert status == "HTTP/1.1 400 Bad Request"
        assert headers["content-type"] == "application/json"
        error = json.loads(body)
        assert set(error) == {"message", "statusCode", "requestId"} and error["statusCode"] == 400
        assert "too long" in error["message"]

        # a long URL within the limit is the app's to answer
        status, _, body = _raw_get(port, f"{base}?{ids[:30_000].rsplit('&', 1)[0]}", server.token)
        assert status == "HTTP/1.1 200 OK", body
