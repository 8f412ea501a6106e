"""No regression against an earlier revision, measured in the same run (`run.py --baseline-rev REV`).

The revision is checked out once into a git worktree (.astroplane/bench-baseline, reused while it
is at REV) and served from the same venv with its src/ first on PYTHONPATH: its own migrations, its
own code, its own seeding (bench/seed.py's command run by that revision's astroplane). This tree
and the baseline each get a fresh database seeded the same way and are up side by side; each
scenario is measured on both in turn (wrk runs alternating, sequential calls one to each side in
turn), so that a drift in the machine's load weighs on both figures compared alike.
"""

import pathlib
import statistics
import subprocess

import load

ROOT = pathlib.Path(__file__).resolve().parents[1]
WORKTREE = ROOT / ".astroplane" / "bench-baseline"
# the rule of issue 21: throughput >= 90% of the baseline's, latency <= 110%
TOLERANCE = 0.10
# GET deployment: rounds of a wrk run on each side in turn (half of args.seconds each, 1 s warm-up:
# both servers are warm by then)
WRK_ROUNDS = 4


def checkout(rev: str) -> pathlib.Path:
    """The baseline's src/ at `rev`, in a detached worktree made (or moved to `rev`) for it."""
    wanted = _git("rev-parse", "--verify", f"{rev}^{{commit}}", cwd=ROOT)
    if not (WORKTREE / ".git").exists():
        subprocess.run(["git", "worktree", "prune"], cwd=ROOT, check=True)
        subprocess.run(["git", "worktree", "add", "--detach", "--quiet", str(WORKTREE), wanted], cwd=ROOT,
                       check=True)
    elif _git("rev-parse", "HEAD", cwd=WORKTREE) != wanted:
        subprocess.run(["git", "checkout", "--detach", "--quiet", wanted], cwd=WORKTREE, check=True)
    return WORKTREE / "src"


def _git(*args: str, cwd: pathlib.Path) -> str:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True).stdout.strip()


def measure(backend: str, workdir: pathlib.Path, args, src: pathlib.Path, make_target, make_scene) -> dict:
    """{"current": figures, "baseline": figures} for GET deployment at N=args.small, creates, bulk IP
    ranges and log search over args.log_lines lines."""
    targets = {"current": make_target(backend, workdir, 1, name=f"{backend}_current"),
               "baseline": make_target(backend, workdir, 1, name=f"{backend}_baseline", src=src)}
    scenes, results = {}, {"current": {}, "baseline": {}}
    try:
        for side, target in targets.items():
            scenes[side] = make_scene(target, args)
            target.seed("deployments", scenes[side].first["id"], args.small - 1)
        # wrk in alternating rounds, the sequential scenarios one call to each in turn
        rounds = {side: [] for side in scenes}
        for _ in range(WRK_ROUNDS):
            for side, scene in scenes.items():
                rounds[side].append(scene.wrk(scene.deployment_path, seconds=max(2, args.seconds // 2), warmup=1))
        for side in scenes:
            results[side]["get_deployment"] = {key: statistics.median(r[key] for r in rounds[side])
                                               for key in ("rps", "p50", "p99", "errors")}
            results[side]["get_deployment_rounds"] = [r["rps"] for r in rounds[side]]
            # the server's CPU time per request: steadier than req/s when other work takes cores
            results[side]["get_deployment_cpu_us"] = [sum(on for on, _ in r["servers"]) / r["rps"] * 1e6
                                                      for r in rounds[side]]
        for key, scenario in (("create_deployment", "create_deployment"), ("bulk_ip_1000", "bulk_create_ranges")):
            factories = {side: getattr(scene, scenario)() for side, scene in scenes.items()}
            for side, figures in load.timed_interleaved(factories, args.repeat).items():
                results[side][key] = figures
        for side, scene in scenes.items():
            scene.bulk_create_ranges_done()
            results[side]["log_seed_seconds"] = scene.seed_log_lines()
        searches = load.timed_interleaved({side: scene.search_logs() for side, scene in scenes.items()}, args.repeat)
        for side, figures in searches.items():
            results[side]["log_search"] = figures
    finally:
        for target in targets.values():
            if target.process is not None:
                target.stop()
            target.drop_database()
    for side in results:
        print(f"  [{backend} {side}] {results[side]}", flush=True)
    return results


def rows(backend: str, pair: dict, args) -> list[tuple[str, str, bool]]:
    """(label, figures, met) per compared figure: this tree's as a ratio to the baseline's."""
    current, baseline = pair["current"], pair["baseline"]
    found = []
    # GET: the median of the rounds' ratios (each round's two runs were back to back)
    ratios = [now / then for now, then in zip(current["get_deployment_rounds"], baseline["get_deployment_rounds"])]
    ratio = statistics.median(ratios)
    cpu_now, cpu_then = (statistics.median(side["get_deployment_cpu_us"]) for side in (current, baseline))
    found.append((f"{backend} GET deployment (N={args.small}) req/s",
                  f"{current['get_deployment']['rps']:.0f} / {baseline['get_deployment']['rps']:.0f}, ratio "
                  f"{ratio:.1%} (median of {len(ratios)} rounds, {min(ratios):.0%}-{max(ratios):.0%}); server CPU "
                  f"per request {cpu_now:.0f} / {cpu_then:.0f} us = {cpu_now / cpu_then:.0%}",
                  ratio >= 1 - TOLERANCE))
    for key, label in (("create_deployment", "create deployment"), ("bulk_ip_1000", "bulk-create 1,000 IP ranges"),
                       ("log_search", f"log search over {args.log_lines:,} lines")):
        now, then = current[key]["p50"], baseline[key]["p50"]
        found.append((f"{backend} {label} p50", f"{now:.2f} / {then:.2f} ms = {now / then:.1%}",
                      now / then <= 1 + TOLERANCE))
    return found
