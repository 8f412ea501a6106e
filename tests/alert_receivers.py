"""Loopback receivers for alert deliveries: a Slack-style webhook and an SMTP server, both on 127.0.0.1."""

import email
import http.server
import json
import threading
import time

from aiosmtpd.controller import Controller

from live import free_port


class Webhook:
    """Records every JSON POST with the time it arrived; answers `status` (200 unless told)."""

    def __init__(self, status: int = 200):
        self.received: list[tuple[float, str, dict]] = []
        self.status = status
        hook = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                arrived = time.time()
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                hook.received.append((arrived, self.path, {"body": json.loads(body or b"{}"),
                                                           "authorization": self.headers.get("Authorization")}))
                self.send_response(hook.status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
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
