"""What a simulation process does for a request, with its kernels and weather kept warm.

Each function takes a validated scenario as a dict (:meth:`Scenario.to_dict`, rebuilt
without reading any path: :func:`twin.frontdoor.served_scenario` has already resolved
the data files) and returns plain data that crosses a process boundary: the JSON text of
a run, the workbench's series, a report's HTML. A user's error (a weather file that does
not parse, a run too large) comes back as a :class:`~twin.errors.TwinError`.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from twin.frontdoor import run_answer
from twin.scenario.model import Scenario

#: Columns of the step table that deliver power to the load, by source (the columns of
#: a source are summed when there are several; a missing one counts as zero).
SUPPLY_TO_LOAD = {
    "grid": ("p_grid_import_mw",),
    "PV and wind": ("p_pv_to_load_mw", "p_wind_to_load_mw", "p_ppa_to_load_mw"),
    "battery": ("p_bess_discharge_mw",),
    "genset": ("p_genset_mw",),
    "UPS": ("p_ups_discharge_mw",),
}


def watch_parent(parent_pid: int, period_s: float = 1.0) -> None:
    """Initializer of a simulation process: end it when the server that started it is
    gone (a server killed, or stopped before its pool could say so, would otherwise
    leave its simulation processes running with no one to answer)."""

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(period_s)
        os._exit(0)

    threading.Thread(target=watch, name="watch-parent", daemon=True).start()


def warm() -> float:
    """Compile (or load from the cache) every kernel and the default site's weather: one
    day of the default scenario. Returns its wall time [s]."""
    import time

    t0 = time.perf_counter()
    run_answer(Scenario(simulation={"days": 1}))
    return time.perf_counter() - t0


def run_json(data: dict[str, Any], files: dict[str, str]) -> str:
    """``POST /api/run``: the text of ``twin run --json``."""
    return run_answer(Scenario.from_dict(data), files)


def _hourly(ts: pd.DataFrame) -> pd.DataFrame:
    step_h = (ts.index[1] - ts.index[0]).total_seconds() / 3600.0 if len(ts) > 1 else 1.0
    return ts if step_h >= 1.0 else ts.resample("1h").mean()


def _clean(values: Any) -> list[float | None]:
    return [None if not math.isfinite(v) else round(float(v), 6) for v in np.asarray(values)]


def series(ts: pd.DataFrame) -> dict[str, Any]:
    """The workbench's plots from a step table: the week around the hottest hour (supply
    by source and the facility demand, hourly MW), the water of each month [m³] and the
    PUE by month and hour of day (mean facility power over mean IT power)."""
    step_h = (ts.index[1] - ts.index[0]).total_seconds() / 3600.0 if len(ts) > 1 else 1.0
    facility = ts["p_it_mw"] + ts["p_cooling_mw"] + ts["p_ups_loss_mw"]
    hourly = _hourly(ts.assign(p_facility_mw=facility))
    centre = int(np.argmax(hourly["t_db_c"].to_numpy())) if len(hourly) else 0
    lo = max(0, min(centre - 84, len(hourly) - 168))
    week = hourly.iloc[lo : lo + 168]
    supply = {
        name: _clean(sum((week[c] for c in cols if c in week), pd.Series(0.0, index=week.index)))
        for name, cols in SUPPLY_TO_LOAD.items()
    }
    water = (ts["water_m3_h"] * step_h).groupby(ts.index.month).sum()
    grouped = pd.DataFrame({"f": facility, "it": ts["p_it_mw"]}).groupby(
        [ts.index.month, ts.index.hour]
    )
    pue = (grouped["f"].mean() / grouped["it"].mean()).unstack()
    return {
        "week": {
            "start": week.index[0].isoformat() if len(week) else None,
            "demand_mw": _clean(week["p_facility_mw"]),
            "supply_mw": supply,
            "t_db_c": _clean(week["t_db_c"]),
        },
        "water_m3_by_month": {"months": [int(m) for m in water.index], "m3": _clean(water)},
        "pue_month_hour": {
            "months": [int(m) for m in pue.index],
            "hours": [int(h) for h in pue.columns],
            "pue": [_clean(row) for row in pue.to_numpy()],
        },
    }


def whatif(data: dict[str, Any], files: dict[str, str]) -> str:
    """``POST /api/whatif`` (the workbench): ``{"run": ..., "series": ...}``, the run's
    object written exactly as ``POST /api/run`` answers it, and the series of its plots."""
    from twin.results.simulate import simulate

    result = simulate(Scenario.from_dict(data))
    if files and result.meta.get("weather") in files:
        result.meta["weather"] = files[result.meta["weather"]]
    return f'{{"run": {result.to_json()}, "series": {json.dumps(series(result.timeseries))}}}'


def report_html(data: dict[str, Any], files: dict[str, str]) -> str:
    """``POST /api/report``: the self-contained HTML report of the run (``twin report``)."""
    from twin.report.rundir import write_run
    from twin.results.simulate import simulate

    result = simulate(Scenario.from_dict(data))
    if files and result.meta.get("weather") in files:
        result.meta["weather"] = files[result.meta["weather"]]
    tmp = Path(tempfile.mkdtemp(prefix="twin-serve-report-"))
    try:
        write_run(result, tmp / "run", report=True)
        text = (tmp / "run" / "report.html").read_text(encoding="utf-8")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for path, name in files.items():  # the scenario as run names the client's file
        text = text.replace(path, name)
    return text
