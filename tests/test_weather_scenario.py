"""Scenario keys of issue 3 through the whole twin: sub-hourly variability, warming, PV keys."""

import numpy as np
import pytest

import twin
from twin.errors import ScenarioError
from twin.scenario.model import Scenario
from twin.sim.inputs import load_inputs


def _sc(**site):
    return Scenario(
        site={"id": "benguerir", **site},
        simulation={"step": "15min", "days": 4, "seed": 5},
        pv={"capacity_mwp": 10.0},
    )


def test_subhourly_variability_keeps_hourly_energy_and_adds_ramps():
    smooth = load_inputs(_sc())
    rough = load_inputs(_sc(subhourly="variability"))
    g_s, g_r = smooth.ghi_w_m2, rough.ghi_w_m2
    # same irradiation hour by hour (weather.subhourly conserves it exactly; the
    # interpolated series keeps it to within the curvature of the profile)
    assert g_r.reshape(-1, 4).mean(axis=1).sum() == pytest.approx(g_s.sum() / 4, rel=0.02)
    assert np.abs(np.diff(g_r)).max() > np.abs(np.diff(g_s)).max()
    assert rough.p_pv_w.sum() == pytest.approx(smooth.p_pv_w.sum(), rel=0.05)
    assert np.all(rough.p_pv_w >= 0) and np.all(rough.p_pv_w <= 10e6 / 1.1 + 1e-6)


def test_warming_raises_dry_and_wet_bulb_and_runs():
    base = load_inputs(_sc())
    warm = load_inputs(_sc(warming_c=3.0))
    np.testing.assert_allclose(warm.t_db_c, base.t_db_c + 3.0, atol=1e-9)
    assert np.all(warm.t_wb_c > base.t_wb_c)
    r = twin.simulate(_sc(warming_c=3.0, subhourly="variability"))
    assert abs(r.kpis["energy_balance_error"]) < 1e-6
    assert r.kpis["pv_energy_mwh"] > 0


def test_bad_keys_are_scenario_errors():
    with pytest.raises(ScenarioError, match="warming_c"):
        _sc(warming_c=12.0)
    with pytest.raises(ScenarioError, match="subhourly"):
        _sc(subhourly="fancy")
    with pytest.raises(ScenarioError, match="inverter_efficiency"):
        Scenario(pv={"inverter_efficiency": 96})


def test_simulation_seed_does_not_redraw_the_weather():
    """The weather has its own random stream (weather.WEATHER_SEED): two scenarios that
    differ only in ``simulation.seed`` (faults, workload) see the same typical year,
    synthetic wind and sub-hourly clouds, bit for bit (issue 17 item 5)."""

    def inputs(seed):
        return load_inputs(
            Scenario(
                site={"id": "dakhla", "subhourly": "variability"},
                simulation={"step": "15min", "days": 3, "seed": seed},
                pv={"capacity_mwp": 5.0},
                wind={"capacity_mw": 5.0},
            )
        )

    a, b = inputs(1), inputs(2)
    for name in ("t_db_c", "t_wb_c", "ghi_w_m2", "p_pv_w", "p_wind_w"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name))
    assert a.p_wind_w.sum() > 0


def test_cli_weather_without_seed_exports_the_weather_of_a_run(tmp_path):
    """``twin weather`` with no ``--seed`` writes the dry bulb that ``twin run`` uses
    (a year at 1 h, whatever ``simulation.seed`` the run has)."""
    import pandas as pd

    from twin.cli import main

    out = tmp_path / "w.csv"
    assert main(["weather", "ouarzazate", "--out", str(out)]) == 0
    exported = pd.read_csv(out, index_col="time")["t_drybulb_c"].to_numpy()
    inp = load_inputs(Scenario(site={"id": "ouarzazate"}, simulation={"days": 365, "seed": 7}))
    np.testing.assert_allclose(inp.t_db_c, exported, atol=5e-5)  # CSV keeps 4 decimals


def test_weather_file_far_from_the_site_is_named_in_a_warning(caplog):
    """The Rabat-Salé TMYx file (34.051 N, 6.752 W, 84 m in its header) chosen for the
    Ouarzazate site (30.922 N, 6.904 W, 1151 m): haversine distance
    2 x 6371 km x asin(sqrt(sin²(3.129°/2) + cos cos sin²(0.152°/2))) = 348 km, elevation
    difference -1067 m (+6.9 K at 6.5 K/km); both over the limits (50 km, 150 m), so a
    warning names both places. The same file at Rabat is near: no warning."""
    from tests.datafiles import RABAT_2009_2023_EPW as path
    from weather import load_weather
    from weather.sites import get_site

    caplog.set_level("WARNING", logger="weather.nearby")
    _, meta = load_weather(get_site("ouarzazate"), str(path))
    assert meta["site_distance_km"] == pytest.approx(348, abs=1)
    assert meta["site_elevation_diff_m"] < -900
    assert "ouarzazate" in caplog.text and "Rabat" in caplog.text and "km" in caplog.text
    caplog.clear()
    _, meta = load_weather(get_site("rabat"), str(path))
    assert meta["site_distance_km"] < 50
    assert "weather.nearby" not in {r.name for r in caplog.records}


def test_a_subhourly_window_sees_the_exported_clouds(tmp_path):
    """A 2-day window from 10 June at 15 min with ``site.subhourly = "variability"`` has
    the GHI and dry bulb of the whole-year 15 min export (`twin weather --step 15min`)
    at the same rows: the minute clouds are one series from 1 January."""
    import pandas as pd

    from twin.cli import main

    out = tmp_path / "w.csv"
    assert main(["weather", "benguerir", "--step", "15min", "--out", str(out)]) == 0
    table = pd.read_csv(out, index_col="time")
    sc = Scenario(
        site={"id": "benguerir", "subhourly": "variability"},
        simulation={"step": "15min", "days": 2, "start": "2023-06-10T00:00", "seed": 3},
    )
    inp = load_inputs(sc)
    first = sc.start_offset_s // 900
    rows = slice(first, first + sc.n_steps)
    np.testing.assert_allclose(inp.ghi_w_m2, table["ghi_w_m2"].to_numpy()[rows], atol=5e-4)
    np.testing.assert_allclose(inp.t_db_c, table["t_drybulb_c"].to_numpy()[rows], atol=5e-5)
    assert np.abs(np.diff(inp.ghi_w_m2)).max() > 0
