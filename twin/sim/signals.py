"""Per-step supply signals for the kernel and the choice of dispatch policy.

The kernel (:mod:`kernels.policy`) only compares: this module decides the
thresholds each heuristic compares against, once per run, from the exogenous
series. ``peak_shaving`` with an automatic target and ``optimal`` need the
facility load, which does not depend on the battery when the grid is up; they
get it from a self-consumption pre-run of the same scenario (same seed, same
workload timeline).

Thresholds (assumptions, chosen to be simple and explainable):

* ``tou_arbitrage``: cheap = the day's lowest price, dear = the day's highest
  (the off-peak and peak periods of the tariff); grid charging stops where it
  would leave no room for the next 24 h of on-site surplus (:func:`soc_ceiling`,
  from a self-consumption pre-run's load: a perfect day-ahead forecast). The
  battery charges from the grid only on days whose spread pays the round trip
  and the wear: ``p_hi − p_lo / (η_c η_d) > w``, w the wear cost per MWh
  discharged (:func:`twin.sim.costdata.battery_wear_mad_per_mwh`); on-site
  surplus still charges it every day.
* ``carbon_aware``: clean = the day's lowest quartile of carbon intensity, dirty
  = at or above the day's median.
* ``peak_shaving``: the target is ``power.peak_target_mw``, or, when it is 0,
  the lowest import the battery can hold over the run given the net load
  (facility load minus on-site renewables), found by bisection: the
  perfect-foresight setting of the target, as a peak-shaving controller
  tuned on the year would use. With the premium on the run's own peak
  (``grid.tariff.subscribed_kva = 0``) the automatic target is instead the one,
  between that lowest target and the peak, that saves the most: premium saved
  (Pfi / cos φ per kW of peak, over the run) less the cost of the energy shaved,
  its wear w and its round-trip loss at the mean price (:func:`economic_peak_target_w`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kernels import layout as L
from kernels import peak_target
from twin.scenario.model import Scenario
from twin.sim.costdata import battery_wear_mad_per_mwh
from twin.sim.inputs import carbon_free_frac, carbon_marginal, tariff_slot

#: quantiles of the day's carbon intensity: grid charging at or below the
#: first, discharging at or above the second (assumed)
CARBON_CLEAN_Q = 0.25
CARBON_DIRTY_Q = 0.5


def _daily(values: np.ndarray, index: pd.DatetimeIndex, how: str, q: float = 0.5) -> np.ndarray:
    """Each step's local day's minimum, maximum or *q* quantile (linear interpolation,
    as :meth:`pandas.Series.quantile`) of *values*, repeated over the day's steps."""
    day = index.normalize() if index.tz is None else index.tz_convert(index.tz).normalize()
    codes = day.asi8
    values = np.asarray(values, dtype=np.float64)
    if np.isnan(values).any() or np.any(codes[1:] < codes[:-1]):
        return _daily_grouped(values, day, how, q)
    # a time-ordered index: each day is one run of steps
    starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
    counts = np.diff(np.r_[starts, len(values)])
    if how == "min":
        per_day = np.minimum.reduceat(values, starts)
    elif how == "max":
        per_day = np.maximum.reduceat(values, starts)
    else:  # the computation pandas makes for Series.quantile, days of one length at once
        per_day = np.empty(len(starts))
        for n in np.unique(counts):
            sel = counts == n
            rows = values[starts[sel][:, None] + np.arange(n)]
            per_day[sel] = np.percentile(rows, q * 100.0, axis=1, method="linear")
    return np.repeat(per_day, counts)


def _daily_grouped(values: np.ndarray, day: pd.DatetimeIndex, how: str, q: float) -> np.ndarray:
    """:func:`_daily` through a pandas group-by (values with gaps, an unordered index)."""
    g = pd.Series(values, index=day).groupby(day)
    if how in ("min", "max"):
        return g.transform(how).to_numpy()
    return g.transform(lambda x: x.quantile(q)).to_numpy()


def facility_load_w(out: np.ndarray) -> np.ndarray:
    """Facility load per step [W]: IT + UPS losses + cooling (+ UPS recharge)."""
    return (
        out[:, L.O_P_IT_W]
        + out[:, L.O_P_UPS_LOSS_W]
        + out[:, L.O_P_COOLING_W]
        + out[:, L.O_P_UPS_CHARGE_W]
    )


def lowest_peak_target_w(sc: Scenario, net_w: np.ndarray) -> float:
    """Lowest grid-import target the battery can hold over the run (bisection) [W].

    Simulates the peak-shaving rule on the net load (load − on-site
    renewables), compiled: :func:`kernels.peak_target.lowest_peak_target_w`;
    without a battery it is the peak net load.
    """
    hi = max(float(net_w.max()), 0.0)
    b = sc.battery
    if b.energy_mwh <= 0 or b.power_mw <= 0:
        return hi
    return float(
        peak_target.lowest_peak_target_w(
            np.ascontiguousarray(net_w, dtype=np.float64), b.energy_mwh * 3.6e9,
            b.power_mw * 1e6, float(sc.dt_s), b.soc_init, b.soc_min, b.soc_max,
            b.eta_charge, b.eta_discharge,
        )
    )  # fmt: skip


def economic_peak_target_w(sc: Scenario, net_w: np.ndarray, price: np.ndarray) -> float:
    """The peak-shaving target that saves the most over the run [W] (module docstring).

    Candidates: 24 levels from the lowest holdable target (:func:`lowest_peak_target_w`)
    to the peak net load. Saving of a target T: Pfi / cos φ × (peak − T) / 1000 × the
    run's share of a year; cost: E_shaved(T) [MWh] × (w + p̄ (1 / (η_c η_d) − 1)),
    E_shaved = Σ max(net − T, 0) Δt, p̄ the mean price [MAD/MWh].
    """
    peak = max(float(net_w.max()), 0.0)
    lo = lowest_peak_target_w(sc, net_w)
    b, t = sc.battery, sc.grid.tariff
    dt_h = float(sc.dt_s) / 3600.0
    years = len(net_w) * dt_h / 8760.0
    per_mwh = battery_wear_mad_per_mwh(b) + float(np.mean(price)) * 1e3 * (
        1.0 / (b.eta_charge * b.eta_discharge) - 1.0
    )
    best_t, best_v = peak, 0.0
    for target in np.linspace(lo, peak, 24):
        saved = t.premium_mad_per_kva_yr / t.power_factor * (peak - target) / 1e3 * years
        shaved_mwh = float(np.maximum(net_w - target, 0.0).sum()) * dt_h / 1e6
        value = saved - shaved_mwh * per_mwh
        if value > best_v:
            best_t, best_v = float(target), value
    return best_t


def tou_charge_days(sc: Scenario, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Steps of days whose price spread pays the round trip and the wear [bool]."""
    b = sc.battery
    w = battery_wear_mad_per_mwh(b) / 1e3  # MAD/kWh
    return hi - lo / (b.eta_charge * b.eta_discharge) > w


def soc_ceiling(sc: Scenario, load_w: np.ndarray, re_w: np.ndarray) -> np.ndarray:
    """Highest state of charge grid charging may reach, per step [-].

    Leaves room for the on-site surplus expected over the next 24 h (perfect
    day-ahead forecast): ``soc_max − η_c Σ_{next 24 h} max(re − load, 0) Δt / E``,
    clipped to ``[soc_min, soc_max]``.
    """
    b = sc.battery
    dt = float(sc.dt_s)
    n_ahead = max(1, round(86400.0 / dt))
    surplus_j = np.maximum(re_w - load_w, 0.0) * dt * b.eta_charge
    c = np.concatenate([[0.0], np.cumsum(surplus_j)])
    idx = np.arange(len(surplus_j))
    ahead_j = c[np.minimum(idx + n_ahead, len(surplus_j))] - c[idx]
    ceil = b.soc_max - ahead_j / (b.energy_mwh * 3.6e9)
    return np.clip(ceil, b.soc_min, b.soc_max)


#: Policies whose battery plans on a forecast of the facility load (:func:`needs_prerun`).
PLANNING_POLICIES = ("tou_arbitrage", "carbon_aware", "peak_shaving")


def needs_prerun(sc: Scenario) -> bool:
    """Does the dispatch of *sc* plan on the facility load of a pre-run?

    The caller runs it (:func:`twin.sim.engine.prerun_load_w`) and passes the load to
    :func:`supply_signals`, once, whatever the policy needs it for.
    """
    policy, has_battery = sc.power.dispatch, sc.battery.energy_mwh > 0
    if policy == "optimal" or (policy == "peak_shaving" and sc.power.peak_target_mw <= 0.0):
        return True
    return policy in PLANNING_POLICIES and has_battery


def _forecast(load_w: np.ndarray | None, policy: str) -> np.ndarray:
    if load_w is None:
        msg = f"dispatch {policy!r} plans on the pre-run facility load: pass load_w"
        raise ValueError(msg)
    return load_w


#: rows of ``sig`` written at a time by :func:`fill_rows` (a block of 8192 x N_SIG
#: floats, 640 kB, stays in cache while its columns are written)
BLOCK_ROWS = 8192


def fill_rows(sig: np.ndarray, columns: dict[int, np.ndarray | float]) -> None:
    """Write *columns* (column -> per-row array or one value) into every row of *sig*,
    0 in the other columns: a block of rows at a time, assembled in a small buffer and
    copied whole, so *sig*'s memory is passed over once rather than once per column."""
    n = len(sig)
    buf = np.zeros((min(n, BLOCK_ROWS), sig.shape[1]))
    for start in range(0, n, BLOCK_ROWS):
        stop = min(n, start + BLOCK_ROWS)
        block = buf[: stop - start]
        for j, values in columns.items():
            block[:, j] = values if isinstance(values, float) else values[start:stop]
        sig[start:stop] = block


def supply_signals(
    sc: Scenario,
    inp,
    plant: np.ndarray,
    load_w: np.ndarray | None = None,
    out: np.ndarray | None = None,
) -> np.ndarray:
    """The ``sig`` array (n_steps, N_SIG) of a run; sets the policy slots of ``plant``.

    *load_w* is the facility load of the pre-run [W], required when
    :func:`needs_prerun` says so. *out*: an (n_steps, N_SIG) array to fill instead of
    a new one (a sweep recycles them, :class:`twin.sweeps.arrays.BufferPool`);
    every element is written, so the result is the same.
    """
    n = len(inp.index)
    columns: dict[int, np.ndarray | float] = {
        L.SIG_PRICE: inp.price_mad_per_kwh,
        L.SIG_CARBON: inp.carbon_g_per_kwh,
        L.SIG_CF: carbon_free_frac(inp, n, sc.grid.carbon_free_frac),
        L.SIG_CARBON_MARGINAL: carbon_marginal(inp, n),
        L.SIG_TARIFF_SLOT: tariff_slot(inp, n),
        L.SIG_SOC_CEIL: float(sc.battery.soc_max),
    }
    if len(inp.p_wind_w) == n:
        columns[L.SIG_WIND_W] = inp.p_wind_w
    sig = np.empty((n, L.N_SIG)) if out is None else out
    fill_rows(sig, columns)
    policy = sc.power.dispatch
    plant[L.DISPATCH_POLICY] = L.POLICY_NAMES.index(policy)
    if policy in PLANNING_POLICIES and sc.battery.energy_mwh > 0:
        re_w = inp.p_pv_w + sig[:, L.SIG_WIND_W]
        sig[:, L.SIG_SOC_CEIL] = soc_ceiling(sc, _forecast(load_w, policy), re_w)
    if policy == "tou_arbitrage":
        lo = _daily(inp.price_mad_per_kwh, inp.index, "min")
        sig[:, L.SIG_HI] = _daily(inp.price_mad_per_kwh, inp.index, "max")
        # no grid charging on a day whose spread does not pay losses and wear
        sig[:, L.SIG_LO] = np.where(tou_charge_days(sc, lo, sig[:, L.SIG_HI]), lo, -1.0)
    elif policy == "carbon_aware":
        c = inp.carbon_g_per_kwh
        sig[:, L.SIG_LO] = _daily(c, inp.index, "q", CARBON_CLEAN_Q)
        sig[:, L.SIG_HI] = _daily(c, inp.index, "q", CARBON_DIRTY_Q)
    elif policy == "peak_shaving":
        target_w = sc.power.peak_target_mw * 1e6
        if target_w <= 0.0:
            net = _forecast(load_w, policy) - inp.p_pv_w - sig[:, L.SIG_WIND_W]
            if sc.grid.tariff.subscribed_kva > 0:
                target_w = lowest_peak_target_w(sc, net)
            else:
                target_w = economic_peak_target_w(sc, net, inp.price_mad_per_kwh[: len(net)])
        plant[L.PEAK_TARGET_W] = target_w
    elif policy == "optimal":
        from twin.sim.optimum import optimal_schedule

        lp = optimal_schedule(sc, _forecast(load_w, policy), inp.p_pv_w + sig[:, L.SIG_WIND_W], inp)
        sig[:, L.SIG_BESS_W] = lp.p_charge_w - lp.p_discharge_w
    return sig
