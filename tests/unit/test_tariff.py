"""The ONEE bill of one month, reproduced by hand (twin/results/tariff.py).

January 2025, hourly steps (744 h). The import is 10 MW in every hour except two:
12 MW at 18:00 on 15 January (peak, 17-22 h in winter) and 11.5 MW at 12:00 on
20 January (full hours, 7-17 h). Off-peak is 22-7 h. Subscribed power 11,000 kVA,
cos phi = 1, THT "tres longue utilisation" prices excl. VAT:

* hours: peak 31 x 5 = 155, full 31 x 10 = 310, off-peak 31 x 9 = 279 (sum 744);
* energy: peak (154 x 10 + 12) MWh = 1,552,000 kWh x 0.7833 = 1,215,681.60 MAD,
  full (309 x 10 + 11.5) MWh = 3,101,500 kWh x 0.6473 = 2,007,600.95 MAD,
  off-peak 2,790,000 kWh x 0.6077 = 1,695,483.00 MAD; sum 4,918,765.55 MAD;
* premium: 2,128.60 / 12 x 11,000 = 1,951,216.67 MAD (the run covers the whole month);
* overrun: 1.5 x 2,128.60 / 12 x (1 x (12,000 - 11,000) + 0.6 x (11,500 - 11,000))
  = 266.075 x 1,300 = 345,897.50 MAD (off-peak stays under the subscription);
* bill excl. VAT: 4,918,765.55 + 1,951,216.67 + 345,897.50 = 7,215,879.72 MAD;
  VAT at 14 %: 1,010,223.16 MAD.

At cos phi = 0.75 the same active powers are 10 / 0.75 = 13,333 kVA and more, every
period overruns and the bill is raised by 2 x (0.8 - 0.75) = 10 %.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from kernels import layout as L
from kernels.kpisums import T_IMPORT_COST_MAD, T_IMPORT_KWH_PERIOD, run_totals
from tests.supply.test_components import QUIET
from tests.totals import par_vector
from twin.errors import ScenarioError
from twin.results.simulate import simulate
from twin.results.tariff import grid_bill, month_fraction
from twin.scenario.model import Scenario
from twin.scenario.supply import TariffConfig
from weather.grid import tou_period


def _january(tariff: TariffConfig):
    index = pd.date_range("2025-01-01", periods=744, freq="h", tz="Africa/Casablanca")
    period = tou_period(index, (17, 22), (22, 7), summer_shift_h=1)
    prices = np.array(
        [tariff.peak_mad_per_kwh, tariff.full_mad_per_kwh, tariff.offpeak_mad_per_kwh]
    )
    out = np.zeros((744, L.N_OUT))
    out[:, L.O_P_GRID_IMPORT_W] = 10e6
    out[14 * 24 + 18, L.O_P_GRID_IMPORT_W] = 12e6
    out[19 * 24 + 12, L.O_P_GRID_IMPORT_W] = 11.5e6
    slot = 3.0 * (index.month.to_numpy() - 1) + period
    n = len(out)
    tot = run_totals(
        out,
        np.zeros(n),
        np.zeros(n),
        np.zeros(n),
        prices[period],
        slot,
        np.zeros(0),
        par_vector(3600.0, 1, False),
    )
    sc = SimpleNamespace(grid=SimpleNamespace(tariff=tariff), site=SimpleNamespace(year=2025))
    return grid_bill(sc, tot, 3600.0, float(tot[T_IMPORT_COST_MAD])), tot


def test_one_month_bill_by_hand():
    bill, tot = _january(TariffConfig(subscribed_kva=11_000.0, power_factor=1.0))
    assert tot[T_IMPORT_KWH_PERIOD : T_IMPORT_KWH_PERIOD + 3] == pytest.approx(
        [1_552_000.0, 3_101_500.0, 2_790_000.0]
    )
    assert bill["energy"] == pytest.approx(4_918_765.55, abs=0.01)
    assert bill["premium"] == pytest.approx(1_951_216.67, abs=0.01)
    assert bill["overrun"] == pytest.approx(345_897.50, abs=0.01)
    assert bill["pf_surcharge"] == 0.0
    assert bill["bill"] == pytest.approx(7_215_879.72, abs=0.01)
    assert bill["vat"] == pytest.approx(1_010_223.16, abs=0.01)


def test_auto_subscription_is_the_peak_and_has_no_overrun():
    """subscribed_kva = 0: the subscription is the peak apparent import, 12 MW / 0.99 =
    12,121.2 kVA, so nothing overruns and the premium is 2,128.60 / 12 x 12,121.2."""
    bill, _ = _january(TariffConfig(power_factor=0.99))
    assert bill["subscribed_kva"] == pytest.approx(12_000.0 / 0.99)
    assert bill["overrun"] == 0.0
    assert bill["premium"] == pytest.approx(2128.60 / 12 * 12_000.0 / 0.99)


def test_low_power_factor_raises_the_bill():
    """cos phi = 0.75: peak called 12 / 0.75 = 16,000 kVA, full 11.5 / 0.75 = 15,333.3,
    off-peak 10 / 0.75 = 13,333.3 against 11,000 subscribed; overrun
    266.075 x (5,000 + 0.6 x 4,333.3 + 0.4 x 2,333.3) = 266.075 x 8,533.3; the sum of
    energy, premium and overrun is raised by 2 x (0.8 - 0.75) = 10 %."""
    bill, _ = _january(TariffConfig(subscribed_kva=11_000.0, power_factor=0.75))
    over_kva = 5_000.0 + 0.6 * (11_500 / 0.75 - 11_000) + 0.4 * (10_000 / 0.75 - 11_000)
    assert bill["overrun"] == pytest.approx(1.5 * 2128.60 / 12 * over_kva)
    base = bill["energy"] + bill["premium"] + bill["overrun"]
    assert bill["pf_surcharge"] == pytest.approx(0.1 * base)


def test_partial_month_premium_is_pro_rata():
    """7 days of January bill 7/31 of a monthly premium; a whole February of 2024 (leap)
    is 29 days."""
    assert month_fraction(2025, 0, 7 * 24, 3600.0) == pytest.approx(7 / 31)
    assert month_fraction(2024, 1, 29 * 96, 900.0) == pytest.approx(1.0)


def test_subscription_above_the_connection_is_refused():
    with pytest.raises(ScenarioError, match="subscribed_kva"):
        Scenario(grid={"import_limit_mw": 10.0, "tariff": {"subscribed_kva": 20_000.0}})


def test_bill_of_a_run_recomputed_from_its_time_series():
    """31 days of January at 1 h with the subscription set at 90 % of the run's own peak
    apparent import: energy_cost_mad = Σ import x price + Pfi/12 x PS + 1.5 x Pfi/12 x
    Σ_p c_p max(0, max_p(import) / cos phi - PS), recomputed here from the step table
    (the period of a step is read from its price, the three prices being distinct)."""
    base = {"simulation": {"days": 31}, "faults": QUIET}
    peak_kva = simulate(Scenario(**base)).kpis["subscribed_kva"]
    sc = Scenario(**base, grid={"tariff": {"subscribed_kva": 0.9 * peak_kva}})
    r = simulate(sc)
    k, ts, t = r.kpis, r.timeseries, sc.grid.tariff
    imp_kw = ts.p_grid_import_mw.to_numpy() * 1e3
    price = ts.price_mad_per_kwh.to_numpy()
    energy = float((imp_kw * price).sum())  # 1 h steps: kW x 1 h = kWh
    ps = 0.9 * peak_kva
    monthly = t.premium_mad_per_kva_yr / 12
    overrun = 0.0
    for p_price, coeff in zip(
        (t.peak_mad_per_kwh, t.full_mad_per_kwh, t.offpeak_mad_per_kwh), (1.0, 0.6, 0.4)
    ):
        called = imp_kw[price == p_price].max() / t.power_factor
        overrun += 1.5 * monthly * coeff * max(0.0, called - ps)
    assert k["grid_overrun_mad"] == pytest.approx(overrun, rel=1e-9)
    assert k["grid_overrun_mad"] > 0.0
    assert k["grid_premium_mad"] == pytest.approx(monthly * ps, rel=1e-9)
    assert k["energy_cost_mad"] == pytest.approx(energy + monthly * ps + overrun, rel=1e-9)
