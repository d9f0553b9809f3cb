"""WUE of the water-cooled plant by site and month follows the climate (a year at 1 h).

The tower water now comes from the air that crosses the tower (EnergyPlus
``SaturatedExit``, :mod:`kernels.tower_water`): dry air leaves with more water per unit
of heat than humid air, and warm air carries more of the heat as vapour. Before, the
``LossFactor`` rule made the water a fixed 1.73 kg per kWh of heat: WUE 2.76–2.85 L/kWh
in every month at every site, Ouarzazate's July 1.03 × its January per unit heat.

Published annual figures for tower-cooled data centres (docs/cooling_audit.md, "Tower
water by psychrometrics") span 1.2 L/kWh (the low end of open towers by design, Yobitel
2025) to 2.3 L/kWh (Microsoft's owned, tower-era fleet of the early 2000s, Microsoft 2026);
the US on-site average is 1.8 L/kWh (Shehabi et al. 2016, LBNL-1005775, as cited by
Mytton 2021, npj Clean Water 4, 11). They are annual figures: a month is compared with
the other months, not with them.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from wue_months import monthly

PUBLISHED_L_PER_KWH = (1.2, 2.3)


@pytest.fixture(scope="module")
def sites():
    return {s: monthly(s) for s in ("rabat", "ouarzazate")}


def per_heat(row, month):
    return row["months"][month - 1]["water_per_heat_l_per_kwh"]


@pytest.mark.slow
def test_drier_hotter_months_use_more_water_per_unit_heat(sites):
    """Ouarzazate's July (mean t_db − t_wb ≈ 10 K) uses more than 1.3 × the water per
    kWh of heat of its January (≈ 5 K); in July dry Ouarzazate uses more per unit heat
    than humid Rabat (≈ 3.5 K). Before: 1.03 × and 1.00 ×."""
    ouz, rab = sites["ouarzazate"], sites["rabat"]
    assert ouz["months"][6]["depression_k"] > 2 * rab["months"][6]["depression_k"]
    assert per_heat(ouz, 7) > 1.3 * per_heat(ouz, 1)
    assert per_heat(ouz, 7) > 1.1 * per_heat(rab, 7)


@pytest.mark.slow
def test_monthly_wue_varies_with_the_climate(sites):
    """The monthly WUE spans more than 0.2 L/kWh over a year at both sites (before the
    psychrometric tower water: at most 0.09). Rabat's span narrowed from 0.31 to 0.22
    L/kWh with the fixed-UA economizer, its own condenser flow and EnergyPlus's staging
    (issue 16): January 1.68 -> 1.74 L/kWh, July 1.99 -> 1.96."""
    for row in sites.values():
        w = [m["wue_l_per_kwh"] for m in row["months"]]
        assert max(w) - min(w) > 0.2, row["site"]


@pytest.mark.slow
def test_annual_wue_within_published_tower_figures(sites):
    """The year's WUE at both sites lies in the published span, 1.2–2.3 L/kWh (before:
    2.81 at Rabat and 2.78 at Ouarzazate, above it)."""
    lo, hi = PUBLISHED_L_PER_KWH
    for row in sites.values():
        assert lo < row["wue_l_per_kwh"] < hi, row["site"]
