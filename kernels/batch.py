"""Many scenarios at once: the scenario axis in parallel around the same step code.

Each scenario's exogenous timeline has been sampled beforehand (SimPy, in
``twin.sim.timeline``) into *segments*: runs of steps with constant utilisation,
grid state and chillers in service. :func:`integrate_timeline` integrates one
scenario segment by segment with :func:`kernels.segments.integrate_segments` (the
single run's own loop over :func:`kernels.span.integrate_span`),
restarting after each early stop exactly as the engine does, so a scenario in
a batch gives the same numbers, bit for bit, as the same scenario run alone.

:func:`integrate_batch` runs :func:`integrate_timeline` for every scenario of
a batch in a ``prange`` loop (one scenario per thread, no shared writes); the
CUDA backend (``twin.sweeps.backends.cuda``) compiles the same Python function as a
device function, one GPU thread per scenario.

Batch layout (all float64 unless stated; ``S`` scenarios, ``G`` rack groups,
``W`` distinct exogenous input series, ``n`` steps):

========================  =====================  ==================================
``seg_ptr``               int64 (S + 1,)         scenario ``s`` owns segments
                                                 ``seg_ptr[s] … seg_ptr[s+1]-1``
``seg_t0_s``              (n_seg,)               exact start of each segment [s]
``seg_grid_up``           bool (n_seg,)          grid available
``seg_genset_ok``         bool (n_seg,)          False while the genset failed to start
``seg_outage_start_s``    (n_seg,)               start of the current outage [s]
``seg_n_chillers``        (n_seg, 2)             chillers in service, air / liquid
``seg_u``                 (n_seg, G)             rack-group utilisation [-]
``plant``                 (S, N_PLANT)           :mod:`kernels.layout`
``plant_ng``              (S, N_PLANT)           the same with no genset power
``loops``                 (S, 2, N_LOOP)
``groups``                (S, G, N_GROUP)        padded with zero-rack groups
``inp_idx``               int64 (S,)             row of the input series
``t_db_c``, ``t_wb_c``,   (W, n)                 shared by every scenario with
``p_pv_w``                                       the same site, weather and PV
``sig``                   (S, n, N_SIG)          supply signals (``twin.sim.signals``)
``state``                 (S, N_STATE)           initial state, updated in place
``out``                   (S, n, N_OUT)          written in place
``info``                  int64 (S, 2)           kernel calls, final status
``row``                   (S, 1, N_OUT)          scratch row for a part of a step
``memo``                  (M, n or 0, 2, W)      shared demand halves (:mod:`kernels.memo`)
``memo_idx``              int64 (S,)             the memo a scenario records or replays
``memo_mode``             int64 (S,)             ``MEMO_OFF``, ``MEMO_RECORD`` or
                                                 ``MEMO_REPLAY``
========================  =====================  ==================================

The arrays travel as one :class:`Batch`, a named tuple whose fields
(:data:`BATCH_ARRAYS`, in the order of the table) are the only list of them; those
of the post pass as one :class:`Post` (:data:`POST_ARRAYS`). The only places that
know the arguments of ``integrate_span`` are :func:`kernels.segments.integrate_segments`
(a sampled timeline, here and in a single run) and the event loop of
:func:`twin.sim.engine._advance`; the only place that builds these arrays is
``twin.sweeps.arrays.stack``.
"""

from __future__ import annotations

from collections import namedtuple

import numba
import numpy as np

from kernels._jit import njit
from kernels.checks import OK, scan_invariants
from kernels.crossings import ST_NONFINITE
from kernels.kpisums import accumulate_totals
from kernels.layout import (
    AIR,
    DT_S,
    LIQUID,
    O_ECON_MODE,
    O_Q_AIR_W,
    O_Q_LIQ_W,
    O_SOC_BESS,
    O_T_AIR_C,
    O_T_LIQ_C,
    SIG_CARBON,
    SIG_CARBON_MARGINAL,
    SIG_CF,
    SIG_PRICE,
    SIG_TARIFF_SLOT,
)
from kernels.memo import MEMO_OFF, MEMO_REPLAY
from kernels.moisture import hall_moisture_pass
from kernels.ridethrough import ride_through_min_s
from kernels.segments import integrate_segments

#: ``info`` columns.
I_CALLS = 0
I_STATUS = 1

#: The arrays of a batch (see the table above), in the order :func:`integrate_batch`
#: takes them; :func:`integrate_timeline` and the GPU kernel take them as one tuple.
Batch = namedtuple(
    "Batch",
    (
        "seg_ptr",
        "seg_t0_s",
        "seg_grid_up",
        "seg_genset_ok",
        "seg_outage_start_s",
        "seg_n_chillers",
        "seg_u",
        "plant",
        "plant_ng",
        "loops",
        "groups",
        "inp_idx",
        "t_db_c",
        "t_wb_c",
        "p_pv_w",
        "sig",
        "state",
        "out",
        "info",
        "row",
        "memo",
        "memo_idx",
        "memo_mode",
    ),
)
BATCH_ARRAYS: tuple[str, ...] = Batch._fields

#: The arrays of the post pass, in the order :func:`post_batch` takes them: ``out``
#: and ``info`` after the integration and the batch inputs it reads (as in
#: :class:`Batch`), then its own (described in :func:`post_scenario`).
Post = namedtuple(
    "Post",
    (
        "out",
        "info",
        "sig",
        "plant",
        "loops",
        "inp_idx",
        "t_db_c",
        "t_wb_c",
        "memo_idx",
        "memo_mode",
        "p_ppa_w",
        "n_ppa",
        "kpi_par",
        "scan_par",
        "e_tank_j",
        "moist_par",
        "scan",
        "totals",
        "ride_s",
        "moist",
        "soc",
    ),
)
POST_ARRAYS: tuple[str, ...] = Post._fields
#: Those that :func:`post_scenario` writes.
POST_OUTPUTS = ("scan", "totals", "ride_s", "moist", "soc")


@njit
def integrate_timeline(s, b):
    """Integrate every segment of scenario *s* of the :class:`Batch` *b*
    (:func:`kernels.segments.integrate_segments`, with no crossing rows: the batch keeps
    no event log); write the kernel calls and the final status to ``b.info[s]``."""
    p0, p1 = b.seg_ptr[s], b.seg_ptr[s + 1]
    w = b.inp_idx[s]
    _, _, _, calls, status = integrate_segments(
        0, b.seg_t0_s[p0], b.seg_t0_s[p0:p1], b.seg_grid_up[p0:p1], b.seg_genset_ok[p0:p1],
        b.seg_outage_start_s[p0:p1], b.seg_n_chillers[p0:p1], b.seg_u[p0:p1], b.plant[s],
        b.plant_ng[s], b.loops[s], b.groups[s], b.t_db_c[w], b.t_wb_c[w], b.p_pv_w[w],
        b.state[s], b.out[s], b.sig[s], b.row[s], b.row[s, :0], b.memo[b.memo_idx[s]],
        b.memo_mode[s],
    )  # fmt: skip
    b.info[s, I_CALLS] = calls
    b.info[s, I_STATUS] = status


@njit(parallel=True, nogil=True)
def integrate_phase(replaying, *arrays):
    """The scenarios of the batch that replay a shared demand half (``replaying``) or the
    others (those that record one, and those that share none), in parallel over
    scenarios; ``arrays`` as :func:`integrate_batch`."""
    b = Batch(*arrays)
    for s in numba.prange(b.plant.shape[0]):
        if (b.memo_mode[s] == MEMO_REPLAY) == replaying:
            integrate_timeline(s, b)


def integrate_batch(*arrays):
    """Every scenario of the batch, in parallel over scenarios (see module docstring).

    Takes the arrays of :data:`BATCH_ARRAYS` in that order: ``integrate_batch(*b)``
    for a :class:`Batch` *b*. The scenarios that record a shared demand half
    (:mod:`kernels.memo`) run first, with those that share none, then those that replay
    it: two calls of :func:`integrate_phase`, so that no replay can start before its
    recording has ended (two ``prange`` loops in one function may be fused into one by
    numba).
    """
    integrate_phase(False, *arrays)
    integrate_phase(True, *arrays)


@njit
def post_scenario(s, p):
    """Invariant scan, KPI totals, ride-through, hall dew point and state of charge of
    scenario *s*.

    The per-scenario passes of a single run (:func:`kernels.checks.scan_invariants`,
    :func:`kernels.kpisums.accumulate_totals`,
    :func:`kernels.ridethrough.ride_through_min_s`,
    :func:`kernels.moisture.hall_moisture_pass`) over the batch's outputs, without
    allocation, so that the GPU backend compiles it as a device function too.

    Parameters
    ----------
    s : int
        Scenario.
    p : Post
        The arrays of :data:`POST_ARRAYS`:

        out, info, sig, plant, loops, inp_idx, t_db_c, t_wb_c, memo_idx, memo_mode
            As :class:`Batch`, after :func:`integrate_batch` ran (the memo groups are
            read by :func:`post_batch` only).
        p_ppa_w : ndarray (S, n) or (S, 0)
            PPA delivery of each scenario [W] (empty rows when no scenario has one).
        n_ppa : ndarray of int (S,)
            ``n`` where the scenario has a PPA, else 0.
        kpi_par : ndarray (S, N_PAR)
            Parameter vectors of :func:`kernels.kpisums.accumulate_totals`.
        scan_par : ndarray (S, 5)
            Balance tolerance, absolute tolerance, SoC low and high, check SoC (0/1).
        e_tank_j : ndarray (S, 2)
            Usable chilled-water storage of the air and liquid loops [J].
        moist_par : ndarray (S, N_MPAR)
            Parameter vectors of :func:`kernels.moisture.hall_moisture_pass`.
        scan : ndarray (S, 4)
            Written: violation code, step, column, value (code 0: all invariants hold).
        totals : ndarray (S, N_TOTALS)
            Written where the scan passed and the kernel finished.
        ride_s : ndarray (S, 4)
            Written likewise: shortest ride-through to the class limit after a
            chiller trip, after a plant power loss, then to the IT trip after each [s].
        moist : ndarray (S, N_MOIST)
            Written likewise: the hall dew-point results of
            :func:`kernels.moisture.hall_moisture_pass`.
        soc : ndarray (S, n) or (S, 0)
            Written when it has ``n`` columns: the battery's state of charge per step
            (the battery-wear count needs the series; the GPU copies back this column
            instead of the whole output).
    """
    if post_supply(s, p):
        post_demand(s, p)


@njit
def post_supply(s, p):
    """The passes of :func:`post_scenario` that read the supply: state of charge, invariant
    scan and KPI totals of scenario *s*. True when the scan passed (the demand passes,
    :func:`post_demand`, are then due)."""
    if p.info[s, I_STATUS] == ST_NONFINITE:
        return False
    o = p.out[s]
    n = o.shape[0]
    if p.soc.shape[1] == n:
        for k in range(n):
            p.soc[s, k] = o[k, O_SOC_BESS]
    par = p.scan_par[s]
    code, k, col, value = scan_invariants(
        o, par[0], par[1], par[2], par[3], par[4] > 0.5, p.plant[s]
    )
    p.scan[s, 0] = code
    p.scan[s, 1] = k
    p.scan[s, 2] = col
    p.scan[s, 3] = value
    if code != OK:
        return False
    sg = p.sig[s]
    accumulate_totals(
        o,
        sg[:, SIG_CF],
        sg[:, SIG_CARBON],
        sg[:, SIG_CARBON_MARGINAL],
        sg[:, SIG_PRICE],
        sg[:, SIG_TARIFF_SLOT],
        p.p_ppa_w[s, : p.n_ppa[s]],
        p.kpi_par[s],
        p.totals[s],
    )
    return True


@njit
def post_demand(s, p):
    """The passes of :func:`post_scenario` that read only the demand side: the shortest
    ride-through and the hall dew point of scenario *s* (:data:`DEMAND_COLUMNS` of its
    output, its outdoor air, its plant's thermal slots, loops, tanks and moisture
    parameters)."""
    o = p.out[s]
    w = p.inp_idx[s]
    ch_cls, pw_cls, ch_it, pw_it = ride_through_min_s(
        p.plant[s],
        p.loops[s],
        o,
        p.t_db_c[w],
        p.t_wb_c[w],
        p.e_tank_j[s, AIR],
        p.e_tank_j[s, LIQUID],
    )
    p.ride_s[s, 0] = ch_cls
    p.ride_s[s, 1] = pw_cls
    p.ride_s[s, 2] = ch_it
    p.ride_s[s, 3] = pw_it
    hall_moisture_pass(
        p.moist_par[s],
        p.loops[s, AIR],
        o,
        p.t_db_c[w],
        p.t_wb_c[w],
        p.plant[s, DT_S],
        p.moist[s, :0],
        p.moist[s],
    )


#: The output columns that :func:`post_demand` reads.
DEMAND_COLUMNS = (O_T_AIR_C, O_T_LIQ_C, O_Q_AIR_W, O_Q_LIQ_W, O_ECON_MODE)


@njit
def demand_source(s, memo_idx, memo_mode):
    """The first scenario of the batch in the memo group of *s* (:mod:`kernels.memo`), if
    that is not *s* itself; else -1. Its plant differs from that of *s* only in
    :data:`kernels.memo.SUPPLY_ONLY`, its loops, rack groups and weather are the same."""
    if memo_mode[s] == MEMO_OFF:
        return -1
    for j in range(memo_mode.shape[0]):  # int64 (a prange index s may be unsigned)
        if j >= s:
            break
        if memo_mode[j] != MEMO_OFF and memo_idx[j] == memo_idx[s]:
            return j
    return -1


@njit
def same_demand_inputs(s, j, p):
    """Does :func:`post_demand` read the same values for scenarios *s* and *j* of one memo
    group (:func:`demand_source`)? Their tanks, moisture parameters, outdoor air and the
    :data:`DEMAND_COLUMNS` of every step, compared bit for bit."""
    same = np.array_equal(p.e_tank_j[s], p.e_tank_j[j])  # a NaN equals nothing: compute
    same = same and np.array_equal(p.moist_par[s], p.moist_par[j])
    ws, wj = p.inp_idx[s], p.inp_idx[j]
    if ws != wj:
        same = same and np.array_equal(p.t_db_c[ws], p.t_db_c[wj])
        same = same and np.array_equal(p.t_wb_c[ws], p.t_wb_c[wj])
    if not same:
        return False
    o_s, o_j = p.out[s], p.out[j]
    for k in range(o_s.shape[0]):
        for c in DEMAND_COLUMNS:
            if o_s[k, c] != o_j[k, c]:
                return False
    return True


@njit
def post_shared(s, p):
    """:func:`post_demand` of scenario *s*, or a copy of its :func:`demand_source`'s results
    where that one's inputs are the same bit for bit (the passes are deterministic, so the
    copy is the very numbers *s* would compute). Runs after the source's own post pass."""
    if p.info[s, I_STATUS] == ST_NONFINITE or p.scan[s, 0] != OK:
        return  # post_supply found no demand passes due
    j = demand_source(s, p.memo_idx, p.memo_mode)
    ok_j = j >= 0 and p.info[j, I_STATUS] != ST_NONFINITE and p.scan[j, 0] == OK
    if ok_j and same_demand_inputs(s, j, p):
        p.ride_s[s, :] = p.ride_s[j, :]
        p.moist[s, :] = p.moist[j, :]
    else:
        post_demand(s, p)


@njit(parallel=True, nogil=True)
def post_phase(sharing, *arrays):
    """The post pass in parallel over scenarios: every scenario's :func:`post_supply`, and
    :func:`post_demand` of those with no :func:`demand_source` (``sharing`` False); or
    :func:`post_shared` of the others (``sharing`` True)."""
    p = Post(*arrays)
    for s in numba.prange(p.plant.shape[0]):
        has_source = demand_source(s, p.memo_idx, p.memo_mode) >= 0
        if not sharing:
            if post_supply(s, p) and not has_source:
                post_demand(s, p)
        elif has_source:
            post_shared(s, p)


def post_batch(*arrays):
    """:func:`post_scenario` for every scenario of the batch, in parallel.

    Takes the arrays of :data:`POST_ARRAYS` in that order: ``post_batch(*p)`` for a
    :class:`Post` *p*. Scenarios of one memo group (:mod:`kernels.memo`) have the same
    demand side: the first of each in the batch computes its ride-through and dew point,
    the others take them where their inputs are the same bit for bit
    (:func:`post_shared`), in a second call (see :func:`integrate_batch`).
    """
    post_phase(False, *arrays)
    post_phase(True, *arrays)
