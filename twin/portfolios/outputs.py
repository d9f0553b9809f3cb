"""The ``twin portfolio --out`` folder: tables, plots and, with ``--report``, one HTML page.

Written to a temporary sibling folder renamed into place when complete (as
:func:`twin.report.rundir.write_run`): a failure leaves no half-written output.

* ``portfolio.json``: the ``--json`` object; ``campuses.csv``: one row per campus;
* ``national_hourly.csv``: the national year hour by hour: demand, the campuses' added
  load (each and in all), generation by source without and with them, average and
  marginal factors;
* ``load_duration.png``, ``peak_day_stack.png``, ``campuses.png``; ``report.html``.
"""

from __future__ import annotations

import html
import io
import json
from pathlib import Path

import numpy as np
import pandas as pd

from twin.report.html import _data_uri, format_kpi
from twin.report.jinja import style_css
from twin.report.rundir import atomic_folder
from weather.national_grid import SOURCES


def _e(x: object) -> str:
    """Text escaped for HTML."""
    return html.escape(str(x))


__all__ = ["hourly_table", "write_portfolio"]

_COLORS = {
    "imports": "#868e96",
    "hydro": "#1c7ed6",
    "wind": "#20c997",
    "solar": "#fab005",
    "coal": "#343a40",
    "gas": "#e8590c",
    "fuel_oil": "#c92a2a",
}


def hourly_table(result) -> pd.DataFrame:
    """The national year hour by hour (see module docstring)."""
    v = result.national
    g = v.grid
    cols = {"demand_mw": g.demand_mw, "added_mw": v.added_mw}
    cols.update({f"added_{n}_mw": a for n, a in v.by_campus_mw.items()})
    cols.update({f"gen_{k}_mw": g.gen_mw[k] for k in SOURCES})
    cols.update({f"gen_{k}_with_campuses_mw": v.gen_with_mw[k] for k in SOURCES})
    cols["average_g_per_kwh"] = g.average_g_per_kwh
    cols["marginal_g_per_kwh"] = g.marginal_g_per_kwh
    return pd.DataFrame(cols, index=pd.Index(g.index, name="time"))


def _png(fig) -> bytes:
    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    plt.close(fig)
    return buf.getvalue()


def _figures(result) -> dict[str, bytes]:
    import matplotlib.pyplot as plt

    v, g = result.national, result.national.grid
    figs: dict[str, bytes] = {}
    fig, ax = plt.subplots(figsize=(8, 4))
    hours = np.arange(len(g.demand_mw))
    ax.plot(hours, np.sort(g.demand_mw)[::-1], label="national demand (2024)")
    ax.plot(hours, np.sort(g.demand_mw + v.added_mw)[::-1], label="with the campuses")
    ax.set(xlabel="hours of the year, sorted", ylabel="MW", title="National load duration curve")
    ax.legend()
    figs["load_duration"] = _png(fig)
    i = int(np.argmax(g.demand_mw))
    day = slice(i - g.index[i].hour, i - g.index[i].hour + 24)
    fig, ax = plt.subplots(figsize=(8, 4))
    h = np.arange(24)
    ax.stackplot(
        h,
        [v.gen_with_mw[k][day] for k in SOURCES],
        labels=list(SOURCES),
        colors=[_COLORS[k] for k in SOURCES],
    )
    ax.plot(h, g.demand_mw[day], "k--", label="demand without campuses")
    ax.set(
        xlabel="local hour",
        ylabel="MW",
        title=f"National stack on the peak day {g.index[i]:%Y-%m-%d}, with the campuses",
    )
    ax.legend(fontsize=7, ncol=4, loc="upper left", framealpha=0.9)
    ax.set_ylim(0, 1.25 * float((g.demand_mw + v.added_mw)[day].max()))
    figs["peak_day_stack"] = _png(fig)
    names = list(result.campuses)
    fig, axes = plt.subplots(1, 3, figsize=(12, 4))
    for ax, (key, label) in zip(
        axes,
        (
            ("facility_energy_mwh", "facility energy [GWh]"),
            ("co2_marginal_t", "marginal CO2 [kt]"),
            ("water_m3", "water [1000 m3]"),
        ),
    ):
        ax.barh(names, [result.campuses[n][key] / 1e3 for n in names])
        ax.set_xlabel(label)
    axes[1].set_yticklabels([])
    axes[2].set_yticklabels([])
    fig.suptitle("Per campus (full build)")
    figs["campuses"] = _png(fig)
    return figs


def _table(rows: dict[str, object]) -> str:
    body = "".join(
        f"<tr><td><code>{_e(k)}</code></td><td class='num'>"
        f"{_e(format_kpi(v) if isinstance(v, float) else v)}</td></tr>"
        for k, v in rows.items()
    )
    return f"<table>{body}</table>"


def _html(result, figs: dict[str, bytes]) -> str:
    n = result.national.kpis
    flat = {k: v for k, v in n.items() if not isinstance(v, dict)}
    for key in ("added_fossil_twh", "water_m3_by_source", "online_frac"):
        flat.update({f"{key}.{k}": v for k, v in n[key].items()})
    keys = (
        "it_energy_mwh",
        "facility_energy_mwh",
        "grid_import_mwh",
        "pue",
        "water_m3",
        "co2_t",
        "co2_marginal_t",
        "cfe_score",
        "renewable_fraction",
        "peak_import_mw",
    )
    head = "".join(f"<th>{_e(k)}</th>" for k in keys)
    rows = "".join(
        f"<tr><td>{_e(c)}</td>"
        + "".join(f"<td class='num'>{_e(format_kpi(k[x]))}</td>" for x in keys)
        + "</tr>"
        for c, k in result.campuses.items()
    )
    imgs = "".join(
        f'<figure><img alt="{_e(k)}" src="{_data_uri(p)}"><figcaption>{_e(k.replace("_", " "))}</figcaption></figure>'
        for k, p in figs.items()
    )
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>Portfolio on the national grid</title>"
        f"<style>{style_css()}</style></head><body><main><h1>Portfolio on the national grid</h1>"
        f"<p class='sub'>{_e(result.meta['portfolio_file'])}; national year {n['data_year']}, "
        f"campuses at their phase of {n['year']}. Sources: docs/portfolio.md.</p>"
        f"<h2>National view</h2>{_table(flat)}"
        f"<h2>Campuses</h2><table><tr><th>campus</th>{head}</tr>{rows}</table>"
        f"<h2>Total (additive KPIs)</h2>{_table(result.total)}<h2>Figures</h2>{imgs}</main></body></html>"
    )


def write_portfolio(result, out_dir: str | Path, force: bool = False, report: bool = False) -> Path:
    """Write the tables, plots and (with *report*) ``report.html`` of *result*."""
    with atomic_folder(out_dir, force) as tmp:
        text = json.dumps(result.to_dict(), indent=2)
        (tmp / "portfolio.json").write_text(text + "\n", encoding="utf-8")
        pd.DataFrame(result.campuses).T.rename_axis("campus").to_csv(tmp / "campuses.csv")
        hourly_table(result).to_csv(tmp / "national_hourly.csv")
        figs = _figures(result)
        for name, png in figs.items():
            (tmp / f"{name}.png").write_bytes(png)
        if report:
            (tmp / "report.html").write_text(_html(result, figs), encoding="utf-8")
    return Path(out_dir)
