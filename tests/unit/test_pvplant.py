"""PV plant chain (weather.pvplant) on the Ouarzazate typical year: physical truths."""

import numpy as np
import pytest

from twin.errors import ScenarioError
from twin.scenario.model import Scenario
from weather.pvplant import (
    KIMBER_MOROCCO,
    PVPlant,
    PVPlantError,
    dc_losses_frac,
    simulate_pv_plant,
)
from weather.sites import get_site
from weather.typical_year import typical_year

SITE = get_site("ouarzazate")


@pytest.fixture(scope="module")
def year():
    return typical_year(SITE, year=2023, seed=1)


def run(data, **kw):
    return simulate_pv_plant(data, SITE.lat, SITE.lon, SITE.elevation_m, PVPlant(**kw))


@pytest.fixture(scope="module")
def base(year):
    return run(year)


def test_bounds_clipping_and_night(year, base):
    p_ac0 = 1e6 / 1.2
    assert np.all(np.isfinite(base.to_numpy()))
    assert base["p_ac_w"].between(0.0, p_ac0).all()
    assert base["p_ac_w"].max() == pytest.approx(p_ac0)  # clips on clear noons at DC/AC 1.2
    assert (base["p_clipped_w"] > 0).any()
    night = year["ghi_w_m2"].to_numpy() == 0
    assert np.all(base["p_ac_w"].to_numpy()[night] == 0)
    # PVWatts curve (Dobos 2014 eq. 12): peak efficiency is
    # 0.96/0.9637 * (0.9858 - 2*sqrt(0.0162*0.0059)) = 0.9625 at ~60 % load
    assert np.all(base["p_ac_w"] <= base["p_dc_w"] * 0.9626 + 1e-6)


def test_losses_frac_scales_dc_exactly(year, base):
    """With soiling 'none' the only DC loss is losses_frac: DC scales by (1 − L)."""
    lossless = run(year, losses_frac=0.0)
    np.testing.assert_allclose(base["p_dc_w"], lossless["p_dc_w"] * 0.86, rtol=1e-12)
    assert np.all(base["soiling_ratio"] == 1.0)


def test_degradation_linear(year, base):
    aged = run(year, age_years=10.0, degradation_frac_per_year=0.005)
    np.testing.assert_allclose(aged["p_dc_w"], base["p_dc_w"] * 0.95, rtol=1e-12)


def test_kimber_soiling_builds_up_and_cleaning_resets(year, base):
    dirty = run(year, soiling_model="kimber")
    sr = dirty["soiling_ratio"].to_numpy()
    # no rain in the typical year: linear build-up after the 14-day grace period to the cap
    assert sr.min() == pytest.approx(1.0 - KIMBER_MOROCCO["max_soiling"])
    assert np.all(np.diff(sr) <= 1e-12)
    washed = run(year, soiling_model="kimber", cleaning_interval_days=30.0)
    assert washed["soiling_ratio"].min() > 1.0 - 0.0025 * 30 - 1e-9
    e_dirty, e_washed = (x["p_ac_w"].sum() for x in (dirty, washed))
    assert e_dirty < e_washed


def test_kimber_does_not_count_the_pvwatts_soiling_twice(year):
    """PVWatts v5's 14 % losses hold 2 % soiling (Dobos 2014, Table 3): with the Kimber
    model on and a panel kept clean by daily rain, DC is the lossless DC x 0.86 / 0.98."""
    wet = year.copy()
    wet["precip_mm"] = 10.0  # every interval a wash (>= 6 mm/day)
    clean = run(wet, soiling_model="kimber", losses_frac=0.14)
    lossless = run(year, losses_frac=0.0)
    assert np.all(clean["soiling_ratio"] == 1.0)
    np.testing.assert_allclose(clean["p_dc_w"], lossless["p_dc_w"] * 0.86 / 0.98, rtol=1e-12)
    # the PVWatts default 14.08 % is 1 - prod(1 - l_i) of Table 3; without soiling: 12.33 %
    table3 = (0.02, 0.03, 0.0, 0.02, 0.02, 0.005, 0.015, 0.01, 0.0, 0.03)
    total = 1.0 - np.prod([1.0 - x for x in table3])
    assert total == pytest.approx(0.1408, abs=5e-5)
    no_soil = dc_losses_frac(PVPlant(losses_frac=total, soiling_model="kimber"))
    assert no_soil == pytest.approx(1.0 - np.prod([1.0 - x for x in table3[1:]]), rel=1e-12)
    assert dc_losses_frac(PVPlant(losses_frac=0.01, soiling_model="kimber")) == 0.0
    assert dc_losses_frac(PVPlant(losses_frac=0.14)) == 0.14


def test_kimber_rain_cleans(year):
    wet = year.copy()
    wet["precip_mm"] = 0.0
    wet.loc[wet.index.month.isin([3, 6, 9, 12]) & (wet.index.day == 1), "precip_mm"] = 1.0
    out = run(wet, soiling_model="kimber")
    sr = out["soiling_ratio"]
    assert sr[(sr.index.month == 3) & (sr.index.day == 2)].min() == pytest.approx(1.0)


def test_tracking_and_bifacial_gain(year, base):
    trk = run(year, tracking="single_axis")
    bif = run(year, bifaciality=0.7)
    e0 = base["p_ac_w"].sum()
    # single-axis tracking gains 15-30 % in high-DNI deserts (NREL PVWatts runs, Dobos 2014)
    assert 1.10 < trk["p_ac_w"].sum() / e0 < 1.35
    # bifacial gain of a few percent at albedo 0.2 (Mikofski 2019: 2-8 %)
    assert 1.0 < bif["p_ac_w"].sum() / e0 < 1.10


def test_bad_parameters_name_the_field():
    with pytest.raises(PVPlantError, match=r"pv\.inverter_efficiency"):
        PVPlant(inverter_efficiency=1.2)
    with pytest.raises(PVPlantError, match=r"pv\.soiling_model"):
        PVPlant(soiling_model="dusty")
    with pytest.raises(ScenarioError, match="soiling_model"):
        Scenario(pv={"soiling_model": "dusty"})


def test_scenario_weather_keywords_are_not_paths(tmp_path):
    f = tmp_path / "s.toml"
    f.write_text('[site]\nweather = "typical"\n[pv]\ninverter_efficiency = 0.97\n')
    sc = Scenario.from_toml(f)
    assert sc.site.weather == "typical" and sc.pv.inverter_efficiency == 0.97
    f.write_text('[site]\nweather = "data/x.epw"\n')
    assert Scenario.from_toml(f).site.weather == str(tmp_path / "data" / "x.epw")
