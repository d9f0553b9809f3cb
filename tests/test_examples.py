"""Every example scenario runs a whole year at 1 h, closes its energy balance, and is sourced."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest

import twin
from twin.portfolios.spec import is_portfolio_file

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
TAGS = ("[announced]", "[sourced]", "[derived]", "[assumed]")
#: The announced capacity of each campus [MW of IT] and its site (see the files' sources).
ANNOUNCED = {
    "dakhla.toml": ("dakhla", 500.0),
    "tetouan.toml": ("tetouan", 386.0),
    "casablanca_nouaceur.toml": ("casablanca", 40.0),
    "benguerir.toml": ("benguerir", 5.0),
    "rabat_colo.toml": ("rabat", 0.8),
}


#: The scenario files of examples/ (a portfolio file, with [[campus]] tables, is run by
#: tests/test_portfolio.py).
SCENARIOS = sorted(p for p in EXAMPLES.glob("*.toml") if not is_portfolio_file(p))


def test_the_five_campuses_are_there():
    names = {p.name for p in EXAMPLES.glob("*.toml")}
    assert set(ANNOUNCED) <= names


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.name)
def test_example_runs_a_year_at_1h_and_balances(path):
    sc = twin.Scenario.from_toml(path).with_overrides(
        ['simulation.step="1h"', "simulation.days=365"]
    )
    r = twin.simulate(sc)  # raises EnergyBalanceError on NaN, negative flow or open balance
    k = r.kpis
    assert r.meta["steps"] == 8760
    assert all(math.isfinite(v) for v in k.values())
    assert k["energy_balance_error"] <= 1e-6
    # energy identities of the definitions
    ts = r.timeseries
    assert ts.p_it_mw.sum() == pytest.approx(k["it_energy_mwh"], rel=1e-9)
    assert k["facility_energy_mwh"] == pytest.approx(
        k["it_energy_mwh"] + k["cooling_energy_mwh"] + ts.p_ups_loss_mw.sum(), rel=1e-9
    )
    assert 1.0 < k["pue"] < 1.6
    # each campus is designed to serve its load and keep its racks in limits
    assert k["unmet_energy_mwh"] == 0.0
    assert k["thermal_violation_h"] == 0.0
    if path.name in ANNOUNCED:
        site, it_mw = ANNOUNCED[path.name]
        assert r.meta["site"] == site
        assert r.meta["p_it_peak_mw"] == pytest.approx(it_mw, rel=1e-9)


KEY_LINE = re.compile(r"^\s*[A-Za-z_][A-Za-z0-9_]*\s*=")


@pytest.mark.parametrize("name", sorted(ANNOUNCED))
def test_every_value_of_a_campus_is_tagged_announced_sourced_derived_or_assumed(name):
    untagged = [
        line
        for line in (EXAMPLES / name).read_text(encoding="utf-8").splitlines()
        if KEY_LINE.match(line)
        and not line.startswith("name =")
        and not any(tag in line.partition("#")[2] for tag in TAGS)
    ]
    assert untagged == []
    text = (EXAMPLES / name).read_text(encoding="utf-8")
    assert "http" in text  # at least one source address in the header
