"""``twin ensemble`` and ``twin.ensemble``: many weather years through the sweep path."""

import json

import numpy as np
import pandas as pd
import pytest

import twin
from tests.test_cli import _assert_clean_error, twin_cli
from twin.results.kpis import KPI_NAMES
from twin.sweeps.batch import scenario_kpis
from twin.sweeps.prepare import inputs_key


@pytest.mark.parametrize(
    ("args", "needles"),
    [
        pytest.param(["--years", "-1"], ("years = -1", "[1, 10000]"), id="negative-years"),
        pytest.param(["--years", "0"], ("years = 0",), id="zero-years"),
        pytest.param(["--years", "10001"], ("years = 10001", "10000"), id="too-many-years"),
        pytest.param(["--years", "3", "--site", "atlantis"], ("atlantis",), id="unknown-site"),
        pytest.param(["--years", "3", "--seed", "-4"], ("seed = -4",), id="negative-seed"),
        pytest.param(
            ["--years", "3", "--set", "site.weather=x.epw"], ("site.weather",), id="weather-file"
        ),
    ],
)
def test_bad_input_exits_2_with_one_line_and_no_output(tmp_path, args, needles):
    proc = twin_cli("ensemble", *args, "--out", "ens", cwd=tmp_path)
    _assert_clean_error(proc, *needles)
    assert not (tmp_path / "ens").exists()


def test_scenario_key_weather_year_is_checked():
    with pytest.raises(twin.ScenarioError, match=r"site\.weather_year"):
        twin.Scenario(site={"weather_year": -1})
    with pytest.raises(twin.ScenarioError, match=r"site\.weather_year"):
        twin.Scenario(site={"weather_year": 100_000})


def test_input_cache_keys_on_the_weather_year():
    a = twin.Scenario(site={"id": "dakhla", "weather_year": 1})
    assert inputs_key(a) != inputs_key(a.with_overrides(["site.weather_year=2"]))
    assert inputs_key(a) != inputs_key(a.with_overrides(["site.weather_seed=9"]))
    assert inputs_key(a) == inputs_key(a.with_overrides(["simulation.seed=9"]))


def test_ensemble_year_is_the_single_run_of_that_year():
    """A year of ``twin.ensemble`` gives the KPIs of the scenario run alone with
    ``site.weather_year`` set (same batched kernels, same inputs); years differ."""
    sc = twin.Scenario(site={"id": "ouarzazate"}, simulation={"days": 20}, pv={"capacity_mwp": 30})
    ds = twin.ensemble(sc, years=3, seed=4, progress=False)
    assert list(ds["weather_year"].values) == [0, 1, 2]
    alone = scenario_kpis(sc.with_overrides(["site.weather_year=1", "site.weather_seed=4"]))
    for name in ("pv_energy_mwh", "facility_energy_mwh", "water_m3", "grid_import_mwh"):
        assert float(ds[name].sel(weather_year=1)) == pytest.approx(alone[name], rel=1e-12)
    assert len(set(np.round(ds["pv_energy_mwh"].values, 3))) == 3


@pytest.fixture(scope="module")
def ouarzazate_30(tmp_path_factory):
    folder = tmp_path_factory.mktemp("ens")
    proc = twin_cli(
        "ensemble", "--site", "ouarzazate", "--set", "pv.capacity_mwp=100",
        "--years", "30", "--json", "--out", "out", cwd=folder,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout), folder / "out"


@pytest.mark.slow
def test_ensemble_json_has_every_kpi_in_order(ouarzazate_30):
    """The issue's command: one JSON object, every KPI in each block, P10 <= P50 <= P90."""
    js, _ = ouarzazate_30
    assert set(js) == {"p10", "p50", "p90", "mean", "meta"}
    assert js["meta"]["years"] == 30 and js["meta"]["seed"] == 0 and js["meta"]["wall_s"] > 0
    for block in ("p10", "p50", "p90", "mean"):
        assert list(js[block]) == list(KPI_NAMES)
    for k in KPI_NAMES:
        if js["p50"][k] is not None:
            assert js["p10"][k] <= js["p50"][k] <= js["p90"][k], k


@pytest.mark.slow
def test_pv_spread_between_years_is_a_desert_sites(ouarzazate_30):
    """Annual PV energy of 100 MWp at Ouarzazate varies between years by a coefficient
    of variation of 1-4 %: the published spread of annual GHI is 1.7-3.4 % (P99 4-8 %
    below P50; Clean Power Research) and PV energy follows GHI nearly one for one; the
    output files hold the 30 years."""
    js, out = ouarzazate_30
    per_year = pd.read_csv(out / "kpis_by_year.csv")
    assert len(per_year) == 30 and "weather_year" in per_year
    pv = per_year["pv_energy_mwh"].to_numpy()
    assert 0.01 < pv.std(ddof=1) / pv.mean() < 0.04
    # ~100 MWp x ~1,900 kWh/kWp at a clear, high site
    assert 150_000 < js["p50"]["pv_energy_mwh"] < 230_000
    assert json.loads((out / "summary.json").read_text())["p50"] == js["p50"]
    assert (out / "distributions.png").stat().st_size > 10_000


def test_weather_export_of_ensemble_years(tmp_path):
    proc = twin_cli(
        "weather", "agadir", "--source", "ensemble", "--years", "2", "--seed", "3",
        "--out", "w.csv", cwd=tmp_path,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    table = pd.read_csv(tmp_path / "w.csv")
    assert list(table.columns[:2]) == ["weather_year", "time"]
    assert len(table) == 2 * 8760 and sorted(set(table["weather_year"])) == [0, 1]
    assert (table["precip_mm"] >= 0).all()
    from weather.ensemble import ensemble_year
    from weather.sites import get_site

    year1 = ensemble_year(get_site("agadir"), 1, seed=3)
    got = table.loc[table["weather_year"] == 1, "t_drybulb_c"].to_numpy()
    assert np.allclose(got, year1["t_air_c"].to_numpy(), atol=1e-4)
    bad = twin_cli("weather", "agadir", "--years", "2", "--out", "x.csv", cwd=tmp_path)
    _assert_clean_error(bad, "--years")
    assert not (tmp_path / "x.csv").exists()


def test_ensemble_table_lists_every_kpi_with_its_percentiles(tmp_path):
    proc = twin_cli(
        "ensemble", "--site", "dakhla", "--set", "simulation.days=3", "--years", "3", cwd=tmp_path
    )
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("3 weather years (seed 0)")
    assert lines[1].split() == ["KPI", "P10", "P50", "P90", "mean"]
    assert [ln.split()[0] for ln in lines[2:]] == list(KPI_NAMES)
