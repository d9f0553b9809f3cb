"""Electric chillers: EnergyPlus Chiller:Electric:EIR and identical-chiller staging.

Scalar, CUDA-safe kernels (only :mod:`math`, tuples for coefficient sets, no
defaults or keywords). Coefficient sets live in ``kernels/data/chillers.toml``
and are loaded by :func:`twin.scenario.plant_library.load_chiller`; a typical call is::

    c = load_chiller("york_yt_1125_vsd")
    chiller_eir(q_evap_w, t_chw_supply_c, t_cond_in_c, c["q_ref_w"], c["cop_ref"],
                c["capft"], c["eirft"], c["eirfplr"], c["plr_min"], c["plr_max"],
                c["min_unload"], *c["t_chw_lim"], *c["t_cond_lim"])

References
----------
EnergyPlus Engineering Reference, "Electric Chiller Model Based on Condenser
Entering Temperature" (Chiller:Electric:EIR), as transcribed in
the EnergyPlus Engineering Reference, "Electric Chiller Model Based on Condenser Entering Temperature".
"""

from __future__ import annotations

import math

from kernels._jit import njit
from kernels._scalar import clamp as _clamp

__all__ = [
    "CHILLER_COMPRESSOR_HEAT_TO_CONDENSER_FRAC",
    "CHILLER_STAGING_PLR",
    "biquadratic",
    "chiller_eir",
    "chiller_plant",
    "curve_point",
    "eir_chiller_power_w",
    "quadratic",
]

# Fraction of compressor electric power rejected by the condenser (EnergyPlus
# Chiller:Electric:EIR field "Fraction of Compressor Electric Consumption Rejected
# by Condenser", IDD default 1.0 = hermetic machine; Engineering Reference, Chiller:Electric:EIR f_motor).
CHILLER_COMPRESSOR_HEAT_TO_CONDENSER_FRAC = 1.0

# Staging on nominal capacity: EnergyPlus's SequentialUniformPLR counts the chillers a
# load needs against each one's nominal maximum load, Reference Capacity x Maximum Part
# Load Ratio (the design capacities a Chiller:Electric:EIR reports to the plant's load
# distribution), not against the capacity at the hour's temperatures. 1.0 = PLR_max.
CHILLER_STAGING_PLR = 1.0

# Tolerance when counting chillers: a load of exactly n x capacity stages n, not n+1.
_STAGING_REL_TOL = 1e-9


@njit
def biquadratic(c, x, y):
    """Evaluate an EnergyPlus Curve:Biquadratic.

    Parameters
    ----------
    c : tuple of 6 float
        Coefficients (c0, c1, c2, c3, c4, c5) [-].
    x, y : float
        Independent variables (for chiller curves: leaving chilled-water
        temperature [°C] and entering condenser fluid temperature [°C]).

    Returns
    -------
    float
        ``c0 + c1 x + c2 x² + c3 y + c4 y² + c5 x y`` [-]. No limits are applied.

    References
    ----------
    EnergyPlus Input Output Reference, Curve:Biquadratic.
    """
    return c[0] + c[1] * x + c[2] * x * x + c[3] * y + c[4] * y * y + c[5] * x * y


@njit
def quadratic(c, x):
    """Evaluate an EnergyPlus Curve:Quadratic.

    Parameters
    ----------
    c : tuple of 3 float
        Coefficients (c0, c1, c2) [-].
    x : float
        Independent variable (for EIRFPLR: part-load ratio [-]).

    Returns
    -------
    float
        ``c0 + c1 x + c2 x²`` [-]. No limits are applied.

    References
    ----------
    EnergyPlus Input Output Reference, Curve:Quadratic.
    """
    return c[0] + c[1] * x + c[2] * x * x


# EnergyPlus IDD default of Chiller:Electric:EIR "Maximum Part Load Ratio" (used by
# eir_chiller_power_w, whose public signature has no PLR_max argument).
EIR_IDD_DEFAULT_PLR_MAX = 1.0


@njit
def eir_chiller_power_w(
    q_evap_w, t_chw_leave_c, t_cond_enter_c, q_ref_w, cop_ref, capft, eirft, eirfplr, plr_min
):
    """Electric power of one EnergyPlus Chiller:Electric:EIR (public scalar kernel).

    Parameters
    ----------
    q_evap_w : float
        Evaporator load asked of the chiller [W] (≤ 0: off, 0 W).
    t_chw_leave_c : float
        Leaving chilled-water temperature (setpoint) [°C], the curves' x.
    t_cond_enter_c : float
        Entering condenser fluid temperature [°C], the curves' y: condenser water
        for water-cooled machines, outdoor dry-bulb for air-cooled ones.
    q_ref_w : float
        Reference capacity [W].
    cop_ref : float
        Reference COP [W/W].
    capft, eirft : sequence of 6 float
        Coefficients (a, b, c, d, e, f) of ``a + b·x + c·x² + d·y + e·y² + f·x·y``
        (tuple, list or 1-D array).
    eirfplr : sequence of 3 float
        Coefficients (a, b, c) of ``a + b·PLR + c·PLR²``.
    plr_min : float
        Minimum part-load ratio [-]; also taken as the minimum unloading ratio.

    Returns
    -------
    float
        Compressor electric power [W].

    Notes
    -----
    EnergyPlus Engineering Reference, "Electric Chiller Model Based on Condenser
    Entering Temperature" (Chiller:Electric:EIR)::

        Q_avail = Q_ref · CAPFT(x, y)
        PLR     = max(0, min(Q_evap / Q_avail, PLR_max))
        FRAC    = min(1, PLR / PLR_min)             (cycling below the minimum PLR)
        PLR'    = max(PLR, MinUnloadRatio)          (false loading below it)
        P       = Q_avail / COP_ref · EIRFT(x, y) · EIRFPLR(PLR') · FRAC

    The signature has no PLR_max, minimum unloading ratio or curve limits, so:
    PLR_max is the IDD default 1.0 (:data:`EIR_IDD_DEFAULT_PLR_MAX`; a load above
    the available capacity is not met and costs the full-load power); the
    minimum unloading ratio equals ``plr_min`` (as in the McQuay, York and
    Carrier sets of DataSets/Chillers.idf), so below ``plr_min`` the chiller runs
    false-loaded at ``PLR' = plr_min`` for the fraction ``FRAC`` of the time, i.e.
    ``P = Q_avail/COP·EIRFT·EIRFPLR(plr_min)·PLR/plr_min``; curve inputs are not
    clamped (the caller owns the curve range). Negative curve values are reset
    to 0 as EnergyPlus does (with a warning there). No load, no capacity or a
    non-positive COP gives 0 W. For limits, PLR_max and a separate unloading
    ratio use :func:`chiller_eir`.

    References
    ----------
    EnergyPlus Engineering Reference (v25.2), Chiller:Electric:EIR; EnergyPlus
    Input Output Reference, Chiller:Electric:EIR field defaults.
    """
    # the full model with no curve-input limits, the IDD default PLR_max and the
    # minimum unloading ratio equal to plr_min
    return chiller_eir(
        q_evap_w,
        t_chw_leave_c,
        t_cond_enter_c,
        q_ref_w,
        cop_ref,
        capft,
        eirft,
        eirfplr,
        plr_min,
        EIR_IDD_DEFAULT_PLR_MAX,
        plr_min,
        -math.inf,
        math.inf,
        -math.inf,
        math.inf,
    )[0]


@njit
def curve_point(t_chw_c, t_cond_c, t_chw_lo, t_chw_hi, t_cond_lo, t_cond_hi):
    """Where to read the curves of a chiller, and the factor on its EIR there.

    Inside the curves' range: the point itself (EnergyPlus clamps each input to its
    limits). Water warmer than the range's upper chilled-water limit ``t_chw_hi`` (the
    18 °C and 30 °C loops of a data centre, against 10-12.8 °C for the published sets)
    is read at the same *lift* ``t_cond − t_chw`` instead of at the clamped water, where
    clamping alone would cost 30 °C water as 10 °C water (COP about half):
    ``x = t_chw_hi``, ``y = t_chw_hi + lift`` (then clamped to the condenser limits, so
    a lift below the smallest the curves cover earns no credit), and the EIR is scaled by
    ``(t_chw_hi + 273.15) / (t_chw + 273.15)``: at equal lift the Carnot COP,
    ``T_evap / (T_cond − T_evap)``, is proportional to the evaporator's absolute
    temperature.

    Assumption (marked): the compressor keeps the Carnot effectiveness of the curve's
    equal-lift point (the constant-effectiveness chiller model of Gordon and Ng, *Cool
    Thermodynamics*, 2000, and of the Modelica Buildings library's ``Carnot_y``
    chiller, COP = η T_evap / (T_cond − T_evap)); capacity is read at the same point.
    Results with warm water are extrapolations of the published sets by this rule.

    Returns
    -------
    (x, y, eir_scale) : tuple of float
        Curve inputs [°C] and the factor on EIRFT [-] (1 inside the range).
    """
    if t_chw_c <= t_chw_hi:
        return _clamp(t_chw_c, t_chw_lo, t_chw_hi), _clamp(t_cond_c, t_cond_lo, t_cond_hi), 1.0
    y = _clamp(t_chw_hi + (t_cond_c - t_chw_c), t_cond_lo, t_cond_hi)
    return t_chw_hi, y, (t_chw_hi + 273.15) / (t_chw_c + 273.15)


@njit
def _available_capacity_w(
    t_chw_supply_c, t_cond_in_c, q_ref_w, capft, t_chw_lo, t_chw_hi, t_cond_lo, t_cond_hi
):
    x, y, _ = curve_point(t_chw_supply_c, t_cond_in_c, t_chw_lo, t_chw_hi, t_cond_lo, t_cond_hi)
    return q_ref_w * max(0.0, biquadratic(capft, x, y))


@njit
def chiller_eir(
    q_evap_w,
    t_chw_supply_c,
    t_cond_in_c,
    q_ref_w,
    cop_ref,
    capft,
    eirft,
    eirfplr,
    plr_min,
    plr_max,
    min_unload,
    t_chw_lo,
    t_chw_hi,
    t_cond_lo,
    t_cond_hi,
):
    """One EnergyPlus Chiller:Electric:EIR at steady state.

    Parameters
    ----------
    q_evap_w : float
        Evaporator load requested of this chiller [W] (≥ 0 is cooling).
    t_chw_supply_c : float
        Leaving chilled-water temperature (setpoint) [°C].
    t_cond_in_c : float
        Entering condenser fluid temperature [°C]: condenser water for
        water-cooled machines, outdoor dry-bulb for air-cooled ones.
    q_ref_w : float
        Reference capacity [W].
    cop_ref : float
        Reference COP [W/W].
    capft, eirft : tuple of 6 float
        Biquadratic CAPFT and EIRFT coefficients [-].
    eirfplr : tuple of 3 float
        Quadratic EIRFPLR coefficients [-].
    plr_min, plr_max : float
        Minimum and maximum part-load ratio [-].
    min_unload : float
        Minimum unloading ratio [-].
    t_chw_lo, t_chw_hi : float
        Curve limits on leaving chilled-water temperature [°C].
    t_cond_lo, t_cond_hi : float
        Curve limits on entering condenser temperature [°C].

    Returns
    -------
    p_elec_w : float
        Compressor electric power [W].
    q_avail_w : float
        Available capacity ``q_ref_w · CAPFT`` [W].
    plr : float
        Load part-load ratio ``q_met_w / q_avail_w`` (before false loading) [-].
    q_cond_w : float
        Condenser heat rejection ``P·f + q_met + q_false`` [W], f = 1.
    q_met_w : float
        Evaporator heat actually removed, ``min(q_evap, q_avail·plr_max)`` [W].

    Notes
    -----
    As in EnergyPlus, curve inputs are clamped to the curve limits (EnergyPlus
    also warns; the kernel cannot), except chilled water warmer than the curves'
    range, read at equal lift (:func:`curve_point`). Both temperature curves are
    evaluated at the leaving chilled-water setpoint and the entering condenser
    temperature::

        Q_avail = Q_ref · max(0, CAPFT(T_chw,l, T_cond,e))
        PLR     = min(Q_evap / Q_avail, PLR_max)
        cycling = min(PLR / PLR_min, 1)
        PLR'    = max(PLR, min_unload)                   (false loading)
        P       = Q_avail / COP_ref · EIRFT · EIRFPLR(PLR') · cycling
        Q_false = max(0, Q_avail · PLR' · cycling − Q_met)
        Q_cond  = P + Q_met + Q_false

    EIRFPLR is evaluated at PLR' ∈ [min_unload, PLR_max], which is the curve
    range of all four data sets in ``kernels/data/chillers.toml``. When the
    load exceeds ``Q_avail · PLR_max`` EnergyPlus lets the leaving water
    temperature float; here the shortfall is reported as ``q_met_w < q_evap_w``
    and the curves stay at the setpoint. No load, no capacity or a
    non-positive COP gives all zeros.

    References
    ----------
    EnergyPlus Engineering Reference, "Electric Chiller Model Based on Condenser
    Entering Temperature" (Chiller:Electric:EIR).
    """
    if q_evap_w <= 0.0 or q_ref_w <= 0.0 or cop_ref <= 0.0:
        return 0.0, 0.0, 0.0, 0.0, 0.0
    x, y, eir_scale = curve_point(
        t_chw_supply_c, t_cond_in_c, t_chw_lo, t_chw_hi, t_cond_lo, t_cond_hi
    )
    q_avail_w = q_ref_w * max(0.0, biquadratic(capft, x, y))
    if q_avail_w <= 0.0:
        return 0.0, 0.0, 0.0, 0.0, 0.0
    eir_t = max(0.0, biquadratic(eirft, x, y)) * eir_scale

    plr = min(q_evap_w / q_avail_w, plr_max)
    q_met_w = q_avail_w * plr
    cycling = 1.0
    if plr_min > 0.0 and plr < plr_min:
        cycling = plr / plr_min
    plr_run = max(plr, min_unload)
    eir_plr = max(0.0, quadratic(eirfplr, plr_run))

    p_elec_w = q_avail_w / cop_ref * eir_t * eir_plr * cycling
    q_false_w = max(0.0, q_avail_w * plr_run * cycling - q_met_w)
    p_to_cond_w = p_elec_w * CHILLER_COMPRESSOR_HEAT_TO_CONDENSER_FRAC
    q_cond_w = p_to_cond_w + q_met_w + q_false_w
    return p_elec_w, q_avail_w, plr, q_cond_w, q_met_w


@njit
def chiller_plant(
    q_evap_w,
    n_available,
    t_chw_supply_c,
    t_cond_in_c,
    q_ref_w,
    cop_ref,
    capft,
    eirft,
    eirfplr,
    plr_min,
    plr_max,
    min_unload,
    t_chw_lo,
    t_chw_hi,
    t_cond_lo,
    t_cond_hi,
):
    """N identical chillers in parallel, staged and sharing the load equally.

    Parameters
    ----------
    q_evap_w : float
        Total evaporator load on the plant [W].
    n_available : int
        Chillers available (not tripped or in maintenance) [-].
    t_chw_supply_c, t_cond_in_c, q_ref_w, cop_ref, capft, eirft, eirfplr,
    plr_min, plr_max, min_unload, t_chw_lo, t_chw_hi, t_cond_lo, t_cond_hi
        As in :func:`chiller_eir`, for one chiller.

    Returns
    -------
    p_elec_w : float
        Total compressor power of the running chillers [W].
    q_cond_w : float
        Total condenser heat rejection [W].
    n_on : int
        Chillers running [-], ``0 ≤ n_on ≤ n_available``.
    q_met_w : float
        Total evaporator heat removed [W]; ``< q_evap_w`` when the load exceeds
        ``n_available · Q_avail · PLR_max``.

    Notes
    -----
    Staging rule (EnergyPlus PlantLoop load distribution ``SequentialUniformPLR``):
    chillers are switched on in turn until their *nominal* maximum loads,
    ``Q_ref · PLR_max`` each (the design capacities a Chiller:Electric:EIR reports to
    the plant's load distribution), cover the load; every running chiller then takes
    the same share ``Q / n``. So ``n = ceil(Q / (Q_ref · PLR_max))``, capped at
    ``n_available``. Where the hour's capacity ``Q_avail = Q_ref · CAPFT`` is below the
    nominal one (hot condenser), EnergyPlus would leave part of the load unmet with
    ``n`` chillers; here ``Q_avail`` replaces ``Q_ref`` in the count, so a spare chiller
    (N+x) is started instead (a deliberate difference: the twin keeps the load met
    while chillers remain). Above ``n_available · Q_avail · PLR_max`` every available
    chiller runs at PLR_max and ``q_met_w`` reports what was delivered. The part-load
    behaviour of each running chiller (minimum PLR, cycling below it, false loading
    below the minimum unloading ratio) is :func:`chiller_eir`'s.

    References
    ----------
    EnergyPlus Input Output Reference, PlantLoop "Load Distribution Scheme"
    (Optimal, SequentialLoad, UniformLoad, UniformPLR, SequentialUniformPLR);
    Engineering Reference, "Electric Chiller Model Based on Condenser Entering
    Temperature" (Chiller:Electric:EIR).
    """
    n_avail = int(n_available)
    if q_evap_w <= 0.0 or n_avail <= 0:
        return 0.0, 0.0, 0, 0.0
    q_avail_w = _available_capacity_w(
        t_chw_supply_c, t_cond_in_c, q_ref_w, capft, t_chw_lo, t_chw_hi, t_cond_lo, t_cond_hi
    )
    if q_avail_w <= 0.0 or cop_ref <= 0.0:
        return 0.0, 0.0, 0, 0.0
    plr_stage = CHILLER_STAGING_PLR * plr_max
    if plr_stage <= 0.0:
        plr_stage = 1.0
    # nominal staging (EnergyPlus), and never fewer than the hour's capacity needs
    q_stage_w = min(q_ref_w, q_avail_w) * plr_stage
    n_need = math.ceil(q_evap_w / q_stage_w * (1.0 - _STAGING_REL_TOL))
    n_on = min(max(int(n_need), 1), n_avail)
    p1, _q_avail1, _plr1, q_cond1, q_met1 = chiller_eir(
        q_evap_w / n_on,
        t_chw_supply_c,
        t_cond_in_c,
        q_ref_w,
        cop_ref,
        capft,
        eirft,
        eirfplr,
        plr_min,
        plr_max,
        min_unload,
        t_chw_lo,
        t_chw_hi,
        t_cond_lo,
        t_cond_hi,
    )
    return n_on * p1, n_on * q_cond1, n_on, n_on * q_met1
