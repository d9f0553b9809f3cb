"""Run the validation envelope: EnergyPlus and the twin on the same cases, side by side.

Companion of :mod:`eplus_envelope` (which writes the IDFs); used by
``test_envelope.py`` and ``benchmarks/validation_envelope.py``.

EnergyPlus results are cached on disk, keyed by the SHA-256 of the IDF text, the weather
file's bytes and the EnergyPlus version (``$ATLAS_TWIN_EPLUS_CACHE`` or a folder under the
system's temporary directory): identical cases are not run twice, any change to the
equipment, the controls or the weather runs them again. Cases run in parallel processes.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import sqlite3
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
from eplus_envelope import PLANTS, EnvelopeCase, build_envelope_idf

from kernels.economizer import hx_c_cond_w_k, hx_ua_w_k
from kernels.heat_rejection import plant_power
from kernels.psychro import station_pressure_pa
from kernels.tower import WATER_CP_J_KG_K, WATER_DENSITY_KG_M3
from kernels.water_cooled import econ_tower_target_c, loop_movers
from twin.scenario.cooling import CoolingConfig, LoopConfig
from twin.sim.compile import _loop_row
from twin.sim.compile_plant import apply_plant

#: Tolerances of the envelope (issue 16): annual ratios twin / EnergyPlus - 1, and the
#: hourly correlation of the total cooling power.
TOL = {"total": 0.05, "chiller": 0.10, "water": 0.05, "econ_h": 0.10, "r_min": 0.95}

#: Chilled water this much above its set point (hourly mean) counts as an unmet hour [K].
UNMET_K = 0.5
#: A reference that leaves more than this share of the hours unmet is not a reference.
UNMET_MAX_FRAC = 0.01

_VARS = {
    "p_chiller_w": "Chiller Electricity Rate",
    "p_tower_fan_w": "Cooling Tower Fan Electricity Rate",
    "p_pumps_w": "Pump Electricity Rate",
    "q_free_w": "Fluid Heat Exchanger Heat Transfer Rate",
    "water_m3": "Cooling Tower Make Up Water Volume",
}


def cache_dir() -> Path:
    d = Path(os.environ.get("ATLAS_TWIN_EPLUS_CACHE", Path(tempfile.gettempdir()) / "atlas-eplus"))
    d.mkdir(parents=True, exist_ok=True)
    return d


def epw_bytes(epw: Path) -> bytes:
    raw = epw.read_bytes()
    return gzip.decompress(raw) if epw.name.endswith(".gz") else raw


def twin_row(case: EnvelopeCase, p_site_pa: float) -> tuple[np.ndarray, int]:
    """The twin's loop row for the case (its equipment: the IDF is written from it)."""
    water = case.plant == "water_cooled_chillers"
    cfg = LoopConfig(
        t_supply_c=case.t_supply_c,
        dt_k=case.dt_k,
        chiller=PLANTS["water_cooled_chillers"],
        chiller_unit_kw=case.chiller_unit_kw,
        redundancy=case.redundancy,
        hx_approach_k=case.hx_approach_k,
        tower_range_k=case.tower_range_k,
        condenser_flow=case.condenser_flow,
    )
    row, n = _loop_row(cfg, case.q_design_w, 0.0, 0.0, water, p_site_pa)
    if not water:
        cc = CoolingConfig(plant=case.plant, air_cooled_chiller=PLANTS[case.plant])
        apply_plant(row, cc, case.dt_k)
    return row, n


def case_idf(case: EnvelopeCase, header: list[str]) -> tuple[str, np.ndarray, int]:
    """IDF text of a case, with the twin's row and chiller count it was written from."""
    row, n = twin_row(case, station_pressure_pa(float(header[9])))
    q_coil = case.q_it_w + loop_movers(row, case.q_it_w, False)[2]
    t_set = econ_tower_target_c(row, q_coil, case.t_supply_c)
    vdot_hx = hx_c_cond_w_k(row) / (WATER_DENSITY_KG_M3 * WATER_CP_J_KG_K)
    idf = build_envelope_idf(case, row, n, header, t_set, hx_ua_w_k(row), vdot_hx)
    return idf, row, n


def _read_sql(path: Path) -> dict[tuple[str, str], np.ndarray]:
    con = sqlite3.connect(path)
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
    s: dict[tuple[str, str], list[float]] = {}
    for name, key, value in rows:
        s.setdefault((name, key.upper()), []).append(value)
    return {k: np.asarray(v) for k, v in s.items()}


def _sum_var(s: dict, var: str, n: int) -> np.ndarray:
    out = np.zeros(n)
    for (name, _), v in s.items():
        if name == var:
            out += v
    return out


def run_energyplus(exe: str, idf: str, epw: Path) -> dict[str, np.ndarray]:
    """EnergyPlus on *idf* for a year (cached); hourly series summed over equipment."""
    plain = epw_bytes(epw)
    ver = subprocess.run([exe, "--version"], capture_output=True, text=True).stdout.strip()
    key = hashlib.sha256(idf.encode() + b"\0" + plain + b"\0" + ver.encode()).hexdigest()
    hit = cache_dir() / f"{key}.npz"
    if hit.is_file():
        with np.load(hit) as z:
            return {k: z[k] for k in z.files}
    with tempfile.TemporaryDirectory() as tmp:
        w = Path(tmp)
        (w / "in.epw").write_bytes(plain)
        (w / "in.idf").write_text(idf)
        r = subprocess.run(
            [exe, "-w", str(w / "in.epw"), "-d", str(w), str(w / "in.idf")],
            capture_output=True, text=True, timeout=600, check=False,
        )  # fmt: skip
        if r.returncode != 0:
            err = (w / "eplusout.err").read_text(errors="replace")
            raise RuntimeError(f"EnergyPlus failed ({r.returncode}):\n{err[-3000:]}")
        s = _read_sql(w / "eplusout.sql")
    n = len(s[("Site Outdoor Air Drybulb Temperature", "ENVIRONMENT")])
    out = {k: _sum_var(s, v, n) for k, v in _VARS.items()}
    out["t_db_c"] = s[("Site Outdoor Air Drybulb Temperature", "ENVIRONMENT")]
    out["t_wb_c"] = s[("Site Outdoor Air Wetbulb Temperature", "ENVIRONMENT")]
    out["t_chw_supply_c"] = s[("Plant Supply Side Outlet Temperature", "CHW LOOP")]
    out["t_tower_out_c"] = s.get(("Cooling Tower Outlet Temperature", "TOWER"), out["t_wb_c"])
    tmp_file = hit.with_suffix(f".{os.getpid()}.npz")
    np.savez(tmp_file, **out)
    tmp_file.replace(hit)
    return out


def run_twin(case: EnvelopeCase, row: np.ndarray, n: int, ep: dict) -> dict[str, np.ndarray]:
    """The twin's plant kernel on the case's row, hour by hour on EnergyPlus's weather."""
    res = np.array(
        [plant_power(row, case.q_it_w, float(d), float(w), n)
         for d, w in zip(ep["t_db_c"], ep["t_wb_c"])]
    )  # fmt: skip
    return {
        "p_chiller_w": res[:, 0],
        "p_tower_fan_w": res[:, 1],
        "p_pumps_w": res[:, 2],
        "q_free_w": res[:, 4],
        "water_m3": res[:, 5] * 3600.0,
        "econ_mode": res[:, 6],
    }


def _ratio(a: float, b: float) -> float:
    return b / a if a > 0 else (1.0 if b == 0 else float("inf"))


def compare_case(case: EnvelopeCase, ep: dict, tw: dict) -> dict:
    """The table row of one case: annual totals of both engines and their agreement."""
    hours = len(ep["t_db_c"])
    it_mwh = case.q_it_w * hours / 1e6
    r: dict = {"case": case.label, "plant": case.plant, "load_frac": case.load_frac,
               "weather": case.weather, "hours": hours}  # fmt: skip
    for eng, s in (("ep", ep), ("tw", tw)):
        fp = s["p_tower_fan_w"] + s["p_pumps_w"]
        r[f"{eng}_chiller_mwh"] = float(s["p_chiller_w"].sum() / 1e6)
        r[f"{eng}_fans_pumps_mwh"] = float(fp.sum() / 1e6)
        r[f"{eng}_total_mwh"] = r[f"{eng}_chiller_mwh"] + r[f"{eng}_fans_pumps_mwh"]
        r[f"{eng}_water_m3"] = float(s["water_m3"].sum())
        r[f"{eng}_pue"] = 1.0 + r[f"{eng}_total_mwh"] / it_mwh
    # hours EnergyPlus's chilled water leaves warmer than its set point: load it left unmet
    r["ep_unmet_h"] = float((ep["t_chw_supply_c"] > case.t_supply_c + UNMET_K).sum())
    r["ep_econ_h"] = float((ep["q_free_w"] > 1.0).sum())
    # hours EnergyPlus's tower water leaves more than 1 K below the wet bulb: outside what
    # an evaporative tower can do (its YorkCalc correlation run outside its bounds)
    r["ep_tower_below_wb_h"] = float((ep["t_tower_out_c"] < ep["t_wb_c"] - 1.0).sum())
    r["tw_econ_h"] = float((tw["econ_mode"] > 0).sum())
    p_ep = ep["p_chiller_w"] + ep["p_tower_fan_w"] + ep["p_pumps_w"]
    p_tw = tw["p_chiller_w"] + tw["p_tower_fan_w"] + tw["p_pumps_w"]
    # a near-constant series has no shape to correlate: its hourly mean difference is used
    flat = p_ep.std() < 0.01 * p_ep.mean()
    r["r_hourly"] = None if flat else float(np.corrcoef(p_ep, p_tw)[0, 1])
    r["mean_abs_diff_rel"] = float(np.abs(p_tw - p_ep).mean() / p_ep.mean())
    for k in ("chiller_mwh", "fans_pumps_mwh", "total_mwh", "water_m3", "econ_h", "pue"):
        r[f"ratio_{k}"] = _ratio(r[f"ep_{k}"], r[f"tw_{k}"])
    # the same sums over the hours EnergyPlus met its load only (like with like where the
    # reference leaves chilled water above its set point)
    met = ep["t_chw_supply_c"] <= case.t_supply_c + UNMET_K
    r["met_h"] = float(met.sum())
    # of EnergyPlus's unmet hours, the share with every chiller off (none dispatched)
    unmet = ~met
    off = unmet & (ep["p_chiller_w"] <= 0.0)
    r["ep_unmet_chillers_off_frac"] = float(off.sum() / unmet.sum()) if unmet.any() else 0.0
    ch_ep, ch_tw = float(ep["p_chiller_w"][met].sum()), float(tw["p_chiller_w"][met].sum())
    r["met_ratio_total"] = _ratio(float(p_ep[met].sum()), float(p_tw[met].sum()))
    r["met_ratio_chiller"] = _ratio(ch_ep, ch_tw)
    r["met_chiller_share"] = ch_ep / max(float(p_ep[met].sum()), 1e-9)
    return r


def reference_valid(r: dict) -> bool:
    """Whether EnergyPlus met the load (chilled water at its set point) in all but
    :data:`UNMET_MAX_FRAC` of the hours; the twin meets it in every hour of the table."""
    return r["ep_unmet_h"] <= UNMET_MAX_FRAC * r["hours"]


def failures(r: dict) -> list[str]:
    """The tolerances a table row misses, as short phrases (empty: it passes)."""
    out = [] if reference_valid(r) else [f"E+ unmet {r['ep_unmet_h']:.0f} h"]
    if abs(r["ratio_total_mwh"] - 1) > TOL["total"]:
        out.append(f"total {r['ratio_total_mwh']:.3f}")
    # a chiller share under 2 % of the cooling energy is judged by the total instead
    if (
        r["ep_chiller_mwh"] > 0.02 * r["ep_total_mwh"]
        and abs(r["ratio_chiller_mwh"] - 1) > TOL["chiller"]
    ):
        out.append(f"chiller {r['ratio_chiller_mwh']:.3f}")
    if r["ep_water_m3"] > 0 and abs(r["ratio_water_m3"] - 1) > TOL["water"]:
        out.append(f"water {r['ratio_water_m3']:.3f}")
    if r["ep_econ_h"] > 0 and abs(r["ratio_econ_h"] - 1) > TOL["econ_h"]:
        out.append(f"econ h {r['ratio_econ_h']:.3f}")
    if r["r_hourly"] is not None and r["r_hourly"] < TOL["r_min"]:
        out.append(f"r {r['r_hourly']:.3f}")
    if r["r_hourly"] is None and r["mean_abs_diff_rel"] > TOL["total"]:
        out.append(f"hourly diff {r['mean_abs_diff_rel']:.3f}")
    return out


def run_case(exe: str, case: EnvelopeCase, epw: Path) -> dict:
    header = epw_bytes(epw).decode("latin-1").splitlines()[0].split(",")
    idf, row, n = case_idf(case, header)
    ep = run_energyplus(exe, idf, epw)
    return compare_case(case, ep, run_twin(case, row, n, ep))


def run_envelope(exe: str, cases: list[tuple[EnvelopeCase, Path]], jobs: int = 0) -> list[dict]:
    """Every case (EnergyPlus in parallel processes, at most *jobs*; 0: the CPU count)."""
    jobs = jobs or max(1, os.cpu_count() or 1)
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        futs = [pool.submit(run_case, exe, c, epw) for c, epw in cases]
        return [f.result() for f in futs]


#: The tabulated envelope: loads (share of design IT heat) and climates (tests/data).
LOADS = (0.25, 0.50, 0.75, 1.00)


def envelope_cases(loads=LOADS, plants=tuple(PLANTS), epws=None) -> list:
    """(case, weather file) pairs of the table: every plant x load x climate."""
    from tests.datafiles import AGADIR_EPW, RABAT_2009_2023_EPW, TIZNIT_EPW, plain_name

    epws = epws or (RABAT_2009_2023_EPW, AGADIR_EPW, TIZNIT_EPW)
    return [(EnvelopeCase(p, lf, plain_name(e)), e) for p in plants for e in epws for lf in loads]


def _fmt(x, nd=0) -> str:
    return "–" if x is None else f"{x:,.{nd}f}"


def table_markdown(rows: list[dict]) -> str:
    """The envelope table (Markdown): both engines' annual figures and their agreement."""
    head = (
        "| case | chiller MWh E+ / twin | fans+pumps MWh E+ / twin | total MWh E+ / twin "
        "(ratio) | water m³ E+ / twin | economizer h E+ / twin | PUE E+ / twin | r hourly "
        "| E+ unmet h | misses |\n|---|---|---|---|---|---|---|---|---|---|\n"
    )
    out = [head]
    for r in rows:
        miss = ", ".join(failures(r)) or "none"
        out.append(
            f"| {r['case']} | {_fmt(r['ep_chiller_mwh'])} / {_fmt(r['tw_chiller_mwh'])} "
            f"| {_fmt(r['ep_fans_pumps_mwh'])} / {_fmt(r['tw_fans_pumps_mwh'])} "
            f"| {_fmt(r['ep_total_mwh'])} / {_fmt(r['tw_total_mwh'])} "
            f"({r['ratio_total_mwh']:.3f}) "
            f"| {_fmt(r['ep_water_m3'])} / {_fmt(r['tw_water_m3'])} "
            f"| {_fmt(r['ep_econ_h'])} / {_fmt(r['tw_econ_h'])} "
            f"| {r['ep_pue']:.3f} / {r['tw_pue']:.3f} | {_fmt(r['r_hourly'], 3)} "
            f"| {_fmt(r['ep_unmet_h'])} | {miss} |\n"
        )
    return "".join(out)
