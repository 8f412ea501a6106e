"""The local backend: each deployment is a real Apache Airflow on this machine, without Docker.

Per deployment, under <runtime_dir>/<deploymentId>/: its AIRFLOW_HOME with a SQLite metadata
database, generated keys and a password for the control plane's Airflow user, the DAGs folder
(a symlink swapped atomically to an unpacked archive), and one output file per component.
Components run as separate process groups (api-server, scheduler, dag-processor, with the
LocalExecutor); a component that exits is restarted with back-off, and one that keeps exiting makes
the deployment fail. `converge` never blocks: installs and migrations run in the background and
each reconciler pass looks at how far they got.
"""

import json
import logging
import os
import pathlib
import secrets
import shutil
import signal
import socket
import subprocess
import tarfile
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field

from cryptography.fernet import Fernet

from astroplane.deploys.archives import validate_archive
from astroplane.deploys.blobstore import BlobStore
from astroplane.runtime.base import DeploymentSpec, Observation
from astroplane.runtime.installs import Installs, UnsupportedAirflow, install_version

log = logging.getLogger("astroplane.runtime")

# component -> the log source GetDeploymentLogs files its output under
COMPONENTS = {"api-server": "apiserver", "scheduler": "scheduler", "dag-processor": "dag-processor"}
ARGUMENTS = {"scheduler": ["--skip-serve-logs"]}
HEALTH_PATH = "/api/v2/monitor/health"
MAX_EXITS, EXIT_WINDOW_SECONDS, MAX_BACKOFF_SECONDS = 5, 300.0, 60.0
STOP_GRACE_SECONDS = 10.0
MAX_LOG_LINES_PER_PASS, MAX_LOG_LINE = 5_000, 8_000
USER = "admin"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _remove_empty_parents(folder: pathlib.Path, root: pathlib.Path) -> None:
    """Remove `folder` and its parents up to (not including) `root` while they are empty."""
    while folder != root and root in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


def _port_free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def _kill_group(pid: int, sig: int) -> None:
    try:
        os.killpg(pid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def _group_alive(pgid: int) -> bool:
    """Whether any live (not zombie) process is left in the process group."""
    for stat in pathlib.Path("/proc").glob("[0-9]*/stat"):
        try:
            state, _parent, group = stat.read_text().rpartition(")")[2].split()[:3]
        except (OSError, ValueError):
            continue
        if int(group) == pgid and state != "Z":
            return True
    return False


def stop_groups(pids: list[int]) -> None:
    """SIGTERM each process group, then SIGKILL what is left after the grace period."""
    for pid in pids:
        _kill_group(pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_GRACE_SECONDS
    while time.monotonic() < deadline and any(_group_alive(pid) for pid in pids):
        time.sleep(0.1)
    for pid in pids:
        _kill_group(pid, signal.SIGKILL)


@dataclass
class Component:
    name: str
    process: subprocess.Popen | None = None
    exits: list[float] = field(default_factory=list)
    not_before: float = 0.0

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None


@dataclass
class Instance:
    """One deployment's Airflow on this machine."""

    deployment_id: str
    home: pathlib.Path
    keys: dict
    airflow_version: str = ""
    config_hash: str | None = None
    environment: dict[str, str] = field(default_factory=dict, repr=False)
    migration: subprocess.Popen | None = None
    components: dict[str, Component] = field(default_factory=dict)
    log_offsets: dict[str, int] = field(default_factory=dict)
    token: tuple[str, float] | None = None
    healthy: bool = False  # Airflow's health check, as last polled
    generation: int = 0  # bumped on every start or stop, so a poll begun before one is not believed
    retried: bool = False  # whether the rollout in progress already gave crashed components a new try
    # processes sent SIGTERM, with the moment they get SIGKILL: stops never block a reconciler pass
    stopping: list[tuple[subprocess.Popen, float]] = field(default_factory=list)

    @property
    def port(self) -> int:
        return self.keys["port"]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def dags(self) -> pathlib.Path:
        return self.home / "dags"

    @property
    def bundles(self) -> pathlib.Path:
        return self.home / "bundles"

    def bundle_dir(self, mount_path: str) -> pathlib.Path:
        """Where the bundle mounted at `mount_path` (absolute, without '..') lives on this machine."""
        return self.bundles / mount_path.lstrip("/")

    def dag_version(self) -> str | None:
        marker = self.dags / ".astroplane-version"
        return marker.read_text() if marker.exists() else None

    def pids(self) -> list[int]:
        processes = [c.process for c in self.components.values()] + [self.migration]
        processes += [process for process, _ in self.stopping]
        return [p.pid for p in processes if p is not None and p.poll() is None]

    def active(self) -> bool:
        return bool(self.pids())

    def all_running(self) -> bool:
        components = list(self.components.values())  # a snapshot: the health poller reads it too
        return bool(components) and all(c.running() for c in components)


class LocalRuntime:
    supervises = True
    # a component that exits this often within the window makes the deployment fail; restarts wait
    # backoff_base ** exits seconds, at most max_backoff
    max_exits, exit_window, backoff_base, max_backoff = MAX_EXITS, EXIT_WINDOW_SECONDS, 2.0, MAX_BACKOFF_SECONDS

    def __init__(self, root: pathlib.Path, installs: Installs, store: BlobStore, *, max_unpacked_bytes: int,
                 dag_refresh_seconds: int = 10, health_interval: float = 1.0):
        self.root = root
        self.health_interval = health_interval
        self._poller: threading.Thread | None = None
        self._closing = threading.Event()
        self.installs = installs
        self.store = store
        self.max_unpacked_bytes = max_unpacked_bytes
        self.dag_refresh_seconds = dag_refresh_seconds
        self._instances: dict[str, Instance] = {}
        self.root.mkdir(parents=True, exist_ok=True)
        self._stop_leftovers()

    # ------------------------------------------------------------ the interface

    def converge(self, spec: DeploymentSpec, *, restart_on_change: bool) -> Observation:
        instance = self._instance(spec.deployment_id)
        try:
            version = install_version(spec.airflow_version)
        except UnsupportedAirflow as error:
            return Observation("failing", str(error))
        ready, error = self.installs.ensure(version)
        if error:
            return Observation("failing", f"Airflow {version} could not be installed: {error}")
        if not ready:
            return Observation("starting", f"Installing Apache Airflow {version} (first use on this machine)")
        try:
            self._place_dags(instance, spec)
        except Exception as error:  # a damaged or missing archive: keep what is in place
            log.warning("deployment %s: DAG archive not placed: %s", spec.deployment_id, error)
            return self._observe(instance, failing=f"DAG archive {spec.dag_version} could not be unpacked: {error}")
        try:
            self._place_bundles(instance, spec)
        except Exception as error:
            log.warning("deployment %s: bundles not placed: %s", spec.deployment_id, error)
            return self._observe(instance, failing=f"A bundle could not be placed: {error}")
        changed = instance.config_hash is not None and instance.config_hash != spec.config_hash
        if instance.config_hash is None or (changed and restart_on_change) or instance.airflow_version != version:
            if instance.active():
                log.info("deployment %s: restarting with a new configuration", spec.deployment_id)
                self._begin_stop(instance)
            instance.config_hash, instance.environment = spec.config_hash, spec.environment
            instance.airflow_version = version
            for component in instance.components.values():
                component.exits.clear()
        if not spec.rollout:
            instance.retried = False
        elif not instance.retried:  # a new rollout: components that gave up get another try
            instance.retried = True
            for component in instance.components.values():
                component.exits.clear()
        if not self._finish_stops(instance):
            return Observation("starting", "Waiting for the previous Airflow processes to stop")
        migrating = self._migrate(instance)
        if migrating is not None:
            return migrating
        failure = self._supervise(instance)
        return self._observe(instance, failing=failure)

    def stop(self, deployment_id: str) -> None:
        instance = self._instances.get(deployment_id)
        if instance is not None:
            self._begin_stop(instance)
            instance.config_hash = None  # the next converge starts it afresh

    def remove(self, deployment_id: str) -> None:
        instance = self._instances.pop(deployment_id, None)
        if instance is not None:
            self._begin_stop(instance, grace=0.0)  # nothing to save: SIGKILL at once
            self._finish_stops(instance, wait=True)
        shutil.rmtree(self.root / deployment_id, ignore_errors=True)

    def sweep(self) -> None:
        for instance in self._instances.values():
            self._finish_stops(instance)

    def collect_logs(self, deployment_id: str) -> list[tuple[str, str]]:
        instance = self._instances.get(deployment_id)
        if instance is None:
            return []
        lines: list[tuple[str, str]] = []
        for name, source in COMPONENTS.items():
            lines += [(source, text) for text in self._read_new(instance, instance.home / "output" / f"{name}.log")]
        for path in sorted((instance.home / "logs").glob("dag_id=*/**/*.log")):
            lines += [("worker", _task_line(text)) for text in self._read_new(instance, path)]
            if len(lines) >= MAX_LOG_LINES_PER_PASS:
                break
        return lines

    def shutdown(self) -> None:
        self._closing.set()
        for instance in list(self._instances.values()):
            self._begin_stop(instance)
        for instance in list(self._instances.values()):
            self._finish_stops(instance, wait=True)

    # ------------------------------------------------------------ for the Airflow proxy

    def endpoint(self, deployment_id: str) -> str | None:
        instance = self._instances.get(deployment_id)
        return instance.url if instance is not None and instance.active() else None

    def api_token(self, deployment_id: str) -> str:
        """A JWT of the deployment's Airflow for the control plane's user (cached until near expiry)."""
        instance = self._instances[deployment_id]
        if instance.token is None or instance.token[1] < time.monotonic():
            body = json.dumps({"username": USER, "password": instance.keys["password"]}).encode()
            request = urllib.request.Request(f"{instance.url}/auth/token", data=body, method="POST",
                                             headers={"Content-Type": "application/json"})
            with urllib.request.urlopen(request, timeout=10) as response:
                token = json.loads(response.read())["access_token"]
            instance.token = (token, time.monotonic() + 600)
        return instance.token[0]

    # ------------------------------------------------------------ internals

    def _instance(self, deployment_id: str) -> Instance:
        instance = self._instances.get(deployment_id)
        if instance is None:
            home = self.root / deployment_id
            for folder in ("output", "logs", "dag-versions"):
                (home / folder).mkdir(parents=True, exist_ok=True)
            keys_path = home / "keys.json"
            keys = json.loads(keys_path.read_text()) if keys_path.exists() else {}
            if not keys:
                keys = {"fernet": Fernet.generate_key().decode(), "jwt": secrets.token_urlsafe(48),
                        "password": secrets.token_urlsafe(24), "port": free_port()}
                keys_path.touch(mode=0o600)
                keys_path.write_text(json.dumps(keys))
                (home / "passwords.json").write_text(json.dumps({USER: keys["password"]}))
            instance = Instance(deployment_id, home, keys)
            if not instance.dags.exists():
                empty = home / "dag-versions" / "empty"
                empty.mkdir(exist_ok=True)
                instance.dags.symlink_to(empty, target_is_directory=True)
            self._instances[deployment_id] = instance
        return instance

    def _airflow_environment(self, instance: Instance) -> dict[str, str]:
        home, keys = instance.home, instance.keys
        venv = self.installs.home(instance.airflow_version)
        base = {name: value for name, value in os.environ.items()
                if name in ("LANG", "LC_ALL", "TZ", "TMPDIR", "HOME", "USER")}
        return {
            **base, **instance.environment,
            "PATH": f"{venv / 'bin'}:/usr/local/bin:/usr/bin:/bin", "VIRTUAL_ENV": str(venv),
            "PYTHONUNBUFFERED": "1",
            "AIRFLOW_HOME": str(home),
            "AIRFLOW__CORE__DAGS_FOLDER": str(instance.dags),
            "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
            "AIRFLOW__CORE__PARALLELISM": "2",
            "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
            "AIRFLOW__CORE__FERNET_KEY": keys["fernet"],
            "AIRFLOW__CORE__AUTH_MANAGER":
                "airflow.api_fastapi.auth.managers.simple.simple_auth_manager.SimpleAuthManager",
            "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": f"{USER}:admin",
            "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE": str(home / "passwords.json"),
            "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"{instance.url}/execution/",
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{home / 'airflow.db'}",
            "AIRFLOW__API__HOST": "127.0.0.1",
            "AIRFLOW__API__PORT": str(instance.port),
            "AIRFLOW__API__WORKERS": "1",
            "AIRFLOW__API_AUTH__JWT_SECRET": keys["jwt"],
            "AIRFLOW__DAG_PROCESSOR__PARSING_PROCESSES": "1",
            "AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL": str(self.dag_refresh_seconds),
            "AIRFLOW__DAG_PROCESSOR__MIN_FILE_PROCESS_INTERVAL": str(self.dag_refresh_seconds),
            "AIRFLOW__LOGGING__BASE_LOG_FOLDER": str(home / "logs"),
            "AIRFLOW__SCHEDULER__ENABLE_HEALTH_CHECK": "False",
        }

    def _spawn(self, instance: Instance, arguments: list[str], output_name: str) -> subprocess.Popen:
        output = open(instance.home / "output" / f"{output_name}.log", "ab")
        try:
            return subprocess.Popen([str(self.installs.airflow(instance.airflow_version)), *arguments],
                                    env=self._airflow_environment(instance), cwd=instance.home,
                                    stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.STDOUT,
                                    start_new_session=True)
        finally:
            output.close()

    def _migrate(self, instance: Instance) -> Observation | None:
        """None once the metadata database is migrated for this Airflow; else how it is going."""
        marker = instance.home / f".migrated-{instance.airflow_version}"
        if marker.exists():
            return None
        if instance.migration is None:
            instance.migration = self._spawn(instance, ["db", "migrate"], "migration")
            self._write_pids(instance)
        code = instance.migration.poll()
        if code is None:
            return Observation("starting", "Migrating the Airflow metadata database")
        instance.migration = None
        if code != 0:
            tail = _tail(instance.home / "output" / "migration.log")
            return Observation("failing", f"airflow db migrate exited with {code}: {tail}")
        marker.write_text("ok")
        return None

    def _supervise(self, instance: Instance) -> str | None:
        """Start what is not running, with back-off; the failure to report when one keeps exiting."""
        now = time.monotonic()
        if not instance.active() and not _port_free(instance.port):
            instance.keys["port"] = free_port()  # something else took it while we were stopped
            (instance.home / "keys.json").write_text(json.dumps(instance.keys))
        for name in COMPONENTS:
            component = instance.components.setdefault(name, Component(name))
            if component.running():
                continue
            if component.process is not None:  # it was running and exited on its own
                code = component.process.poll()
                component.process = None
                component.exits = [t for t in component.exits if now - t < self.exit_window] + [now]
                component.not_before = now + min(self.max_backoff, self.backoff_base ** len(component.exits))
                log.warning("deployment %s: %s exited with %s; restarting", instance.deployment_id, name, code)
            if len(component.exits) >= self.max_exits:
                return (f"{name} exited {len(component.exits)} times in {int(self.exit_window)} s; last output: "
                        f"{_tail(instance.home / 'output' / f'{name}.log')}")
            if now >= component.not_before:
                component.process = self._spawn(instance, [name, *ARGUMENTS.get(name, [])], name)
                instance.healthy, instance.generation = False, instance.generation + 1  # until a later poll
                self._write_pids(instance)
        return None

    def _observe(self, instance: Instance, *, failing: str | None) -> Observation:
        if failing:
            return Observation("failing", failing, instance.config_hash, instance.dag_version())
        state = "healthy" if self._healthy(instance) else "starting"
        reason = None if state == "healthy" else "Waiting for Airflow's health check"
        return Observation(state, reason, instance.config_hash, instance.dag_version())

    def _healthy(self, instance: Instance) -> bool:
        """All components running, and Airflow's health check green when last polled. The poll runs
        on its own thread, so a hung Airflow never holds up the reconciler's transaction."""
        self._ensure_health_poller()
        return instance.all_running() and instance.healthy

    def _ensure_health_poller(self) -> None:
        if self._poller is None or not self._poller.is_alive():
            self._poller = threading.Thread(target=self._poll_health, daemon=True, name="airflow-health")
            self._poller.start()

    def _poll_health(self) -> None:
        while not self._closing.wait(self.health_interval):
            for instance in list(self._instances.values()):
                generation = instance.generation
                green = instance.all_running() and _health_green(instance.url)
                if generation == instance.generation:  # nothing was started or stopped meanwhile
                    instance.healthy = green

    def _place_dags(self, instance: Instance, spec: DeploymentSpec) -> None:
        """Unpack the wanted archive beside the current one, then swap the symlink (atomic rename)."""
        wanted, previous = spec.dag_version, instance.dag_version()
        if wanted is None or wanted == previous or spec.dag_digest is None:
            return
        versions = instance.home / "dag-versions"
        target = versions / wanted
        if not (target / ".astroplane-version").exists():
            staging = pathlib.Path(tempfile.mkdtemp(prefix=".unpack-", dir=versions))
            try:
                unpacked = self._unpack(spec.dag_digest, staging)
                top = [entry for entry in unpacked.iterdir() if not entry.name.startswith(".")]
                # archives made from a project hold a dags/ folder; made from inside it, the files
                dags = top[0] if len(top) == 1 and top[0].name == "dags" and top[0].is_dir() else unpacked
                (dags / ".astroplane-version").write_text(wanted)
                shutil.rmtree(target, ignore_errors=True)
                dags.rename(target)
            finally:
                shutil.rmtree(staging, ignore_errors=True)
        link = instance.home / ".dags-next"
        link.unlink(missing_ok=True)
        link.symlink_to(target, target_is_directory=True)
        link.replace(instance.dags)  # rename(2) over the old link: Airflow sees one version or the other
        self._prune(versions, keep={wanted, "empty", previous or ""})

    def _unpack(self, digest: str, staging: pathlib.Path) -> pathlib.Path:
        """Fetch the archive with `digest` from the blob store and unpack it (checked first) into
        `staging`/unpacked."""
        archive = staging / "archive.tar.gz"
        self.store.fetch(digest, archive)
        validate_archive(str(archive), self.max_unpacked_bytes)
        unpacked = staging / "unpacked"
        with tarfile.open(archive) as tar:
            tar.extractall(unpacked, filter="data")
        return unpacked

    def _place_bundles(self, instance: Instance, spec: DeploymentSpec) -> None:
        """Make <home>/bundles/<mount path> hold exactly the bundles the spec lists (`astro dbt
        deploy` / `astro dbt delete`): new versions unpacked in place of old ones, bundles no longer
        listed deleted. What is in place is recorded in bundles/.mounts.json."""
        root = instance.bundles
        manifest = root / ".mounts.json"
        placed: dict[str, str] = json.loads(manifest.read_text()) if manifest.exists() else {}
        wanted = {bundle.mount_path: bundle for bundle in spec.bundles}
        if placed == {mount: bundle.version for mount, bundle in wanted.items()}:
            return
        root.mkdir(parents=True, exist_ok=True)
        for mount in [m for m, version in placed.items() if m not in wanted or wanted[m].version != version]:
            shutil.rmtree(instance.bundle_dir(mount), ignore_errors=True)
            _remove_empty_parents(instance.bundle_dir(mount).parent, root)
            del placed[mount]
            manifest.write_text(json.dumps(placed))
        for mount, bundle in wanted.items():
            if placed.get(mount) == bundle.version:
                continue
            staging = pathlib.Path(tempfile.mkdtemp(prefix=".unpack-", dir=root))
            try:
                unpacked = self._unpack(bundle.digest, staging)
                target = instance.bundle_dir(mount)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.rmtree(target, ignore_errors=True)
                unpacked.rename(target)
            finally:
                shutil.rmtree(staging, ignore_errors=True)
            placed[mount] = bundle.version
            manifest.write_text(json.dumps(placed))

    @staticmethod
    def _prune(versions: pathlib.Path, keep: set[str]) -> None:
        """Keep the archive in place and the one before it (a rollback to it is then instant)."""
        for old in versions.iterdir():
            if old.name not in keep and not old.name.startswith("."):
                shutil.rmtree(old, ignore_errors=True)

    def _begin_stop(self, instance: Instance, grace: float = STOP_GRACE_SECONDS) -> None:
        """SIGTERM every process group of the deployment; _finish_stops reaps them, and SIGKILLs
        whatever is left of a group (LocalExecutor workers included) once the grace is over."""
        processes = [c.process for c in instance.components.values() if c.process is not None]
        processes += [instance.migration] if instance.migration is not None else []
        deadline = time.monotonic() + grace
        for process in processes:
            if process.poll() is None:
                _kill_group(process.pid, signal.SIGTERM if grace else signal.SIGKILL)
            instance.stopping.append((process, deadline))
        for component in instance.components.values():
            component.process = None
        instance.migration, instance.token, instance.healthy = None, None, False
        instance.generation += 1
        self._write_pids(instance)

    def _finish_stops(self, instance: Instance, *, wait: bool = False) -> bool:
        """True once every process sent a stop is gone. `wait` blocks until then (server shutdown)."""
        if not instance.stopping:
            return True
        left = []
        for process, deadline in instance.stopping:
            remaining = deadline - time.monotonic()
            if process.poll() is None and wait:
                try:
                    process.wait(timeout=max(0.0, remaining))
                except subprocess.TimeoutExpired:
                    pass
            if process.poll() is None and remaining > 0:
                left.append((process, deadline))
                continue
            _kill_group(process.pid, signal.SIGKILL)  # the group's stragglers, or the process itself
            if process.poll() is None:
                try:
                    process.wait(timeout=5 if wait else 0.5)
                except subprocess.TimeoutExpired:
                    left.append((process, deadline))
        instance.stopping = left
        self._write_pids(instance)
        return not left

    def _write_pids(self, instance: Instance) -> None:
        (instance.home / "pids.json").write_text(json.dumps(instance.pids()))

    def _stop_leftovers(self) -> None:
        """Process groups a previous server left behind (it was killed): stop them, so what should
        run is started again under this server's supervision."""
        for pids_file in self.root.glob("*/pids.json"):
            try:
                pids = [pid for pid in json.loads(pids_file.read_text()) if _group_alive(pid)]
            except (OSError, ValueError):
                continue
            if pids:
                log.info("stopping %d process group(s) left by an earlier server in %s", len(pids), pids_file.parent)
                stop_groups(pids)
            pids_file.write_text("[]")

    def _read_new(self, instance: Instance, path: pathlib.Path) -> list[str]:
        key = str(path)
        try:
            size = path.stat().st_size
        except OSError:
            return []
        offset = instance.log_offsets.get(key, 0)
        if size < offset:
            offset = 0  # truncated or replaced
        if size == offset:
            return []
        with open(path, "rb") as handle:
            handle.seek(offset)
            chunk = handle.read(min(size - offset, 4 * 1024 * 1024))
        complete = chunk.rfind(b"\n") + 1
        instance.log_offsets[key] = offset + complete
        text = chunk[:complete].decode("utf-8", errors="replace")
        return [line[:MAX_LOG_LINE] for line in text.splitlines() if line.strip()]


def _health_green(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + HEALTH_PATH, timeout=2) as response:
            health = json.loads(response.read())
    except (OSError, ValueError):
        return False
    return all((health.get(name) or {}).get("status") == "healthy" for name in ("metadatabase", "scheduler", "dag_processor"))


def _task_line(text: str) -> str:
    """Task logs are JSON lines in Airflow 3; the message is their `event`."""
    try:
        record = json.loads(text)
    except ValueError:
        return text
    if not isinstance(record, dict) or "event" not in record:
        return text
    level = str(record.get("level", "")).upper()
    return f"[{level}] {record['event']}" if level else str(record["event"])


def _tail(path: pathlib.Path, limit: int = 300) -> str:
    try:
        with open(path, "rb") as handle:
            handle.seek(max(0, path.stat().st_size - 4096))
            lines = [line for line in handle.read().decode("utf-8", "replace").splitlines() if line.strip()]
    except OSError:
        return "(no output)"
    return (lines[-1] if lines else "(no output)")[-limit:]
