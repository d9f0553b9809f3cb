"""The demand half of a step, shared by the scenarios of a batch that have the same one.

A step of :func:`kernels.integrate.integrate_interval` is two halves. The *demand* half
(:func:`kernels.integrate.demand_step`: IT power and UPS losses, the loops' controls and
capacities, both thermal nodes and the plant's power and water) is a pure function of
the scenario's demand-side parameters (the rack groups, the loops, the hall) and of a
few values of the step: the node temperatures and economizer flags at its start, the
plant's powered share ``f_on``, the step's length, the chillers in service, the
outdoor air and the groups' utilisation. The *supply* half (dispatch, batteries,
shedding, the output row) depends on PV, wind, battery, grid and policy.

A sweep over the supply (PV x battery, the usual what-if) therefore computes the same
demand half again and again: its thermal trajectory is the same in every scenario
except around the few steps where the supply feeds back (an outage that a grid-forming
battery carries in one scenario and not in another, a plant shed), and it comes back
to the same values after them (the nodes return to their set points). The batch
(:mod:`kernels.batch`) lets one scenario of such a group *record* the demand half of
each of its steps, with the values it depends on (the *key*), into the memo's rows of
the step (two a step: the whole step or the part that starts it, and its later parts,
:func:`kernels.span.integrate_span`); the others *replay* it: at every step they compare their own key with the recorded one,
bit for bit, and take the recorded half only on an exact match, otherwise they compute
it. The demand half is deterministic, so a match gives the very numbers the scenario
would have computed: results are bit for bit those of the scenario run alone (tested),
every scenario's supply is simulated step by step, and nothing outlives the batch (no
result is cached).

Memo row layout (one row per step, float64): the key (:data:`N_KEY` scalars, then the
``G`` utilisations from :data:`M_U0`), then the recorded half. A row that nothing
recorded holds NaN, which equals nothing, so it never matches. The parameters of
the scenario that are not in the key must be equal across a group: the batch groups
scenarios whose plant rows differ only in :data:`SUPPLY_ONLY` (read by the supply half
and by ``kernels.integrate._plant_share``, whose result ``f_on`` is in the key) and
whose loops, groups and weather are equal (``twin.sweeps.sharing``).

Pure, no allocation: CUDA-safe as the rest of the step (the GPU backend records and
replays nothing: its scenarios run at once).
"""

from __future__ import annotations

from kernels._jit import njit
from kernels.layout import (
    BESS_E_J,
    BESS_ETA_C,
    BESS_ETA_D,
    BESS_GRID_FORMING,
    BESS_P_W,
    BESS_SOC_MAX,
    BESS_SOC_MIN,
    DISPATCH_POLICY,
    EXPORT_SHARE_MAX,
    GENSET_DELAY_S,
    GENSET_W,
    GRID_EXPORT_W,
    GRID_IMPORT_W,
    PEAK_TARGET_W,
    PV_ANTI_ISLANDING,
    S_ECON_AIR,
    S_ECON_LIQ,
    S_T_AIR_C,
    S_T_LIQ_C,
    UPS_CARRIES_COOLING,
    UPS_E_J,
    UPS_P_CH_W,
    XFMR_P0_FRAC,
    XFMR_PK_FRAC,
    XFMR_S_RATED_W,
)

#: What a scenario does with the memo it is given: nothing, record, replay.
MEMO_OFF, MEMO_RECORD, MEMO_REPLAY = 0, 1, 2

#: The plant parameters that the demand half does not read (the supply half and
#: ``kernels.integrate._plant_share`` do): scenarios that differ only in these share a
#: memo. ``tests/unit/test_memo.py`` changes each one and checks the demand half.
SUPPLY_ONLY = (
    GRID_IMPORT_W,
    GRID_EXPORT_W,
    GENSET_W,
    GENSET_DELAY_S,
    BESS_E_J,
    BESS_P_W,
    BESS_ETA_C,
    BESS_ETA_D,
    BESS_SOC_MIN,
    BESS_SOC_MAX,
    UPS_E_J,
    UPS_P_CH_W,
    DISPATCH_POLICY,
    PEAK_TARGET_W,
    EXPORT_SHARE_MAX,
    XFMR_S_RATED_W,
    XFMR_P0_FRAC,
    XFMR_PK_FRAC,
    PV_ANTI_ISLANDING,
    BESS_GRID_FORMING,
    UPS_CARRIES_COOLING,
)

#: Scalar values of the key, slots 0 to 9 in the order :func:`_key` returns them: hall air
#: and liquid temperatures and the two economizer flags at the step's start, the plant's
#: powered share, the step's length, the chillers in service (air, liquid loop) and the
#: outdoor dry and wet bulb.
N_KEY = 10
#: First of the recorded values: 9 loads, 4 controls, 2 capacities, 11 thermal fields.
M_VAL = N_KEY
N_LOADS = 9
N_TH = 11
#: First of the ``G`` utilisations of the key; a memo row is ``M_U0 + G`` wide.
M_U0 = M_VAL + N_LOADS + 4 + 2 + N_TH


def memo_width(n_groups: int) -> int:
    """Width of a memo row for ``n_groups`` rack groups."""
    return M_U0 + n_groups


@njit(inline="always")
def _key(state, f_on, dt_s, n_air, n_liq, t_db_c, t_wb_c):
    """The scalar part of a step's key, in the order of slots 0 to 9 (:data:`N_KEY`)."""
    return (
        state[S_T_AIR_C], state[S_T_LIQ_C], state[S_ECON_AIR], state[S_ECON_LIQ], float(f_on),
        float(dt_s), float(n_air), float(n_liq), float(t_db_c), float(t_wb_c),
    )  # fmt: skip


@njit(inline="always")
def memo_hit(row, state, f_on, dt_s, n_air, n_liq, t_db_c, t_wb_c, u_groups):
    """True if the recorded half in *row* was computed from exactly this step's values."""
    key = _key(state, f_on, dt_s, n_air, n_liq, t_db_c, t_wb_c)
    for j in range(N_KEY):
        if row[j] != key[j]:
            return False
    for g in range(u_groups.shape[0]):
        if row[M_U0 + g] != u_groups[g]:
            return False
    return True


@njit(inline="always")
def memo_store(row, key, half):
    """Record the demand half *half* (as :func:`kernels.integrate.demand_step` returns it)
    computed from *key* = ``(state, f_on, dt_s, n_air, n_liq, t_db_c, t_wb_c, u_groups)``."""
    state, f_on, dt_s, n_air, n_liq, t_db_c, t_wb_c, u_groups = key
    loads, ctl, cap, th = half
    for j in range(N_LOADS):
        row[M_VAL + j] = loads[j]
    c = M_VAL + N_LOADS
    row[c] = 1.0 if ctl[0] else 0.0
    row[c + 1] = 1.0 if ctl[1] else 0.0
    row[c + 2] = ctl[2]
    row[c + 3] = ctl[3]
    row[c + 4] = cap[0]
    row[c + 5] = cap[1]
    t = c + 6  # a heterogeneous tuple: one field at a time
    row[t], row[t + 1], row[t + 2], row[t + 3] = th[0], th[1], th[2], th[3]
    row[t + 4], row[t + 5], row[t + 6], row[t + 7] = th[4], th[5], th[6], th[7]
    row[t + 8], row[t + 9], row[t + 10] = th[8], th[9], float(th[10])
    # the key last (a row written for the first time matches nothing until it is whole);
    # the batch never reads a row while it is written (kernels.batch.integrate_batch)
    for g in range(u_groups.shape[0]):
        row[M_U0 + g] = u_groups[g]
    scalars = _key(state, f_on, dt_s, n_air, n_liq, t_db_c, t_wb_c)
    for j in range(N_KEY):
        row[j] = scalars[j]


@njit(inline="always")
def memo_load(row):
    """The demand half recorded in *row* (:func:`memo_store`), as
    :func:`kernels.integrate.demand_step` returns it."""
    v = M_VAL
    loads = (
        row[v], row[v + 1], row[v + 2], row[v + 3], row[v + 4], row[v + 5], row[v + 6],
        row[v + 7], row[v + 8],
    )  # fmt: skip
    c = M_VAL + N_LOADS
    ctl = (row[c] > 0.5, row[c + 1] > 0.5, row[c + 2], row[c + 3])
    cap = (row[c + 4], row[c + 5])
    t = c + 6
    th = (
        row[t], row[t + 1], row[t + 2], row[t + 3], row[t + 4], row[t + 5], row[t + 6],
        row[t + 7], row[t + 8], row[t + 9], int(row[t + 10]),
    )  # fmt: skip
    return loads, ctl, cap, th
