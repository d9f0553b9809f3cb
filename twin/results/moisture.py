"""Hall moisture and dew point of a run: KPIs and the per-step series.

After a run, :func:`kernels.moisture.hall_moisture_pass` integrates the hall air's
humidity ratio over the steps (ventilation air, the direct air-side economizer's
outdoor air, the cooling coil's dehumidification; closed form per step, physics and
references in :mod:`kernels.moisture`). The KPIs compare the hall dew point with the
ASHRAE TC 9.9 (2021) limits of the air-cooled groups (:mod:`twin.scenario.ashrae`):

* ``max_hall_dew_point_c``: highest end-of-step hall dew point;
* ``dew_point_excursion_h``: hours with it above the strictest allowable dew point of
  the groups that release heat into the hall air (A1 17, A2 21, A3/A4 24 °C);
* ``dew_point_recommended_excursion_h``: hours with it above the recommended 15 °C.

The same kernel runs in a sweep's post pass (:func:`kernels.batch.post_scenario`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from kernels import layout as L
from kernels.moisture import (
    ASHRAE_621_RA_COMPUTER_M3_S_M2,
    MP_DP_ALLOW_C,
    MP_DP_REC_C,
    MP_M_DA_KG,
    MP_MDOT_VENT_KG_S,
    N_MOIST,
    N_MPAR,
    R_MAX_DP_C,
    R_STEPS_OVER_ALLOW,
    R_STEPS_OVER_REC,
    hall_moisture_pass,
)
from kernels.psychro import AIR_DENSITY_KG_M3
from twin.results.envelope import air_groups
from twin.scenario.ashrae import (
    ASHRAE_AIR_DEW_POINT_MAX_C,
    ASHRAE_AIR_RECOMMENDED_DEW_POINT_C,
)

if TYPE_CHECKING:
    from twin.scenario.model import Scenario

__all__ = [
    "NO_LIMIT_C",
    "hall_dew_point_c",
    "moisture_kpis",
    "moisture_kpis_from_res",
    "moisture_params",
]

#: Dew-point limit written when no group releases heat into the hall air [°C].
NO_LIMIT_C = 1e9


def moisture_params(sc: Scenario) -> np.ndarray:
    """The parameter vector of :func:`kernels.moisture.hall_moisture_pass`.

    Hall floor area ``A = racks × hall_m2_per_rack`` and volume ``A × height`` (as
    :func:`twin.sim.compile.compile_scenario`); dry-air mass ``ρ V`` (Assumption:
    the racks' own volume is not subtracted); ventilation ``ρ R_a A`` (ASHRAE 62.1
    Table 6-1, "Computer (not printing)", ``E_z = 1``).
    """
    c = sc.cooling
    area_m2 = sum(g.racks for g in sc.it.groups) * c.hall_m2_per_rack
    groups = air_groups(sc)
    par = np.zeros(N_MPAR)
    par[MP_M_DA_KG] = max(area_m2 * c.hall_height_m * AIR_DENSITY_KG_M3, 1.0)
    par[MP_MDOT_VENT_KG_S] = AIR_DENSITY_KG_M3 * ASHRAE_621_RA_COMPUTER_M3_S_M2 * area_m2
    par[MP_DP_ALLOW_C] = (
        min(ASHRAE_AIR_DEW_POINT_MAX_C[g.ashrae_class] for g in groups) if groups else NO_LIMIT_C
    )
    par[MP_DP_REC_C] = ASHRAE_AIR_RECOMMENDED_DEW_POINT_C[1] if groups else NO_LIMIT_C
    return par


def _run(sc: Scenario, out: np.ndarray, inp: Any, design: Any, series: bool):
    n = out.shape[0]
    t_db = np.ascontiguousarray(inp.t_db_c[:n], dtype=float)
    t_wb = np.ascontiguousarray(inp.t_wb_c[:n], dtype=float)
    dp = np.empty(n if series else 0)
    res = np.zeros(N_MOIST)
    out_c = np.ascontiguousarray(out, dtype=np.float64)
    lp = np.ascontiguousarray(design.loops[L.AIR])
    hall_moisture_pass(moisture_params(sc), lp, out_c, t_db, t_wb, float(sc.dt_s), dp, res)
    return dp, res


def moisture_kpis_from_res(sc: Scenario, res: np.ndarray) -> dict[str, float]:
    """The three dew-point KPIs from the result vector of the kernel."""
    h = float(sc.dt_s) / 3600.0
    return {
        "max_hall_dew_point_c": float(res[R_MAX_DP_C]),
        "dew_point_excursion_h": float(res[R_STEPS_OVER_ALLOW] * h),
        "dew_point_recommended_excursion_h": float(res[R_STEPS_OVER_REC] * h),
    }


def moisture_kpis(sc: Scenario, out: np.ndarray, inp: Any, design: Any) -> dict[str, float]:
    """``max_hall_dew_point_c``, ``dew_point_excursion_h``, ``dew_point_recommended_excursion_h``."""
    return moisture_kpis_from_res(sc, _run(sc, out, inp, design, False)[1])


def hall_dew_point_c(sc: Scenario, out: np.ndarray, inp: Any, design: Any) -> np.ndarray:
    """Hall dew point at the end of every step [°C], shape (n,)."""
    return _run(sc, out, inp, design, True)[0]
