"""Cross-check of PV, battery and bill against NREL SAM (PySAM).

One year at Ouarzazate, the default 40 MW hall, 60 MWp of fixed PV (25° tilt,
south), a 50 MWh nominal / 10 MW battery kept between 15 % and 95 % state of charge
(40 MWh usable) and the ONEE-style time-of-use tariff:

1. PV: the twin's AC output (pvlib PVWatts v5 chain, :mod:`weather.pv`) against
   SAM's PVWatts v8 on the same hourly weather;
2. battery: the twin's self-consumption schedule is replayed in SAM's
   Battwatts as a custom dispatch; the energy SAM's lithium-ion model moves
   and the grid import it implies are compared with the twin's. Battwatts holds
   its state of charge between 15 % and 95 % of its nominal capacity (its fixed
   window), so both batteries get the same nominal energy and window: an earlier
   version gave Battwatts 40 MWh nominal (32 MWh usable) against 40 MWh usable in
   the twin, which alone made a 12.9 % gap in the energy moved;
3. bill: SAM's Utilityrate5 with the same three-period tariff (12 × 24
   schedules, summer shift) and the fixed premium as a monthly charge, on the
   twin's load and SAM's generation, against the twin's ``energy_cost_mad``.

Needs ``pip install nrel-pysam`` (the ``sam`` extra). Run::

    python benchmarks/pysam_crosscheck.py   # writes benchmarks/results/pysam_crosscheck.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import PySAM.Battwatts as Battwatts
import PySAM.Pvwattsv8 as Pvwatts
import PySAM.Utilityrate5 as Utilityrate5

import twin
import weather
from twin import Scenario
from twin.sim.engine import run_raw
from twin.sim.signals import facility_load_w

OUT = Path(__file__).parent / "results" / "pysam_crosscheck.json"
PV_MWP, BESS_MWH, BESS_MW = 60.0, 50.0, 10.0
#: Battwatts' fixed state-of-charge window, given to the twin too.
SOC_MIN, SOC_MAX = 0.15, 0.95


def scenario() -> Scenario:
    return Scenario(
        name="pysam_crosscheck",
        site={"id": "ouarzazate"},
        pv={"capacity_mwp": PV_MWP, "tilt_deg": 25.0, "azimuth_deg": 180.0},
        battery={
            "energy_mwh": BESS_MWH,
            "power_mw": BESS_MW,
            "soc_min": SOC_MIN,
            "soc_max": SOC_MAX,
        },
        faults={"grid_outages_per_year": 0.0, "chiller_failures_per_year": 0.0},
    )


def sam_pv_w(sc: Scenario) -> np.ndarray:
    site = weather.get_site(sc.site.id)
    data, _ = weather.load_weather(site, year=sc.site.year, seed=sc.simulation.seed)
    data = data.iloc[:8760]
    idx = data.index
    m = Pvwatts.new()
    m.SolarResource.solar_resource_data = {
        "lat": site.lat,
        "lon": site.lon,
        "tz": 1.0,
        "elev": site.elevation_m,
        "year": [int(sc.site.year)] * len(idx),
        "month": list(idx.month),
        "day": list(idx.day),
        "hour": list(idx.hour),
        "minute": [30] * len(idx),
        "dn": list(data.dni_w_m2.clip(lower=0)),
        "df": list(data.dhi_w_m2.clip(lower=0)),
        "gh": list(data.ghi_w_m2.clip(lower=0)),
        "tdry": list(data.t_air_c),
        "wspd": list(data.wind_m_s),
        "pres": list(data.p_air_pa / 100.0),
        "albedo": [0.25] * len(idx),
    }
    m.SystemDesign.system_capacity = PV_MWP * 1e3
    m.SystemDesign.dc_ac_ratio = sc.pv.dc_ac_ratio
    m.SystemDesign.losses = sc.pv.losses_frac * 100.0
    m.SystemDesign.array_type = 0  # fixed, open rack
    m.SystemDesign.tilt = sc.pv.tilt_deg
    m.SystemDesign.azimuth = sc.pv.azimuth_deg
    m.SystemDesign.module_type = 0
    m.SystemDesign.gcr = 0.4
    m.SystemDesign.inv_eff = 96.0
    m.Lifetime.system_use_lifetime_output = 0
    m.Lifetime.analysis_period = 1
    m.execute(0)
    return np.asarray(m.Outputs.ac, dtype=float)


def tou_schedule(summer_shift: int, months=(4, 5, 6, 7, 8, 9)) -> list[list[float]]:
    """12 x 24 period numbers: 1 peak 17-22 h, 3 off-peak 22-7 h, 2 full; summer + shift."""
    rows = []
    for month in range(1, 13):
        shift = summer_shift if month in months else 0
        row = []
        for h in range(24):
            hh = (h - shift) % 24
            row.append(1.0 if 17 <= hh < 22 else (3.0 if (hh >= 22 or hh < 7) else 2.0))
        rows.append(row)
    return rows


def main() -> int:
    sc = scenario()
    raw = run_raw(sc)
    res = twin.simulate(sc)
    ts, k = res.timeseries, res.kpis
    n = 8760
    load_kw = facility_load_w(raw.out)[:n] / 1e3
    pv_twin_kw = ts.p_pv_mw.to_numpy()[:n] * 1e3

    # 1. PV
    pv_sam_kw = sam_pv_w(sc)[:n] / 1e3
    pv_twin_mwh, pv_sam_mwh = pv_twin_kw.sum() / 1e3, pv_sam_kw.sum() / 1e3

    # 2. battery: replay the twin's schedule (kW, + discharge) on SAM's battery
    sched_kw = (ts.p_bess_discharge_mw - ts.p_bess_charge_mw).to_numpy()[:n] * 1e3
    b = Battwatts.new()
    b.Lifetime.system_use_lifetime_output = 0
    b.Lifetime.analysis_period = 1
    b.Battery.batt_simple_enable = 1
    b.Battery.batt_simple_kwh = BESS_MWH * 1e3
    b.Battery.batt_simple_kw = BESS_MW * 1e3
    b.Battery.batt_simple_chemistry = 1  # lithium-ion
    b.Battery.batt_simple_dispatch = 2  # custom
    b.Battery.batt_simple_meter_position = 0  # behind the meter
    b.Battery.batt_custom_dispatch = list(sched_kw)
    b.Battery.ac = list(pv_twin_kw * 1e3)  # W
    b.Battery.dc = [0.0] * n
    b.Battery.load = list(load_kw)
    b.Battery.inverter_efficiency = 96.0
    b.Battery.crit_load = [0.0] * n
    b.execute(0)
    bo = b.Outputs
    gen_kw = np.asarray(bo.gen, dtype=float)[:n]
    sam_dis_mwh = float(bo.batt_annual_discharge_energy[0]) / 1e3
    sam_ch_mwh = float(bo.batt_annual_charge_energy[0]) / 1e3
    twin_dis_mwh = k["battery_cycles_efc"] * BESS_MWH
    twin_ch_mwh = float(ts.p_bess_charge_mw.sum())
    sam_import_mwh = float(np.maximum(load_kw - gen_kw, 0.0).sum() / 1e3)

    # 3. bill on the twin's load and SAM's generation
    t = sc.grid.tariff
    u = Utilityrate5.new()
    u.Lifetime.system_use_lifetime_output = 0
    u.Lifetime.analysis_period = 1
    u.Lifetime.inflation_rate = 0.0
    u.SystemOutput.gen = list(gen_kw)
    u.SystemOutput.degradation = [0.0]
    u.Load.load = list(load_kw)
    u.Load.load_escalation = [0.0]
    u.ElectricityRates.ur_metering_option = (
        2  # net billing: hourly net import bought, exports at the sell rate (0)
    )
    u.ElectricityRates.ur_en_ts_sell_rate = 0
    u.ElectricityRates.ur_ec_tou_mat = [
        [1, 1, 1e38, 0, t.peak_mad_per_kwh, 0.0],
        [2, 1, 1e38, 0, t.full_mad_per_kwh, 0.0],
        [3, 1, 1e38, 0, t.offpeak_mad_per_kwh, 0.0],
    ]
    sched = tou_schedule(t.summer_shift_h)
    u.ElectricityRates.ur_ec_sched_weekday = sched
    u.ElectricityRates.ur_ec_sched_weekend = sched
    u.ElectricityRates.ur_dc_enable = 0
    u.ElectricityRates.rate_escalation = [0.0]
    # the ONEE premium on the subscribed power, by twelfths (twin/results/tariff.py)
    u.ElectricityRates.ur_monthly_fixed_charge = (
        t.premium_mad_per_kva_yr * k["subscribed_kva"] / 12.0
    )
    u.execute(0)
    sam_bill = float(np.sum(u.Outputs.utility_bill_w_sys_ym[1]))
    # the tariff alone: SAM's bill on the twin's own hourly import
    import_kw = ts.p_grid_import_mw.to_numpy()[:n] * 1e3
    u.SystemOutput.gen = list(load_kw - import_kw)
    u.execute(0)
    sam_bill_same_flows = float(np.sum(u.Outputs.utility_bill_w_sys_ym[1]))
    twin_bill = k["energy_cost_mad"]

    def rel(a: float, b: float) -> float:
        return round((a - b) / b, 4) if b else 0.0

    figures = {
        "scenario": "ouarzazate, 40 MW hall, 60 MWp fixed 25 deg, "
        "50 MWh nominal (15-95 % SOC) / 10 MW, TOU",
        "pv_twin_mwh": round(pv_twin_mwh, 1),
        "pv_sam_pvwattsv8_mwh": round(pv_sam_mwh, 1),
        "pv_rel_diff": rel(pv_twin_mwh, pv_sam_mwh),
        "bess_discharge_twin_mwh": round(twin_dis_mwh, 1),
        "bess_discharge_sam_mwh": round(sam_dis_mwh, 1),
        "bess_charge_twin_mwh": round(twin_ch_mwh, 1),
        "bess_charge_sam_mwh": round(sam_ch_mwh, 1),
        "bess_discharge_rel_diff": rel(twin_dis_mwh, sam_dis_mwh),
        "grid_import_twin_mwh": round(k["grid_import_mwh"], 1),
        "grid_import_sam_mwh": round(sam_import_mwh, 1),
        "grid_import_rel_diff": rel(k["grid_import_mwh"], sam_import_mwh),
        "bill_twin_mad": round(twin_bill),
        "bill_sam_utilityrate5_mad": round(sam_bill),
        "bill_rel_diff": rel(twin_bill, sam_bill),
        "bill_sam_on_twin_flows_mad": round(sam_bill_same_flows),
        "bill_tariff_only_rel_diff": rel(twin_bill, sam_bill_same_flows),
    }
    OUT.write_text(json.dumps(figures, indent=1))
    print(json.dumps(figures, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
