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

The markup is the Jinja2 template ``templates/report.html`` (:mod:`twin.report.jinja`),
which shares its style sheet and KPI pieces with the workbench page of ``twin serve``;
this module reads the run and computes what the template shows.

It reads only what :func:`twin.report.rundir.write_run` writes, so a run directory
copied to another machine can be reported there.
"""

from __future__ import annotations

import base64
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
from twin.report.jinja import render
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


# -- the pieces the templates show -----------------------------------------------------
def _data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


#: The KPIs shown as tiles above the table: (key, label, unit).
TILES = (
    ("pue", "PUE", ""),
    ("wue_l_per_kwh", "WUE", " L/kWh"),
    ("renewable_fraction", "renewable share", ""),
    ("cfe_score", "24/7 CFE", ""),
    ("cue_kg_per_kwh", "CUE", " kgCO2/kWh"),
    ("cost_per_it_mwh_mad", "cost per IT MWh", " MAD/MWh"),
    ("total_cost_mad_per_yr", "total cost", " MAD/yr"),
)
SHARES = ("renewable_fraction", "cfe_score")


def tile_items(kpis: dict[str, float]) -> list[dict[str, str]]:
    """The KPI tiles (macro ``tiles`` of ``macros.html``): key, text, unit, label."""
    return [
        {
            "key": key,
            "text": f"{kpis[key]:.1%}" if key in SHARES else format_kpi(kpis[key]),
            "unit": unit,
            "label": label,
        }
        for key, label, unit in TILES
        if key in kpis
    ]


def kpi_rows(kpis: dict[str, float]) -> list[dict[str, str]]:
    """The KPI table (macro ``kpi_table``): every KPI with the exact number in ``raw``."""
    names = [n for n in KPI_UNITS if n in kpis] + [n for n in kpis if n not in KPI_UNITS]
    rows = []
    for n in names:
        unit, definition = KPI_UNITS.get(n, ("", ""))
        v = kpis[n]
        rows.append(
            {
                "name": n,
                "raw": repr(v),
                "text": format_kpi(v),
                "unit": unit,
                "definition": definition,
            }
        )
    return rows


def scenario_rows(
    scenario: dict[str, Any],
) -> tuple[list[dict[str, Any]], list[tuple[str, Any, str]]]:
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
        rows.append({"key": key, "value": value, "unit": unit, "description": desc})
    return rows, assumptions


def cost_items(kpis: dict[str, float]) -> list[dict[str, str]]:
    """The cost card's rows (:func:`twin.results.costcard.cost_card`)."""
    return [
        {"label": label, "text": text, "unit": unit, "note": note}
        for label, text, unit, note in cost_card(kpis, KPI_UNITS)
    ]


def event_table(
    events: pd.DataFrame, log: pd.DataFrame | None
) -> tuple[tuple[str, ...], list[tuple[Any, ...]], str]:
    """The readable event log (``event_log.csv``: local time to the minute, each fault
    with its consequence, routine alarms summarised), else the first raw events:
    ``(headings, rows, note)``."""
    heads: tuple[str, ...]
    if log is not None and len(log):
        heads, cols = ("from (local)", "to", "event", "detail", "consequence"), log.head(500)
        cols = cols[["time", "end", "event", "detail", "consequence"]]
        note = "Every event at its exact time: events.csv."
    else:
        heads, cols = ("time", "event", "detail"), events.head(200)[["time", "kind", "detail"]]
        note = ""
    return heads, [tuple(r) for r in cols.itertuples(index=False)], note


def _facts(meta: dict[str, Any]) -> str:
    return " · ".join(
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


def render_html(run: dict[str, Any], title: str | None = None) -> str:
    """The report as one HTML string (no external resource), from the Jinja2 template
    ``report.html`` (:mod:`twin.report.jinja`)."""
    kpis, meta, events = run["kpis"], run["meta"], run["events"]
    name = run["scenario"].get("name", "run")
    images = {**run["images"]}
    if run.get("run_dir") is not None:
        images.update(draw_missing(run["run_dir"], images, run.get("week_start")))
    rows, assumptions = scenario_rows(run["scenario"])
    heads, event_rows, note = event_table(events, run.get("event_log"))
    return render(
        "report.html",
        title=title or f"Atlas Twin report — {name}",
        facts=_facts(meta),
        version=provenance.label(meta),
        warnings=warnings_for(kpis, events, meta),
        cost_rows=cost_items(kpis),
        tiles=tile_items(kpis),
        kpi_rows=kpi_rows(kpis),
        figures=[
            {"caption": n.replace("_", " "), "src": _data_uri(png)} for n, png in images.items()
        ],
        event_heads=heads,
        event_rows=event_rows,
        event_note=note,
        scenario_rows=rows,
        scenario_text=run.get("scenario_text", ""),
        assumptions=assumptions,
        sources=MODEL_SOURCES,
    )


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
