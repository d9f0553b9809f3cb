"""National what-ifs of a portfolio: 24/7 carbon-free sizing, dry coolers, delays.

* :func:`cfe_sets`: each campus's PV, wind and battery set to the cheapest 95 % hourly
  carbon-free sizing of the CFE frontier (``examples/cfe_frontier.py``, results in
  ``examples/results/cfe_frontier.json``) for the 40 MW default hall at Dakhla
  (PV + wind + battery): 100 MWp, 40 MW of wind and 300 MWh per 40 MW of IT, scaled
  to the campus's IT peak (assumed: the sizing per MW of IT carries over from the
  hall to a campus and from Dakhla's wind to the campus's own farm). The ``[wind]``
  table takes the campus's own farm (``wind.farm``), or Dakhla's catalogue farm where
  the campus has none.
* :func:`dry_cooler_sets`: ``cooling.plant = "dry_coolers"`` everywhere.
* :func:`delayed`: every phased campus online *n* years later.
"""

from __future__ import annotations

import dataclasses

from twin.portfolios.spec import Portfolio

__all__ = ["CFE95_PER_MW_IT", "cfe_sets", "delayed", "dry_cooler_sets"]

#: The CFE frontier's cheapest sizing at a 95 % hourly CFE score, Dakhla, per MW of IT
#: (pv 100 MWp, wind 40 MW, battery 300 MWh, 4 h, for the 40 MW hall) [derived].
CFE95_PER_MW_IT = {"pv_mwp": 100 / 40, "wind_mw": 40 / 40, "battery_mwh": 300 / 40}


def _it_peak_mw(sc) -> float:
    return sum(g.racks * g.p_rack_peak_kw for g in sc.it.groups) / 1e3


def cfe_sets(pf: Portfolio) -> dict[str, list[str]]:
    """Per campus, the overrides of the 95 % CFE sizing (see module docstring)."""
    out = {}
    for c in pf.campuses:
        it = _it_peak_mw(c.scenario)
        s = CFE95_PER_MW_IT
        sets = [
            f"pv.capacity_mwp={s['pv_mwp'] * it:.1f}",
            f"wind.capacity_mw={s['wind_mw'] * it:.1f}",
            f"battery.energy_mwh={s['battery_mwh'] * it:.1f}",
            f"battery.power_mw={s['battery_mwh'] * it / 4:.1f}",
            'power.dispatch="self_consumption"',
        ]
        if not c.scenario.wind.farm:
            sets.append('wind.farm="dakhla"')
        out[c.name] = sets
    return out


def dry_cooler_sets() -> list[str]:
    """Overrides for every campus: dry coolers instead of their plant."""
    return ['cooling.plant="dry_coolers"']


def delayed(pf: Portfolio, years: int) -> Portfolio:
    """*pf* with every phased campus's ``online_year`` *years* later."""
    campuses = tuple(
        dataclasses.replace(c, online_year=c.online_year + years)
        if c.online_year is not None
        else c
        for c in pf.campuses
    )
    return dataclasses.replace(pf, campuses=campuses)
