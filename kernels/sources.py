"""The supply of each step, source by source: PV, wind, PPA and grid, to the load, to
storage, exported and curtailed.

The dispatch (:func:`kernels.supply.dispatch`) serves the load from the sum of the
on-site renewables: PV and wind both come at no fuel cost and with no control within the
step, so the electrical bus cannot tell them apart, and the kernel writes their common
uses (``O_P_RE_TO_LOAD_W``, ``O_P_RE_CURTAILED_W``, the renewable part of the battery
charge, the export). This module splits those uses after the run, one row at a time,
with one convention, the same for every column and every KPI:

* **pro rata (convention, not physics)**: each use of the on-site renewable supply in a
  step is shared between PV and wind in proportion to their available AC power in that
  step (PV only when nothing is available). Per source, to the load + to storage +
  exported + curtailed = available power.
* **to storage** is the renewable supply that is neither used by the load, exported nor
  curtailed: the surplus that charged the battery and topped up the UPS battery.
* **grid to the load** = max(0, min(import - battery charge from the grid, facility load
  - on-site renewables to the load - battery discharge)); the rest of the import went to
  storage (battery charge from the grid, UPS top-up). The facility load includes the
  transformer losses, which are bought at the meter.
* **PPA**: the off-site PPA is wheeled over the grid, so its energy is part of the
  import; the part matched to the load in a step is min(PPA delivery, grid to the
  load), the rest is settled at the export price (``twin.results.kpis``).

:mod:`kernels.kpisums` forms the KPIs with :func:`split_row` and
:func:`twin.results.result.step_table` fills its source columns with
:func:`source_columns`, so a KPI and the sum of its column are one computation.
"""

from __future__ import annotations

from kernels._jit import njit
from kernels.layout import (
    O_P_BESS_CHARGE_GRID_W,
    O_P_BESS_DISCHARGE_W,
    O_P_COOLING_W,
    O_P_GRID_EXPORT_W,
    O_P_GRID_IMPORT_W,
    O_P_IT_W,
    O_P_PV_W,
    O_P_RE_CURTAILED_W,
    O_P_RE_TO_LOAD_W,
    O_P_UPS_LOSS_W,
    O_P_WIND_W,
    O_P_XFMR_LOSS_W,
)

# slots of the tuple returned by :func:`split_row` (and rows written by source_columns)
R_PV_LOAD = 0  # PV to the load [W]
R_PV_STORE = 1  # PV to storage (battery, UPS battery) [W]
R_PV_EXPORT = 2  # PV exported [W]
R_PV_CURT = 3  # PV curtailed [W]
R_WIND_LOAD = 4
R_WIND_STORE = 5
R_WIND_EXPORT = 6
R_WIND_CURT = 7
R_GRID_LOAD = 8  # grid import to the load (transformer losses included) [W]
R_GRID_STORE = 9  # grid import to storage: battery charge from the grid, UPS top-up [W]
R_PPA = 10  # PPA delivery [W]
R_PPA_LOAD = 11  # PPA matched to the load [W]
R_FACILITY = 12  # IT + UPS losses + cooling + transformer losses [W]
N_SRC = 13


@njit
def split_row(row, ppa):
    """The uses of each source in one output *row*, with *ppa* the step's PPA delivery
    [W]; a tuple indexed by the ``R_*`` slots of this module, all in [W]."""
    pv = row[O_P_PV_W]
    wind = row[O_P_WIND_W]
    re = pv + wind
    pv_share = pv / re if re > 0.0 else 1.0
    re_load = row[O_P_RE_TO_LOAD_W]
    re_curt = row[O_P_RE_CURTAILED_W]
    export = row[O_P_GRID_EXPORT_W]
    re_store = max(re - re_load - export - re_curt, 0.0)
    pv_curt = re_curt * pv_share
    pv_load = re_load * pv_share
    pv_store = re_store * pv_share
    pv_export = export * pv_share
    load = row[O_P_IT_W] + row[O_P_UPS_LOSS_W] + row[O_P_COOLING_W] + row[O_P_XFMR_LOSS_W]
    imp = row[O_P_GRID_IMPORT_W]
    g2l = min(imp - row[O_P_BESS_CHARGE_GRID_W], load - re_load - row[O_P_BESS_DISCHARGE_W])
    g2l = max(g2l, 0.0)
    return (
        pv_load,
        pv_store,
        pv_export,
        pv_curt,
        re_load - pv_load,
        re_store - pv_store,
        export - pv_export,
        re_curt - pv_curt,
        g2l,
        imp - g2l,
        ppa,
        min(ppa, g2l),
        load,
    )


@njit
def source_columns(out, p_ppa_w, scale, rows, block):
    """``block[rows[j], k] = split_row(out[k], ppa[k])[j] * scale`` for every step.

    *p_ppa_w* is the PPA delivery [W] per step, or empty when there is none; *rows*
    (N_SRC,) the row of *block* that receives each ``R_*`` slot.
    """
    have_ppa = p_ppa_w.shape[0] == out.shape[0]
    for k in range(out.shape[0]):
        ppa = p_ppa_w[k] if have_ppa else 0.0
        s = split_row(out[k], ppa)
        for j in range(N_SRC):
            block[rows[j], k] = s[j] * scale
