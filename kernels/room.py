"""Lumped RC thermal node with a capacity-limited cooling controller.

One node stands for a thermal mass ``C`` (hall air, IT and structure, or the
coolant of a liquid loop) exchanging heat with outdoors through ``UA`` and
cooled by a plant that removes at most ``q_max``. For inputs held constant over
a step of length ``dt`` the first-law balance

    C dT/dt = q_gain − q_cool + UA (T_out − T)

has the exact solution T(t) = T_eq + (T0 − T_eq) e^{−t/τ} with τ = C/UA and
T_eq = T_out + (q_gain − q_cool)/UA (linear in t when UA = 0). The kernel uses
that solution, so the result does not depend on the step length for
piecewise-constant inputs, and it returns the time integral of T so the energy
exchanged with outdoors is exact too.

The controller is the ideal one of EnergyPlus' "predicted load" approach: it
asks for the heat rate that brings the node to its set point at the end of the
step, bounded to [0, q_max]. When the plant is lost (q_max = 0) the node
floats: that is the ride-through.

References
----------
.. [1] EnergyPlus Engineering Reference, "Zone air heat balance" and "Predicted
   zone system load" (analytical solution of the zone energy balance).
.. [2] Incropera et al., Fundamentals of Heat and Mass Transfer, 7th ed.,
   §5.3 lumped capacitance method.
"""

from __future__ import annotations

import math

from kernels._jit import njit


@njit
def rc_response(t0_c, q_net_w, t_out_c, c_j_k, ua_w_k, dt_s):
    """End temperature and time integral of a lumped node over one step.

    Parameters
    ----------
    t0_c : float
        Temperature at the start of the step [°C].
    q_net_w : float
        Net heat input, gains minus cooling, constant over the step [W].
    t_out_c : float
        Outdoor temperature [°C].
    c_j_k : float
        Heat capacity [J/K], > 0.
    ua_w_k : float
        Conductance to outdoors [W/K], ≥ 0.
    dt_s : float
        Step length [s].

    Returns
    -------
    t_end_c : float
        Temperature at the end of the step [°C].
    int_t_c_s : float
        Integral of the temperature over the step [°C·s].
    """
    if ua_w_k <= 0.0:
        slope = q_net_w / c_j_k
        return t0_c + slope * dt_s, t0_c * dt_s + 0.5 * slope * dt_s * dt_s
    tau_s = c_j_k / ua_w_k
    t_eq_c = t_out_c + q_net_w / ua_w_k
    decay = math.exp(-dt_s / tau_s)
    t_end_c = t_eq_c + (t0_c - t_eq_c) * decay
    int_t = t_eq_c * dt_s + (t0_c - t_eq_c) * tau_s * (1.0 - decay)
    return t_end_c, int_t


@njit
def rc_cooling_needed_w(t0_c, t_set_c, q_gain_w, t_out_c, c_j_k, ua_w_k, dt_s):
    """Cooling rate that brings the node exactly to ``t_set_c`` at step end [W].

    Inverts :func:`rc_response`; may be negative (heating would be needed) or
    exceed any capacity, the caller bounds it.
    """
    if ua_w_k <= 0.0:
        return q_gain_w - c_j_k * (t_set_c - t0_c) / dt_s
    decay = math.exp(-dt_s * ua_w_k / c_j_k)
    t_eq_needed_c = (t_set_c - t0_c * decay) / (1.0 - decay)
    return q_gain_w - ua_w_k * (t_eq_needed_c - t_out_c)


@njit
def rc_step(t0_c, t_set_c, q_gain_w, q_max_w, t_out_c, c_j_k, ua_w_k, dt_s):
    """Advance a cooled lumped node by one step.

    Parameters
    ----------
    t0_c, t_set_c : float
        Start and set-point temperatures [°C].
    q_gain_w : float
        Internal heat gain [W].
    q_max_w : float
        Cooling capacity available over the step [W] (0 when the plant is lost).
    t_out_c, c_j_k, ua_w_k, dt_s : float
        As in :func:`rc_response`.

    Returns
    -------
    t_end_c : float
        Temperature at the end of the step [°C].
    q_cool_w : float
        Heat removed by the plant, average over the step [W].
    q_env_w : float
        Heat gained from outdoors through UA, average over the step [W].
    """
    q_need = rc_cooling_needed_w(t0_c, t_set_c, q_gain_w, t_out_c, c_j_k, ua_w_k, dt_s)
    q_cool = min(max(q_need, 0.0), max(q_max_w, 0.0))
    t_end, int_t = rc_response(t0_c, q_gain_w - q_cool, t_out_c, c_j_k, ua_w_k, dt_s)
    q_env = ua_w_k * (t_out_c * dt_s - int_t) / dt_s
    return t_end, q_cool, q_env
