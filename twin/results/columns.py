"""Every column of a run's step table (``Result.timeseries``, ``timeseries.parquet``):
unit, meaning and codes, in one table; ``docs/columns.md`` is generated from it
(``python -m twin.results.columns docs/columns.md``).

Powers are averages over the step, in MW; an energy is the sum of its column x the step
in hours. The split of the on-site renewables and of the grid import between their uses
follows one convention (:mod:`kernels.sources`); :data:`KPI_COLUMNS` names the column(s)
each energy KPI is the sum of.
"""

from __future__ import annotations

import sys
from pathlib import Path

from kernels import layout as L
from kernels import sources as S

_PRO_RATA = "(PV and wind share their uses pro rata to availability, kernels.sources)"

#: Kernel output columns: name -> (output slot, factor to the unit, unit, meaning).
KERNEL_COLUMNS: dict[str, tuple[int, float, str, str]] = {
    "p_it_mw": (L.O_P_IT_W, 1e-6, "MW", "IT power served"),
    "p_ups_loss_mw": (L.O_P_UPS_LOSS_W, 1e-6, "MW", "UPS conversion losses"),
    "p_cooling_mw": (L.O_P_COOLING_W, 1e-6, "MW", "cooling plant power: chillers + tower fans + pumps + CRAH fans"),
    "p_chiller_mw": (L.O_P_CHILLER_W, 1e-6, "MW", "chiller compressors (and dry-cooler fans)"),
    "p_tower_fan_mw": (L.O_P_TOWER_FAN_W, 1e-6, "MW", "cooling-tower fans"),
    "p_pumps_mw": (L.O_P_PUMPS_W, 1e-6, "MW", "chilled/facility-water, condenser-water and CDU pumps"),
    "p_air_fans_mw": (L.O_P_AIR_FANS_W, 1e-6, "MW", "CRAH / air-handler fans"),
    "q_air_mw": (L.O_Q_AIR_W, 1e-6, "MW", "heat removed from the hall air by the air loop"),
    "q_liquid_mw": (L.O_Q_LIQ_W, 1e-6, "MW", "heat removed by the liquid loop"),
    "q_free_mw": (L.O_Q_FREE_W, 1e-6, "MW", "part of the heat removed by the economizers"),
    "p_pv_mw": (L.O_P_PV_W, 1e-6, "MW", "PV AC power available, before any curtailment"),
    "p_wind_mw": (L.O_P_WIND_W, 1e-6, "MW", "on-site wind AC power available, before any curtailment"),
    "p_bess_charge_mw": (L.O_P_BESS_CHARGE_W, 1e-6, "MW", "battery charge, all sources"),
    "p_bess_charge_grid_mw": (L.O_P_BESS_CHARGE_GRID_W, 1e-6, "MW", "part of the battery charge drawn from the grid"),
    "p_bess_discharge_mw": (L.O_P_BESS_DISCHARGE_W, 1e-6, "MW", "battery discharge (to the load)"),
    "p_bess_discharge_re_mw": (
        L.O_P_BESS_DIS_RE_W, 1e-6, "MW",
        "part of the battery discharge that is stored on-site renewable energy (well-mixed store)",
    ),
    "p_grid_import_mw": (L.O_P_GRID_IMPORT_W, 1e-6, "MW", "grid import at the meter (transformer losses and PPA wheeling included)"),
    "p_grid_export_mw": (L.O_P_GRID_EXPORT_W, 1e-6, "MW", "grid export (on-site renewable surplus)"),
    "p_xfmr_loss_mw": (L.O_P_XFMR_LOSS_W, 1e-6, "MW", "grid transformer losses (part of the import)"),
    "p_genset_mw": (L.O_P_GENSET_W, 1e-6, "MW", "genset output (to the load and the UPS top-up in an outage)"),
    "p_ups_discharge_mw": (L.O_P_UPS_DISCHARGE_W, 1e-6, "MW", "UPS battery discharge (to the load)"),
    "p_ups_charge_mw": (L.O_P_UPS_CHARGE_W, 1e-6, "MW", "UPS battery recharge"),
    "p_unmet_mw": (L.O_P_UNMET_W, 1e-6, "MW", "load no supply served (tripped IT included)"),
    "t_inlet_c": (L.O_T_AIR_C, 1.0, "°C", "hall air = IT inlet at the end of the step"),
    "t_liquid_supply_c": (L.O_T_LIQ_C, 1.0, "°C", "facility-water supply of the liquid loop at the end of the step"),
    "t_inlet_peak_c": (L.O_T_AIR_PEAK_C, 1.0, "°C", "highest IT inlet at the end of any part of the step (an event inside it splits the step: kernels.span)"),
    "t_liquid_supply_peak_c": (L.O_T_LIQ_PEAK_C, 1.0, "°C", "highest facility-water supply at the end of any part of the step"),
    "t_tcs_supply_c": (L.O_T_TCS_C, 1.0, "°C", "rack-coolant (TCS) supply behind the CDUs at the end of the step: the facility water plus the CDU approach at the step's liquid heat (kernels.cdu); the ASHRAE W classes stay on the facility water"),
    "t_tcs_supply_peak_c": (L.O_T_TCS_PEAK_C, 1.0, "°C", "highest rack-coolant supply at the end of any part of the step"),
    **{
        f"p_shed_p{lv}_mw": (L.O_P_SHED_W + lv, 1e-6, "MW", f"IT shed for lack of supply from the groups of priority {lv} (0 is shed first; kernels.shedding)")
        for lv in range(L.N_PRIORITY)
    },
    "soc_bess_frac": (L.O_SOC_BESS, 1.0, "-", "battery state of charge at the end of the step, of its usable energy"),
    "water_m3_h": (L.O_VDOT_WATER_M3_S, 3600.0, "m3/h", "site water: tower make-up, pads and sprays"),
}  # fmt: skip

#: Columns of the source split (:func:`kernels.sources.split_row`): name -> (slot, meaning).
SOURCE_COLUMNS: dict[str, tuple[int, str]] = {
    "p_facility_mw": (S.R_FACILITY, "facility load: IT + UPS losses + cooling + transformer losses"),
    "p_pv_to_load_mw": (S.R_PV_LOAD, f"PV to the facility load {_PRO_RATA}"),
    "p_pv_to_storage_mw": (S.R_PV_STORE, f"PV to the battery and the UPS battery {_PRO_RATA}"),
    "p_pv_export_mw": (S.R_PV_EXPORT, f"PV exported to the grid {_PRO_RATA}"),
    "p_pv_curtailed_mw": (S.R_PV_CURT, f"PV curtailed {_PRO_RATA}"),
    "p_wind_to_load_mw": (S.R_WIND_LOAD, f"wind to the facility load {_PRO_RATA}"),
    "p_wind_to_storage_mw": (S.R_WIND_STORE, f"wind to the battery and the UPS battery {_PRO_RATA}"),
    "p_wind_export_mw": (S.R_WIND_EXPORT, f"wind exported to the grid {_PRO_RATA}"),
    "p_wind_curtailed_mw": (S.R_WIND_CURT, f"wind curtailed {_PRO_RATA}"),
    "p_grid_to_load_mw": (S.R_GRID_LOAD, "grid import to the facility load (PPA included, transformer losses included)"),
    "p_grid_to_storage_mw": (S.R_GRID_STORE, "grid import to storage: battery charge from the grid and UPS top-up"),
    "p_ppa_mw": (S.R_PPA, "off-site PPA delivery, wheeled over the grid (settled, not a separate wire)"),
    "p_ppa_to_load_mw": (S.R_PPA_LOAD, "PPA matched to the load: min(PPA delivery, grid to the load)"),
}  # fmt: skip

#: State columns: name -> (output slot, dtype, unit, meaning with codes).
STATE_COLUMNS: dict[str, tuple[int, str, str, str]] = {
    "econ_mode": (
        L.O_ECON_MODE, "int8", "code",
        "air loop's economizer: 0 off (mechanical cooling), 1 partial (economizer + chillers), 2 full free cooling",
    ),
    "grid_up": (L.O_GRID_UP, "bool", "bool", "grid available during the step"),
    "cooling_on": (L.O_COOLING_ON, "bool", "bool", "cooling plant powered during the step"),
}  # fmt: skip

#: Input columns (:class:`twin.sim.inputs.Inputs`, the workload, the plant): name -> (unit, meaning).
INPUT_COLUMNS: dict[str, tuple[str, str]] = {
    "t_db_c": ("°C", "outdoor dry bulb"),
    "t_wb_c": ("°C", "outdoor wet bulb"),
    "ghi_w_m2": ("W/m2", "global horizontal irradiance"),
    "price_mad_per_kwh": ("MAD/kWh", "grid energy price of the step (time-of-use)"),
    "carbon_g_per_kwh": ("g/kWh", "grid average carbon intensity"),
    "carbon_marginal_g_per_kwh": ("g/kWh", "grid marginal emission factor (consequential)"),
    "u_{group}_frac": ("-", "utilisation of rack group {group}, one column per group"),
    "n_chillers_air": ("-", "chillers in service in the air loop"),
    "n_chillers_liquid": ("-", "chillers in service in the liquid loop"),
}
#: Added after the step table: name -> (unit, meaning).
DERIVED_COLUMNS: dict[str, tuple[str, str]] = {
    "t_dew_point_hall_c": ("°C", "hall air dew point at the end of the step (kernels.moisture)"),
}

#: Energy KPIs and the column(s) each is the sum of x the step [h] (a leading "-" subtracts).
KPI_COLUMNS: dict[str, tuple[str, ...]] = {
    "it_energy_mwh": ("p_it_mw",),
    "facility_energy_mwh": ("p_facility_mw",),
    "cooling_energy_mwh": ("p_cooling_mw",),
    "pv_energy_mwh": ("p_pv_mw",),
    "pv_curtailed_mwh": ("p_pv_curtailed_mw",),
    "wind_energy_mwh": ("p_wind_mw", "-p_wind_curtailed_mw"),
    "ppa_energy_mwh": ("p_ppa_mw",),
    "grid_import_mwh": ("p_grid_import_mw",),
    "grid_export_mwh": ("p_grid_export_mw",),
    "genset_energy_mwh": ("p_genset_mw",),
    "unmet_energy_mwh": ("p_unmet_mw",),
    "bess_grid_charge_mwh": ("p_bess_charge_grid_mw",),
    "water_m3": ("water_m3_h",),
}

#: Share KPIs: name -> (numerator columns, denominator columns), sums over the run.
KPI_RATIOS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "pue": (("p_facility_mw",), ("p_it_mw",)),
    "renewable_fraction": (
        ("p_pv_to_load_mw", "p_wind_to_load_mw", "p_bess_discharge_re_mw"),
        ("p_facility_mw",),
    ),
}


def all_columns() -> dict[str, tuple[str, str]]:
    """Every column of the step table: name -> (unit, meaning), in the table's order."""
    cols: dict[str, tuple[str, str]] = {}
    for name, (_, _, unit, meaning) in KERNEL_COLUMNS.items():
        cols[name] = (unit, meaning)
    for name, (_, meaning) in SOURCE_COLUMNS.items():
        cols[name] = ("MW", meaning)
    for name, (_, _, unit, meaning) in STATE_COLUMNS.items():
        cols[name] = (unit, meaning)
    cols.update(INPUT_COLUMNS)
    cols.update(DERIVED_COLUMNS)
    return cols


def columns_markdown() -> str:
    """The column reference, ``docs/columns.md``."""
    lines = [
        (
            "<!-- generated by `python -m twin.results.columns docs/columns.md` from "
            "twin/results/columns.py; do not edit -->"
        ),
        "# Time-series columns",
        "",
        (
            "Every column of `Result.timeseries` and of `timeseries.parquet` in a run folder. "
            "The index is the start of each step, local time (Africa/Casablanca). Powers are "
            "averages over the step; an energy is the sum of its column x the step in hours."
        ),
        "",
        (
            "On-site PV and wind are dispatched together (the bus cannot tell them apart); "
            "each use of their sum (to the load, to storage, export, curtailment) is shared "
            "between them pro rata to their available power in the step, a convention "
            "(`kernels/sources.py`). Per source: to load + to storage + export + curtailed = "
            "available. The PPA is wheeled over the grid: its energy is part of "
            "`p_grid_import_mw`, and `p_ppa_to_load_mw` is the part of `p_grid_to_load_mw` "
            "matched to it."
        ),
        "",
        "| column | unit | meaning |",
        "|---|---|---|",
    ]
    lines += [f"| `{n}` | {u} | {m} |" for n, (u, m) in all_columns().items()]
    lines += [
        "",
        "## Energy KPIs and their columns",
        "",
        (
            "Each energy KPI (`docs/kpis.md`) is the sum of these columns x the step [h] "
            "(tested for every row)."
        ),
        "",
        "| KPI | columns |",
        "|---|---|",
    ]
    for kpi, cols in KPI_COLUMNS.items():
        terms = " ".join(f"− `{c[1:]}`" if c.startswith("-") else f"+ `{c}`" for c in cols)
        lines.append(f"| `{kpi}` | {terms.removeprefix('+ ')} |")
    for kpi, (num, den) in KPI_RATIOS.items():
        n_txt = " + ".join(f"`{c}`" for c in num)
        d_txt = " + ".join(f"`{c}`" for c in den)
        lines.append(f"| `{kpi}` | Σ ({n_txt}) / Σ ({d_txt}) |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Print the reference, or write it to the path given."""
    args = sys.argv[1:] if argv is None else argv
    text = columns_markdown()
    if args:
        Path(args[0]).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
