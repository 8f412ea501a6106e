"""A real astroplane server on a free port, for tests that need one: its own process (fuzzing,
crashes), or uvicorn in a thread of the test process (the browser tests)."""

import json
import os
import ssl
import subprocess
import sys
import time
import urllib.request

from astroplane.testing import free_port, serving
from waiting import PATIENCE

CLI = [sys.executable, "-m", "astroplane.cli"]


class LiveServer:
    def __init__(self, data_dir, database_url: str, workers: int = 1, **settings: str):
        self.workers = workers
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "ASTROPLANE_DATA_DIR": str(data_dir), "ASTROPLANE_DATABASE_URL": database_url,
                    "ASTROPLANE_RUN_RECONCILER": "false", "ASTROPLANE_STEP_DELAY_SECONDS": "0",
                    **{f"ASTROPLANE_{k.upper()}": v for k, v in settings.items()}}
        self.process: subprocess.Popen | None = None
        self.log_path = os.path.join(str(data_dir), "server.log")

    def cli(self, *args: str) -> dict:
        out = subprocess.run([*CLI, *args, "--json"], capture_output=True, text=True, env=self.env, timeout=PATIENCE)
        assert out.returncode == 0, out.stderr
        return json.loads(out.stdout)

    def start(self, *serve_args: str, health_context: ssl.SSLContext | None = None) -> "LiveServer":
        """`astroplane serve` with `serve_args`; with --tls, pass the context that trusts its authority."""
        log = open(self.log_path, "a")
        self.process = subprocess.Popen([*CLI, "serve", "--port", str(self.port), "--workers", str(self.workers),
                                         *serve_args], stdout=log, stderr=subprocess.STDOUT, env=self.env)
        if health_context is not None:
            self.base = self.base.replace("http://", "https://")
        deadline = time.monotonic() + PATIENCE  # a busy 2-core machine starts slowly
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{self.base}/healthz", timeout=1, context=health_context)
                return self
            except OSError:
                assert self.process.poll() is None, open(self.log_path).read()
                time.sleep(0.1)
        raise AssertionError("server did not become healthy")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=PATIENCE)

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=PATIENCE)

    def logs(self) -> str:
        with open(self.log_path) as handle:
            return handle.read()


class ThreadedServer:
    """An app served by uvicorn on a free port in a thread of this process (astroplane.testing.serving):
    no interpreter start, no second import of everything (a subprocess takes ~15 s on a busy machine)."""

    def __init__(self, app, port: int | None = None):
        self.port = port or free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self._serving = serving(app, self.port)

    def start(self) -> "ThreadedServer":
        self._serving.__enter__()
        return self

    def stop(self) -> None:
        self._serving.__exit__(None, None, None)
