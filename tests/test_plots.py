"""Analysis plots: each returns its Axes/Figure, labels carry units, plotted data equal the run's."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
import xarray as xr

import twin
from twin import plots


@pytest.fixture(scope="module")
def result():
    # January and February at 1 h: two months for the water bars, a PV + battery supply
    sc = twin.Scenario().with_overrides(["simulation.days=59", "battery.capacity_mwh=40"])
    return twin.simulate(sc)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _has_unit(label: str) -> bool:
    return "[" in label and label.rstrip().endswith("]")


def test_supply_demand_stack_tops_out_at_demand_plus_storage_and_export(result):
    ts = result.timeseries
    for period, n in (("day", 24), ("week", 168)):
        ax = plots.supply_demand(result, period)
        assert isinstance(ax, matplotlib.axes.Axes)
        assert _has_unit(ax.get_ylabel()) and "MW" in ax.get_ylabel()
        facility, total = ax.lines[0].get_ydata(), ax.lines[1].get_ydata()
        assert len(facility) == n
        frame = plots.supply_demand_frame(result, period)
        win = ts.loc[frame.index]
        expected = win.p_it_mw + win.p_ups_loss_mw + win.p_cooling_mw + win.p_xfmr_loss_mw
        np.testing.assert_allclose(facility, expected.to_numpy(), rtol=1e-12)
        # the kernel's balance: PV and wind used + PPA + rest of the grid + genset + battery
        # + UPS = everything consumed
        supply = frame[[s[0] for s in plots.SUPPLY]].sum(axis=1).to_numpy()
        np.testing.assert_allclose(supply, total, rtol=1e-9, atol=1e-9)
        assert len(ax.collections) >= len(plots.SUPPLY)


def test_the_week_shown_is_where_something_happens_or_the_one_asked_for(result):
    """Without a start, the week around the run's peak grid import (no outage or unmet
    load in this run); with one, that week."""
    ts = result.timeseries
    frame = plots.supply_demand_frame(result, "week")
    peak = ts.p_grid_import_mw.idxmax()
    assert frame.index[0] <= peak <= frame.index[-1]
    assert frame.index[0] == frame.index[0].normalize() and len(frame) == 168
    asked = plots.supply_demand_frame(result, "week", start="2023-01-20")
    assert asked.index[0] == pd.Timestamp("2023-01-20", tz=ts.index.tz)
    # an outage takes precedence over the peak
    down = ts.copy()
    down.loc[down.index[1000:1003], "grid_up"] = False
    week = plots.supply_demand_frame(down, "week")
    assert week.index[0] <= down.index[1000] <= week.index[-1]


def test_supply_demand_over_a_year_integrates_to_the_facility_energy(result):
    ax = plots.supply_demand(result, "year")
    daily_mean_mw = ax.lines[0].get_ydata()
    assert len(daily_mean_mw) == 59
    assert (daily_mean_mw * 24.0).sum() == pytest.approx(
        result.kpis["facility_energy_mwh"], rel=1e-9
    )
    assert "daily means" in ax.get_title()
    with pytest.raises(ValueError, match="month"):
        plots.supply_demand(result, "month")


@pytest.mark.parametrize("column", sorted(plots.HEATMAPS))
def test_heatmaps_are_hour_by_day_of_the_run_data(result, column):
    ax = plots.heatmap(result, column)
    img = ax.images[0].get_array()
    assert img.shape == (24, 59)
    cbar_label = ax.images[0].colorbar.ax.get_ylabel()
    assert _has_unit(cbar_label) and _has_unit(ax.get_ylabel()) and _has_unit(ax.get_xlabel())
    ts = result.timeseries
    # 1 h steps: cell (hour h, day d) is the step at that local hour
    for d, h in ((0, 0), (10, 14), (40, 21)):
        t = ts.index[0].normalize() + pd.Timedelta(days=d, hours=h)
        row = ts.loc[t]
        if column == "pue":
            expected = (row.p_it_mw + row.p_ups_loss_mw + row.p_cooling_mw) / row.p_it_mw
        else:
            expected = row[column]
        assert img[h, d] == pytest.approx(expected, rel=1e-12), (column, d, h)
    if column == "pue":
        assert np.nanmin(img) >= 1.0  # facility energy never below IT energy


def test_heatmap_refuses_an_unknown_column(result):
    with pytest.raises(ValueError, match="not one of"):
        plots.heatmap(result, "p_pv_mw_typo")


def test_load_duration_curve_is_the_sorted_facility_load(result):
    ax = plots.duration_curve(result, "load")
    x, y = ax.lines[0].get_xdata(), ax.lines[0].get_ydata()
    ts = result.timeseries
    load = (ts.p_it_mw + ts.p_ups_loss_mw + ts.p_cooling_mw).to_numpy()
    np.testing.assert_allclose(y, np.sort(load)[::-1])
    assert x[-1] == pytest.approx(59 * 24)
    assert np.all(np.diff(y) <= 0)
    assert _has_unit(ax.get_xlabel()) and "MW" in ax.get_ylabel()
    # area under the curve = facility energy (1 h steps)
    assert y.sum() == pytest.approx(result.kpis["facility_energy_mwh"], rel=1e-9)


def test_price_duration_curve_takes_only_the_tariff_prices(result):
    ax = plots.duration_curve(result, "price")
    y = ax.lines[0].get_ydata()
    tariff = result.scenario.grid.tariff
    assert set(np.round(y, 6)) <= {
        round(tariff.peak_mad_per_kwh, 6),
        round(tariff.full_mad_per_kwh, 6),
        round(tariff.offpeak_mad_per_kwh, 6),
    }
    assert y[0] == pytest.approx(tariff.peak_mad_per_kwh)
    assert "MAD/kWh" in ax.get_ylabel()


def test_state_of_charge_in_percent(result):
    # two weeks: every step; 59 days: the daily mean, with the day's min-max band
    two_weeks = result.timeseries.iloc[: 14 * 24]
    ax = plots.state_of_charge(two_weeks)
    soc = ax.lines[0].get_ydata()
    np.testing.assert_allclose(soc, two_weeks.soc_bess_frac.to_numpy() * 100.0)
    assert -1e-9 <= soc.min() and soc.max() <= 100.0 + 1e-9
    ax = plots.state_of_charge(result)
    daily = result.timeseries.soc_bess_frac.resample("D").mean().to_numpy() * 100.0
    np.testing.assert_allclose(ax.lines[0].get_ydata(), daily, rtol=1e-12)
    band = ax.collections[0].get_paths()[0].vertices[:, 1]
    assert band.max() == pytest.approx(result.timeseries.soc_bess_frac.max() * 100.0)
    assert "[%]" in ax.get_ylabel()
    assert result.timeseries.p_bess_discharge_mw.max() > 0  # the battery did cycle


def test_water_by_month_sums_to_the_water_kpi(result):
    ax = plots.water_by_month(result)
    heights = [p.get_height() for p in ax.patches]
    assert len(heights) == 2  # January, February
    assert sum(heights) == pytest.approx(result.kpis["water_m3"], rel=1e-9)
    assert "m³" in ax.get_ylabel()
    assert [t.get_text() for t in ax.get_xticklabels()] == ["Jan", "Feb"]


SWEEP = pd.DataFrame(
    {
        "pv.capacity_mwp": [0, 20, 40, 60, 80],
        "cfe_score": [0.26, 0.33, 0.38, 0.37, 0.45],
        "energy_cost_mad": [30e6, 29e6, 28.5e6, 29.5e6, 31e6],
    }
)


def test_pareto_front_drops_dominated_points():
    front = plots.pareto_front(SWEEP, "cfe_score", "energy_cost_mad")
    # (0.37, 29.5 M) is dominated by (0.38, 28.5 M); 0.26 @ 30 M and 0.33 @ 29 M by 0.38 too
    assert list(front["pv.capacity_mwp"]) == [40, 80]


def test_frontier_from_dataframe_and_from_xarray():
    ax = plots.frontier(SWEEP, y="energy_cost_mad", label="pv.capacity_mwp")
    x, y = ax.lines[0].get_xdata(), ax.lines[0].get_ydata()
    np.testing.assert_allclose(x, [38.0, 45.0])
    np.testing.assert_allclose(y, [28.5, 31.0])
    # a staircase: the lowest cost that reaches each share
    assert ax.lines[0].get_drawstyle() == "steps-pre"
    assert ax.get_xlabel() == "24/7 CFE share [%]" and ax.get_ylabel() == "grid bill [MMAD]"
    assert [t.get_text() for t in ax.texts] == ["40", "80"]
    ds = xr.Dataset(
        {k: ("pv.capacity_mwp", SWEEP[k].to_numpy()) for k in ("cfe_score", "energy_cost_mad")},
        coords={"pv.capacity_mwp": SWEEP["pv.capacity_mwp"].to_numpy()},
    )
    ax2 = plots.frontier(ds, y="energy_cost_mad")
    np.testing.assert_allclose(ax2.lines[0].get_xdata(), x)
    offsets = ax2.collections[0].get_offsets()
    assert len(offsets) == 5


def test_the_front_is_every_scenario_no_other_beats_and_is_monotone():
    """On a random cloud: a front point is dominated by none, every other point by one,
    and along the front more carbon-free energy costs more (else it would not be a front)."""
    rng = np.random.default_rng(3)
    df = pd.DataFrame(
        {"cfe_score": rng.uniform(0.2, 0.9, 60), "cost_per_mwh_mad": rng.uniform(900, 1400, 60)}
    )
    front = plots.pareto_front(df, "cfe_score", "cost_per_mwh_mad")
    pts = df.to_numpy()

    def dominated(p):
        better = (
            (pts[:, 0] >= p[0]) & (pts[:, 1] <= p[1]) & ((pts[:, 0] > p[0]) | (pts[:, 1] < p[1]))
        )
        return better.any()

    assert not any(dominated(p) for p in front.to_numpy())
    rest = df.drop(front.index).to_numpy()
    assert all(dominated(p) for p in rest)
    assert np.all(np.diff(front["cfe_score"]) > 0) and np.all(
        np.diff(front["cost_per_mwh_mad"]) > 0
    )
    ax = plots.frontier(df, label=["cfe_score"])
    assert ax.get_ylabel() == "cost per facility MWh [MAD/MWh]"
    assert len(ax.texts) == len(front)
    # the view holds every scenario (the shading must not collapse it)
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    assert x0 <= df.cfe_score.min() * 100 and x1 >= df.cfe_score.max() * 100
    assert y0 <= df.cost_per_mwh_mad.min() and y1 >= df.cost_per_mwh_mad.max()


def test_site_comparison_bars_equal_the_table():
    table = pd.DataFrame(
        {
            "pue": [1.10, 1.20],
            "wue_l_per_kwh": [1.5, 2.2],
            "renewable_fraction": [0.1, 0.2],
            "cfe_score": [0.3, 0.4],
        },
        index=pd.Index(["rabat", "dakhla"], name="site"),
    )
    fig = plots.site_comparison(table)
    assert isinstance(fig, matplotlib.figure.Figure)
    axes = fig.axes
    assert len(axes) == 4
    for ax, (col, label, scale) in zip(axes, plots.SITE_KPIS):
        widths = [p.get_width() for p in ax.patches]
        np.testing.assert_allclose(widths, table[col].to_numpy() * scale)
        assert ax.get_xlabel().startswith(label) and _has_unit(label)
        assert [t.get_text() for t in ax.get_yticklabels()] == ["rabat", "dakhla"]
        # every bar carries its value
        assert [t.get_text() for t in ax.texts] == [f"{v:.3g}" for v in widths]
    fig2 = plots.site_comparison(table.reset_index())
    assert [p.get_width() for p in fig2.axes[0].patches] == pytest.approx([1.10, 1.20])


def test_site_bars_start_near_the_data_when_they_differ_little():
    """PUE 1.16 vs 1.19: from zero the bars look equal; the axis starts below 1.16 and says
    so. Shares of 0.1 and 0.4 (a spread over half the largest) keep the zero."""
    table = pd.DataFrame(
        {
            "pue": [1.16, 1.19, 1.17],
            "wue_l_per_kwh": [0.1, 0.4, 0.3],
            "renewable_fraction": [0.0, 0.2, 0.1],
            "cfe_score": [0.60, 0.62, 0.61],
        },
        index=pd.Index(["rabat", "dakhla", "tetouan"], name="site"),
    )
    fig = plots.site_comparison(table)
    pue, wue, ren, cfe = fig.axes
    left, right = pue.get_xlim()
    # below the data by half the spread (0.015) at least 2 % of the largest (0.0238)
    assert left == pytest.approx(1.16 - 0.02 * 1.19)
    assert right > 1.19
    assert "axis from 1.14" in pue.get_xlabel()
    assert cfe.get_xlim()[0] == pytest.approx(60.0 - 0.02 * 62.0)
    for ax in (wue, ren):
        assert ax.get_xlim()[0] == 0.0 and "axis from" not in ax.get_xlabel()
    assert plots.value_axis_start(np.array([np.nan, np.nan])) == 0.0


def test_report_figures_are_labelled(result):
    figs = plots.report_figures(result.timeseries)
    assert len(figs) == 6
    for name, fig in figs.items():
        ax = fig.axes[0]
        assert ax.get_ylabel(), name
        assert _has_unit(ax.get_ylabel()), (name, ax.get_ylabel())


def test_result_supply_mix_is_the_analysis_stack_and_sums_to_the_supply(result):
    """``result.plot.supply_mix()`` draws the one supply stack of ``twin.plots`` (same
    layers, same order) plus the unmet load, and its layers add up, step by step, to the
    supply side of the energy balance."""
    import matplotlib.pyplot as plt

    fig = result.plot.supply_mix()
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    stack = [label for label, _, _ in plots.SUPPLY] + ["unmet"]
    assert labels[: len(stack)] == stack
    # then the faults of the run, shaded at their times (twin.results.figures.mark_faults)
    assert set(labels[len(stack) :]) <= {
        "grid outage",
        "grid outage, genset failed",
        "genset out of service",
        "chiller trip",
    }
    ts = result.timeseries
    top = ax.collections[len(plots.SUPPLY) - 1].get_paths()[0].vertices[:, 1].max()
    supply = (
        ts.p_pv_mw
        - ts.p_pv_curtailed_mw
        + ts.p_wind_mw
        - ts.p_wind_curtailed_mw
        + ts.p_bess_discharge_mw
        + ts.p_grid_import_mw
        + ts.p_genset_mw
        + ts.p_ups_discharge_mw
    )
    daily = supply.resample("D").mean() if len(ts) > 24 * 14 * 4 else supply
    assert top == pytest.approx(daily.max(), rel=1e-9)
    plt.close(fig)
