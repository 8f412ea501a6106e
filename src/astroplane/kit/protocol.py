"""uvicorn's HTTP protocol with the Astro error body for requests it cannot parse.

uvicorn answers a request its parser refuses (a URL past the parser's 64 KiB field limit, a malformed
request line or header) itself, before the app sees it, with a text/plain 400. Clients of the Astro
API read every error as `{"message", "statusCode", "requestId"}`, so those answers carry it too."""

import json
import logging
import uuid

from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol

log = logging.getLogger("astroplane.protocol")


def astro_400(message: str) -> tuple[bytes, str]:
    """The body of a 400 for a request that could not be parsed, and its request id."""
    request_id = str(uuid.uuid4())
    body = {"message": f"The request could not be read: {message.rstrip('.')} (a URL or header may be too long "
                       "or malformed)", "statusCode": 400, "requestId": request_id}
    return json.dumps(body).encode(), request_id


class AstroHttpToolsProtocol(HttpToolsProtocol):
    def send_400_response(self, msg: str) -> None:
        body, request_id = astro_400(msg)
        log.info("unparsable request requestId=%s", request_id)
        content = [STATUS_LINE[400]]
        for name, value in self.server_state.default_headers:
            content.extend([name, b": ", value, b"\r\n"])
        content.extend([b"content-type: application/json\r\n",
                        b"content-length: " + str(len(body)).encode("ascii") + b"\r\n",
                        b"connection: close\r\n", b"\r\n", body])
        self.transport.write(b"".join(content))
        self.transport.close()
