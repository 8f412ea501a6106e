"""The machine's `terraform` driving the real provider astronomer/astro against a live astroplane.

The provider accepts only Astro's own hosts (`^https://(pr\\d+)?api.astronomer(-(dev|stage))?.io$`,
no port) and builds every URL as `<host>/<api prefix>/...`. Instead of a hosts entry, terraform
(and the provider it starts) get HTTPS_PROXY pointing at `Tunnel`, a CONNECT proxy on 127.0.0.1
that joins `api.astronomer-dev.io:443` to the loopback port of `astroplane serve --tls` and refuses
any other destination: nothing leaves the machine. TLS runs end to end between the provider and
astroplane; SSL_CERT_FILE makes the provider trust astroplane's authority.

The provider comes from scripts/ensure_terraform_provider.py (run by `make test`), as a local
filesystem mirror named by TF_CLI_CONFIG_FILE: the Terraform registry is never asked.
"""

import importlib.util
import json
import os
import pathlib
import re
import select
import shutil
import socket
import subprocess
import threading

ROOT = pathlib.Path(__file__).resolve().parents[1]
PROVIDER_HOST = "api.astronomer-dev.io"
TERRAFORM_TIMEOUT = 600  # one command, on a busy 2-core machine


def _provider_build():
    spec = importlib.util.spec_from_file_location("ensure_terraform_provider",
                                                  ROOT / "scripts" / "ensure_terraform_provider.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def provider_setup() -> tuple[str, pathlib.Path]:
    """The terraform binary and the CLI config of the built provider mirror; AssertionError in one
    line when either is missing (the tests never skip)."""
    build = _provider_build()
    terraform = shutil.which("terraform")
    assert terraform, "terraform is not on PATH: the Terraform provider tests need it (Terraform >= 1.5)"
    assert build.binary().exists() and build.CLI_CONFIG.exists(), (
        f"the Terraform provider is not built ({build.binary()} missing): "
        "run `python scripts/ensure_terraform_provider.py` (make test does)")
    return terraform, build.CLI_CONFIG


class Tunnel:
    """A CONNECT proxy on 127.0.0.1 that tunnels the provider's host to one loopback port."""

    def __init__(self, target_port: int, host: str = PROVIDER_HOST):
        self.allowed = f"{host}:443"
        self.target_port = target_port
        self.refused: list[str] = []  # destinations asked for and refused
        self.tunnels = 0
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)

    def start(self) -> "Tunnel":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self._listener.close()
        self._thread.join(timeout=10)

    def _accept(self) -> None:
        while not self._stopping.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        with client:
            head = b""
            while b"\r\n\r\n" not in head:
                chunk = client.recv(4096)
                if not chunk or len(head) > 65536:
                    return
                head += chunk
            method, destination = (head.split(b"\r\n", 1)[0].split(b" ") + [b"", b""])[:2]
            if method != b"CONNECT" or destination.decode(errors="replace") != self.allowed:
                self.refused.append(f"{method.decode(errors='replace')} {destination.decode(errors='replace')}")
                client.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                return
            try:
                upstream = socket.create_connection(("127.0.0.1", self.target_port), timeout=30)
            except OSError:
                client.sendall(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                return
            self.tunnels += 1
            with upstream:
                upstream.settimeout(None)
                client.sendall(b"HTTP/1.1 200 Connection Established\r\n\r\n")
                rest = head.split(b"\r\n\r\n", 1)[1]
                if rest:
                    upstream.sendall(rest)
                self._pipe(client, upstream)

    def _pipe(self, one: socket.socket, other: socket.socket) -> None:
        peers = {one: other, other: one}
        while not self._stopping.is_set():
            readable, _, _ = select.select(list(peers), [], [], 1.0)
            for sock in readable:
                try:
                    data = sock.recv(65536)
                    if data:
                        peers[sock].sendall(data)
                except (ConnectionResetError, BrokenPipeError):  # a side hung up abruptly: the tunnel ends
                    data = b""
                if not data:
                    return


class Terraform:
    """terraform commands in working directories of one test module, sharing one `init`."""

    def __init__(self, binary: str, cli_config: pathlib.Path, home: pathlib.Path, tunnel: Tunnel,
                 authority: pathlib.Path, token: str, organization_id: str):
        self.binary, self.home, self.organization_id = binary, home, organization_id
        self.env = {
            "PATH": "/usr/bin:/bin", "HOME": str(home),
            "TF_CLI_CONFIG_FILE": str(cli_config), "TF_IN_AUTOMATION": "1", "TF_INPUT": "0",
            "CHECKPOINT_DISABLE": "1",  # no version check against HashiCorp
            "HTTPS_PROXY": tunnel.url, "NO_PROXY": "",  # every HTTPS call through the tunnel
            "SSL_CERT_FILE": str(authority), "ASTRO_API_TOKEN": token,
            "TF_DATA_DIR": str(home / "shared-data"),  # providers installed once (init below)
        }
        if os.environ.get("TF_LOG"):  # debugging: each working directory keeps terraform.log
            self.env["TF_LOG"] = os.environ["TF_LOG"]
        self._lock_file: pathlib.Path | None = None

    def provider_block(self) -> str:
        return (
            'terraform {\n  required_providers {\n'
            '    astro = { source = "astronomer/astro", version = "1.5.2" }\n  }\n}\n'
            f'provider "astro" {{\n  organization_id = "{self.organization_id}"\n'
            f'  host            = "https://{PROVIDER_HOST}"\n}}\n'
        )

    def run(self, workdir: pathlib.Path, *args: str, ok: tuple[int, ...] = (0,)) -> subprocess.CompletedProcess:
        env = {**self.env, "TF_LOG_PATH": str(workdir / "terraform.log")} if "TF_LOG" in self.env else self.env
        out = subprocess.run([self.binary, *args, "-no-color"], cwd=workdir, env=env, capture_output=True,
                             text=True, timeout=TERRAFORM_TIMEOUT)
        assert out.returncode in ok, (f"terraform {' '.join(args)} exited {out.returncode}\n"
                                      f"{out.stdout[-6000:]}\n{out.stderr[-6000:]}")
        return out

    def workdir(self, name: str, config: str, provider: bool = True) -> pathlib.Path:
        """A working directory holding `config` (after our provider block unless `provider` is
        False: the config brings its own) and the shared lock file."""
        folder = self.home / name
        folder.mkdir()
        self.write(folder, config, provider)
        if self._lock_file is None:
            self.run(folder, "init", "-input=false")
            self._lock_file = self.home / "terraform.lock.hcl"
            shutil.copy(folder / ".terraform.lock.hcl", self._lock_file)
        else:
            shutil.copy(self._lock_file, folder / ".terraform.lock.hcl")
        return folder

    def write(self, folder: pathlib.Path, config: str, provider: bool = True) -> None:
        (folder / "main.tf").write_text((self.provider_block() if provider else "") + config)

    def apply(self, folder: pathlib.Path) -> None:
        self.run(folder, "apply", "-auto-approve", "-input=false")

    def plan_changes(self, folder: pathlib.Path) -> list[dict]:
        """The resource changes a plan proposes (no-ops left out); [] when none."""
        self.run(folder, "plan", "-input=false", "-detailed-exitcode", "-out=plan.out", ok=(0, 2))
        shown = json.loads(self.run(folder, "show", "-json", "plan.out").stdout)
        return [change for change in shown.get("resource_changes", [])
                if change["change"]["actions"] not in (["no-op"], ["read"])]

    def assert_no_changes(self, folder: pathlib.Path) -> None:
        out = self.run(folder, "plan", "-input=false", "-detailed-exitcode", ok=(0, 2))
        assert out.returncode == 0, f"plan proposes changes:\n{out.stdout[-6000:]}"

    def state(self, folder: pathlib.Path) -> dict[str, dict]:
        """Managed resources in the state: address -> attribute values."""
        shown = json.loads(self.run(folder, "show", "-json").stdout)
        found: dict[str, dict] = {}
        for resource in shown.get("values", {}).get("root_module", {}).get("resources", []):
            found[resource["address"]] = resource["values"]
        return found

    def addresses(self, folder: pathlib.Path) -> set[str]:
        """The managed resources the folder's configuration declares."""
        return {f"{kind}.{name}" for kind, name in
                re.findall(r'^resource\s+"([\w-]+)"\s+"([\w-]+)"', (folder / "main.tf").read_text(), re.M)}

    def outputs(self, folder: pathlib.Path) -> dict:
        return {name: item["value"] for name, item in
                json.loads(self.run(folder, "output", "-json").stdout).items()}
