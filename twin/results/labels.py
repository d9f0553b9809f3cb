"""Short names and units for the variables and coordinates of result Datasets.

A plot or a Dataset repr shows ``long_name [units]``: ``long_name`` is therefore a
short name ("24/7 CFE share", "grid bill"), and the definition with its formula (from
:data:`twin.results.kpis.KPI_UNITS`, ``docs/kpis.md``) goes into a ``description``
attribute. Units are the KPI's unit (``-`` for a ratio or a count, as in
:data:`~twin.results.kpis.KPI_UNITS`); a varied scenario key takes the unit written in its
field's description (:func:`twin.scenario.fields.unit_of`), ``-`` when it has none.
"""

from __future__ import annotations

import numbers
from typing import Any

from twin.results.kpis import KPI_UNITS
from twin.scenario.fields import field_at, unit_of
from twin.scenario.model import Scenario

#: KPI name -> short readable name (the definition is KPI_UNITS' second item).
KPI_LABELS: dict[str, str] = {
    "it_energy_mwh": "IT energy",
    "facility_energy_mwh": "facility energy",
    "cooling_energy_mwh": "cooling energy",
    "pue": "PUE",
    "water_m3": "site water",
    "wue_l_per_kwh": "WUE",
    "pv_energy_mwh": "PV energy",
    "pv_curtailed_mwh": "PV curtailed",
    "grid_import_mwh": "grid import",
    "grid_export_mwh": "grid export",
    "genset_energy_mwh": "genset energy",
    "renewable_fraction": "renewable share",
    "cfe_score": "24/7 CFE share",
    "co2_t": "CO2, location-based",
    "energy_cost_mad": "grid bill",
    "grid_premium_mad": "subscription premium",
    "grid_overrun_mad": "overrun charges",
    "energy_vat_mad": "VAT on the grid bill",
    "subscribed_kva": "subscribed power",
    "unmet_energy_mwh": "unmet IT energy",
    "max_inlet_c": "highest IT inlet temperature",
    "max_tcs_supply_c": "highest rack-coolant supply",
    "thermal_violation_h": "hours outside the allowable range",
    "energy_balance_error": "energy balance error",
    "recommended_excursion_h": "hours outside the recommended range",
    "ride_through_min": "ride-through after a chiller trip",
    "ride_through_power_loss_min": "ride-through after a plant power loss",
    "max_hall_dew_point_c": "highest hall dew point",
    "dew_point_excursion_h": "hours above the allowable dew point",
    "dew_point_recommended_excursion_h": "hours above the recommended dew point",
    "ride_through_it_trip_min": "time to IT trip after a chiller trip",
    "ride_through_power_loss_it_trip_min": "time to IT trip after a plant power loss",
    "wind_energy_mwh": "wind energy",
    "ppa_energy_mwh": "PPA energy",
    "genset_fuel_l": "genset fuel",
    "bess_grid_charge_mwh": "battery charging from the grid",
    "peak_import_mw": "peak grid import",
    "battery_cycles_efc": "battery cycles",
    "battery_fade_frac": "battery capacity fade",
    "battery_life_yr": "battery life",
    "co2_market_t": "CO2, market-based",
    "co2_marginal_t": "CO2, consequential",
    "genset_co2_t": "genset CO2",
    "cue_kg_per_kwh": "CUE",
    "cue_market_kg_per_kwh": "CUE, market-based",
    "renewable_energy_factor": "REF",
    "certificates_mwh": "certificates claimed",
    "capex_mad": "capital cost",
    "opex_mad_per_yr": "operating cost",
    "lcoe_onsite_mad_per_mwh": "on-site LCOE",
    "cost_per_mwh_mad": "cost per facility MWh",
    "water_cost_mad": "water cost",
    "total_cost_mad_per_yr": "total annual cost",
    "cost_per_it_mwh_mad": "cost per IT MWh",
    "capex_cooling_mad": "cooling plant capital",
    "capex_grid_connection_mad": "grid connection capital",
    "replacement_mad": "replacements",
    "salvage_mad": "salvage value",
}


def _units(unit: str) -> str:
    return "-" if unit == "" else unit


def kpi_attrs(name: str) -> dict[str, str]:
    """``long_name`` (short), ``units`` and ``description`` (the definition) of a KPI."""
    unit, definition = KPI_UNITS[name]
    label = KPI_LABELS.get(name) or name.replace("_", " ")
    return {"long_name": label, "units": _units(unit), "description": definition}


def key_attrs(key: str, values: Any = None) -> dict[str, str]:
    """Attributes of a varied scenario key such as ``pv.capacity_mwp``.

    ``long_name`` is the key itself (what a user passes to ``vary``), ``description``
    the field's description and ``units`` its unit; a text or boolean key (a policy, a
    mounting) has no unit.
    """
    loc = tuple(int(p) if p.isdigit() else p for p in key.split("."))
    info = field_at(Scenario, loc)
    description = (info.description or "") if info is not None else ""
    attrs = {"long_name": key}
    if description:
        attrs["description"] = description
    numeric = values is None or all(
        isinstance(v, numbers.Real) and not isinstance(v, bool) for v in values
    )
    if numeric:
        attrs["units"] = _units(unit_of(description))
    return attrs
