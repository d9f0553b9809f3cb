"""ASHRAE TC 9.9 thermal classes of IT equipment: the limits scenarios and results share."""

from __future__ import annotations

#: ASHRAE TC 9.9 (2021) allowable inlet dry bulb, upper limits [°C].
ASHRAE_AIR_MAX_C = {"A1": 32.0, "A2": 35.0, "A3": 40.0, "A4": 45.0}
#: ASHRAE liquid-cooling facility-water classes: the number is the maximum
#: facility supply temperature [°C] (ASHRAE TC 9.9 Liquid Cooling Guidelines;
#: W17/W27 from the 2011 whitepaper; the 2021 bounds are to be confirmed).
ASHRAE_LIQUID_MAX_C = {"W17": 17.0, "W27": 27.0, "W32": 32.0, "W40": 40.0, "W45": 45.0}
#: ASHRAE TC 9.9 allowable inlet dry bulb, lower limits [°C] (Thermal Guidelines
#: for Data Processing Environments, 5th ed., 2021: A1 15-32, A2 10-35, A3 5-40,
#: A4 5-45 °C).
ASHRAE_AIR_MIN_C = {"A1": 15.0, "A2": 10.0, "A3": 5.0, "A4": 5.0}
#: ASHRAE TC 9.9 recommended inlet dry-bulb envelope, all air classes [°C] (same source).
ASHRAE_AIR_RECOMMENDED_C = (18.0, 27.0)
