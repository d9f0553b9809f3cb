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
#: ASHRAE TC 9.9 (2021) allowable dew point, upper limits [°C] (Thermal Guidelines for
#: Data Processing Environments, 5th ed., 2021: A1 17, A2 21, A3 24, A4 24 °C; the same
#: table as EnergyPlus ``ElectricEquipment:ITE:AirCooled``, "From ASHRAE 2021 Thermal
#: Guidelines"). The allowable lower limit is -12 °C dew point for every air class.
ASHRAE_AIR_DEW_POINT_MAX_C = {"A1": 17.0, "A2": 21.0, "A3": 24.0, "A4": 24.0}
ASHRAE_AIR_DEW_POINT_MIN_C = -12.0
#: ASHRAE TC 9.9 (2021) recommended humidity envelope, all air classes: dew point
#: -9 to 15 °C [°C] and relative humidity at most 70 % [-] (same source; the 70 % of
#: the 5th edition replaced the 60 % of the 4th).
ASHRAE_AIR_RECOMMENDED_DEW_POINT_C = (-9.0, 15.0)
ASHRAE_AIR_RECOMMENDED_RH_MAX = 0.70
