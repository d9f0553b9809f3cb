"""IT power of a rack group, and the UPS losses in front of it.

Power follows the linear utilisation model used by SPECpower_ssj2008 and by
EnergyPlus ``ElectricEquipment:ITE:AirCooled`` (CPU loading schedule ``L``):
``P = N · (P_idle + (P_peak − P_idle) · u)``. Air-cooled power rises with the
inlet temperature because server fans speed up; the twin uses the measured
room-wide sensitivity rather than the exaggerated slope of the EnergyPlus
example curves (+6.7 %/K, which describe a 15 °C design inlet).

References
----------
.. [1] EnergyPlus Engineering Reference, "Heat Gain from IT Equipment"
   (ElectricEquipment:ITE:AirCooled): P_UPS = (P_CPU + P_fan)(1 − η_UPS f(PLR)).
.. [2] V. C. Coroamă, "Temperature Optimisation in Data Centres",
   arXiv:2509.26163 (2025): server power sensitivity 0.35–0.5 %/°C between
   23 and 30 °C inlet, measured in two colocation halls.
.. [3] SPECpower_ssj2008 run rules: active idle plus 10–100 % load levels.
"""

from __future__ import annotations

from kernels._jit import njit

#: Inlet-temperature sensitivity of server power [1/K]: the middle of the
#: 0.35–0.5 %/°C measured by Coroamă (2025) [2].
IT_TEMP_COEF_PER_K = 0.004
#: Lower edge of the inlet range over which [2] measured the sensitivity [°C].
IT_TEMP_REF_C = 23.0


@njit
def rack_group_power_w(n_racks, p_peak_w, idle_frac, u_frac):
    """Electric power of a rack group at utilisation ``u_frac``.

    Parameters
    ----------
    n_racks : float
        Number of racks [-].
    p_peak_w : float
        Power of one rack at full utilisation [W].
    idle_frac : float
        Active-idle power as a fraction of peak [-].
    u_frac : float
        Utilisation, clipped to [0, 1] [-].

    Returns
    -------
    float
        Group power at the design inlet temperature [W].
    """
    u = min(max(u_frac, 0.0), 1.0)
    return n_racks * p_peak_w * (idle_frac + (1.0 - idle_frac) * u)


@njit
def inlet_uplift_frac(t_inlet_c, t_ref_c, coef_per_k):
    """Multiplier on air-cooled server power for a warm inlet [-].

    ``1 + k · max(0, T_in − T_ref)``, the linear fit of [2] in the module
    docstring; 1 at or below ``t_ref_c``.
    """
    return 1.0 + coef_per_k * max(0.0, t_inlet_c - t_ref_c)


@njit
def ups_loss_w(p_it_w, eta_ups):
    """UPS losses for an IT power draw at a flat efficiency.

    ``P_UPS = P_IT · (1/η − 1)``: the efficiency of a UPS is its output active power
    over its input active power (IEC 62040-3:2021, §3.5 "efficiency"; ENERGY STAR
    Uninterruptible Power Supplies test method), so the input is ``P_IT / η`` and the
    loss the difference. (EnergyPlus' ITE object writes ``P_IT · (1 − η)``, which
    understates the loss by a factor η.)

    Parameters
    ----------
    p_it_w : float
        IT power behind the UPS (its output) [W].
    eta_ups : float
        Design UPS efficiency, output / input [-], in (0, 1].
    """
    if eta_ups <= 0.0:
        return 0.0
    return max(0.0, p_it_w) * (1.0 / eta_ups - 1.0)
