"""One self-contained HTML report of a run directory (``twin report RUN_DIR``).

The report is a single file, ``report.html``, with no external resource: the
plots are embedded as base64 PNG data URIs and the style sheet is inline, so it
can be mailed to someone who never opens a terminal. In reading order:

1. warnings (thermal violations naming the quantity over its limit, unmet energy, an
   open energy balance, events such as chiller trips and grid outages), or a line
   saying there are none;
2. the headline KPIs, the cost card (:mod:`twin.results.costcard`), and every KPI with
   its unit and definition (:data:`twin.results.result.KPI_UNITS`);
   every value cell carries the exact ``kpis.json`` number in ``data-value``;
3. the plots (every ``*.png`` of the run directory: ``twin run --out`` draws each view
   once; a view missing from an older folder is drawn from ``timeseries.parquet``,
   :mod:`twin.report.views`);
4. the scenario as run, key by key, with the description and source of each key;
5. the assumptions (keys whose description says "assumption" or "placeholder")
   and the references of the models.

It reads only what :func:`twin.report.rundir.write_run` writes, so a run directory
copied to another machine can be reported there.
"""

from __future__ import annotations

import base64
import html
import json
import math
import os
import tempfile
import tomllib
from pathlib import Path
from typing import Any

import pandas as pd

from twin import provenance
from twin.errors import ReportError
from twin.report.views import draw_missing, thermal_warning
from twin.results.costcard import cost_card
from twin.results.kpis import KPI_UNITS
from twin.scenario.reference import flatten, iter_fields

REPORT_NAME = "report.html"

#: Thresholds of the warnings at the top of the report.
BALANCE_TOLERANCE = 1e-6  # the invariant checked by twin.results.result.check_invariants

#: The references of the models the twin runs (named in the kernels' docstrings).
MODEL_SOURCES = (
    (
        "Chillers",
        (
            "EnergyPlus Engineering Reference, Electric EIR chiller model "
            "(CAPFT, EIRFT, EIRFPLR curves; curve sets from EnergyPlus DataSets/Chillers.idf)"
        ),
    ),
    ("Cooling towers", "EnergyPlus Engineering Reference, YorkCalc variable-speed tower model"),
    ("Psychrometrics", "ASHRAE Handbook — Fundamentals (2017), chapter 1"),
    (
        "Thermal limits",
        (
            "ASHRAE TC 9.9 Thermal Guidelines for Data Processing Environments (2021), "
            "allowable classes A1–A4; Liquid Cooling Guidelines, classes W17–W45"
        ),
    ),
    ("Photovoltaics", "pvlib python; PVWatts v5 (Dobos 2014, NREL/TP-6A20-62641)"),
    ("Gensets", "NFPA 110, level 1: 10 s start and transfer"),
    ("Grid carbon", "LowCarbonPower, Morocco 2024 (data from Ember / EIA / IEA)"),
    (
        "Carbon accounting",
        (
            "IPCC AR5 WG3 Annex III (life-cycle and direct factors); IPCC 2006 Guidelines "
            "(diesel); GHG Protocol Scope 2 Guidance (2015); ISO/IEC 30134-3 (REF), -8 (CUE)"
        ),
    ),
    ("Grid tariff", "ONEE HT/THT tariffs (L'Economiste, 2014-07-30); placeholders marked"),
)

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1d2430;
background:#f6f7f9}
main{max-width:1100px;margin:0 auto;padding:24px 32px;background:#fff}
h1{margin:0 0 4px 0;font-size:26px}h2{border-bottom:2px solid #e3e6ea;padding-bottom:4px;
margin-top:32px}
.sub{color:#5b6573;margin:0 0 16px 0}
.warn{background:#fff4e5;border-left:6px solid #e67700;padding:10px 16px;margin:8px 0}
.warn.bad{background:#fdecea;border-left-color:#c92a2a}
.ok{background:#ebfbee;border-left:6px solid #2f9e44;padding:10px 16px;margin:8px 0}
table{border-collapse:collapse;width:100%;font-size:14px}
th,td{border-bottom:1px solid #e3e6ea;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f1f3f5}td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
figure{margin:16px 0}figure img{max-width:100%;border:1px solid #e3e6ea}
figcaption{color:#5b6573;font-size:13px}
code,pre{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:13px}
pre{background:#f1f3f5;padding:8px;overflow-x:auto}
.tiles{display:grid;grid-template-columns:repeat(4,1fr);gap:12px;margin:12px 0}
.tile{background:#f1f3f5;padding:10px 14px;border-radius:6px}
.tile b{display:block;font-size:22px}.tile span{color:#5b6573;font-size:13px}
"""


def format_kpi(value: float) -> str:
    """The text a KPI value is shown with (4 significant digits, thousands grouped)."""
    if not math.isfinite(value):
        return str(value)
    if abs(value) >= 1e4:
        return f"{value:,.0f}"
    return f"{value:.4g}"


# -- reading a run directory ---------------------------------------------------------
def read_run(run_dir: str | Path) -> dict[str, Any]:
    """What the report needs from *run_dir*; :class:`ReportError` if it is not a run."""
    run_dir = Path(run_dir)
    if not run_dir.is_dir():
        msg = f"run directory {run_dir} does not exist (write one with `twin run --out DIR`)"
        raise ReportError(msg)
    kpi_path = run_dir / "kpis.json"
    try:
        data = json.loads(kpi_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        msg = f"{run_dir} is not a run directory: kpis.json is missing"
        raise ReportError(msg) from None
    except (OSError, ValueError) as exc:
        msg = f"{kpi_path} cannot be read: {exc}"
        raise ReportError(msg) from None
    if not isinstance(data, dict):
        msg = f"{kpi_path}: expected a JSON object of KPIs"
        raise ReportError(msg)
    meta = data.pop("meta", {}) or {}
    kpis = {k: float(v) for k, v in data.items() if isinstance(v, (int, float))}
    scenario_text = ""
    scenario: dict[str, Any] = {}
    sc_path = run_dir / "scenario.toml"
    if sc_path.is_file():
        scenario_text = sc_path.read_text(encoding="utf-8")
        try:
            scenario = tomllib.loads(scenario_text)
        except tomllib.TOMLDecodeError as exc:
            msg = f"{sc_path} is not valid TOML: {exc}"
            raise ReportError(msg) from None
    events = pd.DataFrame(columns=["time", "time_s", "kind", "detail"])
    ev_path = run_dir / "events.csv"
    if ev_path.is_file() and ev_path.stat().st_size > 0:
        events = pd.read_csv(ev_path, keep_default_na=False)
    event_log = None
    log_path = run_dir / "event_log.csv"
    if log_path.is_file() and log_path.stat().st_size > 0:
        event_log = pd.read_csv(log_path, keep_default_na=False)
    images = {p.stem: p.read_bytes() for p in sorted(run_dir.glob("*.png"))}
    return {
        "kpis": kpis,
        "meta": meta,
        "scenario": scenario,
        "scenario_text": scenario_text,
        "events": events,
        "event_log": event_log,
        "run_dir": run_dir,
        "images": images,
    }


# -- warnings ------------------------------------------------------------------------
def warnings_for(
    kpis: dict[str, float], events: pd.DataFrame, meta: dict[str, Any] | None = None
) -> list[tuple[str, str]]:
    """``(severity, text)`` for everything a reader must see first; severity "bad" or "warn"."""
    out: list[tuple[str, str]] = []
    for name, v in kpis.items():
        if not math.isfinite(v):
            out.append(("bad", f"KPI {name} is {v}: the run is invalid."))
    bal = kpis.get("energy_balance_error", 0.0)
    if bal > BALANCE_TOLERANCE:
        out.append(
            (
                "bad",
                (
                    f"Energy balance open: max |supply − demand| is {bal:.3g} of the mean facility "
                    f"power (tolerance {BALANCE_TOLERANCE:g})."
                ),
            )
        )
    unmet = kpis.get("unmet_energy_mwh", 0.0)
    if unmet > 0:
        out.append(
            (
                "bad",
                (
                    f"Unmet energy: {format_kpi(unmet)} MWh of load was not served by any supply "
                    "(grid, PV, battery, genset, UPS)."
                ),
            )
        )
    thermal = thermal_warning(kpis, meta or {})
    if thermal:
        out.append(("bad", thermal))
    if len(events):
        counts = events["kind"].value_counts()
        for kind, label in (
            ("chiller_trip", "chiller trip(s)"),
            ("grid_outage", "grid outage(s)"),
        ):
            if counts.get(kind, 0):
                out.append(("warn", f"{int(counts[kind])} {label} during the run (see Events)."))
    return out


# -- HTML pieces ---------------------------------------------------------------------
def _e(x: Any) -> str:
    return html.escape(str(x), quote=True)


def _data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def _kpi_table(kpis: dict[str, float]) -> str:
    names = [n for n in KPI_UNITS if n in kpis] + [n for n in kpis if n not in KPI_UNITS]
    rows = []
    for n in names:
        unit, definition = KPI_UNITS.get(n, ("", ""))
        v = kpis[n]
        rows.append(
            f'<tr><td><code>{_e(n)}</code></td><td class="num kpi-value" data-kpi="{_e(n)}" '
            f'data-value="{v!r}">{_e(format_kpi(v))}</td><td>{_e(unit)}</td>'
            f"<td>{_e(definition)}</td></tr>"
        )
    return (
        '<table id="kpis"><tr><th>KPI</th><th>value</th><th>unit</th><th>definition</th></tr>'
        + "".join(rows)
        + "</table>"
    )


def _tiles(kpis: dict[str, float]) -> str:
    shown = (
        ("pue", "PUE", ""),
        ("wue_l_per_kwh", "WUE", " L/kWh"),
        ("renewable_fraction", "renewable share", ""),
        ("cfe_score", "24/7 CFE", ""),
        ("cue_kg_per_kwh", "CUE", " kgCO2/kWh"),
        ("cost_per_it_mwh_mad", "cost per IT MWh", " MAD/MWh"),
        ("total_cost_mad_per_yr", "total cost", " MAD/yr"),
    )
    parts = []
    for key, label, unit in shown:
        if key in kpis:
            v = kpis[key]
            text = f"{v:.1%}" if key in ("renewable_fraction", "cfe_score") else format_kpi(v)
            parts.append(f'<div class="tile"><b>{_e(text)}{_e(unit)}</b><span>{label}</span></div>')
    return f'<div class="tiles">{"".join(parts)}</div>'


def _scenario_table(scenario: dict[str, Any]) -> tuple[str, list[tuple[str, Any, str]]]:
    """The scenario key by key, and the (key, value, description) rows that are assumptions."""
    schema = {row.key: row for row in iter_fields()}
    rows, assumptions = [], []
    for key, value in flatten(scenario).items():
        generic = ".".join("N" if p.isdigit() else p for p in key.split("."))
        row = schema.get(generic)
        unit = row.unit if row else ""
        desc = row.description if row else ""
        if any(w in desc.lower() for w in ("assum", "placeholder")):
            assumptions.append((key, value, desc))
        rows.append(
            f"<tr><td><code>{_e(key)}</code></td><td class='num'>{_e(value)}</td>"
            f"<td>{_e(unit)}</td><td>{_e(desc)}</td></tr>"
        )
    table = (
        "<table id='scenario'><tr><th>key</th><th>value</th><th>unit</th>"
        "<th>description / source</th></tr>" + "".join(rows) + "</table>"
    )
    return table, assumptions


def _figures(images: dict[str, bytes]) -> str:
    parts = []
    for name, png in images.items():
        caption = name.replace("_", " ")
        parts.append(
            f'<figure><img alt="{_e(caption)}" src="{_data_uri(png)}">'
            f"<figcaption>{_e(caption)}</figcaption></figure>"
        )
    return "".join(parts) or "<p>No plots in the run directory.</p>"


def _cost_card(kpis: dict[str, float]) -> str:
    rows = "".join(
        f'<tr><td>{_e(label)}</td><td class="num">{_e(text)}</td><td>{_e(unit)}</td>'
        f"<td>{_e(note)}</td></tr>"
        for label, text, unit, note in cost_card(kpis, KPI_UNITS)
    )
    return f"<table id='cost-card'>{rows}</table>" if rows else ""


def _events_html(events: pd.DataFrame, log: pd.DataFrame | None) -> str:
    """The readable event log (``event_log.csv``: local time to the minute, each fault
    with its consequence, routine alarms summarised), else the first raw events."""
    heads: tuple[str, ...]
    if log is not None and len(log):
        heads, cols = ("from (local)", "to", "event", "detail", "consequence"), log.head(500)
        cols = cols[["time", "end", "event", "detail", "consequence"]]
        note = "Every event at its exact time: events.csv."
    else:
        heads, cols = ("time", "event", "detail"), events.head(200)[["time", "kind", "detail"]]
        note = ""
    if not len(cols):
        return "<p>No events.</p>"
    rows = "".join(
        "<tr>" + "".join(f"<td>{_e(v)}</td>" for v in r) + "</tr>"
        for r in cols.itertuples(index=False)
    )
    head = "".join(f"<th>{h}</th>" for h in heads)
    return f"<table id='events'><tr>{head}</tr>{rows}</table><p class='sub'>{note}</p>"


def render_html(run: dict[str, Any], title: str | None = None) -> str:
    """The report as one HTML string (no external resource)."""
    kpis, meta, events = run["kpis"], run["meta"], run["events"]
    name = run["scenario"].get("name", "run")
    title = title or f"Atlas Twin report — {name}"
    warns = warnings_for(kpis, events, meta)
    if warns:
        warn_html = "".join(f'<div class="warn {sev}">{_e(text)}</div>' for sev, text in warns)
    else:
        warn_html = (
            '<div class="ok">No warnings: energy balance closed, no unmet energy, '
            "no thermal violation, no chiller trip or grid outage.</div>"
        )
    images = {**run["images"]}
    if run.get("run_dir") is not None:
        images.update(draw_missing(run["run_dir"], images, run.get("week_start")))
    scen_table, assumptions = _scenario_table(run["scenario"])
    assum_rows = "".join(
        f"<tr><td><code>{_e(k)}</code></td><td class='num'>{_e(v)}</td><td>{_e(d)}</td></tr>"
        for k, v, d in assumptions
    )
    sources = "".join(f"<li><b>{_e(a)}</b>: {_e(b)}</li>" for a, b in MODEL_SOURCES)
    events_html = _events_html(events, run.get("event_log"))
    facts = " · ".join(
        str(x)
        for x in (
            meta.get("site_name"),
            meta.get("weather"),
            f"{meta['steps']} steps of {meta['step']}"
            if "steps" in meta and "step" in meta
            else None,
            f"seed {meta['seed']}" if "seed" in meta else None,
        )
        if x
    )
    scen_text = run.get("scenario_text", "")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(title)}</title><style>{_CSS}</style></head>
<body><main>
<h1>{_e(title)}</h1>
<p class="sub">{_e(facts)} · {_e(provenance.label(meta))}</p>
<section id="warnings"><h2>Warnings</h2>{warn_html}</section>
<section id="summary"><h2>Key performance indicators</h2>{_tiles(kpis)}
<h3>Costs</h3>{_cost_card(kpis)}<h3>All KPIs</h3>{_kpi_table(kpis)}
<p class="sub">Energies are integrals of the step averages over the simulated horizon; shares
are fractions (0–1). Full definitions with formulas: docs/kpis.md.</p></section>
<section id="plots"><h2>Plots</h2>{_figures(images)}</section>
<section id="events-section"><h2>Events</h2>{events_html}</section>
<section id="scenario-section"><h2>Scenario</h2>{scen_table}
<details><summary>scenario.toml as run</summary><pre>{_e(scen_text)}</pre></details></section>
<section id="assumptions"><h2>Assumptions and sources</h2>
<p>Values whose description marks them as an assumption or a placeholder:</p>
<table><tr><th>key</th><th>value</th><th>note</th></tr>{assum_rows}</table>
<p>Models and data:</p><ul>{sources}</ul></section>
</main></body></html>
"""


def write_report(
    run_dir: str | Path, out: str | Path | None = None, week_start: str | None = None
) -> Path:
    """Write ``report.html`` (or *out*) for *run_dir*, atomically; return its path."""
    run_dir = Path(run_dir)
    run = read_run(run_dir)
    run["week_start"] = week_start
    text = render_html(run)
    out_path = Path(out) if out is not None else run_dir / REPORT_NAME
    fd, tmp = tempfile.mkstemp(prefix=f".{out_path.name}.", dir=out_path.resolve().parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.chmod(tmp, 0o644)  # mkstemp creates 0600; a report is meant to be shared
        Path(tmp).replace(out_path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return out_path
