"""Capital cost of the whole campus by component: on-site supply, cooling plant, grid
connection.

Sizes come from the scenario and from the design it compiles to
(:func:`twin.sim.compile.compile_scenario`: chillers per loop and their unit rating, the
loops' design heat); unit costs from ``twin/results/data/costs.toml`` (each with its
source, or marked assumed). Components:

``pv``, ``wind``
    kWp or kW × installed cost.
``battery``
    kWh × turnkey cost + kW × power conversion.
``genset``
    kW × installed cost.
``chillers``
    Σ_loops n_chillers × unit rating [kW] × the cost of the plant's chiller type
    (water-cooled centrifugal for ``water_cooled_chillers``, air-cooled screw for the
    others: the air-cooled plant and the trim chillers of dry and adiabatic plants).
``heat_rejection``
    Towers per kW of chiller capacity (water-cooled plant); dry or adiabatic coolers per
    kW of the loop's design heat (those plants); none for air-cooled chillers.
``cdus``
    kW of liquid-loop design heat × CDU cost.
``grid_connection``
    kVA of the connection (``grid.import_limit_mw`` / power factor) × substation cost.
"""

from __future__ import annotations

from twin.sim.costdata import cost_table

#: components of :func:`capex_by_component`, in table order
COMPONENTS = (
    "pv",
    "wind",
    "battery",
    "genset",
    "chillers",
    "heat_rejection",
    "cdus",
    "grid_connection",
)
#: the on-site renewable supply (what the grid-only baseline leaves out)
ONSITE = ("pv", "wind", "battery")


def cooling_sizes(sc, design=None) -> dict[str, float]:
    """Installed cooling capacities [kW]: chillers, design heat per loop, liquid heat.

    From *design*, the :class:`twin.sim.compile.Design` the run used, when the caller
    holds it (a sweep does); otherwise compiled again from *sc* (the same design).
    """
    from twin.sim.compile import compile_scenario  # the design the run itself used

    d = design if design is not None else compile_scenario(sc)
    units = (sc.cooling.air.chiller_unit_kw, sc.cooling.liquid.chiller_unit_kw)
    chiller_kw = sum(n * u for n, u in zip(d.n_chillers, units))
    return {
        "chiller_kw": float(chiller_kw),
        "heat_kw": float(sum(d.q_design_w) / 1e3),
        "liquid_kw": float(d.q_design_w[1] / 1e3),
    }


def capex_by_component(sc, sizes: dict[str, float] | None = None) -> dict[str, float]:
    """Up-front cost of each component [MAD] (module docstring)."""
    t = cost_table()
    fx = t["finance"]["usd_to_mad"]
    c = t["cooling"]
    sizes = sizes if sizes is not None else cooling_sizes(sc)
    b_kwh = sc.battery.energy_mwh * 1e3
    b_kw = sc.battery.power_mw * 1e3 if b_kwh > 0 else 0.0
    plant = sc.cooling.plant
    chiller_cost = (
        c["chiller_water_cooled_usd_per_kw"]
        if plant == "water_cooled_chillers"
        else c["chiller_air_cooled_usd_per_kw"]
    )
    rejection = {
        "water_cooled_chillers": c["tower_usd_per_kw"] * sizes["chiller_kw"],
        "air_cooled_chillers": 0.0,
        "dry_coolers": c["dry_cooler_usd_per_kw"] * sizes["heat_kw"],
        "adiabatic_coolers": c["adiabatic_cooler_usd_per_kw"] * sizes["heat_kw"],
    }[plant]
    kva = sc.grid.import_limit_mw * 1e3 / sc.grid.tariff.power_factor
    usd = {
        "pv": sc.pv.capacity_mwp * 1e3 * t["pv"]["capex_usd_per_kw"],
        "wind": sc.wind.capacity_mw * 1e3 * t["wind"]["capex_usd_per_kw"],
        "battery": b_kwh * t["battery"]["capex_usd_per_kwh"]
        + b_kw * t["battery"]["capex_usd_per_kw"],
        "genset": sc.genset.capacity_mw * 1e3 * t["genset"]["capex_usd_per_kw"],
        "chillers": chiller_cost * sizes["chiller_kw"],
        "heat_rejection": rejection,
        "cdus": c["cdu_usd_per_kw"] * sizes["liquid_kw"],
        "grid_connection": t["grid_connection"]["substation_usd_per_kva"] * kva,
    }
    return {k: float(usd[k] * fx) for k in COMPONENTS}


def component_life_yr(battery_life_yr: float = 0.0) -> dict[str, float]:
    """Service life of each component [yr]; the battery's is the shorter of the table's
    and the wear model's (``battery_life_yr`` of the run, 0 = none)."""
    t = cost_table()
    b_life = float(t["battery"]["life_yr"])
    if battery_life_yr > 0:
        b_life = min(b_life, battery_life_yr)
    cool = float(t["cooling"]["life_yr"])
    return {
        "pv": float(t["pv"]["life_yr"]),
        "wind": float(t["wind"]["life_yr"]),
        "battery": b_life,
        "genset": float(t["genset"]["life_yr"]),
        "chillers": cool,
        "heat_rejection": cool,
        "cdus": cool,
        "grid_connection": float(t["grid_connection"]["life_yr"]),
    }


def fixed_om_by_component(sc, capex: dict[str, float]) -> dict[str, float]:
    """First-year fixed O&M of each component [MAD/yr] (fuel, energy, water apart)."""
    t = cost_table()
    fx = t["finance"]["usd_to_mad"]
    cool = t["cooling"]["opex_frac_of_capex_yr"]
    return {
        "pv": sc.pv.capacity_mwp * 1e3 * t["pv"]["opex_usd_per_kw_yr"] * fx,
        "wind": sc.wind.capacity_mw * 1e3 * t["wind"]["opex_usd_per_kw_yr"] * fx,
        "battery": capex["battery"] * t["battery"]["opex_frac_of_capex_yr"],
        "genset": sc.genset.capacity_mw * 1e3 * t["genset"]["opex_usd_per_kw_yr"] * fx,
        "chillers": capex["chillers"] * cool,
        "heat_rejection": capex["heat_rejection"] * cool,
        "cdus": capex["cdus"] * cool,
        "grid_connection": 0.0,
    }
