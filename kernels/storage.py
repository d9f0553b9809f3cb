"""Electric storage: state of charge of a battery over one step.

Energy bookkeeping with separate charge and discharge efficiencies, power and
state-of-charge limits (the "simple" battery of HOMER / SAM's
``Battery:Simple``-style models; EnergyPlus ``ElectricLoadCenter:Storage:Simple``
uses the same form: E_{k+1} = E_k + (η_c P_c − P_d/η_d) Δt).

References
----------
.. [1] EnergyPlus Engineering Reference, "Electrical Storage — Simple Model"
   (ElectricLoadCenter:Storage:Simple).
"""

from __future__ import annotations

from kernels._jit import njit


@njit
def max_discharge_w(soc, e_j, p_max_w, eta_d, soc_min, dt_s):
    """Largest average discharge power the battery can deliver over ``dt_s`` [W]."""
    if e_j <= 0.0:
        return 0.0
    avail_j = max(0.0, soc - soc_min) * e_j
    return min(p_max_w, avail_j * eta_d / dt_s)


@njit
def max_charge_w(soc, e_j, p_max_w, eta_c, soc_max, dt_s):
    """Largest average charge power the battery can absorb over ``dt_s`` [W]."""
    if e_j <= 0.0:
        return 0.0
    room_j = max(0.0, soc_max - soc) * e_j
    return min(p_max_w, room_j / (eta_c * dt_s))


@njit
def soc_update(soc, e_j, p_charge_w, p_discharge_w, eta_c, eta_d, dt_s):
    """State of charge after charging and discharging for ``dt_s`` [-].

    ``E_{k+1} = E_k + (η_c P_c − P_d / η_d) Δt`` [1].
    """
    if e_j <= 0.0:
        return soc
    return soc + (eta_c * p_charge_w - p_discharge_w / eta_d) * dt_s / e_j
