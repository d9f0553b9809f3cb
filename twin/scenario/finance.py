"""``[finance]``: the cost of capital, escalation and prices that turn the run's flows into
an annual cost (used by ``twin/results/economics.py``).
"""

from __future__ import annotations

from pydantic import Field

from twin.scenario.base import Section

#: Concessional financing of Moroccan renewables, the alternative to the market default:
#: 86 % debt at 3.1 % and 14 % equity at 14 % (Energy Sustain. Soc. 8, 2018, Table 4,
#: "best case" financing): 0.86 x 3.1 % + 0.14 x 14 % = 4.63 %.
WACC_CONCESSIONAL = 0.0463


class FinanceConfig(Section):
    wacc: float = Field(
        0.082,
        ge=0,
        le=0.5,
        description="Nominal weighted average cost of capital [-]: market default 8.2 %, the "
        "Middle East and Africa average cost of capital for renewables (IRENA 2023, The cost "
        "of financing for renewable power, 2019-2021); the concessional case is 0.0463 "
        "(Noor-type financing, Energy Sustain. Soc. 2018, Table 4).",
    )
    escalation_frac_per_yr: float = Field(
        0.021,
        ge=-0.1,
        le=0.5,
        description="Nominal escalation of energy, water, fuel and O&M prices [1/yr]: 2.1 %, "
        "the mean of Bank Al-Maghrib's inflation projections for 2025 (2.4 %) and 2026 "
        "(1.8 %), December 2024 (derived).",
    )
    analysis_years: int = Field(
        20,
        ge=1,
        le=60,
        description="Years over which escalating operating costs are levelised [yr] "
        "(assumed: about the service life of the chillers and electrical plant).",
    )
    water_mad_per_m3: float = Field(
        16.48,
        ge=0,
        le=1000,
        description="Price of cooling make-up water [MAD/m3]: Lydec (Casablanca) tariff for "
        "professional customers above 35 m3/month from 1 June 2018 (TelQuel, 2018-06-06).",
    )
