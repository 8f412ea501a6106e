"""Loopback receivers for alert deliveries: a Slack-style webhook and an SMTP server, both on 127.0.0.1."""

import email
import http.server
import json
import ssl
import threading
import time

from aiosmtpd.controller import Controller

from live import free_port


class Webhook:
    """Records every JSON POST with the time it arrived; answers `status` (200 unless told)."""

    def __init__(self, status: int = 200, location: str | None = None, tls: ssl.SSLContext | None = None):
        """`location`: sent with the answer (a redirect when `status` is 3xx); `tls`: serve HTTPS with it."""
        self.received: list[tuple[float, str, dict]] = []
        self.status, self.location = status, location
        hook = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                arrived = time.time()
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                hook.received.append((arrived, self.path, {"body": json.loads(body or b"{}"),
                                                           "authorization": self.headers.get("Authorization"),
                                                           "host": self.headers.get("Host")}))
                self.send_response(hook.status)
                if hook.location:
                    self.send_header("Location", hook.location)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        if tls is not None:
            self.server.socket = tls.wrap_socket(self.server.socket, server_side=True)
        self.port = self.server.server_address[1]
        self.url = f"{'https' if tls else 'http'}://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "Webhook":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def bodies(self) -> list[dict]:
        return [entry[2]["body"] for entry in self.received]


class Mailbox:
    """An SMTP server (aiosmtpd) keeping every message it accepts."""

    def __init__(self):
        self.messages: list[tuple[float, email.message.Message]] = []
        mailbox = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                mailbox.messages.append((time.time(), email.message_from_bytes(envelope.content)))
                return "250 OK"

        self.port = free_port()
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)

    def __enter__(self) -> "Mailbox":
        self.controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self.controller.stop()
