"""The step table's columns: one set per source, each energy KPI the sum of its columns,
and ``docs/columns.md`` generated from the one table in ``twin/results/columns.py``."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import twin
from twin import Scenario
from twin.results.columns import KPI_COLUMNS, KPI_RATIOS, all_columns, columns_markdown

REPO = Path(__file__).resolve().parents[1]
QUIET = {"grid_outages_per_year": 0.0, "chiller_failures_per_year": 0.0}
#: every source at once: PV, wind, PPA, a battery charged from the grid by the tariff,
#: an export cap, and a scheduled outage that the battery bridges until the genset runs
EVERYTHING = {
    "site": {"id": "dakhla"},
    "simulation": {"days": 7, "start": "2023-07-10"},
    "pv": {"capacity_mwp": 40.0},
    "wind": {"capacity_mw": 15.0},
    "ppa": {"capacity_mw": 10.0},
    "battery": {"energy_mwh": 40.0, "power_mw": 10.0},
    "power": {"dispatch": "tou_arbitrage"},
    "grid": {"export_limit_mw": 5.0},
    "faults": {
        **QUIET,
        "events": [
            {
                "kind": "grid_outage",
                "start": "2023-07-12T21:00",
                "duration_min": 180,
                "genset_starts": True,
            }
        ],
    },
}


@pytest.fixture(scope="module")
def run() -> twin.Result:
    return twin.simulate(Scenario(**EVERYTHING))


def _sum_mwh(r: twin.Result, cols: tuple[str, ...]) -> float:
    ts, h = r.timeseries, float(r.scenario.dt_s) / 3600.0
    return sum((-1.0 if c[0] == "-" else 1.0) * float(ts[c.lstrip("-")].sum()) for c in cols) * h


def test_the_scenario_exercises_every_source(run):
    ts = run.timeseries
    for col in (
        "p_pv_to_load_mw",
        "p_wind_to_load_mw",
        "p_pv_to_storage_mw",
        "p_wind_to_storage_mw",
        "p_ppa_to_load_mw",
        "p_grid_to_load_mw",
        "p_grid_to_storage_mw",
        "p_bess_discharge_mw",
        "p_genset_mw",
        "p_pv_export_mw",
        "p_wind_curtailed_mw",
        "water_m3_h",
    ):
        assert ts[col].max() > 0, col


@pytest.mark.parametrize("kpi", sorted(KPI_COLUMNS))
def test_energy_kpi_is_the_sum_of_its_columns(run, kpi):
    assert run.kpis[kpi] == pytest.approx(_sum_mwh(run, KPI_COLUMNS[kpi]), rel=1e-9, abs=1e-9)


@pytest.mark.parametrize("kpi", sorted(KPI_RATIOS))
def test_share_kpi_is_the_ratio_of_its_column_sums(run, kpi):
    num, den = KPI_RATIOS[kpi]
    assert run.kpis[kpi] == pytest.approx(_sum_mwh(run, num) / _sum_mwh(run, den), rel=1e-9)


@pytest.mark.parametrize("source", ["pv", "wind"])
def test_each_renewable_is_used_exactly_once(run, source):
    """To the load + to storage + export + curtailed = what the source made available."""
    ts = run.timeseries
    uses = sum(ts[f"p_{source}_{u}_mw"] for u in ("to_load", "to_storage", "export", "curtailed"))
    assert np.allclose(uses, ts[f"p_{source}_mw"], rtol=1e-12, atol=1e-9)
    assert (ts[[c for c in ts if c.startswith(f"p_{source}_")]] >= -1e-12).all().all()


def test_pro_rata_split_follows_availability(run):
    """The convention of kernels.sources: both renewables lose the same share of what
    they make to curtailment in each step."""
    ts = run.timeseries
    both = (ts.p_pv_mw > 1.0) & (ts.p_wind_mw > 1.0) & (ts.p_wind_curtailed_mw > 0)
    assert both.any()
    pv_share = ts.p_pv_curtailed_mw[both] / ts.p_pv_mw[both]
    wind_share = ts.p_wind_curtailed_mw[both] / ts.p_wind_mw[both]
    assert np.allclose(pv_share, wind_share, rtol=1e-9)


def test_load_is_served_source_by_source(run):
    """Facility load = PV + wind + grid + battery + genset + UPS to the load + unmet,
    at every step (the genset and UPS carry only load while the UPS battery is not
    topped up from them)."""
    ts = run.timeseries
    served = (
        ts.p_pv_to_load_mw
        + ts.p_wind_to_load_mw
        + ts.p_grid_to_load_mw
        + ts.p_bess_discharge_mw
        + ts.p_genset_mw
        + ts.p_ups_discharge_mw
        + ts.p_unmet_mw
        - ts.p_ups_charge_mw.where(~ts.grid_up, 0.0)
    )
    assert np.allclose(served, ts.p_facility_mw, rtol=1e-9, atol=1e-6)
    assert (ts.p_ppa_to_load_mw <= ts.p_grid_to_load_mw + 1e-12).all()
    assert (ts.p_ppa_to_load_mw <= ts.p_ppa_mw + 1e-12).all()
    imp = ts.p_grid_to_load_mw + ts.p_grid_to_storage_mw
    assert np.allclose(imp, ts.p_grid_import_mw, rtol=1e-12, atol=1e-9)


def test_every_column_is_documented_and_no_documented_column_is_missing(run):
    documented = set(all_columns())
    groups = {f"u_{g.name}_frac" for g in run.scenario.it.groups}
    assert set(run.timeseries.columns) == (documented - {"u_{group}_frac"}) | groups


def test_columns_doc_matches_the_table():
    on_disk = (REPO / "docs" / "columns.md").read_text(encoding="utf-8")
    assert on_disk == columns_markdown(), (
        "docs/columns.md is stale: run `python -m twin.results.columns docs/columns.md`"
    )
