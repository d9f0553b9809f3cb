"""Carbon of a run three ways, on one basis for grid and diesel alike.

Basis (``grid.carbon_basis``)
    ``lifecycle`` (default) or ``combustion``. The grid factors come from the mix of
    ``weather/data/morocco_grid.toml`` with the IPCC AR5 WG3 Annex III (Table A.III.2)
    life-cycle or direct medians (:mod:`weather.grid`); the genset's factors
    (``genset.co2_kg_per_l``, ``genset.co2_kg_per_kwh``) are combustion factors (IPCC
    2006 Guidelines Vol. 2, Tables 1.2 and 2.2), to which the life-cycle basis adds the
    diesel upstream (well-to-tank, UK Government GHG Conversion Factors 2025) in the
    ratio of the data file's ``[diesel]`` table. Life-cycle is the default because the
    one published Moroccan grid mean (551 g/kWh, LowCarbonPower 2024) is life-cycle.

Location-based (``co2_t``; GHG Protocol Scope 2 Guidance, WRI/WBCSD 2015, ch. 6)
    Grid import x the hour's average intensity + genset.

Market-based (``co2_market_t``; same guidance, ch. 6, the emission-factor hierarchy)
    Contractual instruments first: off-site PPA energy matched to the load in its hour
    (the unmatched rest is sold back with the energy, :mod:`twin.results.components`)
    and certificates of origin bought apart (``ppa.certificates_mwh_per_yr``, law
    82-21 and decree 2.24.761), both at 0 g/kWh. The rest of the import takes the
    residual mix; no Moroccan residual mix is published, so the guidance's fallback,
    the grid-average factor of each hour, is used (it counts the contracted
    renewables a second time, which the guidance asks to disclose). Certificates
    cover ``certificates_mwh_per_yr`` x the run's length in years, spread over the
    uncovered import pro rata to its emissions. Without instruments it equals ``co2_t``.

Consequential (``co2_marginal_t``; for what-if deltas between scenarios)
    Σ (import - export - PPA delivery) x the hour's marginal factor
    (:func:`weather.grid.marginal_profile`: the fossil unit that follows demand in an
    assumed coal-then-gas merit order) + genset. The PPA plant is counted as
    additional (assumed: it is built for the contract). Only differences between two
    runs mean anything; the value of one run can be negative.

CUE (ISO/IEC 30134-8:2022) and REF (ISO/IEC 30134-3:2016)
    CUE = CO2 [kg] / IT energy [kWh], location- and market-based. REF = renewable
    energy the data center owns or buys with its attributes (on-site PV and wind to
    the load, matched PPA, certificates) / facility energy, capped at 1; the grid's
    own renewable share does not count.
"""

from __future__ import annotations

from kernels.kpisums import (
    T_IMPORT_CARBON_G,
    T_MARGINAL_CARBON_G,
    T_PPA_MATCHED_CARBON_G,
    T_PPA_MATCHED_KWH,
)
from kernels.layout import O_P_GRID_IMPORT_W
from weather.grid import grid_data

__all__ = ["KPI_UNITS_CARBON", "carbon_kpis", "genset_co2_kg"]

#: KPI name -> (unit, definition) of the carbon KPIs beyond ``co2_t``.
KPI_UNITS_CARBON: dict[str, tuple[str, str]] = {
    "co2_market_t": (
        "t",
        (
            "market-based CO2 (GHG Protocol Scope 2): (import - matched PPA - certificates) "
            "x grid average factor (residual-mix fallback) + genset"
        ),
    ),
    "co2_marginal_t": (
        "t",
        (
            "consequential CO2 for what-if deltas: (import - export - PPA) x hourly "
            "marginal factor (coal/gas merit order) + genset"
        ),
    ),
    "genset_co2_t": ("t", "genset CO2 on the carbon basis (combustion, + upstream if life-cycle)"),
    "cue_kg_per_kwh": ("kg/kWh", "carbon usage effectiveness (ISO/IEC 30134-8): co2_t / IT energy"),
    "cue_market_kg_per_kwh": ("kg/kWh", "CUE on market-based CO2: co2_market_t / IT energy"),
    "renewable_energy_factor": (
        "-",
        (
            "REF (ISO/IEC 30134-3): (on-site renewable to the load + matched PPA + "
            "certificates) / facility energy, at most 1"
        ),
    ),
    "certificates_mwh": ("MWh", "certificates of origin claimed against the import"),
}


def diesel_lifecycle_ratio(basis: str) -> float:
    """Genset CO2 on *basis* / its combustion CO2 [-]: 1, or (combustion + upstream) /
    combustion per litre of the data file's ``[diesel]`` table on the life-cycle basis."""
    if basis != "lifecycle":
        return 1.0
    d = grid_data()["diesel"]
    return (d["combustion_kg_per_l"] + d["upstream_kg_per_l"]) / d["combustion_kg_per_l"]


def genset_co2_kg(sc, fuel_l: float, gen_kwh: float) -> float:
    """Genset CO2 [kg] on the scenario's basis: fuel x ``co2_kg_per_l`` (fuel curve) or
    energy x ``co2_kg_per_kwh``, times :func:`diesel_lifecycle_ratio`."""
    g = sc.genset
    combustion = fuel_l * g.co2_kg_per_l if g.fuel_curve else gen_kwh * g.co2_kg_per_kwh
    return combustion * diesel_lifecycle_ratio(sc.grid.carbon_basis)


def carbon_kpis(
    sc,
    tot,
    dt_s: float,
    horizon_yr: float,
    genset_kg: float,
    energies_mwh: dict[str, float],
) -> dict[str, float]:
    """The carbon KPIs of :data:`KPI_UNITS_CARBON` and ``co2_t`` from the one-pass totals.

    *energies_mwh* holds ``it``, ``facility`` and ``renewable`` (on-site to the load)
    [MWh]; *genset_kg* is :func:`genset_co2_kg`.
    """
    import_kwh = float(tot[O_P_GRID_IMPORT_W] * dt_s / 3.6e6)
    matched_kwh = float(tot[T_PPA_MATCHED_KWH])
    uncovered_kwh = max(import_kwh - matched_kwh, 0.0)
    uncovered_g = max(float(tot[T_IMPORT_CARBON_G] - tot[T_PPA_MATCHED_CARBON_G]), 0.0)
    cert_kwh = min(sc.ppa.certificates_mwh_per_yr * 1e3 * horizon_yr, uncovered_kwh)
    market_g = uncovered_g * (1.0 - cert_kwh / uncovered_kwh) if uncovered_kwh > 0 else 0.0
    co2_t = float(tot[T_IMPORT_CARBON_G] / 1e6 + genset_kg / 1e3)
    co2_market_t = market_g / 1e6 + genset_kg / 1e3
    it, facility = energies_mwh["it"], energies_mwh["facility"]
    contracted = energies_mwh["renewable"] + (matched_kwh + cert_kwh) / 1e3
    return {
        "co2_t": co2_t,
        "co2_market_t": co2_market_t,
        "co2_marginal_t": float(tot[T_MARGINAL_CARBON_G] / 1e6 + genset_kg / 1e3),
        "genset_co2_t": genset_kg / 1e3,
        "cue_kg_per_kwh": co2_t / it if it > 0 else 0.0,
        "cue_market_kg_per_kwh": co2_market_t / it if it > 0 else 0.0,
        "renewable_energy_factor": min(contracted / facility, 1.0) if facility > 0 else 0.0,
        "certificates_mwh": cert_kwh / 1e3,
    }
