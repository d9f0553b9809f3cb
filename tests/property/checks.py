"""Invariant checkers used by the property tests.

Each checker raises ``AssertionError`` with the broken invariant's name; the
mutation tests feed them deliberately broken results to show they can fail.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

#: the design's KPI tolerance for the energy balance [-]
TOL = 1e-6

_SUPPLY = (
    "p_pv_mw",
    "p_grid_import_mw",
    "p_genset_mw",
    "p_bess_discharge_mw",
    "p_ups_discharge_mw",
)
_DEMAND = (
    "p_it_mw",
    "p_ups_loss_mw",
    "p_cooling_mw",
    "p_xfmr_loss_mw",
    "p_bess_charge_mw",
    "p_ups_charge_mw",
    "p_grid_export_mw",
    "p_pv_curtailed_mw",
)


def assert_kpis_physical(kpis: Mapping[str, float]) -> None:
    """Every KPI finite, energies and water non-negative, PUE >= 1, balance within TOL."""
    for name, value in kpis.items():
        assert math.isfinite(value), f"KPI {name} is not finite: {value}"
        if name.endswith(("_mwh", "_m3", "_t", "_h", "_mad")) or name in ("wue_l_per_kwh",):
            assert value >= -1e-9, f"KPI {name} is negative: {value}"
    if kpis["it_energy_mwh"] > 0:
        assert kpis["pue"] >= 1.0, f"PUE < 1: {kpis['pue']}"
    for name in ("renewable_fraction", "cfe_score"):
        assert -1e-12 <= kpis[name] <= 1.0 + 1e-12, f"{name} outside [0, 1]: {kpis[name]}"
    assert kpis["energy_balance_error"] <= TOL, (
        f"energy balance error {kpis['energy_balance_error']}"
    )


def assert_timeseries_physical(
    ts: pd.DataFrame, soc_min: float, soc_max: float, has_bess: bool
) -> None:
    """Balance at every step and over the horizon; SoC within limits; temperatures finite."""
    supply = ts[list(_SUPPLY)].to_numpy().sum(axis=1)
    demand = ts[list(_DEMAND)].to_numpy().sum(axis=1)
    facility = (
        ts[["p_it_mw", "p_ups_loss_mw", "p_cooling_mw", "p_xfmr_loss_mw"]].to_numpy().sum(axis=1)
    )
    scale = max(float(facility.mean()), 1e-6)
    step_err = float(np.abs(supply - demand).max()) / scale
    assert step_err <= TOL, f"energy balance per step: {step_err:.3g}"
    year_err = abs(float(supply.sum() - demand.sum())) / (scale * len(ts))
    assert year_err <= TOL, f"energy balance over the horizon: {year_err:.3g}"
    assert (facility >= ts["p_it_mw"].to_numpy() - 1e-12).all(), "facility < IT at a step"
    for col in ("t_inlet_c", "t_liquid_supply_c"):
        assert np.isfinite(ts[col].to_numpy()).all(), f"{col} not finite"
    flows = ts[[c for c in ts.columns if c.startswith(("p_", "q_"))] + ["water_m3_h"]]
    assert (flows.to_numpy() >= -1e-9).all(), "a negative energy flow or water use"
    if has_bess:
        soc = ts["soc_bess_frac"].to_numpy()
        assert (soc >= soc_min - 1e-9).all() and (soc <= soc_max + 1e-9).all(), (
            f"state of charge outside [{soc_min}, {soc_max}]: [{soc.min()}, {soc.max()}]"
        )


def assert_not_more(base: float, other: float, what: str) -> None:
    """``other <= base`` up to round-off of MWh sums."""
    assert other <= base + 1e-9 * max(1.0, abs(base)), f"{what}: {other} > {base}"
