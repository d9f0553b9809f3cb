"""Supply components: rainflow wear, genset fuel, UPS curve, start failures,
wind, PPA wheeling and the law 82-21 export cap."""

from __future__ import annotations

import numpy as np
import pytest

import twin
import weather
from twin import Scenario, WeatherError
from twin.results.components import genset_fuel_l, rainflow_cycles
from weather.wind import wind_farm_w

QUIET = {"grid_outages_per_year": 0.0, "chiller_failures_per_year": 0.0}


def test_rainflow_matches_the_astm_e1049_example():
    # ASTM E1049-85 Fig. 6 / Table 4 load history: A..I
    cycles = rainflow_cycles(np.array([-2, 1, -3, 5, -1, 3, -4, 4, -2], dtype=float))
    counts: dict[float, float] = {}
    for rng, n in cycles:
        counts[rng] = counts.get(rng, 0.0) + n
    assert counts == {3.0: 0.5, 4.0: 1.5, 6.0: 0.5, 8.0: 1.0, 9.0: 0.5}


def test_rainflow_counts_daily_full_cycles():
    soc = np.tile([0.1, 0.9], 10)
    full = sum(n for r, n in rainflow_cycles(soc) if r == pytest.approx(0.8))
    assert full == pytest.approx(9.5)


def test_battery_wear_kpis():
    sc = Scenario(
        simulation={"days": 7},
        pv={"capacity_mwp": 0.0},
        battery={"energy_mwh": 40.0, "power_mw": 10.0, "calendar_fade_per_yr": 0.0},
        faults=QUIET,
        power={"dispatch": "tou_arbitrage"},
        # a spread that pays the round trip and the wear, so the battery cycles daily
        grid={"tariff": {"peak_mad_per_kwh": 1.5}},
    )
    k = twin.simulate(sc).kpis
    # about one cycle a day; fade per cycle ~ 0.2 / N(DoD)
    assert 3.0 < k["battery_cycles_efc"] < 8.0
    assert 0 < k["battery_fade_frac"] < 8 * 0.2 / 6000 * (0.8 / 0.2) ** 1.5
    assert k["battery_life_yr"] > 5


def test_genset_fuel_curve_homer():
    sc = Scenario(genset={"unit_mw": 2.5})
    f0, f1 = sc.genset.fuel_intercept_l_per_h_per_kw, sc.genset.fuel_slope_l_per_kwh
    # one unit at half load for an hour: F0 x 2500 kW + F1 x 1250 kW
    assert genset_fuel_l(sc, np.array([1.25e6]), 3600.0) == pytest.approx(f0 * 2500 + f1 * 1250)
    # below the minimum load (25 %) the unit burns as at its minimum
    assert genset_fuel_l(sc, np.array([0.3e6]), 3600.0) == pytest.approx(f0 * 2500 + f1 * 625)
    # two units for 3 MW
    assert genset_fuel_l(sc, np.array([3e6]), 3600.0) == pytest.approx(f0 * 5000 + f1 * 3000)


#: Approximate diesel fuel consumption of MW-class sets [L/h] at 1/4, 1/2, 3/4 and full
#: load, the generator dealers' chart (e.g. eventpower.ca, "Generator Fuel Consumption";
#: hardydiesel.com, "Diesel Generator Fuel Consumption Chart"), 2000 and 2250 kW rows.
CHART_L_PER_H = {2000.0: (162.1, 273.3, 391.8, 537.2), 2250.0: (182.1, 307.0, 440.7, 604.2)}


def test_genset_fuel_defaults_fit_mw_class_sets():
    """The default curve is the least-squares line through the 2000 kW row; it predicts
    the 2250 kW row within 5 % at every load (fit on one size, checked on another)."""
    g = Scenario().genset
    loads = np.array([0.25, 0.5, 0.75, 1.0])
    slope, icpt = np.polyfit(loads * 2000.0, CHART_L_PER_H[2000.0], 1)
    assert g.fuel_slope_l_per_kwh == pytest.approx(slope, rel=2e-3)
    assert g.fuel_intercept_l_per_h_per_kw == pytest.approx(icpt / 2000.0, rel=2e-3)
    kw = 2250.0
    pred = g.fuel_intercept_l_per_h_per_kw * kw + g.fuel_slope_l_per_kwh * loads * kw
    assert np.all(np.abs(pred / np.array(CHART_L_PER_H[kw]) - 1.0) < 0.05)
    # the HOMER small-genset default (0.08145, 0.246) is 30-75 % above the chart at part load
    homer = 0.08145 * kw + 0.246 * loads * kw
    assert np.all(homer / np.array(CHART_L_PER_H[kw]) > 1.05)


def _steady(**kw) -> Scenario:
    """The default campus with every rack group at its mean utilisation (no spread).

    A step inside which the utilisation changes holds the time-weighted average of its
    parts (twin.sim.engine), and the average of a quadratic loss is not the loss of the
    average power; with steady groups a per-step row checks the curve exactly."""
    sc = Scenario(**kw)
    groups = [g.model_dump() | {"utilisation_sd": 0.0} for g in sc.it.groups]
    return Scenario(**kw, it=sc.it.model_dump() | {"groups": groups})


def test_ups_curve_is_less_efficient_at_light_load():
    base = {"simulation": {"days": 2}, "faults": QUIET, "pv": {"capacity_mwp": 0.0}}
    flat = twin.simulate(_steady(**base))
    curve = twin.simulate(_steady(**base, ups={"efficiency_curve": True}))
    it = curve.timeseries.p_it_mw
    loss = curve.timeseries.p_ups_loss_mw
    peak = curve.meta["p_it_peak_mw"]
    x = it / peak
    assert np.allclose(loss, peak * (0.015 + 0.02 * x + 0.005 * x**2), rtol=1e-9)
    eta = it / (it + loss)
    assert (eta < 1 / (1 + 0.04)).all()  # never better than at full load
    assert curve.kpis["energy_balance_error"] < 1e-9
    assert curve.kpis["facility_energy_mwh"] != flat.kpis["facility_energy_mwh"]


def test_genset_start_failure_leaves_the_load_unserved():
    outages = {
        "grid_outages_per_year": 300.0,
        "grid_outage_mean_h": 2.0,
        "chiller_failures_per_year": 0.0,
    }
    base = {"simulation": {"days": 5}, "faults": outages, "battery": {"energy_mwh": 0.0}}
    ok = twin.simulate(Scenario(**base))
    failed = twin.simulate(Scenario(**base, genset={"start_failure_prob": 1.0}))
    assert ok.kpis["genset_energy_mwh"] > 0
    assert failed.kpis["genset_energy_mwh"] == 0.0
    assert failed.kpis["unmet_energy_mwh"] > ok.kpis["unmet_energy_mwh"]
    assert "genset_start_failure" in set(failed.events.kind)
    # the outage timeline itself is unchanged
    o1 = ok.events[ok.events.kind == "grid_outage"].time_s.to_numpy()
    o2 = failed.events[failed.events.kind == "grid_outage"].time_s.to_numpy()
    assert np.array_equal(o1, o2)


def test_wind_yield_follows_the_resource():
    d_dak, _ = weather.load_weather("dakhla")
    d_ouz, _ = weather.load_weather("ouarzazate")
    cf_dak = wind_farm_w(d_dak, 100e6, synthetic_seed=3).mean() / 100e6
    cf_ray = wind_farm_w(d_dak, 100e6, rayleigh=True).mean() / 100e6
    # the drawn series keeps the Rayleigh yield within a few per cent
    assert cf_dak == pytest.approx(cf_ray, rel=0.05)
    cf_ouz = wind_farm_w(d_ouz, 100e6, rayleigh=True).mean() / 100e6
    # Dakhla trade winds (7.6 m/s at 10 m) vs inland Ouarzazate
    assert cf_dak > 0.35 and cf_ouz < 0.15
    with pytest.raises(WeatherError, match=r"wind\.turbine"):
        twin.simulate(
            Scenario(simulation={"days": 1}, wind={"capacity_mw": 10.0, "turbine": "nope"})
        )


def test_wind_counts_as_renewable():
    base = {
        "site": {"id": "dakhla"},
        "simulation": {"days": 3},
        "pv": {"capacity_mwp": 0.0},
        "battery": {"energy_mwh": 0.0},
        "faults": QUIET,
    }
    none = twin.simulate(Scenario(**base)).kpis
    wind = twin.simulate(Scenario(**base, wind={"capacity_mw": 40.0})).kpis
    assert none["renewable_fraction"] == 0.0 and wind["renewable_fraction"] > 0.3
    assert wind["cfe_score"] > none["cfe_score"]
    assert wind["co2_t"] < none["co2_t"]
    assert wind["wind_energy_mwh"] > 0 and wind["pv_energy_mwh"] == 0.0


def test_ppa_raises_cfe_not_location_based_co2():
    base = {"simulation": {"days": 3}, "faults": QUIET, "pv": {"capacity_mwp": 0.0}}
    none = twin.simulate(Scenario(**base)).kpis
    ppa = twin.simulate(Scenario(**base, ppa={"capacity_mw": 30.0})).kpis
    assert ppa["cfe_score"] > none["cfe_score"] + 0.05
    assert ppa["co2_t"] == pytest.approx(none["co2_t"])
    assert ppa["ppa_energy_mwh"] > 0
    # PPA at 0.56 MAD/kWh all-in replaces grid energy at >= 0.6077 (THT off-peak)
    assert ppa["energy_cost_mad"] < none["energy_cost_mad"]


def test_law_82_21_export_cap():
    base = {
        "simulation": {"days": 3},
        "faults": QUIET,
        "pv": {"capacity_mwp": 200.0},
        "battery": {"energy_mwh": 0.0},
    }
    grid = {"export_limit_mw": 100.0, "export_share_max": 0.2}
    r = twin.simulate(Scenario(**base, grid=grid))
    k = r.kpis
    produced = k["pv_energy_mwh"] + k["pv_curtailed_mwh"]
    assert 0 < k["grid_export_mwh"] <= 0.2 * produced + 1e-6
    free = twin.simulate(Scenario(**base, grid={"export_limit_mw": 100.0})).kpis
    assert free["grid_export_mwh"] > k["grid_export_mwh"]


def test_transformer_losses_iec_60076_form():
    base = {"simulation": {"days": 2}, "faults": QUIET, "pv": {"capacity_mwp": 0.0}}
    plain = twin.simulate(_steady(**base))
    xf = twin.simulate(_steady(**base, grid={"transformer_mva": 60.0}))
    imp0 = plain.timeseries.p_grid_import_mw.to_numpy()
    loss = 60.0 * (0.0005 + 0.004 * (imp0 / 60.0) ** 2)
    got = xf.timeseries.p_grid_import_mw.to_numpy()
    # the first step, cut by the workload processes' first (no-change) event while the
    # plant leaves its initial state, holds the average of two parts' losses
    assert np.allclose(got[1:], (imp0 + loss)[1:], rtol=1e-9)
    assert np.allclose(got[0], imp0[0] + loss[0], rtol=1e-6)
    d_fac = xf.kpis["facility_energy_mwh"] - plain.kpis["facility_energy_mwh"]
    assert d_fac == pytest.approx(loss.sum() * 1.0, rel=1e-5)  # 1 h steps; the first, 1e-5 MWh
    assert xf.kpis["energy_balance_error"] < 1e-9


def test_wind_resource_override_scales_the_farm_site_speed():
    """A farm-site mean speed above the station's raises wind energy; 0 keeps the weather."""
    from twin import Scenario, simulate

    base = {
        "site": {"id": "tetouan"},
        "simulation": {"days": 14},
        "pv": {"capacity_mwp": 0.0},
        "wind": {"capacity_mw": 20.0},
        "faults": {"grid_outages_per_year": 0.0, "chiller_failures_per_year": 0.0},
    }
    station = simulate(Scenario(**base)).kpis["wind_energy_mwh"]
    ridge = simulate(
        Scenario(**{**base, "wind": {"capacity_mw": 20.0, "mean_speed_10m_m_s": 9.0}})
    ).kpis["wind_energy_mwh"]
    # capacity factor: a 2.6 m/s station wind gives little; 9 m/s at 10 m is a good site
    hours = 14 * 24
    assert station / (20.0 * hours) < 0.2
    assert 0.3 < ridge / (20.0 * hours) < 0.8
