"""Power-chain component losses: the UPS efficiency curve, the grid transformer.

Double-conversion UPS losses follow the three-term model of APC/Schneider
Electric White Paper 113 (N. Rasmussen, "Electrical Efficiency Modeling for
Data Centers"): a no-load loss fixed while the unit is energised, a loss
proportional to the load, and a square-law (I²R) loss::

    P_loss = P_rated · (a0 + a1 · x + a2 · x²),   x = P_IT / P_rated

so the efficiency P_IT / (P_IT + P_loss) falls at light load, as the curves
of that paper show. The coefficients are scenario inputs (``ups.loss_*``).

The grid (HV/MV) transformer has a no-load (core) loss ``P0`` while energised
and a load (winding) loss ``Pk`` at rated power that scales with the square
of the load (IEC 60076-1, Power transformers — General, §3.6: no-load loss
and load loss)::

    P_loss = P0 + Pk · (S / S_rated)²

with S taken as the import power at unity power factor (assumed).
"""

from __future__ import annotations

from kernels._jit import njit


@njit
def ups_loss_curve_w(p_it_w, p_rated_w, a0, a1, a2):
    """UPS losses [W] at IT power ``p_it_w`` for a unit rated ``p_rated_w``."""
    if p_rated_w <= 0.0:
        return 0.0
    x = max(p_it_w, 0.0) / p_rated_w
    return p_rated_w * (a0 + a1 * x + a2 * x * x)


@njit
def transformer_loss_w(p_w, s_rated_w, p0_frac, pk_frac):
    """Transformer losses [W] carrying ``p_w`` (IEC 60076-1 no-load + load loss)."""
    if s_rated_w <= 0.0:
        return 0.0
    x = max(p_w, 0.0) / s_rated_w
    return s_rated_w * (p0_frac + pk_frac * x * x)


@njit
def bus_import_limit_w(meter_limit_w, s_rated_w, p0_frac, pk_frac):
    """Largest import behind the transformer whose metered import (plus its losses)
    stays within ``meter_limit_w`` [W].

    Solves ``x + S (p0 + pk (x / S)²) = L`` for x: ``a x² + x + (S p0 − L) = 0`` with
    ``a = pk / S``, so ``x = 2 (L − S p0) / (1 + sqrt(1 + 4 a (L − S p0)))`` (the
    rationalised root, exact also as ``a`` → 0). Zero when the no-load loss alone
    exceeds the limit; the limit itself without a transformer.
    """
    if s_rated_w <= 0.0:
        return meter_limit_w
    room = meter_limit_w - s_rated_w * p0_frac
    if room <= 0.0:
        return 0.0
    a = pk_frac / s_rated_w
    return 2.0 * room / (1.0 + (1.0 + 4.0 * a * room) ** 0.5)
