"""The grid's series on a run's step grid: price, carbon, carbon-free share, tariff slot and
marginal emission factor, each a function of a step's local month and hour.

:func:`grid_steps` builds the run's local-time step index and the five series;
:func:`grid_fields` is their definition at each stamp of an index (the time-of-use tariff of
:func:`weather.grid.tou_period`, the grid mix of :func:`weather.grid.grid_series` and
:func:`weather.grid.marginal_series`). :func:`twin.sim.inputs.load_inputs` memoises them per
site-year, step and grid.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from twin.scenario.model import Scenario
from twin.scenario.simulation import TZ
from weather.grid import grid_series, marginal_series, tou_period
from weather.localtime import by_hour

__all__ = ["grid_fields", "grid_steps"]


def grid_steps(sc: Scenario, dt_s: int, n_steps: int) -> tuple:
    """Step index (local time), the grid's price, carbon and carbon-free series, the
    tariff slot (3 x (month - 1) + time-of-use period) and the marginal emission factor
    of each step.

    The same for every scenario of a site-year, step and grid (memoised by the caller, :func:`twin.sim.inputs.load_inputs`).
    Every series depends only on the local month and hour of a step, so at sub-hourly
    steps it is computed once per hour of the window and repeated to the hour's steps
    (:func:`weather.localtime.by_hour`, which checks that this gives pandas' own answer
    for the zone's offsets and otherwise computes each step).
    """
    # rows are taken in order as the hours of the scenario year from local midnight,
    # 1 January (TMY files mix years; a weather year is a sequence of hours); the run's
    # window starts sc.start_offset_s later
    start = pd.Timestamp(f"{sc.site.year}-01-01", tz=TZ).tz_convert("UTC")
    start += pd.Timedelta(seconds=sc.start_offset_s)
    index = pd.date_range(start, periods=n_steps, freq=f"{dt_s}s", tz="UTC").tz_convert(TZ)
    price, carbon, cfree, slot, marginal = by_hour(index, lambda idx: grid_fields(sc, idx))
    return index, price, carbon, cfree, slot, marginal


def grid_fields(sc: Scenario, index: pd.DatetimeIndex) -> tuple:
    """Price [MAD/kWh], average carbon [g/kWh], carbon-free share [-], tariff slot [-] and
    marginal emission factor [g/kWh] of the scenario's grid at each stamp of *index*
    (local time), as float arrays."""
    tariff = sc.grid.tariff
    period = tou_period(
        index,
        (tariff.peak_start_h, tariff.peak_end_h),
        (tariff.offpeak_start_h, tariff.offpeak_end_h),
        tariff.summer_shift_h,
    )
    prices = np.array(
        [tariff.peak_mad_per_kwh, tariff.full_mad_per_kwh, tariff.offpeak_mad_per_kwh]
    )
    price = prices[period]
    slot = (3 * (index.month.to_numpy() - 1) + period).astype(np.float64)
    carbon, cfree = grid_series(
        index,
        sc.grid.carbon_g_per_kwh,
        sc.grid.carbon_free_frac,
        hourly=sc.grid.carbon_profile == "hourly",
        basis=sc.grid.carbon_basis,
    )
    marginal = marginal_series(index, sc.grid.carbon_basis)
    return np.asarray(price, dtype=float), carbon, cfree, slot, marginal
