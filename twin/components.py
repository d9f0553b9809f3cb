"""Component accounting after a run: genset fuel, battery wear, off-site PPA.

These follow from the per-step flows and do not feed back into the year being
simulated (a year of wear changes a battery by a few per cent; the fade is
reported and priced as a replacement in :mod:`twin.economics`).

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

from kernels import layout as L


def rainflow_cycles(series: np.ndarray) -> list[tuple[float, float]]:
    """Rainflow cycle count of a series (ASTM E1049-85 §5.4.4).

    Returns
    -------
    list of (range, count)
        ``count`` is 1.0 for a full cycle and 0.5 for a half cycle.
    """
    x = np.asarray(series, dtype=float)
    if x.size < 2:
        return []
    # turning points (reversals): drop flat stretches and monotone interior points
    d = np.diff(x)
    keep = np.concatenate([[True], d != 0])
    x = x[keep]
    if x.size < 2:
        return []
    d = np.diff(x)
    turn = np.concatenate([[True], d[1:] * d[:-1] < 0, [True]])
    rev = x[turn]
    cycles: list[tuple[float, float]] = []
    stack: list[float] = []
    for point in rev:
        stack.append(float(point))
        while len(stack) >= 3:
            r_x = abs(stack[-1] - stack[-2])
            r_y = abs(stack[-2] - stack[-3])
            if r_x < r_y:
                break
            if len(stack) == 3:
                cycles.append((r_y, 0.5))
                stack.pop(0)
            else:
                cycles.append((r_y, 1.0))
                last = stack.pop()
                stack.pop()
                stack.pop()
                stack.append(last)
    for a, b in zip(stack[:-1], stack[1:]):
        cycles.append((abs(b - a), 0.5))
    return cycles


def battery_wear(sc, soc: np.ndarray, discharge_w: np.ndarray, dt_s: float) -> dict[str, float]:
    """Equivalent full cycles, capacity fade over the run and the implied life."""
    b = sc.battery
    horizon_yr = len(soc) * dt_s / (365.0 * 86400.0)
    if b.energy_mwh <= 0:
        return {"battery_cycles_efc": 0.0, "battery_fade_frac": 0.0, "battery_life_yr": 0.0}
    series = np.concatenate([[b.soc_init], soc])
    damage = 0.0
    for depth, count in rainflow_cycles(series):
        if depth > 1e-6:
            damage += count / (b.cycle_life * (0.8 / depth) ** b.dod_exponent)
    fade = damage * b.end_of_life_fade + b.calendar_fade_per_yr * horizon_yr
    efc = float(discharge_w.sum() * dt_s / 3.6e9 / b.energy_mwh)
    life = b.end_of_life_fade * horizon_yr / fade if fade > 0 else math.inf
    return {
        "battery_cycles_efc": efc,
        "battery_fade_frac": float(fade),
        "battery_life_yr": float(min(life, 100.0)),
    }


def genset_fuel_l(sc, p_genset_w: np.ndarray, dt_s: float) -> float:
    """Diesel burnt over the run [L] (HOMER linear fuel curve, minimum load)."""
    g = sc.genset
    unit_kw = g.unit_mw * 1e3
    p_kw = np.asarray(p_genset_w, dtype=float) / 1e3
    running = p_kw > 1e-6
    n_units = np.where(running, np.ceil(p_kw / unit_kw - 1e-9), 0.0)
    rated_kw = n_units * unit_kw
    out_kw = np.maximum(p_kw, g.min_load_frac * rated_kw)
    rate_l_h = g.fuel_intercept_l_per_h_per_kw * rated_kw + g.fuel_slope_l_per_kwh * out_kw
    return float((rate_l_h * dt_s / 3600.0).sum())


def grid_to_load_w(out: np.ndarray) -> np.ndarray:
    """Grid energy that reached the load (not the battery) per step [W]."""
    load_w = (
        out[:, L.O_P_IT_W]
        + out[:, L.O_P_UPS_LOSS_W]
        + out[:, L.O_P_COOLING_W]
        + out[:, L.O_P_XFMR_LOSS_W]
    )
    return np.maximum(
        np.minimum(
            out[:, L.O_P_GRID_IMPORT_W] - out[:, L.O_P_BESS_CHARGE_GRID_W],
            load_w - out[:, L.O_P_PV_TO_LOAD_W] - out[:, L.O_P_BESS_DISCHARGE_W],
        ),
        0.0,
    )


def ppa_matching(
    sc, out: np.ndarray, p_ppa_w: np.ndarray, price: np.ndarray
) -> tuple[np.ndarray, float, float]:
    """Matched PPA power per step [W], PPA energy [MWh] and the PPA's net cost [MAD]."""
    dt_h = float(sc.dt_s) / 3600.0
    if p_ppa_w.size != len(out) or not np.any(p_ppa_w > 0):
        return np.zeros(len(out)), 0.0, 0.0
    matched = np.minimum(p_ppa_w, grid_to_load_w(out))
    ppa = sc.ppa
    kwh = p_ppa_w * dt_h / 1e3
    matched_kwh = matched * dt_h / 1e3
    cost = float(
        (kwh * (ppa.price_mad_per_kwh + ppa.wheeling_mad_per_kwh)).sum()
        - (matched_kwh * price).sum()
        - ((kwh - matched_kwh) * sc.grid.tariff.export_mad_per_kwh).sum()
    )
    return matched, float(kwh.sum() / 1e3), cost
