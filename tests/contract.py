"""The KPI contract of `Result.kpis` and `twin run --json` (docs/kpis.md): names users rely on."""

#: KPI names that must never disappear or change meaning ("names are a contract").
DESIGN_KPIS = (
    "it_energy_mwh",
    "facility_energy_mwh",
    "cooling_energy_mwh",
    "pue",
    "water_m3",
    "wue_l_per_kwh",
    "pv_energy_mwh",
    "pv_curtailed_mwh",
    "grid_import_mwh",
    "grid_export_mwh",
    "genset_energy_mwh",
    "renewable_fraction",
    "cfe_score",
    "co2_t",
    "energy_cost_mad",
    "unmet_energy_mwh",
    "max_inlet_c",
    "thermal_violation_h",
    "energy_balance_error",
)
