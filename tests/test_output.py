"""Output a person reads: the terminal's KPI table, the ``--set`` message, the report's
warnings and cost card, long series as daily bands, and each figure drawn once per run
folder."""

from __future__ import annotations

import re

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

import twin
from tests.test_cli import _assert_clean_error, twin_cli
from twin.report.views import thermal_warning
from twin.results.bands import REPORT_FIGURES, daily_envelope, draw_series, local_times
from twin.results.kpis import KPI_UNITS
from twin.results.readable import kpi_lines, readable

QUIET = {"grid_outages_per_year": 0.0, "chiller_failures_per_year": 0.0}


# -- the terminal ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "unit", "text", "shown"),
    [
        (265_000.0, "MWh", "265.0", "GWh"),
        (9_023.4, "MWh", "9,023", "MWh"),
        (205.26, "MWh", "205.3", "MWh"),
        (1.0891, "-", "1.089", "-"),
        (0.0, "MWh", "0", "MWh"),
        (123_456_789.0, "MAD", "123.5", "M MAD"),
        (45_678.0, "m3", "45,678", "m3"),
    ],
)
def test_values_are_shown_in_readable_units(value, unit, text, shown):
    assert readable(value, unit) == (text, shown)


def test_the_kpi_table_is_aligned_and_has_no_exponent():
    kpis = {"grid_import_mwh": 265_000.0, "pue": 1.0891, "energy_cost_mad": 1.23e8, "co2_t": 0.5}
    lines = kpi_lines(kpis, KPI_UNITS)
    assert len(lines) == 4
    assert not any(re.search(r"\de[+-]\d", line) for line in lines)
    # values right-aligned: every value ends in the same column
    ends = {m.end() for m in (re.search(r"\d(?=( |$))", line) for line in lines) if m}
    assert len(ends) == 1
    assert "265.0 GWh" in next(line for line in lines if "grid_import_mwh" in line)


@pytest.mark.parametrize(
    ("args", "flag"),
    [
        (("run", "--set", "pv.capacity_mwp", "20"), "--set"),
        (("run", "examples/default.toml", "--set", "pv.capacity_mwp", "20"), "--set"),
        (("sweep", "--vary", "pv.capacity_mwp", "0,20", "--out", "x"), "--vary"),
    ],
)
def test_a_missing_equals_sign_is_explained(args, flag, tmp_path):
    proc = twin_cli(*args, cwd=tmp_path)
    err = _assert_clean_error(proc, f"{flag} 'pv.capacity_mwp' has no '='")
    assert f"{flag} takes KEY=" in err and "as one argument" in err
    assert f"{flag} pv.capacity_mwp=VALUE" in err
    assert not (tmp_path / "x").exists()


# -- the report's warnings and cost card ------------------------------------------------
def test_the_warning_names_the_quantity_that_broke_its_limit():
    kpis = {"thermal_violation_h": 12.0, "max_inlet_c": 28.9}
    meta = {
        "thermal": {
            "it_inlet": {"max_c": 28.9, "limit_c": 32.0},
            "facility_water": {"max_c": 45.0, "limit_c": 32.0},
        }
    }
    text = thermal_warning(kpis, meta)
    assert "facility water supply reached 45.0 °C (limit 32.0 °C)" in text
    assert "28.9" not in text and "inlet" not in text
    meta["thermal"]["it_inlet"]["max_c"] = 33.5  # both over: the larger excess first
    text = thermal_warning(kpis, meta)
    assert text.index("facility water") < text.index("IT inlet air reached 33.5")
    assert thermal_warning({"thermal_violation_h": 0.0}, meta) is None


# -- bands ---------------------------------------------------------------------------------
def test_daily_envelope_is_each_days_min_mean_and_max():
    idx = pd.date_range("2023-03-01", periods=3 * 24, freq="h", tz="Africa/Casablanca")
    v = np.arange(72, dtype=float)
    v[5] = np.nan  # ignored
    days, lo, mean, hi = daily_envelope(local_times(idx), v)
    assert list(pd.DatetimeIndex(days).day) == [1, 2, 3]
    np.testing.assert_array_equal(lo, [0.0, 24.0, 48.0])
    np.testing.assert_array_equal(hi, [23.0, 47.0, 71.0])
    assert mean[0] == pytest.approx((sum(range(24)) - 5) / 23)
    assert mean[1] == pytest.approx(35.5)


def test_a_year_is_drawn_as_daily_bands_and_a_week_as_steps():
    idx = pd.date_range("2023-01-01", periods=365 * 24 * 4, freq="15min", tz="Africa/Casablanca")
    values = np.sin(np.arange(idx.size) / 96.0 * 2 * np.pi)
    fig, ax = plt.subplots()
    draw_series(ax, idx, values, "tab:green", "SOC")
    (line,) = ax.lines
    assert len(line.get_xdata()) == 365 and len(ax.collections) == 1
    assert "daily mean" in line.get_label()
    ax.clear()
    draw_series(ax, idx[: 7 * 96], values[: 7 * 96], "tab:green", "SOC")
    assert len(ax.lines[0].get_xdata()) == 7 * 96 and not ax.collections
    plt.close(fig)


# -- each figure drawn once per run folder ----------------------------------------------
def test_the_run_folder_draws_each_figure_once_and_the_report_reuses_them(tmp_path, monkeypatch):
    from matplotlib.figure import Figure

    from twin.report.rundir import write_run

    result = twin.simulate(twin.Scenario(simulation={"days": 3}, faults=QUIET))
    saved: list[str] = []
    real_savefig = Figure.savefig

    def counting(self, fname, *args, **kwargs):
        saved.append(str(fname))
        return real_savefig(self, fname, *args, **kwargs)

    def no_parquet(*args, **kwargs):
        raise AssertionError("the report read the time series although every PNG is there")

    monkeypatch.setattr(Figure, "savefig", counting)
    monkeypatch.setattr(pd, "read_parquet", no_parquet)
    out = write_run(result, tmp_path / "run", report=True)
    pngs = sorted(p.stem for p in out.glob("*.png"))
    assert set(REPORT_FIGURES) <= set(pngs)
    assert len(saved) == len(pngs)  # nothing drawn twice, nothing drawn for the report
    html = (out / "report.html").read_text(encoding="utf-8")
    assert html.count("<img ") == len(pngs)
    assert 'id="cost-card"' in html and "total cost" in html


def test_the_supply_week_can_be_chosen_and_a_week_outside_the_run_is_refused(tmp_path):
    from twin.errors import ReportError
    from twin.report.html import write_report
    from twin.report.rundir import write_run

    result = twin.simulate(twin.Scenario(simulation={"days": 9}, faults=QUIET))
    ax = twin.plots.supply_demand(result, "week", start="2023-01-03")
    assert "from 2023-01-03" in ax.get_title()
    plt.close("all")
    run = write_run(result, tmp_path / "run", week_start="2023-01-02")
    assert (run / "supply_and_demand_week.png").stat().st_size > 0
    report = write_report(run, tmp_path / "r.html", week_start="2023-01-03")
    assert report.read_text(encoding="utf-8").count("<img ") == len(list(run.glob("*.png")))
    with pytest.raises(ReportError, match="outside the run"):
        write_report(run, tmp_path / "r2.html", week_start="2024-06-01")
    assert not (tmp_path / "r2.html").exists()
    proc = twin_cli("run", "--week", "2023-02-30", "--out", "w", cwd=tmp_path)
    _assert_clean_error(proc, "--week '2023-02-30'", "YYYY-MM-DD")
    assert not (tmp_path / "w").exists()
