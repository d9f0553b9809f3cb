"""Two-node hall after a cooling loss: the air and the IT mass, coupled.

The hall air (heat capacity ``C_a``, temperature ``T_a``: the IT inlet) receives
the IT heat ``q`` (the servers' fans blow it into the air) and exchanges heat with
the IT equipment and racks (``C_m``, ``T_m``) through a conductance ``UA_am`` and
with outdoors through ``UA_o``:

    C_a dT_a/dt = q − UA_am (T_a − T_m) + UA_o (T_o − T_a)
    C_m dT_m/dt = UA_am (T_a − T_m)

(the zone air heat balance with one internal mass exchanging by convection,
EnergyPlus Engineering Reference, "Zone air heat balance algorithm"; the mass
node is the lumped-capacitance server of Erden, Khalifa & Schmidt, J. Electron.
Packag. 136(3), 2014, and Pardey et al., ASHRAE Transactions 121(1), 2015).

Before the failure the cooled hall is steady: all IT heat leaves through the air,
so the mass exchanges none with it and ``T_m(0) = T_a(0)`` (the mass's steady
offset above the air, e.g. a heat sink above its inlet, drops out of the linear
balance: ``T_m`` is measured from it). With ``x = (T_a, T_m)``, ``x' = A x + b``
and ``r = x'(0) = ((q + UA_o (T_o − T_a0)) / C_a, 0)``, the exact solution is

    x(t) = x(0) + Σ_i (e^{λ_i t} − 1)/λ_i · P_i r,

with the eigenvalues λ_i of ``A`` and Sylvester's projectors
``P_1 = (A − λ_2 I)/(λ_1 − λ_2)``, ``P_2 = (A − λ_1 I)/(λ_2 − λ_1)``; a term with
λ = 0 (no envelope, ``UA_o = 0``) grows as ``t``. ``A`` is the matrix of a
thermal network, similar to a symmetric one (``diag(C) A`` is symmetric): its
eigenvalues are real, ≤ 0, and interlace its diagonal, so both weights
``[P_i r]_a`` are ≥ 0 and the air temperature rises and is concave in time. The
time to a limit is then found by Newton's method started left of the crossing:
the tangent of a concave function lies above it, so each iterate lands where the
tangent reaches the limit, still left of the crossing, and the iterates rise
monotonically to it (no overshoot, no bracket needed); the iterations are
bounded by :data:`NEWTON_MAX_ITER` (a capped solve returns a time short of the
crossing, on the safe side).

With ``UA_am → ∞`` the solution tends to the one-node hall of
:func:`kernels.ridethrough.time_to_limit_s` with ``C = C_a + C_m``; with
``UA_am = 0`` it is the air node alone.
"""

from __future__ import annotations

import math

from kernels._jit import njit

__all__ = [
    "NEWTON_MAX_ITER",
    "air_weights",
    "eigenvalues",
    "hall_modes",
    "time_to_air_limit_modes_s",
    "time_to_air_limit_s",
    "two_node_air_c",
]

#: Most Newton iterations of :func:`time_to_air_limit_s` [-]; the solve stops
#: earlier once a step is below 1e-7 of the time (typically 1 to 4 iterations).
NEWTON_MAX_ITER = 100


@njit
def eigenvalues(c_air_j_k, c_mass_j_k, ua_am_w_k, ua_out_w_k):
    """Eigenvalues ``(λ_slow, λ_fast)`` of the two-node matrix ``A`` [1/s], both ≤ 0.

    ``λ_fast = (tr − √disc)/2`` has no cancellation; ``λ_slow = det/λ_fast`` with
    ``det = UA_o UA_am / (C_a C_m)`` exactly 0 when ``UA_o = 0``.
    """
    a11 = -(ua_am_w_k + ua_out_w_k) / c_air_j_k
    a22 = -ua_am_w_k / c_mass_j_k
    coupling = ua_am_w_k * ua_am_w_k / (c_air_j_k * c_mass_j_k)  # a12 a21
    disc = math.sqrt((a11 - a22) * (a11 - a22) + 4.0 * coupling)
    lam_fast = 0.5 * (a11 + a22 - disc)
    det = ua_out_w_k * ua_am_w_k / (c_air_j_k * c_mass_j_k)
    return det / lam_fast, lam_fast


@njit
def air_weights(r_air_k_s, c_air_j_k, ua_am_w_k, ua_out_w_k, lam_slow, lam_fast):
    """Air components ``[P_i r]_a`` of the initial rate ``r = (r_air, 0)`` [K/s].

    ``[P_1 r]_a = (a11 − λ_2) r_a / (λ_1 − λ_2)``; they sum to ``r_a``.
    """
    a11 = -(ua_am_w_k + ua_out_w_k) / c_air_j_k
    w_slow = (a11 - lam_fast) * r_air_k_s / (lam_slow - lam_fast)
    w_fast = (a11 - lam_slow) * r_air_k_s / (lam_fast - lam_slow)
    return w_slow, w_fast


@njit
def _grow_s(lam, t_s):
    """``(e^{λt} − 1)/λ`` [s], ``t`` when ``λ = 0``."""
    if lam == 0.0:
        return t_s
    return math.expm1(lam * t_s) / lam


@njit
def _mode(lam, t_s):
    """``((e^{λt} − 1)/λ, e^{λt})`` of one mode [s, -], from one ``expm1`` (exact at λ = 0)."""
    if lam == 0.0:
        return t_s, 1.0
    em1 = math.expm1(lam * t_s)
    return em1 / lam, em1 + 1.0


@njit
def two_node_air_c(t0_c, q_w, t_out_c, c_air_j_k, c_mass_j_k, ua_am_w_k, ua_out_w_k, t_s):
    """Hall air temperature ``t_s`` seconds after the cooling is lost [°C].

    Parameters
    ----------
    t0_c : float
        Air (and mass) temperature at the failure [°C].
    q_w : float
        Heat released into the air, constant [W].
    t_out_c : float
        Outdoor temperature [°C].
    c_air_j_k, c_mass_j_k : float
        Heat capacities of the air and of the IT mass [J/K], > 0.
    ua_am_w_k, ua_out_w_k : float
        Air-to-mass and air-to-outdoors conductances [W/K], ≥ 0.
    t_s : float
        Time since the failure [s].
    """
    r_a = (q_w + ua_out_w_k * (t_out_c - t0_c)) / c_air_j_k
    if ua_am_w_k <= 0.0 or c_mass_j_k <= 0.0:
        return t0_c + r_a * _grow_s(-ua_out_w_k / c_air_j_k, t_s)
    lam_s, lam_f = eigenvalues(c_air_j_k, c_mass_j_k, ua_am_w_k, ua_out_w_k)
    w_s, w_f = air_weights(r_a, c_air_j_k, ua_am_w_k, ua_out_w_k, lam_s, lam_f)
    return t0_c + w_s * _grow_s(lam_s, t_s) + w_f * _grow_s(lam_f, t_s)


@njit
def hall_modes(c_air_j_k, c_mass_j_k, ua_am_w_k, ua_out_w_k):
    """What :func:`time_to_air_limit_modes_s` needs of the hall alone, whatever the heat,
    the temperatures and the limit: computed once for all the failures of a run.

    Returns ``(c_air_j_k, ua_out_w_k, λ_slow, λ_fast, a11 − λ_fast, λ_slow − λ_fast,
    a11 − λ_slow, λ_fast − λ_slow)`` (:func:`eigenvalues`, the factors of
    :func:`air_weights`); with no mass coupled, the air node alone: ``λ_slow =
    −UA_o / C_a`` and a fast mode of weight 0.
    """
    if ua_am_w_k <= 0.0 or c_mass_j_k <= 0.0:
        return (c_air_j_k, ua_out_w_k, -ua_out_w_k / c_air_j_k, -1.0, 1.0, 1.0, 0.0, 1.0)
    lam_s, lam_f = eigenvalues(c_air_j_k, c_mass_j_k, ua_am_w_k, ua_out_w_k)
    a11 = -(ua_am_w_k + ua_out_w_k) / c_air_j_k
    return (c_air_j_k, ua_out_w_k, lam_s, lam_f, a11 - lam_f, lam_s - lam_f, a11 - lam_s,
            lam_f - lam_s)  # fmt: skip


@njit
def time_to_air_limit_s(
    t0_c, t_lim_c, q_w, t_out_c, c_air_j_k, c_mass_j_k, ua_am_w_k, ua_out_w_k, t_start_s, t_enough_s
):
    """Time for the hall air of :func:`two_node_air_c` to reach ``t_lim_c`` [s].

    ``0`` when the air is already at or above the limit, ``inf`` when it never
    gets there (no net heat, or a steady state ``T_o + q/UA_o`` at or below the
    limit). Newton starts from the later of two times known to fall before the
    crossing (the air alone; the fast mode spent) and ``t_start_s``, a hint such as
    the crossing of a lower limit (ignored when it is past the crossing). When that
    start, or a Newton iterate (each one falls before the crossing), is at or past
    ``t_enough_s``, it is returned unsolved: a time short of the crossing but not
    shorter than ``t_enough_s`` (a minimum over many failures need not solve those
    that cannot set it; ``inf`` always solves).
    """
    modes = hall_modes(c_air_j_k, c_mass_j_k, ua_am_w_k, ua_out_w_k)
    return time_to_air_limit_modes_s(t0_c, t_lim_c, q_w, t_out_c, modes, t_start_s, t_enough_s)


@njit
def time_to_air_limit_modes_s(t0_c, t_lim_c, q_w, t_out_c, modes, t_start_s, t_enough_s):
    """:func:`time_to_air_limit_s` with the hall's ``modes`` (:func:`hall_modes`) given:
    the same arithmetic in the same order, the same result bit for bit."""
    c_air_j_k, ua_out_w_k, lam_s, lam_f, num_s, den_s, num_f, den_f = modes
    dt_lim = t_lim_c - t0_c
    if dt_lim <= 0.0:
        return 0.0
    r_a = (q_w + ua_out_w_k * (t_out_c - t0_c)) / c_air_j_k
    if r_a <= 0.0:
        return math.inf
    if ua_out_w_k > 0.0 and t_out_c + q_w / ua_out_w_k <= t_lim_c:
        return math.inf
    # air_weights: (a11 − λ_2) r_a / (λ_1 − λ_2); the air alone: r_a and 0
    w_s = num_s * r_a / den_s
    w_f = num_f * r_a / den_f
    # two times before the crossing (the weights are >= 0 and (e^{λt} − 1)/λ <= t): the air
    # alone, rise <= r_a t; the fast mode spent, rise <= w_s t + w_f / |λ_f|
    t_lo = dt_lim / r_a
    if w_s > 0.0:
        t_lo = max(t_lo, (dt_lim + w_f / lam_f) / w_s)
    t = t_lo
    if t_start_s > t_lo and math.isfinite(t_start_s):
        if w_s * _grow_s(lam_s, t_start_s) + w_f * _grow_s(lam_f, t_start_s) <= dt_lim:
            t = t_start_s
    if t >= t_enough_s:
        return t
    for _ in range(NEWTON_MAX_ITER):
        g_s, e_s = _mode(lam_s, t)
        g_f, e_f = _mode(lam_f, t)
        f = w_s * g_s + w_f * g_f - dt_lim
        slope = w_s * e_s + w_f * e_f
        if slope <= 0.0:
            return math.inf
        step = -f / slope
        t += step
        # converged: Newton's error after a step is of the order of the step squared
        # over the time scale, so a step below 1e-7 of t leaves about 1e-14 of t
        if step <= 1e-7 * t + 1e-12:
            break
        if t >= t_enough_s:  # every iterate is before the crossing: a bound
            break
    return t
