"""``twin portfolio``: the embedded ~2 GW pipeline, its totals, each campus against its own
``twin run``, the national figures against hand calculations, and bad input."""

from __future__ import annotations

import filecmp
import json
from pathlib import Path

import numpy as np
import pytest

from tests.test_cli import _assert_clean_error, twin_cli
from twin.cli import main
from twin.portfolios.run import ADDITIVE_UNITS
from twin.portfolios.spec import default_portfolio_path, load_portfolio
from twin.portfolios.whatif import delayed
from twin.results.kpis import KPI_UNITS
from weather.national_grid import FOSSIL, national_grid

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"


@pytest.fixture(scope="module")
def pf_json(tmp_path_factory) -> dict:
    """``twin portfolio --json`` on the embedded default, as a real subprocess."""
    proc = twin_cli("portfolio", "--json", cwd=tmp_path_factory.mktemp("pf"))
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_json_has_the_four_parts_and_names_the_file(pf_json):
    assert set(pf_json) == {"campuses", "total", "national", "meta"}
    assert Path(pf_json["meta"]["portfolio_file"]) == default_portfolio_path().resolve()
    assert list(pf_json["campuses"]) == [
        "igoudar_dakhla",
        "naver_nvidia_nouaceur",
        "iozera_tetouan",
        "atlas_cloud_benguerir",
    ]
    for key in (
        "consumption_twh",
        "peak_mw",
        "added_energy_twh",
        "added_share_of_consumption",
        "added_peak_mw",
        "average_co2_t",
        "marginal_co2_t",
        "water_m3_by_source",
    ):
        assert key in pf_json["national"], key


def test_totals_are_the_sums_of_the_campuses(pf_json):
    camps = pf_json["campuses"].values()
    additive = [n for n, (u, _) in KPI_UNITS.items() if u in ADDITIVE_UNITS]
    assert {"it_energy_mwh", "water_m3", "co2_t", "co2_marginal_t", "capex_mad"} <= set(additive)
    for name in additive:
        assert pf_json["total"][name] == pytest.approx(sum(k[name] for k in camps), rel=1e-12)
    t = pf_json["total"]
    assert t["pue"] == pytest.approx(t["facility_energy_mwh"] / t["it_energy_mwh"], rel=1e-12)


def test_each_campus_equals_its_own_twin_run(pf_json, capsys):
    """The file and the `set` overrides of each campus through `twin run --json`: every
    KPI equal, bit for bit (the portfolio runs them in one batch)."""
    pf = load_portfolio()
    for c in pf.campuses:
        args = ["run", str(c.scenario_file), "--json"]
        for s in c.sets:
            args += ["--set", s]
        assert main(args) == 0
        run = json.loads(capsys.readouterr().out)
        run.pop("meta")
        assert run == pf_json["campuses"][c.name], c.name


def test_national_figures_follow_from_the_campuses_and_the_2024_year(pf_json):
    """Consumption and peak are ANRE's 45,713 GWh and the 7,602 MW of the data file;
    every campus is in full service in 2030; added energy = Σ (import - export - PPA)
    over the campuses, within the one day (29 February 2024) the 365-day runs lack."""
    n = pf_json["national"]
    assert n["consumption_twh"] == pytest.approx(45.713, rel=1e-9)
    assert n["peak_mw"] == pytest.approx(7602.0, rel=1e-9)
    assert set(n["online_frac"].values()) == {1.0}
    camps = pf_json["campuses"].values()
    net_twh = sum(k["grid_import_mwh"] - k["grid_export_mwh"] - k["ppa_energy_mwh"] for k in camps)
    assert n["added_energy_twh"] == pytest.approx(net_twh / 1e6, rel=366 / 365 - 1 + 0.01)
    assert n["added_share_of_consumption"] == pytest.approx(
        n["added_energy_twh"] / n["consumption_twh"], rel=1e-12
    )
    # the marginal mix climbs the merit order: between gas (490) and fuel oil (982)
    assert 490.0 < n["marginal_factor_g_per_kwh"] < 982.0
    assert n["marginal_co2_t"] > n["average_co2_t"] > 0.0
    assert sum(n["added_fossil_twh"].values()) == pytest.approx(n["added_energy_twh"], rel=1e-9)
    # the Dakhla campus draws desalinated water, the others the grid's
    water = n["water_m3_by_source"]
    assert water["desalination"] == pytest.approx(
        pf_json["campuses"]["igoudar_dakhla"]["water_m3"], rel=1e-12
    )


def test_portfolio_out_writes_tables_plots_and_report(tmp_path):
    proc = twin_cli("portfolio", "--out", str(tmp_path / "pf"), "--report", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    names = {p.name for p in (tmp_path / "pf").iterdir()}
    assert names == {
        "portfolio.json",
        "campuses.csv",
        "national_hourly.csv",
        "load_duration.png",
        "peak_day_stack.png",
        "campuses.png",
        "report.html",
    }
    html = (tmp_path / "pf" / "report.html").read_text(encoding="utf-8")
    assert "data:image/png;base64," in html and "igoudar_dakhla" in html


def _write(tmp_path: Path, body: str) -> Path:
    p = tmp_path / "pf.toml"
    p.write_text(body, encoding="utf-8")
    return p


DAKHLA = (EXAMPLES / "dakhla.toml").as_posix()


@pytest.mark.parametrize(
    ("body", "needles"),
    [
        (
            '[[campus]]\nname = "ghost"\nscenario = "nowhere.toml"\n',
            ["campus 'ghost'", "nowhere.toml"],
        ),
        (
            f'[[campus]]\nname = "a"\nscenario = "{DAKHLA}"\n[[campus]]\nname = "a"\nscenario = "{DAKHLA}"\n',
            ["campus 'a'", "duplicate"],
        ),
        (
            f'[[campus]]\nname = "dk"\nscenario = "{DAKHLA}"\nset = ["pv.capacity_mwp=-5"]\n',
            ["campus 'dk'", "pv.capacity_mwp"],
        ),
        (
            f'[[campus]]\nname = "dk"\nscenario = "{DAKHLA}"\nset = ["cooling.water_source=\\"river\\""]\n',
            ["campus 'dk'", "water_source"],
        ),
    ],
    ids=["unknown scenario", "duplicate names", "invalid override", "unknown water source"],
)
def test_bad_portfolio_exits_2_naming_the_campus(tmp_path, body, needles):
    proc = twin_cli("portfolio", str(_write(tmp_path, body)), "--json", cwd=tmp_path)
    _assert_clean_error(proc, *needles)


def test_online_share_and_delays():
    """online_year 2027, 3-year ramp: 0 in 2026, 1/3 in 2027, 1 from 2029; two years
    later: 1/3 in 2029."""
    pf = load_portfolio()
    dk = next(c for c in pf.campuses if c.name == "igoudar_dakhla")
    assert [dk.online_frac(y) for y in (2026, 2027, 2028, 2029, 2030)] == pytest.approx(
        [0.0, 1 / 3, 2 / 3, 1.0, 1.0]
    )
    late = next(c for c in delayed(pf, 2).campuses if c.name == "igoudar_dakhla")
    assert late.online_frac(2029) == pytest.approx(1 / 3)


def test_embedded_default_is_the_example_with_its_campus_files():
    """The packaged default (an installed package has no examples/ folder) is the example
    file, byte for byte, with the same campus scenarios beside it."""
    packaged = default_portfolio_path().parent
    for name in (
        "morocco_2gw.toml",
        "dakhla.toml",
        "casablanca_nouaceur.toml",
        "tetouan.toml",
        "benguerir.toml",
    ):
        assert filecmp.cmp(packaged / name, EXAMPLES / name, shallow=False), name


def test_marginal_co2_is_the_redispatch_difference():
    """A flat 1 MW added to every hour: the fossil fleet's extra generation is exactly
    that MW (renewables and imports fixed) and the extra CO2 is Σ the hour's marginal
    factor x 1 MWh, since 1 MW never crosses a level of the merit order in 8784 h but
    where the residual sits within 1 MW below a level."""
    from weather.national_grid import redispatch

    g = national_grid()
    with_g = redispatch(g, np.ones(len(g.index)))
    extra = sum(with_g[k] - g.gen_mw[k] for k in FOSSIL)
    assert np.allclose(extra, 1.0)
    kg = sum(((with_g[k] - g.gen_mw[k]) * g.factors_g_per_kwh[k]).sum() for k in FOSSIL)
    assert kg == pytest.approx(g.marginal_g_per_kwh.sum(), rel=2e-3)


def test_a_portfolio_file_is_told_from_a_scenario_by_its_tables(tmp_path):
    """A portfolio has ``[[campus]]`` tables; a scenario that only mentions them in a
    comment is still a scenario."""
    from twin.portfolios.spec import is_portfolio_file

    assert is_portfolio_file(REPO / "examples" / "morocco_2gw.toml")
    assert not is_portfolio_file(REPO / "examples" / "dakhla.toml")
    note = tmp_path / "scenario.toml"
    note.write_text('# run by a [[campus]] table elsewhere\n[site]\nid = "dakhla"\n')
    assert not is_portfolio_file(note)
    assert not is_portfolio_file(tmp_path / "missing.toml")
