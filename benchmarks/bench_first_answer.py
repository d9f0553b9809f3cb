"""A fast first answer: whole ``twin run`` processes against their baselines, side by side.

Each round runs, in turn and in fresh processes (kernels already compiled in the cache):

* ``bare``: ``python -c "import numpy, numba, pandas"``, the floor any numba tool pays;
* ``run_1h``: ``twin run --json`` (embedded default, 1 h), inputs from the on-disk cache;
* ``run_1h_no_cache``: the same with ``--no-cache`` (weather and PV prepared with pvlib);
* ``run_1min``: ``twin run --step 1min --json``, inputs from the cache;
* ``pvlib_1min``: pvlib's ``ModelChain`` (PVWatts models, the default scenario's PV) on the
  same site-year at 1 minute, PV only, in a fresh process (import included), from the
  twin's own 1-minute weather table.

Rounds alternate the commands so a busy machine loads each alike; the medians and the
ratios of medians are written to ``benchmarks/results/first_answer.json``. Goals (issue
"Speed II"): ``run_1h`` at most 1.5x ``bare``; ``pvlib_1min`` at least 10x ``run_1min``.
``split_run_1h_median_s``: where the time of one ``twin run --json`` goes (:data:`SPLIT`,
fresh processes, with the command's own start-up of :mod:`twin.cli.process`; its fast exit
is outside the split). The processes may write bytecode (``PYTHONDONTWRITEBYTECODE`` is
dropped), as an installed package has its ``.pyc`` files.

    python benchmarks/bench_first_answer.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PVLIB_1MIN = r"""
import sys
import pandas as pd
import pvlib
from twin.scenario.model import Scenario
from weather import load_weather
from weather.sites import get_site
from weather.subhourly import to_subhourly
sc = Scenario()
site = get_site(sc.site.id)
data, _ = load_weather(site)
minute = to_subhourly(data, site.lat, site.lon, site.elevation_m, "1min", seed=0)
pv = sc.pv
cap_w = pv.capacity_mwp * 1e6
loc = pvlib.location.Location(site.lat, site.lon, tz=str(minute.index.tz),
                              altitude=site.elevation_m)
system = pvlib.pvsystem.PVSystem(
    surface_tilt=pv.tilt_deg, surface_azimuth=pv.azimuth_deg,
    module_parameters={"pdc0": cap_w, "gamma_pdc": -0.0037},
    inverter_parameters={"pdc0": cap_w / pv.dc_ac_ratio},
    temperature_model_parameters=pvlib.temperature.TEMPERATURE_MODEL_PARAMETERS["sapm"][
        "open_rack_glass_polymer"],
)
weather = pd.DataFrame({"ghi": minute["ghi_w_m2"], "dni": minute["dni_w_m2"],
                        "dhi": minute["dhi_w_m2"], "temp_air": minute["t_air_c"],
                        "wind_speed": minute["wind_m_s"]}, index=minute.index)
t0 = __import__("time").perf_counter()
mc = pvlib.modelchain.ModelChain(system, loc, aoi_model="physical",
                                 spectral_model="no_loss", losses_model="pvwatts")
mc.run_model(weather)
print(__import__("time").perf_counter() - t0, float(mc.results.ac.clip(lower=0).sum()) / 6e7)
"""


#: One ``twin run --json`` in a fresh process, timed by part: the bare imports, the twin's
#: own imports (pydantic scenario model, kernels module objects, weather), the scenario,
#: numba loading cached kernels (the first one initialises numba's typing and target
#: registries, which import ``numba.np.arraymath`` and, through its BLAS check,
#: ``scipy.linalg``), the run without those loads, and the JSON text.
SPLIT = r"""
import json, time
t0 = time.perf_counter()
import numpy, numba, pandas
t1 = time.perf_counter()
import numba.core.dispatcher as D
loads = []
orig = D.Dispatcher._compile_for_args
def timed(self, *a, **k):
    t = time.perf_counter()
    try:
        return orig(self, *a, **k)
    finally:
        loads.append((self.py_func.__module__ + "." + self.py_func.__name__,
                      time.perf_counter() - t))
D.Dispatcher._compile_for_args = timed
import twin.cli
try:  # what the command does before anything else (twin.cli.process.entry)
    from twin.cli.process import no_hugepage_advice, skip_blas_probe
    skip_blas_probe(); no_hugepage_advice()
except ImportError:  # a tree before it
    pass
from twin.frontdoor import cli_scenario
t2 = time.perf_counter()
sc = cli_scenario(None, None, [])
t3 = time.perf_counter()
from twin.results.simulate import simulate
r = simulate(sc)
t4 = time.perf_counter()
text = r.to_json()
t5 = time.perf_counter()
load_s = sum(x for _, x in loads)
print(json.dumps({
    "import_numpy_numba_pandas": t1 - t0, "import_twin": t2 - t1, "scenario": t3 - t2,
    "first_kernel_load_registries": loads[0][1], "other_kernel_loads": load_s - loads[0][1],
    "n_kernels_loaded": len(loads), "simulate_without_loads": t4 - t3 - load_s,
    "json": t5 - t4, "total_in_process": t5 - t0,
    "kernel_load_ms": {n: round(1e3 * x, 1) for n, x in loads}}))
"""


def _timed(cmd: list[str], env: dict) -> tuple[float, str]:
    t0 = time.perf_counter()
    out = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True, check=True)
    return time.perf_counter() - t0, out.stdout


def _pvlib_1min(env: dict) -> float:
    """Seconds of pvlib's ModelChain alone (the minute weather is prepared first, untimed:
    the baseline gets its inputs for free, the twin's run prepares its own)."""
    _, out = _timed([sys.executable, "-c", PVLIB_1MIN], env)
    return float(out.split()[0])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "first_answer.json"))
    args = ap.parse_args(argv)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("ATLAS_TWIN_NO_INPUT_CACHE", None)
    # an installed package has its bytecode: the warm-up writes the tree's .pyc files
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    py = sys.executable
    twin = [py, "-m", "twin.cli", "run", "--json"]
    commands = {
        "bare": [py, "-c", "import numpy, numba, pandas"],
        "run_1h": twin,
        "run_1h_no_cache": [*twin, "--no-cache"],
        "run_1min": [*twin, "--step", "1min"],
    }
    with tempfile.TemporaryDirectory() as cache:
        env["ATLAS_TWIN_CACHE"] = os.environ.get("ATLAS_TWIN_CACHE", cache)
        for cmd in commands.values():  # warm: kernels compiled, inputs cached
            _timed(cmd, env)
        times: dict[str, list[float]] = {name: [] for name in [*commands, "pvlib_1min"]}
        for _ in range(args.rounds):
            for name, cmd in commands.items():
                times[name].append(_timed(cmd, env)[0])
            times["pvlib_1min"].append(_pvlib_1min(env))
        splits = [json.loads(_timed([py, "-c", SPLIT], env)[1]) for _ in range(args.rounds)]
    med = {name: statistics.median(v) for name, v in times.items()}
    result = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, load average {os.getloadavg()[0]:.1f}",
        "rounds": args.rounds,
        "median_s": {k: round(v, 3) for k, v in med.items()},
        "all_s": {k: [round(x, 3) for x in v] for k, v in times.items()},
        "split_run_1h_median_s": {
            k: round(statistics.median(sp[k] for sp in splits), 3)
            for k in splits[0]
            if k != "kernel_load_ms"
        },
        "kernel_load_ms_first_round": splits[0]["kernel_load_ms"],
        "ratios": {
            "run_1h_over_bare": round(med["run_1h"] / med["bare"], 2),
            "run_1h_no_cache_over_bare": round(med["run_1h_no_cache"] / med["bare"], 2),
            "pvlib_1min_modelchain_over_run_1min": round(med["pvlib_1min"] / med["run_1min"], 2),
        },
    }
    Path(args.out).write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
