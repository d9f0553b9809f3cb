"""Electrical dispatch of one step: PV, battery, grid, genset, UPS battery.

Self-consumption rule, the default of HOMER's and SAM's behind-the-meter
dispatch: PV serves the load first; a shortfall is met by the battery, then the
grid up to its import capacity (during an outage: the genset once started,
then the battery), then the UPS battery; a surplus charges the battery, tops up
the UPS battery, is exported up to the export capacity, and the rest is
curtailed. Under self-consumption the battery charges from PV only; other
policies (:mod:`kernels.policy`) may also charge it from the grid. The UPS battery recharges from whatever supply has room.

Every returned flow is a non-negative average power over the step, and

    pv + import + genset + bess_dis + ups_dis + unmet
        = load + bess_ch + ups_ch + export + curtailed

holds to rounding (the engine checks it on every run).

References
----------
.. [1] HOMER Pro user manual, "Load Following" dispatch; NREL SAM
   documentation, "Battery Storage: Dispatch, behind the meter — peak shaving /
   self-consumption".
.. [2] NFPA 110: a level-1 emergency genset takes the load within 10 s.
.. [3] IEEE 1547-2018, Standard for Interconnection and Interoperability of
   Distributed Energy Resources, §8.1 (unintentional islanding: cease to energise
   within 2 s) and §8.2 (intentional islanding); IEC 62116:2014, test procedure of
   islanding prevention measures for utility-interconnected PV inverters.
"""

from __future__ import annotations

from kernels._jit import njit
from kernels.electrical import bus_import_limit_w
from kernels.layout import (
    BESS_E_J,
    BESS_ETA_C,
    BESS_ETA_D,
    BESS_GRID_FORMING,
    BESS_P_W,
    BESS_SOC_MAX,
    BESS_SOC_MIN,
    DT_S,
    GENSET_W,
    GRID_EXPORT_W,
    GRID_IMPORT_W,
    PV_ANTI_ISLANDING,
    UPS_E_J,
    UPS_P_CH_W,
    XFMR_P0_FRAC,
    XFMR_PK_FRAC,
    XFMR_S_RATED_W,
)
from kernels.storage import max_charge_w, max_discharge_w


@njit
def genset_available_frac(outage_elapsed_s, delay_s, dt_s):
    """Share of a step during which a started genset carries load [-].

    ``outage_elapsed_s`` is the time since the outage began at the start of
    the step; the genset is on line ``delay_s`` after that [2].
    """
    on_s = outage_elapsed_s + dt_s - delay_s
    return min(max(on_s / dt_s, 0.0), 1.0)


@njit
def pv_islanded_share(plant, genset_frac):
    """Share of the step during which PV may feed the bus while the grid is down [-].

    A grid-following PV inverter must cease to energise an island within 2 s of losing
    the grid (IEEE 1547-2018 §8.1 "unintentional islanding"; the test of IEC 62116:2014),
    so without a source that forms the bus PV stops. A grid-forming battery inverter
    (``plant[BESS_GRID_FORMING]``) or a genset on line (a share ``genset_frac`` of the
    step) holds voltage and frequency, and PV runs again behind it (an intentional
    island, IEEE 1547-2018 §8.2). ``plant[PV_ANTI_ISLANDING]`` = 0 models PV inverters
    that can form the bus themselves (no anti-islanding stop).
    """
    if plant[PV_ANTI_ISLANDING] <= 0.0:
        return 1.0
    if plant[BESS_GRID_FORMING] > 0.0 and plant[BESS_E_J] > 0.0 and plant[BESS_P_W] > 0.0:
        return 1.0
    return genset_frac


@njit
def bess_islanded_share(plant, genset_frac):
    """Share of the step during which the battery may run while the grid is down [-].

    A grid-forming battery inverter forms the island itself (1); a grid-following one
    is bound by the same anti-islanding rule as PV (IEEE 1547-2018 §8.1 applies to
    every distributed resource) and runs only behind a genset on line.
    """
    if plant[BESS_GRID_FORMING] > 0.0:
        return 1.0
    return genset_frac


@njit
def dispatch(
    p_load_w,
    p_pv_w,
    grid_up,
    genset_frac,
    soc_bess,
    soc_ups,
    p_with_genset_w,
    plant,
    bess_dis_cap_w=1e300,
    bess_ch_cap_w=1e300,
    grid_charge_w=0.0,
    export_cap_w=1e300,
    bess_island_frac=1.0,
):
    """Split one step's load across the supplies.

    ``p_with_genset_w`` is the part of ``p_load_w`` (step average) that only
    runs while the genset is on line during an outage (the cooling plant, not
    on the UPS); the rest of the load is bridged until the genset starts.

    The last four arguments are set by a dispatch policy
    (:mod:`kernels.policy`); their defaults give the self-consumption rule.
    While the grid is up the battery discharges at most ``bess_dis_cap_w`` and
    charges at most ``bess_ch_cap_w`` in all, on-site surplus first, then up to
    ``grid_charge_w`` from the grid's spare import capacity; exports are capped
    at ``export_cap_w`` (law 82-21). In an outage the caps do not apply; the battery
    runs only for ``bess_island_frac`` of the step (:func:`bess_islanded_share`).

    Returns
    -------
    tuple of float
        ``(pv_to_load, curtailed, bess_ch, bess_dis, grid_import, grid_export,
        genset, ups_dis, ups_ch, unmet)``, all in [W].
    """
    dt_s = plant[DT_S]
    # the connection limit holds at the meter, transformer losses included
    import_max = bus_import_limit_w(
        plant[GRID_IMPORT_W], plant[XFMR_S_RATED_W], plant[XFMR_P0_FRAC], plant[XFMR_PK_FRAC]
    )
    pv_to_load = min(p_pv_w, p_load_w)
    short = p_load_w - pv_to_load
    surplus = p_pv_w - pv_to_load
    bess_dis_max = max_discharge_w(
        soc_bess, plant[BESS_E_J], plant[BESS_P_W], plant[BESS_ETA_D], plant[BESS_SOC_MIN], dt_s
    )
    bess_ch_max = max_charge_w(
        soc_bess, plant[BESS_E_J], plant[BESS_P_W], plant[BESS_ETA_C], plant[BESS_SOC_MAX], dt_s
    )
    ups_dis_max = max_discharge_w(soc_ups, plant[UPS_E_J], 1e300, 1.0, 0.0, dt_s)
    ups_ch_max = max_charge_w(soc_ups, plant[UPS_E_J], plant[UPS_P_CH_W], 1.0, 1.0, dt_s)

    grid_import = 0.0
    genset = 0.0
    bess_dis = 0.0
    if not grid_up:
        bess_dis_max *= bess_island_frac
        bess_ch_max *= bess_island_frac
    if grid_up:
        bess_dis_max = min(bess_dis_max, max(bess_dis_cap_w, 0.0))
        bess_ch_max = min(bess_ch_max, max(bess_ch_cap_w, 0.0))
        bess_dis = min(short, bess_dis_max)
        short -= bess_dis
        grid_import = min(short, import_max)
        short -= grid_import
        spare = import_max - grid_import
    else:
        # the genset carries the load only while on line, a share genset_frac of the
        # step; p_with_genset_w (the cooling plant) only runs during that share
        spare = 0.0
        if genset_frac > 1e-9:
            short_on = short + p_with_genset_w * (1.0 / genset_frac - 1.0)
            genset = min(min(short_on, plant[GENSET_W]) * genset_frac, short)
            spare = (plant[GENSET_W] - min(short_on, plant[GENSET_W])) * genset_frac
        short -= genset
        bess_dis = min(short, bess_dis_max)
        short -= bess_dis
    ups_dis = min(short, ups_dis_max)
    short -= ups_dis
    unmet = max(short, 0.0)

    bess_ch = min(surplus, bess_ch_max)
    surplus -= bess_ch
    ups_ch = 0.0
    if ups_dis <= 0.0:
        ups_ch = min(surplus, ups_ch_max)
        surplus -= ups_ch
        top_up = min(ups_ch_max - ups_ch, max(spare, 0.0))
        if top_up > 0.0:
            ups_ch += top_up
            if grid_up:
                grid_import += top_up
            else:
                genset += top_up
    grid_export = 0.0
    if grid_up:
        if bess_dis <= 0.0:
            room = min(bess_ch_max - bess_ch, grid_charge_w, import_max - grid_import)
            if room > 0.0:
                bess_ch += room
                grid_import += room
        grid_export = min(surplus, plant[GRID_EXPORT_W], max(export_cap_w, 0.0))
        surplus -= grid_export
    curtailed = max(surplus, 0.0)
    return (
        pv_to_load,
        curtailed,
        bess_ch,
        bess_dis,
        grid_import,
        grid_export,
        genset,
        ups_dis,
        ups_ch,
        unmet,
    )
