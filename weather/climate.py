"""Climate what-ifs: a warming shift applied to any weather table.

Morphing by *shift* (Belcher, Hacker & Powell 2005): every hourly dry-bulb
temperature is raised by ΔT (e.g. +1.5 K or +3 K, the IPCC AR6 global warming
levels). Humidity stays consistent by keeping the relative humidity unchanged,
so the vapour pressure rises with the saturation pressure (≈ 7 %/K,
Clausius–Clapeyron), the behaviour of the global mean near-surface humidity in
climate models (Held & Soden 2006); Belcher's RH morph with a zero monthly
change does the same. Wet bulb is recomputed (:mod:`kernels.psychro`).
Irradiance, wind and pressure are unchanged.

References
----------
.. [1] S. E. Belcher, J. N. Hacker and D. S. Powell, "Constructing design weather
   data for future climates", Building Serv. Eng. Res. Technol. 26(1), 49–61, 2005.
.. [2] I. M. Held and B. J. Soden, "Robust responses of the hydrological cycle to
   global warming", Journal of Climate 19, 5686–5699, 2006.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kernels.psychro import wet_bulb_c_array

__all__ = ["MAX_WARMING_C", "apply_warming"]

#: Allowed warming shift [K] (the IPCC AR6 SSP range by 2100 stays within ±6 K).
MAX_WARMING_C = 6.0


def apply_warming(data: pd.DataFrame, warming_c: float) -> pd.DataFrame:
    """A copy of *data* warmed by *warming_c* [K] at constant relative humidity.

    Raises
    ------
    ValueError
        If ``|warming_c|`` exceeds :data:`MAX_WARMING_C`.
    """
    if not (np.isfinite(warming_c) and abs(warming_c) <= MAX_WARMING_C):
        msg = f"site.warming_c = {warming_c} is outside [-{MAX_WARMING_C}, {MAX_WARMING_C}] K"
        raise ValueError(msg)
    out = data.copy()
    out["t_air_c"] = data["t_air_c"] + warming_c
    out["t_wb_c"] = wet_bulb_c_array(
        out["t_air_c"].to_numpy(float),
        out["rh_frac"].to_numpy(float),
        out["p_air_pa"].to_numpy(float),
    )
    return out
