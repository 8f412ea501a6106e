"""Load generation: wrk for throughput and latency, a small client for one-at-a-time timings."""

import os
import re
import shutil
import statistics
import subprocess
import tempfile
import time
import urllib.request

DURATION_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def have_wrk() -> bool:
    return shutil.which("wrk") is not None


def _ms(text: str) -> float:
    value, unit = re.match(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * DURATION_UNITS[unit]


def wrk(url: str, *, headers: dict[str, str] | None = None, method: str = "GET", body: str | None = None,
        connections: int = 32, seconds: int = 10, warmup: int = 3, watch=None, settle=None) -> dict[str, float]:
    """req/s, p50 and p99 (ms) after a warm-up run; a Lua script carries method and body. `watch`
    (processes.CpuWatch) observes the measured run: its figures, and wrk's own CPU share ("wrk_cores"),
    join the result. `settle()`, when given, runs between the warm-up and the measured run: it waits
    for the requests the warm-up left in flight (a slow list leaves up to `connections`)."""
    script = None
    # a slow list must be measured, not dropped: wrk's default 2 s timeout leaves such requests out
    args = ["wrk", "-t2", f"-c{connections}", "--latency", "--timeout", "30s"]
    for name, value in (headers or {}).items():
        args += ["-H", f"{name}: {value}"]
    if method != "GET" or body is not None:
        script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
        script.write(f'wrk.method = "{method}"\n')
        if body is not None:
            script.write(f"wrk.body = [[{body}]]\n")
        script.close()
        args += ["-s", script.name]
    subprocess.run([*args, f"-d{warmup}s", url], capture_output=True, check=True)
    if settle:
        settle()
    if watch:
        watch.start()
    started = time.monotonic()
    measured = subprocess.Popen([*args, f"-d{seconds}s", url], stdout=subprocess.PIPE, text=True)
    output = measured.stdout.read()
    _, status, usage = os.wait4(measured.pid, 0)
    measured.returncode = os.waitstatus_to_exitcode(status)
    if measured.returncode != 0:
        raise RuntimeError(f"wrk failed on {url}:\n{output}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    figures = {"rps": rps, "p50": _percentile(output, 50, url), "p99": _percentile(output, 99, url),
               "errors": _non_2xx(output), "wrk_cores": (usage.ru_utime + usage.ru_stime) / (time.monotonic() - started)}
    return {**figures, **watch.stop()} if watch else figures


def _percentile(output: str, percent: int, url: str) -> float:
    """From wrk's "Latency Distribution" block only: its stats lines also end in percentages (89.99%)."""
    _, found, distribution = output.partition("Latency Distribution")
    match = re.search(rf"^\s*{percent}%\s+([\d.]+(?:us|ms|s|m))\s*$", distribution, re.MULTILINE)
    if not found or match is None:
        raise RuntimeError(f"unreadable wrk output for {url}:\n{output}")
    return _ms(match.group(1))


def _non_2xx(output: str) -> int:
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    return int(non_2xx.group(1)) if non_2xx else 0


def timed(request_factory, repeat: int = 30, warmup: int = 5) -> dict[str, float]:
    """Median and p90 (ms) of `repeat` sequential calls after `warmup` uncounted ones (a server's first
    calls of a kind pay for imports and caches made on first use); request_factory() gives a fresh
    Request."""
    return timed_interleaved({"only": request_factory}, repeat, warmup)["only"]


def timed_interleaved(request_factories: dict, repeat: int = 30, warmup: int = 5) -> dict[str, dict[str, float]]:
    """timed() of several servers at once, one call to each in turn: a machine whose load drifts
    weighs on each alike. name -> request factory in, name -> figures out."""
    samples = {name: [] for name in request_factories}
    for n in range(warmup + repeat):
        for name, request_factory in request_factories.items():
            request = request_factory()
            started = time.perf_counter()
            with urllib.request.urlopen(request, timeout=60) as response:
                response.read()
            if n >= warmup:
                samples[name].append((time.perf_counter() - started) * 1000)
    return {name: _summary(values) for name, values in samples.items()}


def _summary(samples: list[float]) -> dict[str, float]:
    samples.sort()
    return {"p50": statistics.median(samples), "p90": samples[int(len(samples) * 0.9) - 1]}
