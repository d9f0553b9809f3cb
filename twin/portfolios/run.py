"""``twin.portfolio``: every campus of a portfolio in one batch, then the national view.

The campuses go through the sweep machinery's batch (:func:`twin.sweeps.batch.run_batch`:
one kernel call for all of them, the same KPI code as ``twin run``, bit for bit), with
their step tables, from which :func:`twin.portfolios.national.national_view` puts their
grid energy on the national year.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from twin.errors import ScenarioError, TwinError
from twin.portfolios.national import NationalView, national_view
from twin.portfolios.spec import Portfolio, load_portfolio
from twin.results.kpis import KPI_UNITS
from twin.sweeps.batch import run_batch
from twin.sweeps.prepare import InputCache

__all__ = ["ADDITIVE_UNITS", "PortfolioResult", "portfolio", "run_portfolio", "totals"]

#: Units of the KPIs that add up over campuses (energies, water, carbon, money, fuel,
#: subscribed power). Peaks, ratios, temperatures and hours do not.
ADDITIVE_UNITS = frozenset({"MWh", "m3", "t", "MAD", "MAD/yr", "L", "kVA"})


@dataclass
class PortfolioResult:
    """KPIs of each campus, their sums, the national view and the run's meta."""

    campuses: dict[str, dict[str, float]]
    total: dict[str, float]
    national: NationalView
    meta: dict[str, Any] = field(default_factory=dict)
    portfolio: Portfolio | None = None

    def to_dict(self) -> dict[str, Any]:
        """The ``twin portfolio --json`` object."""
        return {
            "campuses": self.campuses,
            "total": self.total,
            "national": self.national.kpis,
            "meta": self.meta,
        }


def totals(campuses: dict[str, dict[str, float]]) -> dict[str, float]:
    """The additive KPIs (:data:`ADDITIVE_UNITS`) summed over *campuses*, with the PUE
    and WUE of the sums."""
    out = {
        name: float(sum(k[name] for k in campuses.values()))
        for name, (unit, _) in KPI_UNITS.items()
        if unit in ADDITIVE_UNITS
    }
    it = out["it_energy_mwh"]
    out["pue"] = out["facility_energy_mwh"] / it if it > 0 else 0.0
    out["wue_l_per_kwh"] = out["water_m3"] / it if it > 0 else 0.0
    return out


def run_portfolio(pf: Portfolio, basis: str = "lifecycle") -> PortfolioResult:
    """Run the campuses of a loaded portfolio *pf* and build its national view."""
    t0 = time.perf_counter()
    cache = InputCache()
    outcomes = run_batch([c.scenario for c in pf.campuses], cache=cache, timeseries=True)
    kpis: dict[str, dict[str, float]] = {}
    for c, o in zip(pf.campuses, outcomes):
        if o.kpis is None:
            raise TwinError(f"campus {c.name!r}: {o.error}")
        kpis[c.name] = dict(o.kpis)
    series = {}
    for c, o in zip(pf.campuses, outcomes):
        # the off-site PPA farm's delivery (the inputs are cached: no second computation)
        ts = o.series.copy()
        ts["p_ppa_mw"] = cache.get(c.scenario)[1].p_ppa_w / 1e6
        series[c.name] = ts
    wall_campuses = time.perf_counter() - t0
    view = national_view(pf.campuses, kpis, series, pf.year, basis)
    meta = {
        "portfolio_file": str(pf.path),
        "year": pf.year,
        "campuses": {
            c.name: {
                "scenario_file": str(c.scenario_file),
                "set": list(c.sets),
                "site": c.scenario.site.id,
                "step": c.scenario.simulation.step,
                "online_year": c.online_year,
                "ramp_years": c.ramp_years,
            }
            for c in pf.campuses
        },
        "carbon_basis": basis,
        "wall_s": time.perf_counter() - t0,
        "wall_campuses_s": wall_campuses,
    }
    return PortfolioResult(kpis, totals(kpis), view, meta, pf)


def portfolio(
    path: str | Path | None = None,
    step: str | None = None,
    sets: list[str] | None = None,
    campus_sets: dict[str, list[str]] | None = None,
    delay_years: int = 0,
) -> PortfolioResult:
    """Run a portfolio file (default: Morocco's announced pipeline) and its national view.

    *step* (``"1h"``, ``"15min"``) and *sets* apply to every campus, *campus_sets*
    to the named ones; *delay_years* moves every phased campus's ``online_year`` later.
    """
    extra = list(sets or [])
    if step is not None:
        if step not in ("1h", "15min", "1min"):
            raise ScenarioError(f"step = {step!r}: must be one of 1h, 15min, 1min")
        extra.append(f'simulation.step="{step}"')
    pf = load_portfolio(path, extra, campus_sets)
    if delay_years:
        from twin.portfolios.whatif import delayed

        pf = delayed(pf, delay_years)
    return run_portfolio(pf)
