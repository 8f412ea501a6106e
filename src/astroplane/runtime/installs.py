"""Apache Airflow installs for the local runtime: one virtual environment per Airflow version,
outside astroplane's own environment, created on first use from a lock file we ship.

`astroplane runtime install` creates one ahead of time (the first deployment then starts at once).
"""

import fcntl
import logging
import pathlib
import subprocess
import sys
import threading

log = logging.getLogger("astroplane.runtime")
LOCKS = pathlib.Path(__file__).resolve().parent / "locks"


class UnsupportedAirflow(ValueError):
    pass


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split(".") if part.isdigit())


def locked_versions() -> list[str]:
    return sorted((path.stem.removeprefix("airflow-") for path in LOCKS.glob("airflow-*.txt")), key=_version_key)


def install_version(airflow_version: str) -> str:
    """The Airflow we install for a runtime's Airflow version: that version when we ship its lock
    file, else the newest locked release of the same major version (the local runtime runs what it
    can pin; Airflow 2 runtimes are not offered locally)."""
    available = locked_versions()
    if airflow_version in available:
        return airflow_version
    same_major = [v for v in available if v.split(".")[0] == airflow_version.split(".")[0]]
    if not same_major:
        raise UnsupportedAirflow(f"the local runtime runs Airflow {', '.join(available) or '(none)'}; "
                                 f"Airflow {airflow_version or '(unknown)'} is not available locally")
    return same_major[-1]


class Installs:
    """Where each version lives, and a background install per missing version."""

    def __init__(self, root: pathlib.Path):
        self.root = root
        self._lock = threading.Lock()
        self._running: dict[str, threading.Thread] = {}
        self._failed: dict[str, str] = {}

    def home(self, version: str) -> pathlib.Path:
        return self.root / f"airflow-{version}"

    def airflow(self, version: str) -> pathlib.Path:
        return self.home(version) / "bin" / "airflow"

    def ready(self, version: str) -> bool:
        return (self.home(version) / ".complete").exists()

    def install(self, version: str) -> pathlib.Path:
        """Create the environment (blocking). Safe to repeat: a finished one is left alone. Processes
        sharing the folder (two servers, two test workers) install one at a time: the second finds
        the first's environment finished."""
        home = self.home(version)
        if self.ready(version):
            return home
        home.parent.mkdir(parents=True, exist_ok=True)
        with open(home.parent / f".airflow-{version}.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if self.ready(version):
                return home
            return self._install_locked(version, home)

    def _install_locked(self, version: str, home: pathlib.Path) -> pathlib.Path:
        log.info("installing Apache Airflow %s into %s", version, home)
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(home)], check=True, capture_output=True)
        result = subprocess.run([str(home / "bin" / "python"), "-m", "pip", "install", "--quiet",
                                 "--disable-pip-version-check", "-r", str(LOCKS / f"airflow-{version}.txt")],
                                capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError(f"installing Airflow {version} failed: {result.stderr.strip()[-400:]}")
        (home / ".complete").write_text(version)
        return home

    def ensure(self, version: str) -> tuple[bool, str | None]:
        """(ready, error) without blocking: starts the install in the background when missing."""
        if self.ready(version):
            return True, None
        with self._lock:
            if version in self._failed:
                return False, self._failed[version]
            if version not in self._running or not self._running[version].is_alive():
                thread = threading.Thread(target=self._install_quietly, args=(version,), daemon=True,
                                          name=f"airflow-install-{version}")
                self._running[version] = thread
                thread.start()
        return False, None

    def _install_quietly(self, version: str) -> None:
        try:
            self.install(version)
        except Exception as error:  # reported through ensure(), as the deployment's statusReason
            log.exception("Airflow %s install failed", version)
            with self._lock:
                self._failed[version] = str(error)[:240]
