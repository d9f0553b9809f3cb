"""Component accounting after a run: genset fuel, battery wear, off-site PPA.

These follow from the per-step flows and do not feed back into the year being
simulated (a year of wear changes a battery by a few per cent; the fade is
reported and priced as a replacement in :mod:`twin.results.economics`).

Genset fuel
    HOMER's linear fuel curve (HOMER Pro user manual, "Generator fuel curve"):
    ``F = F0 · Y_running + F1 · P`` [L/h], with ``Y_running`` the rated power
    of the units on line and ``P`` their output, floored at the minimum load
    ratio (HOMER: a generator never runs below its minimum load; the extra is
    excess electricity). Units of ``genset.unit_mw`` are started as the load
    needs them. CO2 = fuel × 2.70 kg/L (US EPA, 10.21 kg per US gallon).

Battery wear
    Cycles are counted on the state-of-charge series with the rainflow method
    of ASTM E1049-85 (reapproved 2017), §5.4.4 ("Rainflow Counting"), in its
    three-point stack form; each cycle of depth D uses up 1/N(D) of the life,
    ``N(D) = N80 · (0.8 / D)^k`` (the depth-of-discharge stress model of Xu et
    al., "Modeling of lithium-ion battery degradation for cell life
    assessment", IEEE Trans. Smart Grid 9(2), 2018), summed with Miner's rule;
    the fade at end of life (20 %) is reached when the damage sums to 1.
    Calendar fade is linear in time. Equivalent full cycles = discharged
    energy / usable energy.

Off-site PPA (wheeling, law 13-09 / 82-21)
    A contracted renewable profile delivered over the grid. Each hour the PPA
    energy up to the grid energy reaching the load is matched: it is
    carbon-free for the CFE score and displaces grid purchases at the tariff;
    all PPA energy is paid at the PPA price plus the wheeling fee, the
    unmatched rest is sold back at the export price. Location-based CO2 is
    unchanged (the electrons still come from the grid).
"""

from __future__ import annotations

import math

import numpy as np

from kernels.kpisums import genset_fuel_total_l
from kernels.rainflow import miner_damage, rainflow


def rainflow_cycles(series: np.ndarray) -> list[tuple[float, float]]:
    """Rainflow cycle count of a series (ASTM E1049-85 §5.4.4, :mod:`kernels.rainflow`).

    Returns
    -------
    list of (range, count)
        ``count`` is 1.0 for a full cycle and 0.5 for a half cycle.
    """
    ranges, counts = rainflow(np.ascontiguousarray(series, dtype=np.float64))
    return [(float(r), float(c)) for r, c in zip(ranges, counts)]


def battery_wear(sc, soc: np.ndarray, e_discharge_j: float, dt_s: float) -> dict[str, float]:
    """Equivalent full cycles, capacity fade over the run and the implied life.

    *soc* is the end-of-step state of charge, *e_discharge_j* the energy the
    battery discharged over the run [J].
    """
    b = sc.battery
    horizon_yr = len(soc) * dt_s / (365.0 * 86400.0)
    if b.energy_mwh <= 0:
        return {"battery_cycles_efc": 0.0, "battery_fade_frac": 0.0, "battery_life_yr": 0.0}
    series = np.concatenate([[b.soc_init], soc])
    damage = miner_damage(series, float(b.cycle_life), float(b.dod_exponent))
    fade = damage * b.end_of_life_fade + b.calendar_fade_per_yr * horizon_yr
    efc = float(e_discharge_j / 3.6e9 / b.energy_mwh)
    life = b.end_of_life_fade * horizon_yr / fade if fade > 0 else math.inf
    return {
        "battery_cycles_efc": efc,
        "battery_fade_frac": float(fade),
        "battery_life_yr": float(min(life, 100.0)),
    }


def genset_fuel_l(sc, p_genset_w: np.ndarray, dt_s: float) -> float:
    """Diesel burnt over the run [L] (HOMER linear fuel curve, minimum load).

    The curve is :func:`kernels.kpisums.genset_fuel_rate_l_h`, the same one the
    run's KPI pass integrates.
    """
    g = sc.genset
    return float(
        genset_fuel_total_l(
            np.ascontiguousarray(p_genset_w, dtype=np.float64),
            float(dt_s),
            g.unit_mw * 1e3,
            g.min_load_frac,
            g.fuel_intercept_l_per_h_per_kw,
            g.fuel_slope_l_per_kwh,
        )
    )
