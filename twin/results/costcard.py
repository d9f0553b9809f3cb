"""The cost card of a run: what the site costs a year and where the money goes, from
the economics KPIs (:mod:`twin.results.economics`, :mod:`twin.results.tariff`).

The run's horizon may be shorter than a year: the grid bill, the water cost and the
PPA are over the run (``energy_cost_mad``, ``water_cost_mad``), the annual figures
(``total_cost_mad_per_yr``, ``opex_mad_per_yr``) are per year. Both are labelled.
"""

from __future__ import annotations

from collections.abc import Mapping

from twin.results.readable import readable

#: (KPI, label, note) in the order of the card
CARD = (
    ("total_cost_mad_per_yr", "total cost", "annualised capex + O&M + fuel + grid + water"),
    ("cost_per_it_mwh_mad", "per IT MWh", "total cost / IT energy per year"),
    ("capex_mad", "capital cost", "PV, wind, battery and gensets"),
    ("opex_mad_per_yr", "O&M and fuel", "fixed O&M + genset fuel, per year"),
    ("energy_cost_mad", "energy bill (run)", "ONEE bill excl. VAT - export + PPA, over the run"),
    ("grid_premium_mad", "of which premium", "subscribed power, pro rata, over the run"),
    ("grid_overrun_mad", "of which overrun", "called power above the subscription"),
    ("water_cost_mad", "water (run)", "make-up water x water price, over the run"),
    ("energy_vat_mad", "VAT (apart)", "deductible, in no cost figure"),
    ("lcoe_onsite_mad_per_mwh", "on-site LCOE", "renewables + storage per MWh they deliver"),
)


def cost_card(kpis: Mapping[str, float], units: Mapping[str, tuple[str, str]]):
    """``[(label, value text, unit, note)]`` for the KPIs of :data:`CARD` in *kpis*."""
    out = []
    for name, label, note in CARD:
        if name in kpis:
            text, unit = readable(float(kpis[name]), units.get(name, ("", ""))[0])
            out.append((label, text, unit, note))
    return out
