"""Monthly WUE of the water-cooled plant at one site (a year at 1 h, the default hall).

Shared by ``test_wue_by_month.py`` and ``benchmarks/wue_by_month.py``: the default
scenario (``cooling.plant = "water_cooled_chillers"``: chillers, variable-speed towers,
water-side economizer) at a built-in site, its tower make-up water (evaporation + drift
+ blowdown) summed by calendar month and divided by the month's IT energy (WUE, The
Green Grid WP#35: site water / IT energy) and by the heat the hall gives the loops, with
the month's mean dry bulb, wet bulb and wet-bulb depression (t_db − t_wb).
"""

from __future__ import annotations

import pandas as pd

from kernels import layout as L
from twin import Scenario
from twin.sim.engine import run_raw

SITES = ("rabat", "marrakech", "ouarzazate", "dakhla")


def monthly(site: str) -> dict:
    """Monthly and annual WUE of the default scenario at *site*."""
    sc = Scenario(site={"id": site})
    raw = run_raw(sc)
    dt_s = float(sc.dt_s)
    out = raw.out
    water_l = out[:, L.O_VDOT_WATER_M3_S] * dt_s * 1e3
    it_kwh = out[:, L.O_P_IT_W] * dt_s / 3.6e6
    heat_kwh = (out[:, L.O_Q_AIR_W] + out[:, L.O_Q_LIQ_W]) * dt_s / 3.6e6
    inp = raw.inputs
    df = pd.DataFrame(
        {
            "water_l": water_l,
            "it_kwh": it_kwh,
            "heat_kwh": heat_kwh,
            "t_db_c": inp.t_db_c,
            "t_wb_c": inp.t_wb_c,
        },
        index=inp.index,
    )
    g = df.groupby(df.index.month)
    s = g[["water_l", "it_kwh", "heat_kwh"]].sum()
    m = g[["t_db_c", "t_wb_c"]].mean()
    months = []
    for month in s.index:
        months.append(
            {
                "month": int(month),
                "wue_l_per_kwh": round(float(s.at[month, "water_l"] / s.at[month, "it_kwh"]), 3),
                "water_per_heat_l_per_kwh": round(
                    float(s.at[month, "water_l"] / s.at[month, "heat_kwh"]), 3
                ),
                "t_db_c": round(float(m.at[month, "t_db_c"]), 1),
                "t_wb_c": round(float(m.at[month, "t_wb_c"]), 1),
                "depression_k": round(float(m.at[month, "t_db_c"] - m.at[month, "t_wb_c"]), 1),
            }
        )
    return {
        "site": site,
        "wue_l_per_kwh": round(float(water_l.sum() / it_kwh.sum()), 3),
        "months": months,
    }
