"""One-pass totals of a run's outputs, from which :func:`twin.results.kpis.compute_kpis`
forms every time-integrated KPI.

The outputs are one row per step (``out[step, column]``, :mod:`kernels.layout`).
Reading a column at a time strides over the whole array once per column; this
kernel reads each row once and accumulates every sum, maximum and count the
KPIs need, so the cost is one pass over the rows whatever the number of KPIs.

Per-step definitions (kept identical to the KPI definitions of ``docs/kpis.md``):

* facility load = IT + UPS losses + cooling + transformer losses;
* grid to load = max(0, min(import - battery charge from the grid,
  load - on-site renewable to load - battery discharge));
* PPA energy matched to the load = min(PPA delivery, grid to load);
* consequential (marginal) grid CO2 = Σ (import - export - PPA delivery) x the
  step's marginal factor (a new PPA plant is counted as additional);
* clean power = renewable to load + clean share of the battery discharge
  + (grid to load - PPA matched) x the hour's carbon-free share + PPA matched;
  the 24/7 CFE numerator is the sum over hours of min(load, clean);
* genset fuel: HOMER's linear fuel curve (HOMER Pro user manual, "Generator
  fuel curve": F = F0 Y + F1 P [L/h]) with units committed to carry the load
  and a minimum load ratio, see :func:`genset_fuel_rate_l_h`.
"""

from __future__ import annotations

import math

import numpy as np

from kernels._jit import njit
from kernels.layout import (
    N_OUT,
    O_BALANCE_W,
    O_P_BESS_DIS_CFE_W,
    O_P_COOLING_W,
    O_P_GENSET_W,
    O_P_GRID_EXPORT_W,
    O_P_GRID_IMPORT_W,
    O_P_IT_W,
    O_P_RE_TO_LOAD_W,
    O_P_UPS_LOSS_W,
    O_P_WIND_W,
    O_T_AIR_C,
    O_T_AIR_PEAK_C,
    O_T_LIQ_C,
    O_T_TCS_PEAK_C,
)
from kernels.sources import (
    R_FACILITY,
    R_GRID_LOAD,
    R_PPA,
    R_PPA_LOAD,
    R_PV_CURT,
    R_WIND_CURT,
    split_row,
)

# indices of the totals vector returned by :func:`run_totals` (after the N_OUT column sums)
T_PV_CURTAILED_W = N_OUT + 0  # sum of the PV part of the curtailment (kernels.sources) [W x steps]
T_WIND_DELIVERED_W = N_OUT + 1  # sum of wind generation less its curtailment
T_CFE_MATCHED_W = N_OUT + 2  # sum over hours of min(load, clean) [W x steps]
T_LOAD_HOURLY_W = N_OUT + 3  # sum over hours of the load [W x steps]
T_IMPORT_CARBON_G = N_OUT + 4  # sum of import [kWh] x carbon intensity [g/kWh]
T_IMPORT_COST_MAD = N_OUT + 5  # sum of import [kWh] x price [MAD/kWh]
T_PPA_KWH = N_OUT + 6  # PPA delivery [kWh]
T_PPA_MATCHED_KWH = N_OUT + 7  # PPA matched to the load [kWh]
T_PPA_MATCHED_MAD = N_OUT + 8  # matched PPA [kWh] x the grid price it displaced [MAD/kWh]
T_FUEL_L = N_OUT + 9  # genset diesel [L]
T_VIOLATING_STEPS = N_OUT + 10  # steps outside the allowable envelope
T_EXCURSION_STEPS = N_OUT + 11  # steps outside the recommended air envelope, IT on
T_MAX_T_AIR_C = N_OUT + 12
T_MAX_IMPORT_W = N_OUT + 13
T_MAX_ABS_BALANCE_W = N_OUT + 14
T_FACILITY_NO_XFMR_W = N_OUT + 15  # sum of IT + UPS losses + cooling [W x steps]
#: grid import by time-of-use period (peak, full, off-peak) [kWh], 3 slots
T_IMPORT_KWH_PERIOD = N_OUT + 16
#: highest step-average import in each (month, period) slot [W], 12 x 3 slots
#: (index ``T_MAX_IMPORT_SLOT_W + 3 * month0 + period``): the "puissance appelée"
#: of each monthly bill
T_MAX_IMPORT_SLOT_W = N_OUT + 19
#: steps of the run in each calendar month, 12 slots (pro rata of a monthly premium)
T_MONTH_STEPS = N_OUT + 55
#: matched PPA [kWh] x the step's average grid intensity [g/kWh] (market-based CO2)
T_PPA_MATCHED_CARBON_G = N_OUT + 67
#: (import - export - PPA delivery) [kWh] x the step's marginal factor [g/kWh]
T_MARGINAL_CARBON_G = N_OUT + 68
#: highest rack-coolant (TCS) supply behind the CDUs at the end of any part of a step [°C]
T_MAX_T_TCS_C = N_OUT + 69
N_TOTALS = N_OUT + 70
#: slots of the tariff calendar: 12 months x 3 time-of-use periods
N_TARIFF_SLOTS = 36

# the parameter vector ``par`` of :func:`run_totals`
P_DT_S = 0  # step [s]
P_STEPS_PER_HOUR = 1  # steps per hour for the hourly CFE matching (1 for steps >= 1 h)
P_T_AIR_LIMIT_C = 2  # upper allowable hall inlet [°C]
P_T_LIQ_LIMIT_C = 3  # upper allowable facility-water supply [°C]
P_T_AIR_MIN_C = 4  # lower allowable hall inlet [°C] (when P_HAS_AIR)
P_HAS_AIR = 5  # 1 when some group releases heat into the hall air
P_T_REC_LO_C = 6  # recommended hall inlet envelope [°C]
P_T_REC_HI_C = 7
P_GENSET_UNIT_KW = 8  # genset fuel curve: unit rating [kW]
P_GENSET_MIN_LOAD = 9  # minimum load ratio [-]
P_GENSET_F0 = 10  # no-load intercept [L/h per kW rated]
P_GENSET_F1 = 11  # slope [L/kWh]
N_PAR = 12


@njit
def genset_fuel_rate_l_h(p_kw, unit_kw, min_load_frac, intercept_l_h_kw, slope_l_kwh):
    """Diesel burn rate of the genset fleet carrying ``p_kw`` [L/h].

    HOMER's fuel curve F = F0 Y + F1 P (HOMER Pro user manual, "Generator
    fuel curve"): F0 the no-load
    intercept per kW of committed rating Y, F1 the slope per kWh of output P.
    Units are committed in steps of ``unit_kw`` to carry the load, and each
    runs at least at ``min_load_frac`` of its rating (HOMER's minimum load
    ratio). Zero when no unit runs.
    """
    rated_kw = 0.0
    if p_kw > 1e-6:
        rated_kw = math.ceil(p_kw / unit_kw - 1e-9) * unit_kw
    out_kw = max(p_kw, min_load_frac * rated_kw)
    return intercept_l_h_kw * rated_kw + slope_l_kwh * out_kw


@njit
def genset_fuel_total_l(p_genset_w, dt_s, unit_kw, min_load_frac, intercept_l_h_kw, slope_l_kwh):
    """Diesel burnt over a series of step-average genset powers [L]."""
    fuel = 0.0
    for k in range(p_genset_w.shape[0]):
        rate = genset_fuel_rate_l_h(
            p_genset_w[k] / 1e3, unit_kw, min_load_frac, intercept_l_h_kw, slope_l_kwh
        )
        fuel += rate * dt_s / 3600.0
    return fuel


@njit
def run_totals(
    out, cf, carbon_g_per_kwh, mef_g_per_kwh, price_mad_per_kwh, tariff_slot, p_ppa_w, par
):
    """Sums, maxima and counts of a run, one pass over the rows (a new array).

    See :func:`accumulate_totals` for the arguments and the result.
    """
    tot = np.empty(N_TOTALS)
    accumulate_totals(
        out, cf, carbon_g_per_kwh, mef_g_per_kwh, price_mad_per_kwh, tariff_slot, p_ppa_w, par, tot
    )
    return tot


@njit
def accumulate_totals(
    out, cf, carbon_g_per_kwh, mef_g_per_kwh, price_mad_per_kwh, tariff_slot, p_ppa_w, par, tot
):
    """Sums, maxima and counts of a run, one pass over the rows, written into *tot*.

    No allocation (also compiled as a CUDA device function by the GPU backend).

    Parameters
    ----------
    out : ndarray (n_steps, N_OUT)
        Step averages of the run.
    cf, carbon_g_per_kwh, price_mad_per_kwh : ndarray (n_steps,)
        Grid carbon-free share [-], average carbon intensity [g/kWh], import price
        [MAD/kWh].
    mef_g_per_kwh : ndarray (n_steps,)
        Grid marginal emission factor [g/kWh] (consequential accounting).
    tariff_slot : ndarray (n_steps,)
        ``3 * (month - 1) + period`` of each step (period 0 peak, 1 full, 2 off-peak,
        :func:`weather.grid.tou_period`); a negative value leaves the step out of the
        per-slot totals.
    p_ppa_w : ndarray (n_steps,) or (0,)
        Off-site PPA delivery [W]; empty when there is no PPA.
    par : ndarray (N_PAR,)
        Step, envelope limits and genset fuel curve (``P_*`` of this module).
    tot : ndarray (N_TOTALS,)
        Overwritten: column sums of ``out`` (indices 0..N_OUT-1, [unit of the column x
        steps]), then the ``T_*`` totals of this module.
    """
    dt_s = par[P_DT_S]
    steps_per_hour = int(par[P_STEPS_PER_HOUR])
    t_air_limit_c = par[P_T_AIR_LIMIT_C]
    t_liq_limit_c = par[P_T_LIQ_LIMIT_C]
    t_air_min_c = par[P_T_AIR_MIN_C]
    has_air = par[P_HAS_AIR] > 0.5
    t_rec_lo_c = par[P_T_REC_LO_C]
    t_rec_hi_c = par[P_T_REC_HI_C]
    n = out.shape[0]
    for j in range(N_TOTALS):
        tot[j] = 0.0
    have_ppa = p_ppa_w.shape[0] == n
    dt_h = dt_s / 3600.0
    unit_kw = par[P_GENSET_UNIT_KW]
    min_load = par[P_GENSET_MIN_LOAD]
    f0 = par[P_GENSET_F0]
    f1 = par[P_GENSET_F1]
    load_h = 0.0
    clean_h = 0.0
    in_hour = 0
    tot[T_MAX_T_AIR_C] = -math.inf
    tot[T_MAX_T_TCS_C] = -math.inf
    for k in range(n):
        row = out[k]
        for c in range(N_OUT):
            tot[c] += row[c]
        src = split_row(row, p_ppa_w[k] if have_ppa else 0.0)
        tot[T_PV_CURTAILED_W] += src[R_PV_CURT]
        tot[T_WIND_DELIVERED_W] += row[O_P_WIND_W] - src[R_WIND_CURT]
        load = src[R_FACILITY]
        tot[T_FACILITY_NO_XFMR_W] += row[O_P_IT_W] + row[O_P_UPS_LOSS_W] + row[O_P_COOLING_W]
        g2l = src[R_GRID_LOAD]
        matched = 0.0
        ppa = 0.0
        if have_ppa:
            ppa = src[R_PPA]
            matched = src[R_PPA_LOAD]
            tot[T_PPA_KWH] += ppa * dt_h / 1e3
            tot[T_PPA_MATCHED_KWH] += matched * dt_h / 1e3
            tot[T_PPA_MATCHED_MAD] += matched * dt_h / 1e3 * price_mad_per_kwh[k]
            tot[T_PPA_MATCHED_CARBON_G] += matched * dt_h / 1e3 * carbon_g_per_kwh[k]
        clean = row[O_P_RE_TO_LOAD_W] + row[O_P_BESS_DIS_CFE_W] + (g2l - matched) * cf[k] + matched
        load_h += load
        clean_h += clean
        in_hour += 1
        if in_hour == steps_per_hour or k == n - 1:
            tot[T_CFE_MATCHED_W] += min(load_h, clean_h)
            tot[T_LOAD_HOURLY_W] += load_h
            load_h = 0.0
            clean_h = 0.0
            in_hour = 0
        imp_kwh = row[O_P_GRID_IMPORT_W] * dt_s / 3.6e6
        tot[T_IMPORT_CARBON_G] += imp_kwh * carbon_g_per_kwh[k]
        net_kwh = (row[O_P_GRID_IMPORT_W] - row[O_P_GRID_EXPORT_W] - ppa) * dt_h / 1e3
        tot[T_MARGINAL_CARBON_G] += net_kwh * mef_g_per_kwh[k]
        tot[T_IMPORT_COST_MAD] += imp_kwh * price_mad_per_kwh[k]
        slot = int(tariff_slot[k])
        if 0 <= slot < N_TARIFF_SLOTS:
            tot[T_IMPORT_KWH_PERIOD + slot % 3] += imp_kwh
            j = T_MAX_IMPORT_SLOT_W + slot
            tot[j] = max(tot[j], row[O_P_GRID_IMPORT_W])
            tot[T_MONTH_STEPS + slot // 3] += 1.0
        rate = genset_fuel_rate_l_h(row[O_P_GENSET_W] / 1e3, unit_kw, min_load, f0, f1)
        tot[T_FUEL_L] += rate * dt_s / 3600.0
        t_air = row[O_T_AIR_C]
        it_on = row[O_P_IT_W] > 0.0
        violating = t_air > t_air_limit_c or row[O_T_LIQ_C] > t_liq_limit_c
        if has_air and it_on and t_air < t_air_min_c:
            violating = True
        if violating:
            tot[T_VIOLATING_STEPS] += 1.0
        if has_air and it_on and (t_air < t_rec_lo_c or t_air > t_rec_hi_c):
            tot[T_EXCURSION_STEPS] += 1.0
        tot[T_MAX_T_AIR_C] = max(tot[T_MAX_T_AIR_C], row[O_T_AIR_PEAK_C])
        tot[T_MAX_T_TCS_C] = max(tot[T_MAX_T_TCS_C], row[O_T_TCS_PEAK_C])
        tot[T_MAX_IMPORT_W] = max(tot[T_MAX_IMPORT_W], row[O_P_GRID_IMPORT_W])
        tot[T_MAX_ABS_BALANCE_W] = max(tot[T_MAX_ABS_BALANCE_W], abs(row[O_BALANCE_W]))
