"""Integration between exact times: events inside a step, at any step.

:func:`integrate_span` is what the engine (:mod:`twin.sim.engine`) and the batch
(:mod:`kernels.batch`) call. It takes exact times instead of steps, sends whole steps
to :func:`kernels.integrate.integrate_interval`, and integrates the parts of a step on
either side of an event (or of a started genset coming on line) as steps of the
part's length, their time-weighted average written into the step's row
(:func:`_add_part`). So results do not depend on where events fall on the step grid,
and every row of ``out`` stays one step. Pure: arrays in, arrays out, no allocation
(the scratch row comes in as an argument, so the GPU backend compiles it too).

A store that runs out inside a step in an outage (the battery or the UPS battery
reaching its floor: a threshold crossing found inside the step) splits it the same way:
:func:`kernels.integrate.integrate_interval` returns the internal ``ST_SPLIT`` with the
emptying time (closed form, :func:`kernels.integrate.store_empty_s`) before writing the
step, and the step is integrated as the part before that time (the store carries the
load) and the part after (the cooling plant or IT shed, or unserved). The store's
``battery_empty`` / ``ups_empty`` alarm then comes at the end of the first part: its
exact time. So unmet and shed energy and ride-through do not depend on the step.

The parts of a step keep what belongs to the step whole: a battery schedule (the
``optimal`` policy) is the step's energy, delivered over its parts
(:func:`kernels.policy.schedule_band_w`, with ``S_SCHED_LEFT_J`` and ``S_STEP_LEFT_S``
of the state), and the step's temperature is its end value, the peak of its parts
kept apart (``O_T_AIR_PEAK_C``, ``O_T_LIQ_PEAK_C``) so that hours above a limit are
counted on the step's value, not on a 10 s peak.
"""

from __future__ import annotations

from kernels._jit import njit
from kernels.integrate import integrate_interval
from kernels.layout import (
    DT_S,
    GENSET_DELAY_S,
    GENSET_W,
    N_OUT,
    O_ECON_MODE,
    O_P_BESS_CHARGE_W,
    O_P_BESS_DISCHARGE_W,
    O_SOC_BESS,
    O_T_AIR_C,
    O_T_AIR_PEAK_C,
    O_T_LIQ_C,
    O_T_LIQ_PEAK_C,
    O_T_TCS_C,
    O_T_TCS_PEAK_C,
    S_SCHED_LEFT_J,
    S_SPLIT_S,
    S_STEP_LEFT_S,
    SIG_BESS_W,
    ST_DONE,
    ST_SPLIT,
)

#: Two times closer than this share of a step are the same instant [-].
_T_EPS = 1e-9


@njit
def _add_part(o, r, w, first):
    """Add a part of a step, ``w`` of its length, to the step's row *o* of ``out``.

    Flows (every column in W, the water flow, the grid-up and cooling-on flags) add
    as ``w`` times the part's row, so the row holds the time-weighted average of its
    parts and ``row × dt`` stays the exact energy of the step. The state of charge, the
    economizer mode and the hall air and liquid temperatures are the last part's (the
    end of the step, as in a whole step); the peak temperature columns keep the highest
    at the end of any part, so the peak that an event inside the step caused stays
    visible when the plant has brought the node back by the step's end, without being
    counted as the temperature of the whole step.
    ``first``: the part starts the step (the row is overwritten, not added to).
    """
    for j in range(N_OUT):
        if j == O_SOC_BESS or j == O_ECON_MODE or j == O_T_AIR_C or j == O_T_LIQ_C:
            o[j] = r[j]
        elif j == O_T_TCS_C:
            o[j] = r[j]
        elif (j == O_T_AIR_PEAK_C or j == O_T_LIQ_PEAK_C or j == O_T_TCS_PEAK_C) and not first:
            o[j] = max(o[j], r[j])
        elif j == O_T_AIR_PEAK_C or j == O_T_LIQ_PEAK_C or j == O_T_TCS_PEAK_C:
            o[j] = r[j]
        elif first:
            o[j] = w * r[j]
        else:
            o[j] += w * r[j]


@njit(inline="always")
def _rows(memo, k0, k1, j):
    """Row *j* of the memo's steps ``k0 … k1-1`` (all steps when ``k1`` is 0), or None
    without a memo (a single run; numba compiles only the branch of the argument's type)."""
    if memo is None:
        return None
    if k1 == 0:
        return memo[:, j]
    return memo[k0:k1, j]


@njit
def _split_at(t_s, state, eps_s):
    """Where the step or part that starts at ``t_s`` is cut for a store running out
    (``state[S_SPLIT_S]`` after the kernel), and the part's exact length [s] (``t_split -
    t_s`` in floating point may differ from it by an ulp of ``t_s``, enough to leave a
    store a few joules short). A cut that would not move time on (never expected: the
    kernel splits only after its shortest part) turns splitting off for the next call
    instead, so the loop always advances."""
    x_s = state[S_SPLIT_S]
    t_split_s = t_s + x_s
    if t_split_s > t_s + eps_s:
        state[S_SPLIT_S] = 0.0
        return t_split_s, x_s
    state[S_SPLIT_S] = -1.0
    return -1.0, 0.0


@njit
def integrate_span(
    t0_s, t1_s, plant, loops, groups, u_groups, grid_up, outage_start_s, n_air, n_liq,
    t_db_c, t_wb_c, p_pv_w, state, out, sig, row, memo, memo_mode,
):  # fmt: skip
    """Advance from ``t0_s`` to ``t1_s`` [s], at any times; stop early after a crossing.

    The exact-time form of :func:`integrate_interval`: whole steps go through it
    unchanged; a part of a step (the time from ``t0_s`` to the next step boundary,
    or from the last boundary to ``t1_s``, when an event falls inside a step) is
    integrated as one step of the part's length (``plant[DT_S]`` is set to it for
    that call and restored) into the scratch ``row`` (1, N_OUT), and added to the
    step's row of ``out`` by :func:`_add_part`. ``outage_start_s``: the exact start
    of the current outage [s] (ignored when the grid is up), so the genset's start
    delay counts from the outage itself. Weather, PV and signals are those of the
    step the part lies in. A step is also cut where a started genset comes on line
    (``outage_start_s + plant[GENSET_DELAY_S]``: the start and transfer delay,
    NFPA 110 level 1: 10 s): before it the
    UPS and the battery carry the load and the plant has no power unless the battery
    feeds it; after it the genset carries the step, so a 10 s start shuts the cooling
    for 10 s, not for a whole step. Other arguments as :func:`integrate_interval`.

    A store (battery, UPS battery) that reaches its floor inside a step cuts the step
    at that time too (the kernel's ``ST_SPLIT``, module docstring).

    ``memo`` (n_steps, 2, W) or None, ``memo_mode``: the shared demand half (:mod:`kernels.memo`),
    two rows a step: a whole step and the part that starts a step record into, or replay
    from, the first, the later parts of a step the second (a part's key holds its length).

    Returns ``(t_next_s, status)``: the time integrated up to (``t1_s``, or the end
    of the step or part in which a threshold was crossed) and the ``ST_*`` code.
    """
    dt_s = plant[DT_S]
    n_steps = out.shape[0]
    eps_s = _T_EPS * dt_s
    t_gen_s = -1.0  # when a started genset comes on line in this outage [s]
    if not grid_up and plant[GENSET_W] > 0.0:
        t_gen_s = outage_start_s + plant[GENSET_DELAY_S]
    t_split_s = -1.0  # where a store runs out inside the current step [s]
    x_split_s = 0.0  # the exact length of the part that ends there [s]
    t = t0_s
    while t < t1_s - eps_s:
        k = int(t / dt_s + _T_EPS)  # t >= 0: truncation is the floor
        if k >= n_steps:
            break
        ts0 = k * dt_s
        ts1 = (k + 1) * dt_s
        t_cut = t_gen_s if t + eps_s < t_gen_s < t1_s - eps_s else t1_s
        if t + eps_s < t_split_s < t_cut:
            t_cut = t_split_s
        starts_step = t - ts0 <= eps_s
        if starts_step and t_cut >= ts1 - eps_s:
            k1 = min(n_steps, int(t_cut / dt_s + _T_EPS))
            state[S_STEP_LEFT_S] = 0.0
            k_next, status = integrate_interval(
                k, k1, plant, loops, groups, u_groups, grid_up, ts0 - outage_start_s,
                n_air, n_liq, t_db_c, t_wb_c, p_pv_w, state, out, sig, _rows(memo, 0, 0, 0),
                memo_mode,
            )  # fmt: skip
            t = k_next * dt_s
            if status == ST_SPLIT:  # step k_next not written: cut it where the store empties
                t_split_s, x_split_s = _split_at(t, state, eps_s)
                continue
        else:
            te = ts1 if t_cut >= ts1 - eps_s else t_cut
            if starts_step:  # the battery schedule is the step's energy (kernels.policy)
                state[S_SCHED_LEFT_J] = sig[k, SIG_BESS_W] * dt_s
            state[S_STEP_LEFT_S] = ts1 - t
            dt_part_s = x_split_s if te == t_split_s else te - t
            plant[DT_S] = dt_part_s
            _, status = integrate_interval(
                0, 1, plant, loops, groups, u_groups, grid_up, t - outage_start_s,
                n_air, n_liq, t_db_c[k : k + 1], t_wb_c[k : k + 1], p_pv_w[k : k + 1],
                state, row, sig[k : k + 1], _rows(memo, k, k + 1, 0 if starts_step else 1),
                memo_mode,
            )  # fmt: skip
            plant[DT_S] = dt_s
            state[S_STEP_LEFT_S] = 0.0
            if status == ST_SPLIT:  # the part not written: cut it where the store empties
                t_split_s, x_split_s = _split_at(t, state, eps_s)
                continue
            p_bess_w = row[0, O_P_BESS_CHARGE_W] - row[0, O_P_BESS_DISCHARGE_W]
            state[S_SCHED_LEFT_J] -= p_bess_w * dt_part_s
            _add_part(out[k], row[0], dt_part_s / dt_s, starts_step)
            t = te
        state[S_SPLIT_S] = 0.0
        if status != ST_DONE:
            return t, status
    return t1_s, ST_DONE
