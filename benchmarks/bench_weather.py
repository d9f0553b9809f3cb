"""Weather + PV for one site-year at 1 h and 1 min, against pvlib's ModelChain.

Both chains get the same weather table (the Casablanca offline typical year;
at 1 min, :func:`weather.subhourly.to_subhourly` of it) and the same plant
(1 MWdc fixed, tilt 30°, south, DC/AC 1.2, inverter 96 %, 14.08 % losses — the
PVWatts default split that ModelChain applies —, no soiling). The ModelChain is pvlib's PVWatts chain configured like the twin's:
Perez transposition, physical IAM, SAPM open-rack cell temperature, PVWatts DC,
PVWatts losses, PVWatts inverter; it computes its own solar position at the
labels (pvlib convention) shifted to interval middles by giving it the
mid-interval times.

Timed (wall, in process, best of ``--repeat``):

* ``weather_s``: typical year (1 h) or typical year + sub-hourly synthesis (1 min);
* ``solar_position_uncached_s``: the twin's solar position for the year's
  interval middles, computed afresh (SPA at 1 h, ephemeris below; what
  :mod:`weather.solar` caches per site-year), and ``spa_uncached_s``, pvlib's
  default SPA for the same instants (what ModelChain computes);
* ``twin_pv_s``: :func:`weather.pvplant.simulate_pv_plant` (solar position cached);
* ``modelchain_s``: ``pvlib.modelchain.ModelChain.run_model`` on the same table;
* annual AC energy of both [MWh] and their relative difference.

Run:  python benchmarks/bench_weather.py [--repeat 2] [--out benchmarks/results/bench_weather.json]
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pvlib

from weather.pvplant import PVPlant, simulate_pv_plant
from weather.sites import get_site
from weather.solar import _cached, solar_position_mid_step
from weather.subhourly import to_subhourly
from weather.typical_year import typical_year

PLANT = PVPlant(
    capacity_mwp=1.0,
    tilt_deg=30.0,
    azimuth_deg=180.0,
    dc_ac_ratio=1.2,
    inverter_efficiency=0.96,
    losses_frac=0.1408,  # the PVWatts default split below, so both chains lose the same
    soiling_model="none",
)


def _best(fn, repeat):
    best, out = np.inf, None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def _modelchain_ac_w(data: pd.DataFrame, site, dt_s: float) -> np.ndarray:
    loc = pvlib.location.Location(site.lat, site.lon, altitude=site.elevation_m)
    mid = data.index + pd.Timedelta(seconds=dt_s / 2)
    p_dc0 = PLANT.capacity_mwp * 1e6
    system = pvlib.pvsystem.PVSystem(
        surface_tilt=PLANT.tilt_deg,
        surface_azimuth=PLANT.azimuth_deg,
        albedo=PLANT.albedo,
        module_parameters={"pdc0": p_dc0, "gamma_pdc": PLANT.gamma_pdc_per_c},
        inverter_parameters={
            "pdc0": p_dc0 / PLANT.dc_ac_ratio / PLANT.inverter_efficiency,
            "eta_inv_nom": PLANT.inverter_efficiency,
        },
        temperature_model_parameters=pvlib.temperature.TEMPERATURE_MODEL_PARAMETERS["sapm"][
            "open_rack_glass_polymer"
        ],
        # pvlib's PVWatts loss defaults (Dobos 2014 Table 3): 14.08 % in total
        losses_parameters={},
    )
    mc = pvlib.modelchain.ModelChain(
        system,
        loc,
        dc_model="pvwatts",
        ac_model="pvwatts",
        aoi_model="physical",
        spectral_model="no_loss",
        temperature_model="sapm",
        losses_model="pvwatts",
        transposition_model="perez",
    )
    weather = pd.DataFrame(
        {
            "ghi": data["ghi_w_m2"].to_numpy(),
            "dni": data["dni_w_m2"].to_numpy(),
            "dhi": data["dhi_w_m2"].to_numpy(),
            "temp_air": data["t_air_c"].to_numpy(),
            "wind_speed": data["wind_m_s"].to_numpy(),
        },
        index=mid,
    )
    mc.run_model(weather)
    return np.clip(np.nan_to_num(np.asarray(mc.results.ac, dtype=float)), 0.0, None)


def case(step: str, repeat: int) -> dict:
    site = get_site("casablanca")
    dt_s = 3600.0 if step == "1h" else 60.0

    def weather():
        d = typical_year(site, year=2023, seed=0)
        if step == "1min":
            d = to_subhourly(d, site.lat, site.lon, site.elevation_m, "1min", seed=0)
        return d

    t_weather, data = _best(weather, repeat)
    mid = data.index + pd.Timedelta(seconds=dt_s / 2)
    t_spa, _ = _best(
        lambda: pvlib.solarposition.get_solarposition(mid, site.lat, site.lon, site.elevation_m),
        repeat,
    )

    def fresh_position():
        _cached.cache_clear()
        return solar_position_mid_step(data.index, site.lat, site.lon, site.elevation_m)

    t_sp, _ = _best(fresh_position, repeat)
    t_twin, out = _best(
        lambda: simulate_pv_plant(data, site.lat, site.lon, site.elevation_m, PLANT), repeat
    )
    t_mc, ac_mc = _best(lambda: _modelchain_ac_w(data, site, dt_s), repeat)
    e_twin = float(out["p_ac_w"].sum() * dt_s / 3.6e9)
    e_mc = float(ac_mc.sum() * dt_s / 3.6e9)
    return {
        "step": step,
        "rows": len(data),
        "weather_s": round(t_weather, 3),
        "solar_position_uncached_s": round(t_sp, 3),
        "spa_uncached_s": round(t_spa, 3),
        "twin_pv_s": round(t_twin, 3),
        "modelchain_s": round(t_mc, 3),
        "twin_ac_mwh": round(e_twin, 2),
        "modelchain_ac_mwh": round(e_mc, 2),
        "ac_rel_diff": round(e_twin / e_mc - 1.0, 4),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument(
        "--out",
        default=str(Path(__file__).resolve().parent / "results" / "bench_weather.json"),
    )
    args = ap.parse_args(argv)
    results = {
        "machine": {
            "python": sys.version.split()[0],
            "platform": platform.platform(),
            "machine": platform.machine(),
            "pvlib": pvlib.__version__,
            "pandas": pd.__version__,
        },
        "cases": [case(step, args.repeat) for step in ("1h", "1min")],
    }
    Path(args.out).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
