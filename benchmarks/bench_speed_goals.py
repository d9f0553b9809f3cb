"""The what-if speed goals side by side in one run: EnergyPlus, a warm year, sweeps.

Measured in one invocation on one machine, so that a busy machine loads each alike:

1. EnergyPlus 25.2 running its data-centre example (``2ZoneDataCenterHVAC_wEconomizer``)
   for one year at 4 time steps an hour on the Rabat EPW (:mod:`eplus_annual`), wall and
   user CPU time;
2. a warm 15-minute site-year answered in process (``twin.frontdoor.run_answer``, what
   ``twin serve`` runs for ``POST /api/run``): the embedded default and the
   Casablanca-Nouaceur example, median of ``--repeats`` after one warm-up, wall and CPU,
   with the split of one run's time by part (kernel, post passes, Python);
3. a sweep against ``twin.simulate`` one by one on the same scenarios (the default hall,
   PV x battery on a Latin hypercube, a year at 1 h), in this process: scenarios per
   second both ways, wall and CPU, and the peak traced memory of sweeps of two sizes
   (numpy reports its buffers to :mod:`tracemalloc`), and the memory the input cache
   holds after forty PV sizes at 1 minute, with its byte cap and without;
4. 64 what-ifs of a 15-minute year (PV 0-80 MWp x battery 0-200 MWh, an 8 x 8 grid)
   answered by one ``twin sweep`` process, whole process timed, against EnergyPlus x 64.

Goals (issues "The twin as a service" and "Speed II"): (2) at least 100x EnergyPlus;
(3) at least 25x the one-by-one rate, memory flat; (4) at least 500x EnergyPlus x 64.

    python benchmarks/bench_speed_goals.py [--repeats 5] [--sweep-n 256] [--no-energyplus]

Writes ``benchmarks/results/speed_goals.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

VARY = {"pv.capacity_mwp": [0.0, 80.0], "battery.energy_mwh": [0.0, 200.0]}


def energyplus_15min() -> dict | None:
    """EnergyPlus's annual 15-minute run (None when the binary is not installed)."""
    sys.path.insert(0, str(REPO / "tests" / "validation"))
    from eplus_annual import run_annual
    from eplus_compare import energyplus_binary

    exe, _ = energyplus_binary()
    if exe is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        r = run_annual(exe, Path(tmp), 4)
    return {"wall_s": r["energyplus_wall_s"], "user_s": r["energyplus_user_s"]}


def _timed(fn, repeats: int) -> dict:
    fn()  # warm-up: kernels loaded, inputs memoised
    walls, cpus = [], []
    for _ in range(repeats):
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    return {
        "wall_s": round(statistics.median(walls), 4),
        "cpu_s": round(statistics.median(cpus), 4),
    }


def split_of_run(sc, repeats: int = 3) -> dict[str, float]:
    """Milliseconds of a warm run by part (medians of *repeats*): the plant kernel
    (``integrate_span``, with its dispatch), the post passes (invariants, KPI totals,
    ride-through, hall dew point) and the rest (SimPy, compile, inputs, signals, KPIs in Python, JSON; with a
    planning dispatch policy, the pre-run's too)."""
    import twin.results.kpis as kpis_mod
    import twin.results.result as result_mod
    import twin.sim.engine as engine_mod
    from twin.frontdoor import run_answer

    acc: dict[str, float] = {}
    patched = [
        (engine_mod, "integrate_span", "kernel_integrate_span"),
        (result_mod, "check_invariants", "post_invariants"),
        (kpis_mod.kpisums, "run_totals", "post_kpi_totals"),
        (kpis_mod, "ride_through_kpis", "post_ride_through"),
        (kpis_mod, "moisture_kpis", "post_dew_point"),
    ]
    originals = [(m, n, getattr(m, n)) for m, n, _ in patched]

    def timer(f, label):
        def w(*a, **k):
            t = time.perf_counter()
            try:
                return f(*a, **k)
            finally:
                acc[label] = acc.get(label, 0.0) + time.perf_counter() - t

        return w

    for (m, n, label), (_, _, f) in zip(patched, originals, strict=True):
        setattr(m, n, timer(f, label))
    rounds: list[dict[str, float]] = []
    try:
        run_answer(sc)
        for _ in range(repeats):
            acc.clear()
            t0 = time.perf_counter()
            run_answer(sc)
            total = time.perf_counter() - t0
            rounds.append({**acc, "python_rest": total - sum(acc.values()), "total": total})
    finally:
        for m, n, f in originals:
            setattr(m, n, f)
    return {k: round(1e3 * statistics.median(r[k] for r in rounds), 2) for k in rounds[0]}


def warm_year(repeats: int) -> dict:
    from twin.examples import load
    from twin.frontdoor import run_answer
    from twin.scenario.model import Scenario

    cases = {
        "default": Scenario().with_overrides(["simulation.step=15min"]),
        "casablanca_nouaceur": load("casablanca_nouaceur").with_overrides(
            ["simulation.step=15min"]
        ),
    }
    res = {}
    for name, sc in cases.items():
        res[name] = {**_timed(lambda sc=sc: run_answer(sc), repeats), "split_ms": split_of_run(sc)}
    return res


def sweep_ratio(n: int, n_one: int) -> dict:
    import twin
    import twin.sweeps.chunks as sweep_chunks
    from twin.sweeps.chunks import make_scenario
    from twin.sweeps.design import plan
    from twin.sweeps.front import sweep

    base = twin.Scenario()
    sweep(base, {"pv.capacity_mwp": [0.0, 10.0]}, progress=False)  # kernels loaded
    rows = plan(VARY, "latin_hypercube", n, 1)
    scs = [make_scenario(base, r) for r in rows[:n_one]]
    twin.simulate(scs[0])
    t0, c0 = time.perf_counter(), time.process_time()
    for sc in scs:
        twin.simulate(sc)
    one_wall, one_cpu = time.perf_counter() - t0, time.process_time() - c0
    sweep_chunks._CACHE = None  # timelines and inputs sampled again, as a fresh sweep would
    t0, c0 = time.perf_counter(), time.process_time()
    ds = sweep(base, VARY, design="latin_hypercube", n=n, seed=1, progress=False)
    sw_wall, sw_cpu = time.perf_counter() - t0, time.process_time() - c0
    errors = int((ds["error"] != "").sum())
    one_rate, sw_rate = n_one / one_wall, n / sw_wall
    return {
        "one_by_one": {"scenarios": n_one, "per_s": round(one_rate, 2),
                       "cpu_s_per_scenario": round(one_cpu / n_one, 4)},
        "sweep": {"scenarios": n, "per_s": round(sw_rate, 2),
                  "cpu_s_per_scenario": round(sw_cpu / n, 4), "errors": errors},
        "ratio_wall": round(sw_rate / one_rate, 2),
        "ratio_cpu": round((one_cpu / n_one) / (sw_cpu / n), 2),
    }  # fmt: skip


def sweep_memory(sizes: list[int]) -> dict[str, float]:
    import twin
    import twin.sweeps.chunks as sweep_chunks
    from twin.sweeps.front import sweep

    base = twin.Scenario()
    peaks = {}
    for n in sizes:
        sweep_chunks._CACHE = None
        tracemalloc.start()
        sweep(base, VARY, design="latin_hypercube", n=n, seed=1, progress=False)
        peaks[str(n)] = round(tracemalloc.get_traced_memory()[1] / 2**20, 1)
        tracemalloc.stop()
    return peaks


def input_cache_1min(n: int = 40) -> dict[str, float]:
    """Traced memory [MiB] held by a sweep's input cache after *n* PV sizes at 1 minute
    (one input set each; the site's weather, shared by all, memoised before), with the
    byte cap and without it (the cap does not change
    any series, only how many are kept for reuse)."""
    from twin.scenario.model import Scenario
    from twin.sweeps.prepare import InputCache

    base = Scenario().with_overrides(["simulation.step=1min"])
    scs = [base.with_overrides([f"pv.capacity_mwp={5.0 * (i + 1)}"]) for i in range(n)]
    InputCache().get(base)  # the site's minute weather memoised first, outside both counts
    held = {}
    for name, cap in (("capped", None), ("uncapped", 2**62)):
        tracemalloc.start()
        cache = InputCache() if cap is None else InputCache(max_bytes=cap)
        for sc in scs:
            cache.get(sc)
        held[name] = round(tracemalloc.get_traced_memory()[0] / 2**20, 1)
        tracemalloc.stop()
        del cache
    return held


def sweep_process_64(env: dict) -> dict:
    """64 what-ifs of a 15-minute year by one ``twin sweep`` process (whole process)."""
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, "-m", "twin.cli", "sweep", "--set", "simulation.step=15min",
               "--vary", "pv.capacity_mwp=0:80:8", "--vary", "battery.energy_mwh=0:200:8",
               "--out", str(Path(tmp) / "s")]  # fmt: skip
        warm = [c.replace(":8", ":2") for c in cmd[:-1]]  # kernels and inputs cached
        subprocess.run([*warm, str(Path(tmp) / "warm")], env=env, cwd=REPO,
                       capture_output=True, check=True)  # fmt: skip
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        subprocess.run(cmd, env=env, cwd=REPO, capture_output=True, check=True)
        wall = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"scenarios": 64, "wall_s": round(wall, 3), "cpu_s": round(cpu, 3)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--sweep-n", type=int, default=256)
    ap.add_argument("--one-by-one", type=int, default=16)
    ap.add_argument("--memory-sizes", default="64,256")
    ap.add_argument("--no-energyplus", action="store_true")
    ap.add_argument("--out", default=str(REPO / "benchmarks" / "results" / "speed_goals.json"))
    args = ap.parse_args(argv)
    env = dict(os.environ, PYTHONPATH=str(REPO))
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed package has its bytecode
    result: dict = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}",
        "load_average_start": round(os.getloadavg()[0], 2),
    }
    eplus = None if args.no_energyplus else energyplus_15min()
    result["energyplus_15min_year"] = eplus
    result["warm_15min_year"] = warm_year(args.repeats)
    result["sweep_vs_one_by_one_1h"] = sweep_ratio(args.sweep_n, args.one_by_one)
    sizes = [int(s) for s in args.memory_sizes.split(",")]
    result["sweep_peak_traced_mib"] = sweep_memory(sizes)
    result["input_cache_1min_40_pv_sizes_mib"] = input_cache_1min()
    result["twin_sweep_64_15min"] = sweep_process_64(env)
    if eplus is not None:
        warm = result["warm_15min_year"]
        result["ratios"] = {
            **{f"energyplus_over_warm_{k}_wall": round(eplus["wall_s"] / v["wall_s"], 1)
               for k, v in warm.items()},
            **{f"energyplus_over_warm_{k}_cpu": round(eplus["user_s"] / v["cpu_s"], 1)
               for k, v in warm.items()},
            "energyplus_x64_over_twin_sweep_64_wall": round(
                64 * eplus["wall_s"] / result["twin_sweep_64_15min"]["wall_s"], 1),
            "energyplus_x64_over_twin_sweep_64_cpu": round(
                64 * eplus["user_s"] / result["twin_sweep_64_15min"]["cpu_s"], 1),
        }  # fmt: skip
    result["load_average_end"] = round(os.getloadavg()[0], 2)
    Path(args.out).write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
