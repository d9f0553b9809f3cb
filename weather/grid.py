"""Grid carbon intensity and an ONEE-style time-of-use price, by hour.

References
----------
.. [1] LowCarbonPower, "Morocco" (data from EIA/Ember/IEA), 2024 lifecycle
   intensity 551 gCO2eq/kWh, https://www.lowcarbonpower.org/region/Morocco
   (via the team facts sheet MOROCCO.md §2).
.. [2] L'Economiste, 2014-07-30: ONEE HT/THT peak-hour energy price,
   "moyenne utilisation" 1.2039 MAD/kWh excl. VAT (via the team facts sheet MOROCCO.md §2).
.. [3] GlobalPetrolPrices via tanja24, end-2024 all-in business average
   0.107 USD/kWh = 1.117 MAD/kWh (via the team facts sheet MOROCCO.md §2).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["CARBON_INTENSITY_2024_G_PER_KWH", "carbon_intensity_g_per_kwh", "tou_price_mad_per_kwh"]

#: Morocco grid lifecycle carbon intensity 2024 (LowCarbonPower) [gCO2eq/kWh].
CARBON_INTENSITY_2024_G_PER_KWH = 551.0
#: PLACEHOLDER peak price: ONEE HT/THT "moyenne utilisation" peak energy price (2014 grid) [MAD/kWh].
TOU_PEAK_MAD_PER_KWH = 1.2039
#: PLACEHOLDER full-hour price: all-in business average end-2024, not an ONEE tariff line [MAD/kWh].
TOU_FULL_MAD_PER_KWH = 1.117
#: PLACEHOLDER off-peak price: ASSUMED 0.75 × full price; no ONEE off-peak price was found [MAD/kWh].
TOU_OFFPEAK_MAD_PER_KWH = round(0.75 * TOU_FULL_MAD_PER_KWH, 4)
#: ASSUMED peak window [local hour start, end): 5 h in the evening (MOROCCO.md: "evening peak", 5 h/24 rule).
TOU_PEAK_HOURS = (17, 22)
#: ASSUMED off-peak window [start, end), wrapping midnight; the ONEE windows were not found.
TOU_OFFPEAK_HOURS = (22, 7)


def carbon_intensity_g_per_kwh(
    index: pd.DatetimeIndex, annual_mean: float = CARBON_INTENSITY_2024_G_PER_KWH
) -> np.ndarray:
    """Grid carbon intensity for each timestamp: flat at the annual mean.

    Parameters
    ----------
    index : pandas.DatetimeIndex
        Time stamps.
    annual_mean : float
        Annual mean intensity [gCO2eq/kWh]; 551 (2024) by default.

    Returns
    -------
    numpy.ndarray
        Intensity [gCO2eq/kWh], one value per stamp. Flat because no hourly
        Moroccan profile was found (MOROCCO.md, "Suggested default parameters").
    """
    return np.full(len(index), float(annual_mean))


def _in_window(hour: np.ndarray, window: tuple[int, int]) -> np.ndarray:
    start, end = window
    if start <= end:
        return (hour >= start) & (hour < end)
    return (hour >= start) | (hour < end)


def tou_price_mad_per_kwh(
    index: pd.DatetimeIndex,
    peak: float = TOU_PEAK_MAD_PER_KWH,
    full: float = TOU_FULL_MAD_PER_KWH,
    offpeak: float = TOU_OFFPEAK_MAD_PER_KWH,
    peak_hours: tuple[int, int] = TOU_PEAK_HOURS,
    offpeak_hours: tuple[int, int] = TOU_OFFPEAK_HOURS,
) -> np.ndarray:
    """ONEE-style three-period energy price by LOCAL (Africa/Casablanca) hour.

    Parameters
    ----------
    index : pandas.DatetimeIndex
        Time stamps (tz-aware are converted to Africa/Casablanca; naive are taken as local).
    peak, full, offpeak : float
        Energy prices for "heures de pointe / pleines / creuses" [MAD/kWh]. All
        three defaults are PLACEHOLDERS (see the module constants).
    peak_hours, offpeak_hours : tuple of int
        ``[start, end)`` local hours; a window may wrap midnight. Peak wins if
        the windows overlap. Defaults are ASSUMED (17–22 h and 22–7 h).

    Returns
    -------
    numpy.ndarray
        Price [MAD/kWh] per stamp.
    """
    idx = pd.DatetimeIndex(index)
    if idx.tz is not None:
        idx = idx.tz_convert("Africa/Casablanca")
    hour = idx.hour.to_numpy()
    price = np.full(hour.shape, float(full))
    price[_in_window(hour, offpeak_hours)] = float(offpeak)
    price[_in_window(hour, peak_hours)] = float(peak)
    return price
