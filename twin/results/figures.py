"""Plots of a run, hung off ``Result.plot``; each returns its matplotlib Figure.

Long runs are drawn as daily means or daily bands (:mod:`twin.results.bands`), on a
time axis converted once to local wall-clock time. :meth:`ResultPlotter.save_all`
draws every figure of a run folder, the report's views included, once.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from twin.results.bands import draw_series, local_times
from twin.results.plots import REPORT_FIGURES, SUPPLY, derived, report_figures


def _step_s(ts: pd.DataFrame) -> float:
    return float((ts.index[1] - ts.index[0]).total_seconds()) if len(ts) > 1 else 3600.0


def mark_faults(ax, events: pd.DataFrame | None, t0: pd.Timestamp, horizon_s: float) -> None:
    """Shade the faults of *events* on *ax* at their real times: grid outages (red when
    the gensets did not start), gensets out of service, and chiller trips (a line at the
    trip, the repair time shaded)."""
    if events is None or not len(events):
        return
    from twin.results.eventlog import fault_episodes

    faults, _ = fault_episodes(events)
    styles = {
        ("grid_outage", False): ("grey", 0.3, "grid outage"),
        ("grid_outage", True): ("red", 0.3, "grid outage, genset failed"),
        ("genset_start_failure", False): ("orange", 0.2, "genset out of service"),
        ("chiller_trip", False): ("tab:cyan", 0.12, "chiller trip"),
    }
    labelled = set()
    for f in faults:
        key = (f.kind, f.genset_failed)
        colour, alpha, label = styles[key]
        # the axes are in naive local time (twin.results.bands.local_times)
        start = (t0 + pd.Timedelta(seconds=f.start_s)).tz_localize(None)
        end = (t0 + pd.Timedelta(seconds=min(f.end_s, horizon_s))).tz_localize(None)
        text = None if label in labelled else label
        labelled.add(label)
        ax.axvspan(start, end, color=colour, alpha=alpha, lw=0, label=text)
        if f.kind == "chiller_trip":
            ax.axvline(start, color=colour, lw=0.8, ls="--")


class ResultPlotter:
    """``result.plot.energy_flows()``, ``.temperatures()``, ``.supply_mix()``."""

    def __init__(self, result) -> None:
        self._r = result

    def _daily(self, cols: list[str]) -> pd.DataFrame:
        ts = self._r.timeseries[cols]
        return ts.resample("D").mean() if len(ts) > 24 * 14 * 4 else ts

    def energy_flows(self):
        """Facility demand by end use (daily means for long runs) [MW]."""
        df = self._daily(
            [
                "p_it_mw",
                "p_ups_loss_mw",
                "p_chiller_mw",
                "p_tower_fan_mw",
                "p_pumps_mw",
                "p_air_fans_mw",
            ]
        )
        fig, ax = plt.subplots(figsize=(10, 4), layout="constrained")
        ax.stackplot(
            local_times(df.index),
            *(df[c] for c in df.columns),
            labels=["IT", "UPS losses", "chillers", "tower fans", "pumps", "CRAH fans"],
        )
        ax.set_ylabel("power [MW]")
        ax.set_title(f"Facility demand by end use — PUE {self._r.kpis['pue']:.3f}")
        ax.legend(loc="lower left", ncols=6, fontsize="small")
        return fig

    def temperatures(self):
        """Outdoor dry and wet bulb, IT inlet, liquid supply and hall dew point, with
        limits [°C]."""
        ts = self._r.timeseries
        fig, ax = plt.subplots(figsize=(10, 4), layout="constrained")
        for col, colour, label, lw in (
            ("t_db_c", "tab:orange", "outdoor dry bulb", 0.5),
            ("t_wb_c", "tab:blue", "outdoor wet bulb", 0.5),
            ("t_inlet_c", "tab:red", "IT inlet", 1.0),
            ("t_liquid_supply_c", "tab:purple", "facility water supply", 1.0),
            ("t_dew_point_hall_c", "tab:green", "hall dew point", 1.0),
        ):
            if col in ts:
                draw_series(ax, ts.index, ts[col], colour, label, lw)
        sc = self._r.scenario
        if sc is not None:
            from twin.scenario.ashrae import ASHRAE_AIR_DEW_POINT_MAX_C, ASHRAE_AIR_MAX_C

            lim = min(ASHRAE_AIR_MAX_C[g.ashrae_class] for g in sc.it.groups)
            ax.axhline(lim, color="tab:red", ls="--", lw=0.8, label="allowable inlet")
            dp = min(ASHRAE_AIR_DEW_POINT_MAX_C[g.ashrae_class] for g in sc.it.groups)
            ax.axhline(dp, color="tab:green", ls="--", lw=0.8, label="allowable dew point")
        mark_faults(ax, self._r.events, ts.index[0], len(ts) * _step_s(ts))
        ax.set_ylabel("temperature [°C]")
        ax.legend(loc="lower left", ncols=4, fontsize="small")
        return fig

    def supply_mix(self):
        """Supply by source, the stack of :data:`twin.results.plots.SUPPLY`, and the unmet
        load (daily means for long runs) [MW]."""
        ts = self._r.timeseries
        d = derived(ts)
        layers = {label: d[col] if col in d else ts[col] for label, col, _ in SUPPLY}
        layers["unmet"] = ts["p_unmet_mw"]
        df = pd.DataFrame(layers, index=ts.index)
        if len(df) > 24 * 14 * 4:
            df = df.resample("D").mean()
        fig, ax = plt.subplots(figsize=(10, 4), layout="constrained")
        ax.stackplot(
            local_times(df.index),
            *(df[c] for c in df.columns),
            labels=list(df.columns),
            colors=[colour for _, _, colour in SUPPLY] + ["red"],
        )
        k = self._r.kpis
        ax.set_title(
            f"Supply mix — renewable {k['renewable_fraction']:.1%}, CFE {k['cfe_score']:.1%}"
        )
        mark_faults(ax, self._r.events, ts.index[0], len(ts) * _step_s(ts))
        ax.set_ylabel("power [MW]")
        ax.legend(loc="lower left", ncols=6, fontsize="small")
        return fig

    def save_all(self, folder, report: bool = True, week_start=None) -> list[str]:
        """Write every plot as PNG into *folder*, each drawn once: the three of this
        class and, with *report*, the report's views (:data:`twin.results.plots.REPORT_FIGURES`,
        which ``twin report`` then reuses; *week_start*: the supply plot's week); return
        the file names."""
        names = []
        for name in ("energy_flows", "temperatures", "supply_mix"):
            fig = getattr(self, name)()
            fig.savefig(f"{folder}/{name}.png", dpi=110)
            plt.close(fig)
            names.append(f"{name}.png")
        if report:
            for name in REPORT_FIGURES:
                fig = report_figures(self._r.timeseries, (name,), week_start)[name]
                fig.savefig(f"{folder}/{name}.png", dpi=90)
                plt.close(fig)
                names.append(f"{name}.png")
        return names
