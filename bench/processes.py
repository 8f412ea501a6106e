"""Start and stop the servers under test; measure their memory."""

import os
import signal
import socket
import subprocess
import time
import urllib.request


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited with {process.returncode}")
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not come up")


def start(args: list[str], env: dict[str, str] | None = None, log_path: str = os.devnull) -> subprocess.Popen:
    log = open(log_path, "ab")
    return subprocess.Popen(args, env={**os.environ, **(env or {})}, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def rss_mb(process: subprocess.Popen) -> float:
    """Resident memory of the process and all its descendants (uvicorn workers, node)."""
    return rss_of(_tree(process.pid))


def _tree(pid: int) -> set[int]:
    pids, frontier = {pid}, [pid]
    while frontier:
        parent = frontier.pop()
        try:
            children = open(f"/proc/{parent}/task/{parent}/children").read().split()
        except OSError:
            continue
        for child in map(int, children):
            pids.add(child)
            frontier.append(child)
    return pids


class CpuWatch:
    """Where the cores went during a measured run: per server process, the share of the wall time it
    ran on a core and the share it waited in the run queue for one (/proc/PID/task/*/schedstat), and
    how busy the machine was (/proc/stat). A process that runs + waits ~100% of the time wanted a
    core all along (starved, not blocked on a lock or I/O)."""

    def __init__(self, process: subprocess.Popen, database_pids=None):
        """`database_pids()`: the PostgreSQL backends serving this server's database, counted apart."""
        self.process, self.database_pids = process, database_pids

    def start(self) -> None:
        self.pids = _tree(self.process.pid)
        self.db_pids = set(self.database_pids()) if self.database_pids else set()
        self.before, self.machine_before, self.started = self._sched(), _machine(), time.monotonic()

    def stop(self) -> dict:
        after, machine, wall = self._sched(), _machine(), time.monotonic() - self.started
        shares = {pid: ((after[pid][0] - self.before[pid][0]) / wall, (after[pid][1] - self.before[pid][1]) / wall)
                  for pid in self.before if pid in after}
        total, idle = (now - then for now, then in zip(machine, self.machine_before))
        # the supervisor of --workers 2 barely runs: only processes that served count
        return {"servers": sorted((share for pid, share in shares.items() if pid in self.pids and share[0] > 0.02),
                                  reverse=True),
                "database_cores": sum(share[0] for pid, share in shares.items() if pid in self.db_pids),
                "busy_cores": (total - idle) / wall}

    def _sched(self) -> dict[int, tuple[float, float]]:
        found = {}
        for pid in self.pids | self.db_pids:
            on_cpu = waiting = 0
            try:
                for task in os.listdir(f"/proc/{pid}/task"):
                    ran, waited, _ = open(f"/proc/{pid}/task/{task}/schedstat").read().split()
                    on_cpu, waiting = on_cpu + int(ran), waiting + int(waited)
            except (OSError, ValueError):
                continue
            found[pid] = (on_cpu / 1e9, waiting / 1e9)
        return found


def _machine() -> tuple[float, float]:
    """(all, idle) CPU seconds of the machine since boot."""
    ticks = [int(value) for value in open("/proc/stat").readline().split()[1:]]
    return sum(ticks) / os.sysconf("SC_CLK_TCK"), (ticks[3] + ticks[4]) / os.sysconf("SC_CLK_TCK")


def rss_of(pids) -> float:
    """Resident memory of these processes, in MiB."""
    total_kb = 0
    for pid in pids:
        try:
            for line in open(f"/proc/{pid}/status"):
                if line.startswith("VmRSS:"):
                    total_kb += int(line.split()[1])
        except OSError:
            pass
    return total_kb / 1024
