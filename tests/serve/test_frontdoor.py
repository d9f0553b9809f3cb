"""One front door: the CLI's sweep checks every varied value before running, numeric
ranges, the packaged examples, and Dask's INFO logs kept off the terminal."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.test_cli import twin_cli
from twin import examples
from twin.errors import ScenarioError
from twin.frontdoor import check_vary, cli_scenario, option_sets, served_scenario
from twin.portfolios.spec import is_portfolio_file
from twin.scenario.model import Scenario
from twin.sweeps.design import parse_vary

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("vary", "message"),
    [
        (
            "pv.capacity_mwp=-10:200:3",
            "--vary pv.capacity_mwp=-10: pv.capacity_mwp = -10 is outside",
        ),
        ("pv.capacity_mwp=0,20,-5", "--vary pv.capacity_mwp=-5: pv.capacity_mwp = -5 is outside"),
        ("pv.capacity_mwp=lots", "--vary pv.capacity_mwp=\"lots\": pv.capacity_mwp = 'lots'"),
        ("pv.capacity_mwp=0:200:abc", "a range is START:STOP:N with N an integer"),
        ("pv.capacity_mwp=0:200:1", "a range is START:STOP:N with N an integer"),
        ("cooling.plant=dry_coolers,fusion", "cooling.plant = 'fusion' is not one of"),
    ],
)
def test_sweep_refuses_a_bad_value_before_running(tmp_path, vary, message):
    out = tmp_path / "sweep"
    r = twin_cli("sweep", "--vary", vary, "--out", str(out), cwd=tmp_path)
    assert r.returncode == 2
    assert message in r.stderr
    assert r.stderr.count("\n") == 1 and "Traceback" not in r.stderr
    assert not out.exists()  # nothing written


def test_ranges_are_start_stop_n():
    assert parse_vary(["pv.capacity_mwp=0:200:5"]) == {"pv.capacity_mwp": [0, 50, 100, 150, 200]}
    assert parse_vary(["battery.energy_mwh=0:1:3"]) == {"battery.energy_mwh": [0.0, 0.5, 1.0]}
    assert parse_vary(["pv.capacity_mwp=0:10:3"]) == {"pv.capacity_mwp": [0.0, 5.0, 10.0]}
    assert parse_vary(["pv.capacity_mwp=0:1:4"])["pv.capacity_mwp"] == [0.0, 1 / 3, 2 / 3, 1.0]
    # lists and times of day are plain values, as before
    assert parse_vary(["pv.capacity_mwp=0,20.5"]) == {"pv.capacity_mwp": [0, 20.5]}
    assert len(parse_vary(["simulation.start=2023-07-08T12:00:00"])["simulation.start"]) == 1


def test_check_vary_passes_good_values_and_names_the_bad_one():
    base = Scenario()
    check_vary(base, {"pv.capacity_mwp": [0, 50], "cooling.plant": ["dry_coolers"]})
    with pytest.raises(ScenarioError, match=r"--vary battery.energy_mwh=-1: battery.energy_mwh"):
        check_vary(base, {"battery.energy_mwh": [10, -1]})
    # a server's client names no path
    with pytest.raises(ScenarioError, match="this server reads no files"):
        check_vary(base, {"site.weather": ["x.epw"]}, served=True)


def test_the_options_are_assignments_in_the_cli_order():
    before, after = option_sets(site="dakhla", step="15min", days=3, seed=7)
    assert before == ['site.id="dakhla"']
    assert after == ['simulation.step="15min"', "simulation.days=3", "simulation.seed=7"]
    a = cli_scenario(None, "dakhla", [*before, "pv.capacity_mwp=5", *after])
    b, files = served_scenario(None, "dakhla", [*before, "pv.capacity_mwp=5", *after])
    assert a.to_dict() == b.to_dict() and files == {}


def test_examples_are_installed_by_name_and_are_the_repository_files():
    # scenario examples: a portfolio file (``[[campus]]`` tables) is twin.portfolio's
    files = sorted(p.stem for p in (REPO / "examples").glob("*.toml") if not is_portfolio_file(p))
    assert examples.names() == files
    for name in files:
        assert examples.text(name) == (REPO / "examples" / f"{name}.toml").read_text("utf-8")
        assert (
            examples.load(name).to_dict()
            == Scenario.from_toml(REPO / "examples" / f"{name}.toml").to_dict()
        )
    with pytest.raises(ScenarioError, match="example = 'atlantis' is not one of benguerir"):
        examples.load("atlantis")


def test_twin_run_example_is_the_file(tmp_path):
    by_name = twin_cli("run", "--example", "rabat_colo", "--days", "2", "--json", cwd=tmp_path)
    by_file = twin_cli(
        "run", str(REPO / "examples" / "rabat_colo.toml"), "--days", "2", "--json", cwd=tmp_path
    )
    assert by_name.returncode == by_file.returncode == 0, by_name.stderr
    a, b = json.loads(by_name.stdout), json.loads(by_file.stdout)
    a["meta"].pop("wall_s"), b["meta"].pop("wall_s")
    assert a == b
    listing = twin_cli("examples", cwd=tmp_path)
    assert listing.returncode == 0 and "dakhla" in listing.stdout
    both = twin_cli("run", "x.toml", "--example", "dakhla", cwd=tmp_path)
    assert both.returncode == 2 and "not both" in both.stderr


def test_dask_info_logs_stay_off_the_terminal_unless_verbose(tmp_path):
    args = ("sweep", "--backend", "dask", "--workers", "1", "--set", "simulation.days=2",
            "--vary", "simulation.seed=1,2")  # fmt: skip
    quiet = twin_cli(*args, "--out", str(tmp_path / "q"), cwd=tmp_path)
    assert quiet.returncode == 0, quiet.stderr
    assert not [line for line in quiet.stderr.splitlines() if "INFO" in line]
    loud = twin_cli("-v", *args, "--out", str(tmp_path / "v"), cwd=tmp_path)
    assert loud.returncode == 0, loud.stderr
    assert "INFO" in loud.stderr
