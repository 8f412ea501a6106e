"""Build a real Kubernetes control plane once and start a throw-away cluster for the test suite.

    python scripts/ensure_kube.py            # builds if needed, starts if needed, prints the kubeconfig path
    python scripts/ensure_kube.py --build    # only builds (prints the build time and peak memory)
    python scripts/ensure_kube.py --stop     # stops the cluster: kwok, scheduler, controller-manager,
                                             # then the apiserver, then etcd (the apiserver hangs for
                                             # minutes when etcd goes first)

There is no container engine on these machines, so the cluster is the real control plane (etcd,
kube-apiserver, kube-controller-manager, kube-scheduler) with kwok standing in for the nodes: it
reports pods Running/ready, and with the stages added here, failing. Everything is built from the Go
module proxy into .astroplane/kube/bin (about 10 minutes cold on 2 cores, ~6 GB of Go caches in
their default places); a second run finds the binaries and does nothing. The cluster is left
running, so the next run answers at once, like scripts/ensure_postgres.py.
"""

import os
import pathlib
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parents[1]
KUBE = ROOT / ".astroplane" / "kube"
BIN = KUBE / "bin"
SRC = KUBE / "src"
STATE = KUBE / "cluster"
STAGES = KUBE / "stages"

ETCD_VERSION = "v3.6.17"
KUBERNETES_VERSION = "v1.37.2"
STAGING_VERSION = "v0.37.2"
KWOK_VERSION = "v0.8.0"
# staging modules the Go module proxy refuses; no control-plane binary imports them
UNPUBLISHED_STAGING = {"k8s.io/sample-cli-plugin", "k8s.io/sample-controller"}
KUBE_COMMANDS = ("kube-apiserver", "kube-controller-manager", "kube-scheduler")

ETCD_CLIENT_PORT = 52379
ETCD_PEER_PORT = 52380
APISERVER_PORT = 56443
# clients first, then the apiserver, then etcd
STOP_ORDER = ("kwok", "kube-scheduler", "kube-controller-manager", "kube-apiserver", "etcd")
FAKE_NODES = 4
TOKEN = "astroplane-test-admin-token"


def say(message: str) -> None:
    print(f"ensure-kube: {message}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------- build

class PeakMemory:
    """Samples the summed resident memory of this process's descendants (go, compile, link)."""

    def __init__(self) -> None:
        self.peak_kib = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> "PeakMemory":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(0.5):
            self.peak_kib = max(self.peak_kib, _descendants_rss_kib(os.getpid()))


def _descendants_rss_kib(root_pid: int) -> int:
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in pathlib.Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        pid = int(entry.name)
        children.setdefault(int(fields.get("PPid", "0").strip()), []).append(pid)
        rss[pid] = int(fields.get("VmRSS", "0 kB").split()[0])
    total, stack = 0, list(children.get(root_pid, []))
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, []))
    return total


def go(*args: str, cwd: pathlib.Path) -> str:
    result = subprocess.run(["go", *args], cwd=cwd, capture_output=True, text=True,
                            env={**os.environ, "GOFLAGS": "-mod=mod", "GOTOOLCHAIN": "local", "CGO_ENABLED": "0"})
    if result.returncode != 0:
        raise SystemExit(f"ensure-kube: `go {' '.join(args)}` failed in {cwd}:\n{result.stderr.strip()[-3000:]}")
    return result.stdout


def wrapper_module(name: str, requires: dict[str, str], replaces: dict[str, str], imports: list[str]) -> pathlib.Path:
    """A tiny module whose go.mod pins what we build; tools.go keeps `go mod tidy` from dropping it."""
    folder = SRC / name
    folder.mkdir(parents=True, exist_ok=True)
    lines = [f"module astroplane.local/{name}", "", "go 1.26", ""]
    lines += [f"require {path} {version}" for path, version in requires.items()]
    lines += [""] + [f"replace {path} => {path} {version}" for path, version in sorted(replaces.items())]
    (folder / "go.mod").write_text("\n".join(lines) + "\n")
    tools = "//go:build tools\n\npackage tools\n\nimport (\n" + "".join(f'\t_ "{p}"\n' for p in imports) + ")\n"
    (folder / "tools.go").write_text(tools)
    return folder


def build_etcd() -> None:
    if (BIN / "etcd").exists():
        return
    say(f"building etcd {ETCD_VERSION}")
    folder = wrapper_module("etcd", {"go.etcd.io/etcd/server/v3": ETCD_VERSION}, {}, ["go.etcd.io/etcd/server/v3"])
    go("mod", "tidy", cwd=folder)
    go("build", "-trimpath", "-ldflags=-s -w", "-o", str(BIN / "etcd"), "go.etcd.io/etcd/server/v3", cwd=folder)


def staging_modules() -> list[str]:
    """The staging modules kubernetes' own go.mod replaces with ./staging/src/... folders."""
    info = go("mod", "download", "-json", f"k8s.io/kubernetes@{KUBERNETES_VERSION}", cwd=SRC)
    gomod = re.search(r'"GoMod":\s*"([^"]+)"', info).group(1)
    text = pathlib.Path(gomod).read_text()
    modules = re.findall(r"^\s*(k8s\.io/[\w.-]+)\s*=>\s*\./staging/", text, re.MULTILINE)
    return [m for m in modules if m not in UNPUBLISHED_STAGING]


def build_kubernetes() -> None:
    if all((BIN / command).exists() for command in KUBE_COMMANDS):
        return
    say(f"building {', '.join(KUBE_COMMANDS)} from k8s.io/kubernetes {KUBERNETES_VERSION}")
    SRC.mkdir(parents=True, exist_ok=True)
    replaces = {module: STAGING_VERSION for module in staging_modules()}
    packages = [f"k8s.io/kubernetes/cmd/{command}" for command in KUBE_COMMANDS]
    folder = wrapper_module("kubernetes", {"k8s.io/kubernetes": KUBERNETES_VERSION}, replaces, packages)
    go("mod", "tidy", cwd=folder)
    # one invocation: the three share most of their compilation
    go("build", "-trimpath", "-ldflags=-s -w", "-o", str(BIN) + "/", *packages, cwd=folder)


def build_kwok() -> None:
    if (BIN / "kwok").exists() and (STAGES / STAGES_FILE).exists():
        return
    if not (BIN / "kwok").exists():
        say(f"building kwok {KWOK_VERSION}")
        result = subprocess.run(["go", "install", "-trimpath", "-ldflags=-s -w",
                                 f"sigs.k8s.io/kwok/cmd/kwok@{KWOK_VERSION}"], capture_output=True, text=True,
                                env={**os.environ, "GOBIN": str(BIN), "GOTOOLCHAIN": "local", "CGO_ENABLED": "0"})
        if result.returncode != 0:
            raise SystemExit(f"ensure-kube: go install kwok failed:\n{result.stderr.strip()[-3000:]}")
    modcache = subprocess.run(["go", "env", "GOMODCACHE"], capture_output=True, text=True, check=True).stdout.strip()
    shipped = pathlib.Path(modcache) / f"sigs.k8s.io/kwok@{KWOK_VERSION}" / "kustomize" / "stage"
    documents = []
    # nodes Ready with leases; pods Running/ready, completed and deleted at once; and the chaos
    # stage that fails a Running pod's containers when the pod carries its label (the tests' failures)
    for group in ("node/fast", "node/heartbeat-with-lease", "pod/fast", "pod/chaos"):
        folder = shipped / group
        stages = sorted(p for p in folder.glob("*.yaml") if p.name != "kustomization.yaml")
        if not stages:
            raise SystemExit(f"ensure-kube: kwok ships no stage definitions in {folder}")
        documents += [stage.read_text() for stage in stages]
    STAGES.mkdir(parents=True, exist_ok=True)
    (STAGES / STAGES_FILE).write_text("\n---\n".join(documents))


STAGES_FILE = "stages.yaml"
KWOK_PORT = 51025
# what `kubectl logs` (and astroplane's log collection) reads from every fake container
COMPONENT_LOG_LINES = [
    "INFO - Starting the component (simulated by kwok)",
    "INFO - Connected to the metadata database",
    "WARNING - A warning line from the component",
    "ERROR - An error line from the component",
]


def kwok_config() -> pathlib.Path:
    """kwok's configuration: where it serves the kubelet API (TLS, for the apiserver's log requests),
    the stages, and the file every container's logs come from."""
    logs = STATE / "component.log"
    now = time.strftime("%Y-%m-%dT%H:%M:%S.000000000Z", time.gmtime())
    logs.write_text("".join(f"{now} stdout F {line}\n" for line in COMPONENT_LOG_LINES))  # the CRI log format
    pki = STATE / "pki"
    config = f"""\
apiVersion: config.kwok.x-k8s.io/v1alpha1
kind: KwokConfiguration
options:
  cidr: 10.0.0.1/16
  nodeIP: 127.0.0.1
  nodePort: {KWOK_PORT}
  serverAddress: 127.0.0.1:{KWOK_PORT}
  tlsCertFile: {pki / 'apiserver.crt'}
  tlsPrivateKeyFile: {pki / 'apiserver.key'}
  manageAllNodes: false
  manageNodesWithAnnotationSelector: kwok.x-k8s.io/node=fake
  enableDebuggingHandlers: true
  # defaults kwok leaves at 0 when given a configuration file
  podPlayStageParallelism: 8
  nodePlayStageParallelism: 4
  nodeLeaseParallelism: 4
  podsOnNodeSyncParallelism: 4
  nodeLeaseDurationSeconds: 40
---
apiVersion: kwok.x-k8s.io/v1alpha1
kind: ClusterLogs
metadata:
  name: every-container
spec:
  selector: {{}}
  logs:
  - logsFile: {logs}
    follow: false
---
{(STAGES / STAGES_FILE).read_text()}
"""
    path = STATE / "kwok.yaml"
    path.write_text(config)
    return path


def build() -> None:
    BIN.mkdir(parents=True, exist_ok=True)
    if shutil.which("go") is None:
        raise SystemExit("ensure-kube: no `go` on PATH: the control plane is built from the Go module proxy")
    started = time.monotonic()
    with PeakMemory() as memory:
        build_etcd()
        build_kwok()
        build_kubernetes()
    elapsed = time.monotonic() - started
    if elapsed > 5:
        say(f"built in {elapsed:.0f} s, peak memory of the build processes {memory.peak_kib / 1024:.0f} MiB")


# -------------------------------------------------------------------------------------- cluster

def kubeconfig_path() -> pathlib.Path:
    return STATE / "kubeconfig.yaml"


def healthy() -> bool:
    context = ssl.create_default_context(cafile=str(STATE / "pki" / "ca.crt")) if (STATE / "pki" / "ca.crt").exists() else None
    if context is None:
        return False
    request = urllib.request.Request(f"https://127.0.0.1:{APISERVER_PORT}/readyz",
                                     headers={"Authorization": f"Bearer {TOKEN}"})
    try:
        with urllib.request.urlopen(request, context=context, timeout=3) as response:
            return response.status == 200
    except OSError:
        return False


def make_pki() -> None:
    """A CA, a serving certificate for 127.0.0.1 and a service-account key pair (openssl)."""
    pki = STATE / "pki"
    if (pki / "apiserver.crt").exists():
        return
    pki.mkdir(parents=True, exist_ok=True)

    def openssl(*args: str) -> None:
        subprocess.run(["openssl", *args], cwd=pki, check=True, capture_output=True)

    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "3650",
            "-subj", "/CN=astroplane-test-ca")
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "apiserver.key", "-out", "apiserver.csr",
            "-subj", "/CN=kube-apiserver")
    (pki / "san.ext").write_text("subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes.default.svc\n")
    openssl("x509", "-req", "-in", "apiserver.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
            "-out", "apiserver.crt", "-days", "3650", "-extfile", "san.ext")
    openssl("genrsa", "-out", "sa.key", "2048")
    openssl("rsa", "-in", "sa.key", "-pubout", "-out", "sa.pub")


def write_kubeconfig() -> None:
    kubeconfig_path().write_text(f"""\
apiVersion: v1
kind: Config
clusters:
- name: astroplane-test
  cluster:
    server: https://127.0.0.1:{APISERVER_PORT}
    certificate-authority: {STATE / 'pki' / 'ca.crt'}
users:
- name: admin
  user:
    token: {TOKEN}
contexts:
- name: astroplane-test
  context:
    cluster: astroplane-test
    user: admin
current-context: astroplane-test
""")
    # the static token file: the admin user is in system:masters
    (STATE / "tokens.csv").write_text(f'{TOKEN},admin,admin,"system:masters"\n')


STARTED: dict[str, subprocess.Popen] = {}


def spawn(name: str, args: list[str]) -> None:
    log = open(STATE / f"{name}.log", "ab")
    process = STARTED[name] = subprocess.Popen([str(BIN / name), *args], stdout=log, stderr=subprocess.STDOUT,
                               stdin=subprocess.DEVNULL, start_new_session=True)
    (STATE / f"{name}.pid").write_text(str(process.pid))


def port_open(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def wait_for(what: str, check, deadline_s: float, process: str | None = None) -> None:
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        if check():
            return
        if process and STARTED[process].poll() is not None:
            tail = (STATE / f"{process}.log").read_text(errors="replace").strip().splitlines()[-1:]
            raise SystemExit(f"ensure-kube: {process} exited: {tail[0][-400:] if tail else '(no output)'}")
        time.sleep(0.2)
    raise SystemExit(f"ensure-kube: {what} did not come up within {deadline_s:.0f} s (logs in {STATE})")


def start() -> None:
    stop()
    STATE.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(STATE / "etcd-data", ignore_errors=True)
    make_pki()
    write_kubeconfig()
    started = time.monotonic()
    say("starting etcd, kube-apiserver, kube-controller-manager, kube-scheduler and kwok")
    spawn("etcd", ["--data-dir", str(STATE / "etcd-data"), "--name", "astroplane-test",
                   "--listen-client-urls", f"http://127.0.0.1:{ETCD_CLIENT_PORT}",
                   "--advertise-client-urls", f"http://127.0.0.1:{ETCD_CLIENT_PORT}",
                   "--listen-peer-urls", f"http://127.0.0.1:{ETCD_PEER_PORT}",
                   "--initial-advertise-peer-urls", f"http://127.0.0.1:{ETCD_PEER_PORT}",
                   "--initial-cluster", f"astroplane-test=http://127.0.0.1:{ETCD_PEER_PORT}",
                   "--unsafe-no-fsync", "--quota-backend-bytes", str(4 << 30)])
    wait_for("etcd", lambda: port_open(ETCD_CLIENT_PORT), 30, "etcd")
    pki = STATE / "pki"
    spawn("kube-apiserver", [
        "--etcd-servers", f"http://127.0.0.1:{ETCD_CLIENT_PORT}",
        "--bind-address", "127.0.0.1", "--advertise-address", "127.0.0.1", "--secure-port", str(APISERVER_PORT),
        "--endpoint-reconciler-type", "none",  # it refuses a loopback advertise address
        "--tls-cert-file", str(pki / "apiserver.crt"), "--tls-private-key-file", str(pki / "apiserver.key"),
        "--client-ca-file", str(pki / "ca.crt"),
        "--token-auth-file", str(STATE / "tokens.csv"),
        "--service-account-key-file", str(pki / "sa.pub"),
        "--service-account-signing-key-file", str(pki / "sa.key"),
        "--service-account-issuer", "https://kubernetes.default.svc",
        "--authorization-mode", "Node,RBAC",
        "--service-cluster-ip-range", "10.96.0.0/16",
        "--enable-priority-and-fairness=false",
        "--max-requests-inflight", "1000", "--max-mutating-requests-inflight", "500",
        "--watch-cache=true", "--event-ttl", "10m",
        "--kubelet-preferred-address-types", "InternalIP",
    ])
    wait_for("kube-apiserver", healthy, 120, "kube-apiserver")
    common = ["--kubeconfig", str(kubeconfig_path()), "--leader-elect=false"]
    spawn("kube-controller-manager", [*common, "--use-service-account-credentials=false",
                                      "--service-account-private-key-file", str(pki / "sa.key"),
                                      "--root-ca-file", str(pki / "ca.crt"),
                                      "--kube-api-qps", "500", "--kube-api-burst", "1000",
                                      "--concurrent-deployment-syncs", "20", "--concurrent-replicaset-syncs", "20",
                                      "--concurrent-namespace-syncs", "20",
                                      "--horizontal-pod-autoscaler-sync-period", "3s",
                                      "--bind-address", "127.0.0.1", "--secure-port", "0"])
    spawn("kube-scheduler", [*common, "--bind-address", "127.0.0.1", "--secure-port", "0"])
    spawn("kwok", ["--kubeconfig", str(kubeconfig_path()), "--config", str(kwok_config())])
    create_fake_nodes()
    wait_for("the fake nodes", nodes_ready, 60)
    say(f"cluster ready in {time.monotonic() - started:.1f} s")


def core_api():
    """The official client (in the venv the suite runs with); no kubectl binary is needed."""
    from kubernetes import client, config

    return client.CoreV1Api(config.new_client_from_config(str(kubeconfig_path())))


def create_fake_nodes() -> None:
    from kubernetes.client.exceptions import ApiException

    api = core_api()
    for index in range(FAKE_NODES):
        name = f"kwok-node-{index}"
        node = {"apiVersion": "v1", "kind": "Node",
                "metadata": {"name": name, "annotations": {"kwok.x-k8s.io/node": "fake",
                                                           "node.alpha.kubernetes.io/ttl": "0"},
                             "labels": {"kubernetes.io/hostname": name, "kubernetes.io/os": "linux",
                                        "kubernetes.io/arch": "amd64", "type": "kwok"}},
                "status": {"allocatable": {"cpu": "256", "memory": "1Ti", "pods": "1000"},
                           "capacity": {"cpu": "256", "memory": "1Ti", "pods": "1000"}}}
        try:
            api.create_node(body=node)
        except ApiException as error:
            if error.status != 409:
                raise


def nodes_ready() -> bool:
    ready = 0
    for node in core_api().list_node().items:
        conditions = {c.type: c.status for c in (node.status.conditions or [])}
        ready += conditions.get("Ready") == "True"
    return ready >= FAKE_NODES


def stop() -> None:
    for name in STOP_ORDER:
        pid_file = STATE / f"{name}.pid"
        if not pid_file.exists():
            continue
        pid = int(pid_file.read_text())
        if _is_ours(pid, name):
            os.kill(pid, signal.SIGTERM)
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and _is_ours(pid, name):
                time.sleep(0.1)
            if _is_ours(pid, name):
                os.kill(pid, signal.SIGKILL)
        pid_file.unlink()


def _is_ours(pid: int, name: str) -> bool:
    try:
        cmdline = pathlib.Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[0].decode()
        state = pathlib.Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return False
    return cmdline == str(BIN / name) and state != "Z"


def running() -> bool:
    return all(_is_ours(int((STATE / f"{n}.pid").read_text()), n) for n in STOP_ORDER
               if (STATE / f"{n}.pid").exists()) and all((STATE / f"{n}.pid").exists() for n in STOP_ORDER)


def main() -> None:
    arguments = sys.argv[1:]
    if "--stop" in arguments:
        stop()
        return
    build()
    if "--build" in arguments:
        return
    if not (running() and healthy()):
        start()
    print(kubeconfig_path())


if __name__ == "__main__":
    main()
