"""Many scenarios at once: the scenario axis in parallel around the same step code.

Each scenario's exogenous timeline has been sampled beforehand (SimPy, in
``twin.sim.timeline``) into *segments*: runs of steps with constant utilisation,
grid state and chillers in service. :func:`integrate_timeline` integrates one
scenario segment by segment with :func:`kernels.integrate.integrate_interval`,
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
``seg_k0``                int64 (n_seg,)         first step of each segment
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
========================  =====================  ==================================

The only place that knows the arguments of ``integrate_interval`` is
:func:`integrate_timeline`; the only place that builds these arrays is
``twin.sweeps.arrays.stack``.
"""

from __future__ import annotations

import numba

from kernels._jit import njit
from kernels.checks import OK, scan_invariants
from kernels.integrate import ST_NONFINITE, integrate_interval
from kernels.kpisums import accumulate_totals
from kernels.layout import DT_S, O_SOC_BESS, SIG_CARBON, SIG_CF, SIG_PRICE, ST_DONE
from kernels.ridethrough import ride_through_min_s

#: ``info`` columns.
I_CALLS = 0
I_STATUS = 1


@njit
def integrate_timeline(
    s,
    seg_ptr,
    seg_k0,
    seg_grid_up,
    seg_genset_ok,
    seg_outage_start_s,
    seg_n_chillers,
    seg_u,
    plant,
    plant_ng,
    loops,
    groups,
    inp_idx,
    t_db_c,
    t_wb_c,
    p_pv_w,
    sig,
    state,
    out,
    info,
):
    """Integrate every segment of scenario *s*; write calls and status to ``info[s]``."""
    n_steps = out.shape[1]
    w = inp_idx[s]
    dt_s = plant[s, DT_S]
    last = seg_ptr[s + 1]
    calls = 0
    status = ST_DONE
    for i in range(seg_ptr[s], last):
        k = seg_k0[i]
        k_end = seg_k0[i + 1] if i + 1 < last else n_steps
        grid_up = seg_grid_up[i]
        while k < k_end:
            outage_elapsed_s = 0.0 if grid_up else k * dt_s - seg_outage_start_s[i]
            k, st = integrate_interval(
                k,
                k_end,
                plant[s] if seg_genset_ok[i] else plant_ng[s],
                loops[s],
                groups[s],
                seg_u[i],
                grid_up,
                outage_elapsed_s,
                seg_n_chillers[i, 0],
                seg_n_chillers[i, 1],
                t_db_c[w],
                t_wb_c[w],
                p_pv_w[w],
                state[s],
                out[s],
                sig[s],
            )
            calls += 1
            if st == ST_NONFINITE:
                info[s, I_CALLS] = calls
                info[s, I_STATUS] = st
                return
    info[s, I_CALLS] = calls
    info[s, I_STATUS] = status


@njit(parallel=True, nogil=True)
def integrate_batch(
    seg_ptr,
    seg_k0,
    seg_grid_up,
    seg_genset_ok,
    seg_outage_start_s,
    seg_n_chillers,
    seg_u,
    plant,
    plant_ng,
    loops,
    groups,
    inp_idx,
    t_db_c,
    t_wb_c,
    p_pv_w,
    sig,
    state,
    out,
    info,
):
    """Every scenario of the batch, in parallel over scenarios (see module docstring)."""
    for s in numba.prange(plant.shape[0]):
        integrate_timeline(
            s,
            seg_ptr,
            seg_k0,
            seg_grid_up,
            seg_genset_ok,
            seg_outage_start_s,
            seg_n_chillers,
            seg_u,
            plant,
            plant_ng,
            loops,
            groups,
            inp_idx,
            t_db_c,
            t_wb_c,
            p_pv_w,
            sig,
            state,
            out,
            info,
        )


@njit
def post_scenario(
    s,
    out,
    info,
    sig,
    plant,
    loops,
    inp_idx,
    t_db_c,
    t_wb_c,
    p_ppa_w,
    n_ppa,
    kpi_par,
    scan_par,
    e_tank_j,
    scan,
    totals,
    ride_s,
    soc,
):
    """Invariant scan, KPI totals, ride-through and state of charge of scenario *s*.

    The per-scenario passes of a single run (:func:`kernels.checks.scan_invariants`,
    :func:`kernels.kpisums.accumulate_totals`,
    :func:`kernels.ridethrough.ride_through_min_s`) over the batch's outputs, without
    allocation, so that the GPU backend compiles it as a device function too.

    Parameters
    ----------
    s : int
        Scenario.
    out, info, sig, plant, loops, inp_idx, t_db_c, t_wb_c
        As :func:`integrate_batch`, after it ran.
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
    scan : ndarray (S, 4)
        Written: violation code, step, column, value (code 0: all invariants hold).
    totals : ndarray (S, N_TOTALS)
        Written where the scan passed and the kernel finished.
    ride_s : ndarray (S, 2)
        Written likewise: shortest ride-through after a chiller trip, after a
        plant power loss [s].
    soc : ndarray (S, n) or (S, 0)
        Written when it has ``n`` columns: the battery's state of charge per step
        (the battery-wear count needs the series; the GPU copies back this column
        instead of the whole output).
    """
    if info[s, I_STATUS] == ST_NONFINITE:
        return
    o = out[s]
    n = o.shape[0]
    if soc.shape[1] == n:
        for k in range(n):
            soc[s, k] = o[k, O_SOC_BESS]
    code, k, col, value = scan_invariants(
        o, scan_par[s, 0], scan_par[s, 1], scan_par[s, 2], scan_par[s, 3], scan_par[s, 4] > 0.5
    )
    scan[s, 0] = code
    scan[s, 1] = k
    scan[s, 2] = col
    scan[s, 3] = value
    if code != OK:
        return
    w = inp_idx[s]
    sg = sig[s]
    accumulate_totals(
        o,
        sg[:, SIG_CF],
        sg[:, SIG_CARBON],
        sg[:, SIG_PRICE],
        p_ppa_w[s, : n_ppa[s]],
        kpi_par[s],
        totals[s],
    )
    trip, loss = ride_through_min_s(
        plant[s], loops[s], o, t_db_c[w], t_wb_c[w], e_tank_j[s, 0], e_tank_j[s, 1]
    )
    ride_s[s, 0] = trip
    ride_s[s, 1] = loss


@njit(parallel=True, nogil=True)
def post_batch(
    out,
    info,
    sig,
    plant,
    loops,
    inp_idx,
    t_db_c,
    t_wb_c,
    p_ppa_w,
    n_ppa,
    kpi_par,
    scan_par,
    e_tank_j,
    scan,
    totals,
    ride_s,
    soc,
):
    """:func:`post_scenario` for every scenario of the batch, in parallel."""
    for s in numba.prange(plant.shape[0]):
        post_scenario(
            s,
            out,
            info,
            sig,
            plant,
            loops,
            inp_idx,
            t_db_c,
            t_wb_c,
            p_ppa_w,
            n_ppa,
            kpi_par,
            scan_par,
            e_tank_j,
            scan,
            totals,
            ride_s,
            soc,
        )
