"""One scenario's sampled timeline in one kernel call, its crossings recorded.

When nothing in a scenario's exogenous timeline depends on the plant (the ``profile``
workload: utilisation, outages, genset failures and chiller trips are all drawn by
SimPy beforehand, :func:`twin.sim.timeline.sample`), the engine
(:mod:`twin.sim.engine`) integrates the whole timeline here in one call, instead of one
call of :func:`kernels.span.integrate_span` per SimPy event from Python. The calls of
``integrate_span`` are the engine's own, in the same order (a segment at a time,
restarting after each early stop), so the numbers are the same bit for bit; each early
stop (a threshold crossing) becomes a row of ``cross`` that the engine logs at its own
time, with what it needs to tell the other crossings of the same step apart
(:func:`twin.sim.engine._also_crossed`). Pure: arrays in, arrays out, no allocation.

Segment layout as :mod:`kernels.batch` (one scenario): ``seg_t0_s`` (n_seg,) the
exact start of each segment [s], ``seg_grid_up``, ``seg_genset_ok`` (bool),
``seg_outage_start_s``, ``seg_n_chillers`` (n_seg, 2), ``seg_u`` (n_seg, G).
"""

from __future__ import annotations

from kernels._jit import njit
from kernels.crossings import ST_NONFINITE
from kernels.layout import (
    AIR,
    DT_S,
    LIQUID,
    S_AIR_BACK_S,
    S_LIQ_BACK_S,
    S_SOC_BESS,
    S_SOC_UPS,
    S_UNMET,
    S_UNMET_BACK_S,
    ST_DONE,
)
from kernels.span import integrate_span

#: Columns of a row of ``cross``: the call's start and where it stopped [s], the status
#: (``ST_*``), the state's times back from the stop to each crossing [s]
#: (``S_AIR_BACK_S``, ``S_LIQ_BACK_S``, ``S_UNMET_BACK_S``), and the unmet flag and the
#: battery and UPS states of charge at the call's start and at the stop.
(
    CR_T0_S,
    CR_T_STOP_S,
    CR_STATUS,
    CR_AIR_BACK_S,
    CR_LIQ_BACK_S,
    CR_UNMET_BACK_S,
    CR_UNMET0,
    CR_SOC0,
    CR_SOC_UPS0,
    CR_UNMET1,
    CR_SOC1,
    CR_SOC_UPS1,
) = range(12)
N_CROSS = 12
#: Status of a call that returned because ``cross`` is full: call again from ``(i, t)``.
ST_CROSS_FULL = -1


@njit
def _record(c, t0_s, t_s, status, before, state):
    """Write one early stop into the row *c* of ``cross``."""
    c[CR_T0_S] = t0_s
    c[CR_T_STOP_S] = t_s
    c[CR_STATUS] = status
    c[CR_AIR_BACK_S] = state[S_AIR_BACK_S]
    c[CR_LIQ_BACK_S] = state[S_LIQ_BACK_S]
    c[CR_UNMET_BACK_S] = state[S_UNMET_BACK_S]
    c[CR_UNMET0], c[CR_SOC0], c[CR_SOC_UPS0] = before
    c[CR_UNMET1] = state[S_UNMET]
    c[CR_SOC1] = state[S_SOC_BESS]
    c[CR_SOC_UPS1] = state[S_SOC_UPS]


@njit
def integrate_segments(
    i0, t0_s, seg_t0_s, seg_grid_up, seg_genset_ok, seg_outage_start_s, seg_n_chillers, seg_u,
    plant, plant_ng, loops, groups, t_db_c, t_wb_c, p_pv_w, state, out, sig, row, cross,
    memo, memo_mode,
):  # fmt: skip
    """Integrate segments ``i0 …`` of a timeline from ``t0_s`` [s] to the end of the run.

    ``plant_ng``: ``plant`` with no genset power (in force while a genset failed to
    start); ``cross`` (n_max, N_CROSS): rows written for each early stop, or no rows
    (n_max = 0: nothing recorded, never full; the batch, :mod:`kernels.batch`, which
    keeps no event log); ``memo``, ``memo_mode``: the demand half shared in a batch
    (:mod:`kernels.memo`; a single run passes None and ``MEMO_OFF``); other arguments
    as :func:`kernels.span.integrate_span`.

    Returns ``(i, t_s, n_rec, calls, status)``: where it stopped (segment and time),
    the rows of ``cross`` written, the calls of ``integrate_span`` and ``ST_DONE`` at
    the end of the run, ``ST_NONFINITE`` after a non-finite state (its row written), or
    :data:`ST_CROSS_FULL` when ``cross`` is full (call again from ``(i, t_s)``).
    """
    n_seg = seg_t0_s.shape[0]
    horizon_s = out.shape[0] * plant[DT_S]
    recording = cross.shape[0] > 0
    n_rec = 0
    calls = 0
    t = t0_s
    for i in range(i0, n_seg):
        if i > i0:
            t = seg_t0_s[i]
        t_end = seg_t0_s[i + 1] if i + 1 < n_seg else horizon_s
        while t < t_end:
            if recording and n_rec == cross.shape[0]:
                return i, t, n_rec, calls, ST_CROSS_FULL
            before = (state[S_UNMET], state[S_SOC_BESS], state[S_SOC_UPS])
            t_call = t
            t, status = integrate_span(
                t, t_end, plant if seg_genset_ok[i] else plant_ng, loops, groups, seg_u[i],
                seg_grid_up[i], seg_outage_start_s[i], seg_n_chillers[i, AIR],
                seg_n_chillers[i, LIQUID], t_db_c, t_wb_c, p_pv_w, state, out, sig, row,
                memo, memo_mode,
            )  # fmt: skip
            calls += 1
            if status != ST_DONE:
                if recording:
                    _record(cross[n_rec], t_call, t, status, before, state)
                    n_rec += 1
                if status == ST_NONFINITE:
                    return i, t, n_rec, calls, status
    return n_seg, horizon_s, n_rec, calls, ST_DONE
