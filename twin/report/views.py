"""What the report shows beyond the KPI table, decided here so that
:mod:`twin.report.html` only lays it out: the figures (drawn once per run folder), the
thermal warning naming the quantity that broke its limit, and the cost card.

Figures: ``twin run --out`` writes every view as a PNG (:meth:`ResultPlotter.save_all
<twin.results.figures.ResultPlotter.save_all>`); the report embeds those files and
draws from ``timeseries.parquet`` only the views a folder lacks (one written by an
older version), reading the table only then.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from twin.errors import ReportError
from twin.results.bands import REPORT_FIGURES as REPORT_VIEWS


def missing_views(images: Mapping[str, bytes]) -> tuple[str, ...]:
    """The report views not yet in *images* (PNG stem -> bytes of a run folder)."""
    return tuple(n for n in REPORT_VIEWS if n not in images)


def draw_missing(
    run_dir: str | Path, images: Mapping[str, bytes], week_start: str | None = None
) -> dict[str, bytes]:
    """PNG bytes of the views *images* lacks, drawn from ``timeseries.parquet`` (read only
    when some view is missing); empty when none is missing or there is no table. With
    *week_start* the supply week is drawn again, from that local date."""
    names = missing_views(images)
    if week_start is not None and "supply_and_demand_week" not in names:
        names = (*names, "supply_and_demand_week")
    ts_path = Path(run_dir) / "timeseries.parquet"
    if not names or not ts_path.is_file():
        return {}
    import matplotlib.pyplot as plt
    import pandas as pd

    from twin.results.plots import report_figures

    ts = pd.read_parquet(ts_path)
    if ts.empty or "p_facility_mw" not in ts:  # a table older than the source columns
        return {}
    out = {}
    try:
        figs = report_figures(ts, names, week_start)
    except ValueError as exc:  # a week outside the run
        raise ReportError(f"--week: {exc}") from None
    for name, fig in figs.items():
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=90)
        plt.close(fig)
        out[name] = buf.getvalue()
    return out


# -- thermal limits --------------------------------------------------------------------
#: meta["thermal"] keys -> how a person names the quantity
THERMAL_NAMES = {"it_inlet": "IT inlet air", "facility_water": "facility water supply"}


def thermal_warning(kpis: Mapping[str, float], meta: Mapping[str, Any]) -> str | None:
    """The thermal-violation warning, naming the quantity that broke its limit by the
    most (e.g. the facility water at 45 °C over its 32 °C), or ``None`` without one."""
    hours = kpis.get("thermal_violation_h", 0.0)
    if not hours > 0:
        return None
    head = f"Thermal violation: {_hours(hours)} h outside the ASHRAE allowable range"
    broken = []
    for key, rec in (meta.get("thermal") or {}).items():
        limit, top = rec.get("limit_c"), rec.get("max_c")
        if limit is not None and top is not None and top > limit:
            broken.append((top - limit, THERMAL_NAMES.get(key, key), top, limit))
    if not broken:
        inlet = kpis.get("max_inlet_c", float("nan"))
        return (
            f"{head}: an IT inlet or facility-water supply outside its limit "
            f"(highest IT inlet {inlet:.1f} °C; below the allowable minimum if not above)."
        )
    broken.sort(reverse=True)
    parts = [
        f"the {name} reached {top:.1f} °C (limit {limit:.1f} °C)" for _, name, top, limit in broken
    ]
    return f"{head}: " + "; ".join(parts) + "."


def _hours(h: float) -> str:
    return f"{h:,.0f}" if h >= 100 else f"{h:.3g}"
