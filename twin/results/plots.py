"""Analysis plots of runs and sweeps (matplotlib); each returns its Axes or Figure.

Every function takes a :class:`twin.Result` or its ``timeseries`` DataFrame
(sweep plots take a KPI table: a pandas DataFrame or an xarray Dataset), draws
exactly the data it is given (no smoothing), labels every axis with its unit,
and returns the Axes (or the Figure for multi-panel plots) so callers can
restyle or save it. Pass ``ax=`` to draw into an existing Axes.

Energy bookkeeping follows the kernel's balance (:mod:`kernels.integrate`) with one
layer per source (``docs/columns.md``): supply = PV + wind (each less its curtailment)
+ PPA matched to the load + the rest of the grid import + genset + battery discharge +
UPS discharge, and demand = facility (IT + UPS losses + cooling + transformer losses)
+ battery charge + UPS charge + grid export.

Spans longer than a month are drawn as daily bands (:mod:`twin.results.bands`); the
week a supply plot shows is, unless given, the week where something happens
(:func:`twin.results.bands.eventful_week_start`).
"""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from twin.results.bands import REPORT_FIGURES, draw_series, eventful_week_start, local_times

#: Supply components, bottom to top: (label, column or expression, colour).
SUPPLY = (
    ("PV", "pv_used", "gold"),
    ("wind", "wind_used", "tab:cyan"),
    ("PPA", "p_ppa_to_load_mw", "tab:purple"),
    ("grid (not PPA)", "grid_other", "tab:gray"),
    ("battery discharge", "p_bess_discharge_mw", "tab:green"),
    ("genset", "p_genset_mw", "tab:brown"),
    ("UPS discharge", "p_ups_discharge_mw", "tab:olive"),
)
#: Heat-map quantities: column -> (label with unit, colour map).
HEATMAPS = {
    "pue": ("PUE [-]", "viridis"),
    "t_inlet_c": ("IT inlet temperature [°C]", "inferno"),
    "p_grid_import_mw": ("grid import [MW]", "cividis"),
    "carbon_g_per_kwh": ("grid carbon intensity [gCO2/kWh]", "magma"),
}
PERIOD_DAYS = {"day": 1, "week": 7, "year": 366}
#: points of a duration curve (a sorted series sampled evenly)
_CURVE_POINTS = 4000


def _ts(data: Any) -> pd.DataFrame:
    ts = getattr(data, "timeseries", data)
    if not isinstance(ts, pd.DataFrame):
        msg = f"expected a twin.Result or its timeseries DataFrame, got {type(data).__name__}"
        raise TypeError(msg)
    return ts


def step_hours(ts: pd.DataFrame) -> float:
    """The step of a time series [h] (1 h for a single row)."""
    if len(ts.index) < 2:
        return 1.0
    return float((ts.index[1] - ts.index[0]).total_seconds() / 3600.0)


def derived(ts: pd.DataFrame) -> pd.DataFrame:
    """Facility power, PV and wind used (less curtailment), the grid import that is not
    the PPA's, PUE and storage charge per step, from the result columns [MW, -]."""
    out = pd.DataFrame(index=ts.index)
    out["p_facility_mw"] = ts["p_facility_mw"]
    out["pv_used"] = ts["p_pv_mw"] - ts["p_pv_curtailed_mw"]
    out["wind_used"] = ts["p_wind_mw"] - ts["p_wind_curtailed_mw"]
    out["grid_other"] = ts["p_grid_import_mw"] - ts["p_ppa_to_load_mw"]
    it = ts["p_it_mw"].where(ts["p_it_mw"] > 0)
    out["pue"] = out["p_facility_mw"] / it
    out["p_storage_in_mw"] = ts["p_bess_charge_mw"] + ts["p_ups_charge_mw"]
    return out


def _axes(ax: Axes | None, figsize=(10, 4)) -> Axes:
    if ax is not None:
        return ax
    _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def _window(ts: pd.DataFrame, period: str, start: Any) -> pd.DataFrame:
    if period not in PERIOD_DAYS:
        msg = f"period = {period!r} is not one of {sorted(PERIOD_DAYS)}"
        raise ValueError(msg)
    if start is None:
        t0 = eventful_week_start(ts) if period == "week" else ts.index[0]
    else:
        t0 = pd.Timestamp(start)
        t0 = t0.tz_localize(ts.index.tz) if t0.tz is None else t0.tz_convert(ts.index.tz)
    return ts.loc[(ts.index >= t0) & (ts.index < t0 + pd.Timedelta(days=PERIOD_DAYS[period]))]


# -- supply and demand -----------------------------------------------------------------
def supply_demand_frame(data: Any, period: str = "week", start: Any = None) -> pd.DataFrame:
    """The stacked supply and the demand lines of :func:`supply_demand` [MW].

    Over a day or a week the steps are shown as they are; over a year, as daily
    means (so the areas still integrate to the energies: mean MW x 24 h = MWh). A week
    without *start* is the week where something happens
    (:func:`twin.results.bands.eventful_week_start`).
    """
    full = _ts(data)
    ts = _window(full, period, start)
    if start is not None and ts.empty:
        msg = (
            f"start = {start!r} is outside the run "
            f"({full.index[0]:%Y-%m-%d %H:%M} to {full.index[-1]:%Y-%m-%d %H:%M})"
        )
        raise ValueError(msg)
    d = derived(ts)
    frame = pd.DataFrame(index=ts.index)
    for label, col, _ in SUPPLY:
        frame[label] = d[col] if col in d else ts[col]
    frame["facility demand"] = d["p_facility_mw"]
    frame["demand + storage + export"] = (
        d["p_facility_mw"] + d["p_storage_in_mw"] + ts["p_grid_export_mw"]
    )
    frame["unmet"] = ts["p_unmet_mw"]
    if period == "year":
        frame = frame.resample("D").mean()
    return frame


def supply_demand(
    data: Any, period: str = "week", start: Any = None, ax: Axes | None = None
) -> Axes:
    """Stacked supply by source against the facility demand, over a day, week or year [MW]."""
    frame = supply_demand_frame(data, period, start)
    ax = _axes(ax)
    labels = [s[0] for s in SUPPLY]
    x = local_times(frame.index)
    ax.stackplot(
        x,
        *(frame[c].to_numpy() for c in labels),
        labels=labels,
        colors=[s[2] for s in SUPPLY],
        alpha=0.85,
        step="post" if period != "year" else None,
    )
    ax.plot(x, frame["facility demand"], color="black", lw=1.2, label="facility demand")
    ax.plot(
        x,
        frame["demand + storage + export"],
        color="black",
        lw=0.8,
        ls="--",
        label="demand + storage charge + export",
    )
    if frame["unmet"].max() > 0:
        ax.fill_between(x, 0, frame["unmet"], color="red", alpha=0.6, label="unmet (not served)")
    mean_note = " (daily means)" if period == "year" else ""
    ax.set_ylabel("power [MW]")
    ax.set_xlabel("local time (Africa/Casablanca)")
    when = f" from {frame.index[0]:%Y-%m-%d}" if len(frame) else ""
    ax.set_title(f"Supply and demand over a {period}{when}{mean_note}")
    ax.legend(loc="upper left", ncols=4, fontsize="small")
    return ax


# -- heat maps and duration curves ---------------------------------------------------------
def hour_day_matrix(data: Any, column: str) -> pd.DataFrame:
    """Hourly means of *column* as a 24 x days matrix (rows: hour of day, columns: date)."""
    ts = _ts(data)
    if column == "pue":  # hourly PUE is hourly facility energy / hourly IT energy
        d = derived(ts)
        hourly = (
            d["p_facility_mw"].resample("h").sum()
            / ts["p_it_mw"].resample("h").sum().replace(0.0, np.nan)
        ).to_frame("v")
    else:
        hourly = ts[column].astype(float).resample("h").mean().to_frame("v")
    hourly["date"] = hourly.index.date
    hourly["hour"] = hourly.index.hour
    return hourly.pivot_table(index="hour", columns="date", values="v", aggfunc="mean")


def heatmap(data: Any, column: str = "t_inlet_c", ax: Axes | None = None) -> Axes:
    """Hour-of-day x day heat map of PUE, inlet temperature, grid import or carbon intensity."""
    if column not in HEATMAPS:
        msg = f"heat map column {column!r} is not one of {sorted(HEATMAPS)}"
        raise ValueError(msg)
    label, cmap = HEATMAPS[column]
    m = hour_day_matrix(data, column)
    ax = _axes(ax)
    dates = list(m.columns)
    im = ax.imshow(
        m.to_numpy(dtype=float),
        aspect="auto",
        origin="lower",
        cmap=cmap,
        interpolation="nearest",
        extent=(-0.5, len(dates) - 0.5, -0.5, 23.5),
    )
    ax.figure.colorbar(im, ax=ax, label=label)
    ax.set_ylabel("hour of day, local [h]")
    ax.set_xlabel(f"day from {dates[0]} [d]")
    ax.set_yticks(range(0, 24, 3))
    ax.set_title(label.split(" [")[0])
    return ax


def duration_curve(data: Any, column: str = "load", ax: Axes | None = None) -> Axes:
    """Load (facility power) or price duration curve: values sorted high to low vs hours.

    *column*: ``"load"`` (facility power [MW]), ``"price"`` (grid price
    [MAD/kWh]) or any time-series column with a unit suffix.
    """
    ts = _ts(data)
    if column == "load":
        values, label = derived(ts)["p_facility_mw"], "facility load [MW]"
    elif column == "price":
        values, label = ts["price_mad_per_kwh"], "grid price [MAD/kWh]"
    else:
        values, label = ts[column], column
    y = np.sort(values.to_numpy(dtype=float))[::-1]
    x = np.arange(1, y.size + 1) * step_hours(ts)
    if y.size > _CURVE_POINTS:  # what a figure can show; first and last points kept
        keep = np.unique(np.linspace(0, y.size - 1, _CURVE_POINTS).round().astype(np.intp))
        x, y = x[keep], y[keep]
    ax = _axes(ax, figsize=(8, 4))
    ax.step(x, y, where="post", color="tab:blue", label=label)
    ax.set_xlabel("hours at or above the value [h]")
    ax.set_ylabel(label)
    ax.set_title(f"Duration curve — {label.split(' [')[0]}")
    ax.grid(alpha=0.3)
    return ax


# -- storage and water ------------------------------------------------------------------------
def state_of_charge(data: Any, ax: Axes | None = None) -> Axes:
    """Battery state of charge over time [%], with charge and discharge power [MW];
    daily bands for spans over a month (:func:`twin.results.bands.draw_series`)."""
    ts = _ts(data)
    ax = _axes(ax)
    draw_series(ax, ts.index, ts["soc_bess_frac"] * 100.0, "tab:green", "SOC")
    ax.set_ylabel("battery state of charge [%]")
    ax.set_ylim(0, 100)
    ax.set_xlabel("local time (Africa/Casablanca)")
    ax2 = ax.twinx()
    draw_series(ax2, ts.index, ts["p_bess_charge_mw"], "tab:blue", "charge", lw=0.6)
    draw_series(ax2, ts.index, -ts["p_bess_discharge_mw"], "tab:red", "discharge", lw=0.6)
    ax2.set_ylabel("battery power, + charge / − discharge [MW]")
    ax.set_title("Battery state of charge")
    handles = ax.get_legend_handles_labels()[0] + ax2.get_legend_handles_labels()[0]
    ax.legend(handles=handles, loc="upper left", ncols=3, fontsize="small")
    return ax


def monthly_water(data: Any) -> pd.Series:
    """Cooling-tower make-up water per calendar month [m³]."""
    ts = _ts(data)
    water = ts["water_m3_h"] * step_hours(ts)
    return water.groupby(ts.index.month).sum().rename_axis("month")


def water_by_month(data: Any, ax: Axes | None = None) -> Axes:
    """Bar chart of water use by month [m³]."""
    m = monthly_water(data)
    ax = _axes(ax, figsize=(8, 4))
    names = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    ax.bar([names[i - 1] for i in m.index], m.to_numpy(), color="tab:blue")
    ax.set_ylabel("cooling-tower make-up water [m³]")
    ax.set_xlabel("month")
    ax.set_title(f"Water use by month — total {m.sum():,.0f} m³")
    return ax


# -- sweeps and sites -----------------------------------------------------------------------
def kpi_table(table: Any) -> pd.DataFrame:
    """A sweep result as a flat DataFrame: an xarray Dataset is flattened, a DataFrame kept."""
    if isinstance(table, pd.DataFrame):
        return table
    to_df = getattr(table, "to_dataframe", None)
    if to_df is None:
        msg = f"expected a pandas DataFrame or an xarray Dataset, got {type(table).__name__}"
        raise TypeError(msg)
    return to_df().reset_index()


def pareto_front(df: pd.DataFrame, x: str, y: str) -> pd.DataFrame:
    """Rows not dominated when maximising *x* and minimising *y*, sorted by *x*."""
    pts = df[[x, y]].to_numpy(dtype=float)
    keep = [
        i
        for i, (xi, yi) in enumerate(pts)
        if not np.any((pts[:, 0] >= xi) & (pts[:, 1] <= yi) & ((pts[:, 0] > xi) | (pts[:, 1] < yi)))
    ]
    return df.iloc[keep].sort_values(x)


def _front_label(row: pd.Series, keys: list[str]) -> str:
    return ", ".join(
        f"{row[k]:g}" if isinstance(row[k], int | float | np.number) else str(row[k]) for k in keys
    )


def frontier(
    table: Any,
    x: str = "cfe_score",
    y: str = "cost_per_mwh_mad",
    label: str | list[str] | None = None,
    ax: Axes | None = None,
) -> Axes:
    """The CFE / cost frontier of a sweep: every scenario a point, the Pareto front a staircase.

    The front (:func:`pareto_front`) holds the scenarios that no other beats on both
    counts: none has as much *x* (carbon-free share) for less *y* (cost). It is drawn as
    the staircase that bounds what the sweep can reach: for a target share on the x axis,
    the lowest cost of any scenario that reaches it; the region above and left of it
    (dominated) is shaded. The default cost is the all-in cost per facility MWh (capital,
    O&M, fuel, grid bill): a bill alone (``energy_cost_mad``) ignores what the PV or the
    battery cost, so more of them only ever looks better.

    *table*: one row per scenario with KPI columns (a DataFrame, or the xarray Dataset of
    a sweep). *label*: a column, or a list of columns, to annotate the front with (e.g.
    ``["pv.capacity_mwp", "battery.energy_mwh"]``).
    """
    from twin.results.kpis import KPI_UNITS
    from twin.results.labels import KPI_LABELS

    df = kpi_table(table)
    front = pareto_front(df, x, y)
    ax = _axes(ax, figsize=(7, 5))
    xs = 100.0 if KPI_UNITS.get(x, ("-",))[0] == "-" else 1.0
    ys = 1e6 if KPI_UNITS.get(y, ("",))[0] == "MAD" else 1.0
    fx, fy = front[x].to_numpy(dtype=float) * xs, front[y].to_numpy(dtype=float) / ys
    ax.scatter(df[x] * xs, df[y] / ys, color="tab:gray", s=18, label="scenarios", zorder=2)
    ax.step(fx, fy, where="pre", marker="o", color="tab:red", ms=5, label="Pareto front", zorder=3)
    if len(fx):  # shade what the front dominates, inside the data's own view
        ax.relim()
        ax.autoscale_view()
        (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
        ax.fill_between(fx, fy, y1, step="pre", color="tab:red", alpha=0.06, lw=0)
        ax.fill_between([x0, fx[0]], [fy[0]] * 2, y1, color="tab:red", alpha=0.06, lw=0)
        ax.set_xlim(x0, x1)
        ax.set_ylim(y0, y1)
    keys = [] if label is None else [label] if isinstance(label, str) else list(label)
    seen: set[tuple[float, float]] = set()
    for _, row in front.iterrows() if keys else ():
        at = (row[x] * xs, row[y] / ys)
        if at not in seen:  # ties (same share, same cost) are labelled once
            seen.add(at)
            ax.annotate(
                _front_label(row, keys),
                at,
                fontsize="x-small",
                xytext=(4, -10),
                textcoords="offset points",
            )
    xu = "%" if xs == 100.0 else KPI_UNITS.get(x, ("",))[0]
    yu = "MMAD" if ys == 1e6 else KPI_UNITS.get(y, ("",))[0]
    ax.set_xlabel(f"{KPI_LABELS.get(x, x)} [{xu}]")
    ax.set_ylabel(f"{KPI_LABELS.get(y, y)} [{yu}]")
    ax.set_title("Carbon-free energy vs cost: the Pareto front")
    ax.grid(alpha=0.3)
    title = "front: " + ", ".join(k.rsplit(".", 1)[-1] for k in keys) if keys else None
    ax.legend(fontsize="small", loc="upper left", title=title, title_fontsize="x-small")
    return ax


SITE_KPIS = (
    ("pue", "PUE [-]", 1.0),
    ("wue_l_per_kwh", "WUE [L/kWh]", 1.0),
    ("renewable_fraction", "renewable share [%]", 100.0),
    ("cfe_score", "24/7 CFE [%]", 100.0),
)


def value_axis_start(values: np.ndarray) -> float:
    """Where a bar axis starts: 0, or just below the data when the bars differ little.

    Bars from zero that differ by a few per cent all look the same length. When every
    value is positive and the spread is under half the largest, the axis starts below the
    smallest value by half the spread (at least 2 % of the largest), never below zero;
    the axis label then says where it starts.
    """
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return 0.0
    lo, hi = float(finite.min()), float(finite.max())
    if lo <= 0.0 or hi - lo >= 0.5 * hi:
        return 0.0
    return max(0.0, lo - max(0.5 * (hi - lo), 0.02 * hi))


def site_comparison(table: Any, kpis=SITE_KPIS) -> Figure:
    """One bar panel per KPI across sites; *table* indexed by site (or with a ``site`` column).

    Each bar is labelled with its value; a panel whose values differ little starts its
    axis near the data (:func:`value_axis_start`) and says so in its label.
    """
    df = kpi_table(table)
    if "site" in df.columns:
        df = df.set_index("site")
    fig, axes = plt.subplots(1, len(kpis), figsize=(4 * len(kpis), 4), layout="constrained")
    for ax, (col, label, scale) in zip(np.atleast_1d(axes), kpis):
        values = df[col].to_numpy(dtype=float) * scale
        bars = ax.barh([str(i) for i in df.index], values)
        ax.bar_label(bars, fmt="%.3g", padding=2, fontsize="x-small")
        start = value_axis_start(values)
        top = float(np.nanmax(values)) if np.isfinite(values).any() else 1.0
        ax.set_xlim(start, start + (top - start) * 1.15 if top > start else 1.0)
        ax.set_xlabel(label if start == 0.0 else f"{label}, axis from {start:.3g}")
        ax.set_title(label.split(" [")[0])
        ax.invert_yaxis()
    fig.suptitle("The same hall at each site")
    return fig


def report_figures(
    data: Any, names: Any = REPORT_FIGURES, week_start: Any = None
) -> dict[str, Figure]:
    """The extra views of the HTML report (those of *names*): name -> Figure.

    *week_start*: the first day of the supply week (default: the week where something
    happens, :func:`twin.results.bands.eventful_week_start`).
    """
    ts = _ts(data)
    draws = {
        "supply_and_demand_week": lambda ax: supply_demand(ts, "week", week_start, ax=ax),
        "inlet_temperature_heatmap": lambda ax: heatmap(ts, "t_inlet_c", ax=ax),
        "pue_heatmap": lambda ax: heatmap(ts, "pue", ax=ax),
        "load_duration_curve": lambda ax: duration_curve(ts, "load", ax=ax),
        "battery_state_of_charge": lambda ax: state_of_charge(ts, ax=ax),
        "water_by_month": lambda ax: water_by_month(ts, ax=ax),
    }
    figs: dict[str, Figure] = {}
    for name in names:
        fig, ax = plt.subplots(figsize=(10, 4), layout="constrained")
        draws[name](ax)
        figs[name] = fig
    return figs
