"""Load generation: wrk for throughput and latency, a small client for one-at-a-time timings."""

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
        connections: int = 32, seconds: int = 10, warmup: int = 3) -> dict[str, float]:
    """req/s, p50 and p99 (ms) after a warm-up run; a Lua script carries method and body."""
    script = None
    args = ["wrk", "-t2", f"-c{connections}", "--latency"]
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
    output = subprocess.run([*args, f"-d{seconds}s", url], capture_output=True, text=True, check=True).stdout
    if "Latency Distribution" not in output:
        raise RuntimeError(f"wrk gave no latency figures for {url}:\n{output}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    if not re.search(r"50%\s+[\d.]+(us|ms|s|m)\b", output):
        raise RuntimeError(f"unreadable wrk output for {url}:\n{output}")
    p50 = _ms(re.search(r"50%\s+(\S+)", output).group(1))
    p99 = _ms(re.search(r"99%\s+(\S+)", output).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    return {"rps": rps, "p50": p50, "p99": p99, "errors": int(non_2xx.group(1)) if non_2xx else 0}


def timed(request_factory, repeat: int = 30) -> dict[str, float]:
    """Median and p90 (ms) of `repeat` sequential calls; request_factory() gives a fresh Request."""
    samples = []
    for _ in range(repeat):
        request = request_factory()
        started = time.perf_counter()
        with urllib.request.urlopen(request, timeout=60) as response:
            response.read()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return {"p50": statistics.median(samples), "p90": samples[int(len(samples) * 0.9) - 1]}
